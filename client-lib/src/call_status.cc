#include "call_status.h"

namespace awsd::internal {

std::chrono::system_clock::time_point DeadlineOf(std::chrono::milliseconds client_timeout, CallSettings settings) {
  return std::chrono::system_clock::now() + (settings.timeout.count() > 0 ? settings.timeout : client_timeout);
}

void SetDeadline(grpc::ClientContext& context, std::chrono::milliseconds client_timeout, CallSettings settings) {
  context.set_deadline(DeadlineOf(client_timeout, settings));
}

Error ToError(const grpc::Status& status, const std::string& socket_path) {
  Error error;
  error.code = status.error_code();
  error.message = status.error_message();
  // UNAVAILABLE before any answer: nobody is listening (or no socket file).
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE &&
      status.error_message().find("connect") != std::string::npos) {
    error.daemon_unreachable = true;
    error.message = "daemon not reachable at " + socket_path;
  }
  return error;
}

}  // namespace awsd::internal
