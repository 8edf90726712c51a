#pragma once

// What botocore builds in create_client, built once per (session, service,
// region, endpoint URL) and shared by every call that names them: the model
// and its protocol, the endpoint built-ins and rule-set binding, the retry
// settings and their host-wide state, the checksum/compression settings and
// the transport settings. Immutable once made.

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "daemon/endpoints/endpoint_builtins.h"
#include "daemon/endpoints/endpoint_parameters.h"
#include "daemon/endpoints/endpoint_resolver.h"
#include "daemon/endpoints/service_endpoints.h"
#include "daemon/http/async_http_client.h"
#include "daemon/model/model_registry.h"
#include "daemon/protocols/protocol.h"
#include "daemon/protocols/request_finishing.h"
#include "daemon/retries/retry_policy.h"
#include "daemon/session/session.h"

namespace awsd::invoke {

// The daemon-wide parts every client is made from.
struct ClientFactoryParts {
  const model::ModelRegistry& models;
  endpoints::ServiceEndpoints& endpoints;
  retries::RetryRegistry& retries;
  std::chrono::milliseconds connect_timeout{60000};
  std::chrono::milliseconds read_timeout{60000};
  // Cap on each attempt's whole exchange ([http] total_timeout_ms); 0: none.
  std::chrono::milliseconds total_timeout{0};
};

// Which client: a session and a service, with the call's overrides.
struct ClientSpec {
  std::shared_ptr<const session::Session> session;
  std::string service;       // data folder or CLI name
  std::string region;        // "" = the session's
  std::string endpoint_url;  // "" = the session's, then the configured one
};

class ServiceClient {
 public:
  // Fails as botocore's create_client does: NotFound for an unknown service,
  // InvalidArgument for a region or endpoint setting botocore refuses, or
  // for a bad retry_mode / max_attempts.
  static absl::StatusOr<std::shared_ptr<const ServiceClient>> Create(const ClientSpec& spec, ClientFactoryParts& parts);

  ServiceClient(const ServiceClient&) = delete;
  ServiceClient& operator=(const ServiceClient&) = delete;

  const session::Session& session() const { return *session_; }
  const model::ServiceModel& model() const { return *model_; }
  const protocols::Protocol& protocol() const { return *protocol_; }
  const endpoints::EndpointResolver& resolver() const { return *resolver_; }
  const endpoints::EndpointConfig& endpoint_config() const { return endpoint_config_; }
  const endpoints::EndpointParams& client_context_params() const { return client_context_params_; }
  // The region requests are made for ("" when none is configured).
  const std::string& region() const { return endpoint_config_.region; }
  const retries::RetryConfig& retry_config() const { return retry_config_; }
  const std::shared_ptr<retries::RetryState>& retry_state() const { return retry_state_; }
  const protocols::FinishingSettings& finishing() const { return finishing_; }
  const http::ExchangeOptions& exchange_options() const { return exchange_options_; }
  // The proxy environment of the session (HTTPS_PROXY, NO_PROXY ...).
  const config::EnvLookup& environment() const { return session_->environment(); }

 private:
  ServiceClient() = default;

  std::shared_ptr<const session::Session> session_;
  std::shared_ptr<const model::ServiceModel> model_;
  const protocols::Protocol* protocol_ = nullptr;
  std::shared_ptr<const endpoints::EndpointResolver> resolver_;
  endpoints::EndpointConfig endpoint_config_;
  endpoints::EndpointParams client_context_params_;
  retries::RetryConfig retry_config_;
  std::shared_ptr<retries::RetryState> retry_state_;
  protocols::FinishingSettings finishing_;
  http::ExchangeOptions exchange_options_;
};

}  // namespace awsd::invoke
