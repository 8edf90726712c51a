#include "daemon/server/call_logging_interceptor.h"

#include <grpcpp/server_context.h>

#include <chrono>
#include <optional>

#include "absl/status/status.h"

#include "daemon/server/security_interceptor.h"
#include "spdlog/spdlog.h"

namespace awsd::server {
namespace {

class CallLoggingInterceptor : public grpc::experimental::Interceptor {
 public:
  CallLoggingInterceptor(grpc::experimental::ServerRpcInfo* info, const PeerTable& peers, CallGate* gate)
      : info_(info), peers_(peers), start_(std::chrono::steady_clock::now()) {
    if (gate != nullptr) security_.emplace(*gate, info);
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    using grpc::experimental::InterceptionHookPoints;
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      grpc::Status status = methods->GetSendStatus();
      auto micros = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start_);
      auto peer = peers_.Lookup(info_->server_context()->peer());
      long pid = peer ? peer->pid : -1;
      long uid = peer ? static_cast<long>(peer->uid) : -1;
      if (status.ok()) {
        spdlog::info("call method={} pid={} uid={} outcome=OK duration_us={}", info_->method(), pid, uid, micros.count());
      } else {
        spdlog::info("call method={} pid={} uid={} outcome={} duration_us={} message=\"{}\"", info_->method(), pid, uid,
                     absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code())), micros.count(), status.error_message());
      }
    }
    if (security_) security_->Intercept(methods);
    methods->Proceed();
  }

 private:
  grpc::experimental::ServerRpcInfo* info_;
  const PeerTable& peers_;
  std::chrono::steady_clock::time_point start_;
  std::optional<CallSecurityHooks> security_;
};

}  // namespace

grpc::experimental::Interceptor* CallLoggingInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new CallLoggingInterceptor(info, peers_, gate_);
}

}  // namespace awsd::server
