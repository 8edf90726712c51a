#include "cli/commands/commands.h"
#include "cli/exit_codes.h"
#include "cli/output.h"

namespace awsd::cli {

int RunHealthCommand(const GlobalOptions&, const awsd::Client& client, const Arguments& args) {
  if (!args.empty()) {
    std::fprintf(stderr, "awsctl: health: unexpected argument '%s'\n", args.front().c_str());
    return kExitUsage;
  }
  auto status = client.Health();
  if (!status) return ReportError(status.error());
  std::printf("%s\n", status->c_str());
  return *status == "SERVING" ? kExitSuccess : kExitOther;
}

}  // namespace awsd::cli
