#include "cli/commands/wait_command.h"

#include <cstdio>

#include "cli/commands/commands.h"
#include "cli/exit_codes.h"
#include "cli/output.h"

namespace awsd::cli {

int RunWaiter(const awsd::Client& client, const awsd::Session& session, const std::string& service,
              const std::string& waiter, const std::string& params_json) {
  awsd::v1::WaitRequest request;
  request.set_service(service);
  request.set_waiter(waiter);
  request.set_params_json(params_json);
  auto reply = client.Wait(session, request, kLongCall);
  if (!reply) return ReportError(reply.error(), waiter);
  if (reply->state() == awsd::v1::WaitResponse::STATE_SUCCESS) return kExitSuccess;
  std::fprintf(stderr, "\n%s\n", reply->message().c_str());
  return kExitOther;
}

}  // namespace awsd::cli
