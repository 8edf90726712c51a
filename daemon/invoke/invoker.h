#pragma once

// The call path's front door: one per daemon. It keeps the service clients
// (one per session, service, region and endpoint, as botocore keeps one per
// create_client) and runs calls: session → client → prepare (endpoint,
// serialise, checksums) → sign → send → retry → parse.

#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "absl/status/statusor.h"
#include "daemon/endpoints/service_endpoints.h"
#include "daemon/http/async_http_client.h"
#include "daemon/invoke/operation_call.h"
#include "daemon/invoke/request_preparation.h"
#include "daemon/invoke/service_client.h"
#include "daemon/model/model_registry.h"
#include "daemon/retries/retry_policy.h"
#include "daemon/signing/signer.h"

namespace awsd::invoke {

// One operation call as a client describes it.
struct InvokeCall {
  std::shared_ptr<const session::Session> session;
  std::string service;
  std::string operation;
  std::string params_json;   // "" = {}
  std::string region;        // per-call override
  std::string endpoint_url;  // per-call override
  CallSettings settings;
};

class Invoker {
 public:
  struct Parts {
    const model::ModelRegistry& models;
    signing::Signer& signer;
    std::shared_ptr<http::AsyncHttpClient> transport;
    // Test hook: the retry jitter (null: random).
    std::function<double()> random;
    std::size_t max_clients = 256;
    // Connect and read timeouts of every call (a call may override the read
    // timeout); the rest of ExchangeOptions comes from each session.
    std::chrono::milliseconds connect_timeout{60000};
    std::chrono::milliseconds read_timeout{60000};
    // Cap on each attempt's whole exchange; 0: none (the read timeout still
    // ends a stalled one).
    std::chrono::milliseconds total_timeout{0};
  };
  explicit Invoker(Parts parts);
  ~Invoker();

  // The client for a session, service and overrides, made on first use.
  absl::StatusOr<std::shared_ptr<const ServiceClient>> Client(const ClientSpec& spec);

  // Runs a call; `done` runs once (possibly before Invoke returns, for a
  // call refused before anything was sent). Returns its handle (null then).
  std::shared_ptr<CallHandle> Invoke(InvokeCall call, CallDone done);

  // Prepares a call without sending it: for presigning and for the
  // streaming RPC, which must know the operation before the body flows.
  struct Prepared {
    std::shared_ptr<const ServiceClient> client;
    PreparedRequest request;
  };
  absl::StatusOr<Prepared> Prepare(const InvokeCall& call, const PrepareOptions& options);
  // Sends a prepared call.
  std::shared_ptr<CallHandle> Send(Prepared prepared, CallSettings settings, CallDone done);

  const model::ModelRegistry& models() const { return parts_.models; }
  // The shared transport: its timers pace waiters without a sleeping thread.
  http::AsyncHttpClient& transport() { return *parts_.transport; }
  signing::Signer& signer() { return parts_.signer; }
  const std::string& user_agent() const { return user_agent_; }

 private:
  Parts parts_;
  std::string user_agent_;
  endpoints::ServiceEndpoints endpoints_;
  retries::RetryRegistry retries_;
  CallServices services_;

  std::mutex mutex_;
  std::list<std::pair<std::string, std::shared_ptr<const ServiceClient>>> lru_;
  std::unordered_map<std::string, decltype(lru_)::iterator> by_key_;
};

}  // namespace awsd::invoke
