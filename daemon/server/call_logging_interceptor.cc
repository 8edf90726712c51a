#include "daemon/server/call_logging_interceptor.h"

#include <grpcpp/server_context.h>

#include <chrono>

#include "spdlog/spdlog.h"

namespace awsd::server {
namespace {

const char* CodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::OK: return "OK";
    case grpc::CANCELLED: return "CANCELLED";
    case grpc::UNKNOWN: return "UNKNOWN";
    case grpc::INVALID_ARGUMENT: return "INVALID_ARGUMENT";
    case grpc::DEADLINE_EXCEEDED: return "DEADLINE_EXCEEDED";
    case grpc::NOT_FOUND: return "NOT_FOUND";
    case grpc::ALREADY_EXISTS: return "ALREADY_EXISTS";
    case grpc::PERMISSION_DENIED: return "PERMISSION_DENIED";
    case grpc::RESOURCE_EXHAUSTED: return "RESOURCE_EXHAUSTED";
    case grpc::FAILED_PRECONDITION: return "FAILED_PRECONDITION";
    case grpc::ABORTED: return "ABORTED";
    case grpc::OUT_OF_RANGE: return "OUT_OF_RANGE";
    case grpc::UNIMPLEMENTED: return "UNIMPLEMENTED";
    case grpc::INTERNAL: return "INTERNAL";
    case grpc::UNAVAILABLE: return "UNAVAILABLE";
    case grpc::DATA_LOSS: return "DATA_LOSS";
    case grpc::UNAUTHENTICATED: return "UNAUTHENTICATED";
    default: return "UNKNOWN";
  }
}

class CallLoggingInterceptor : public grpc::experimental::Interceptor {
 public:
  CallLoggingInterceptor(grpc::experimental::ServerRpcInfo* info, const PeerTable& peers)
      : info_(info), peers_(peers), start_(std::chrono::steady_clock::now()) {}

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
                     CodeName(status.error_code()), micros.count(), status.error_message());
      }
    }
    methods->Proceed();
  }

 private:
  grpc::experimental::ServerRpcInfo* info_;
  const PeerTable& peers_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace

grpc::experimental::Interceptor* CallLoggingInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new CallLoggingInterceptor(info, peers_);
}

}  // namespace awsd::server
