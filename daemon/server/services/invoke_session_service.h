#pragma once

// InvokeSession: many Invoke calls over one long-lived bidi stream
// (proto/awsd/v1/invoke_session.proto), for clients that call often. Each
// call is what the unary Invoke runs; only the RPC around it is shared.

#include <mutex>
#include <unordered_set>

#include "awsd/v1/invoke_session.grpc.pb.h"
#include "daemon/server/services/service_context.h"

namespace awsd::server {

class InvokeSessionReactor;

class InvokeSessionServiceImpl final : public awsd::v1::InvokeSessionService::CallbackService {
 public:
  explicit InvokeSessionServiceImpl(ServiceContext& context) : context_(context) {}

  grpc::ServerBidiReactor<awsd::v1::InvokeSessionRequest, awsd::v1::InvokeSessionResponse>* InvokeSession(
      grpc::CallbackServerContext* call) override;

  // Before the server drains: open streams stop taking calls and end once
  // their calls in flight are answered, so that an idle client's stream does
  // not hold the drain until its deadline. Streams opened later end at once.
  void BeginShutdown();

  // For the reactors: registration, so BeginShutdown reaches every stream.
  // Add returns false once shutdown has begun.
  bool Add(InvokeSessionReactor* reactor);
  void Remove(InvokeSessionReactor* reactor);

 private:
  ServiceContext& context_;
  std::mutex mutex_;
  std::unordered_set<InvokeSessionReactor*> reactors_;  // guarded by mutex_
  bool shutting_down_ = false;                          // guarded by mutex_
};

}  // namespace awsd::server
