#include "cli/commands/wait_command.h"

#include <chrono>
#include <cstdio>

#include "cli/exit_codes.h"
#include "cli/output.h"

namespace awsd::cli {

// Waiters poll for as long as their attempts last (ec2's up to an hour);
// the daemon stops polling should awsctl be interrupted.
constexpr std::chrono::hours kWaitTimeout{12};

int RunWaiter(const awsd::Client& client, const awsd::Session& session, const std::string& service,
              const std::string& waiter, const std::string& params_json) {
  awsd::v1::WaitRequest request;
  request.set_service(service);
  request.set_waiter(waiter);
  request.set_params_json(params_json);
  auto reply =
      client.Wait(session, request, {.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(kWaitTimeout)});
  if (!reply) return ReportError(reply.error(), waiter);
  if (reply->state() == awsd::v1::WaitResponse::STATE_SUCCESS) return kExitSuccess;
  std::fprintf(stderr, "\n%s\n", reply->message().c_str());
  return kExitOther;
}

}  // namespace awsd::cli
