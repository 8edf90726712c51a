// awsctl: the AWS CLI's grammar, answered by the local awsd daemon.
#include <variant>

#include "cli/commands/commands.h"
#include "cli/exit_codes.h"
#include "cli/global_options.h"

int main(int argc, char** argv) {
  using namespace awsd::cli;
  auto parsed = ParseGlobalOptions(argc, argv);
  if (auto* exit_status = std::get_if<int>(&parsed)) return *exit_status;
  const GlobalOptions& options = std::get<GlobalOptions>(parsed);

  awsd::Client client({.socket_path = options.socket_path});
  if (options.debug) std::fprintf(stderr, "awsctl: daemon socket %s\n", client.socket_path().c_str());

  const std::string& command = options.command.front();
  Arguments args(options.command.begin() + 1, options.command.end());
  if (command == "health") return RunHealthCommand(options, client, args);
  if (command == "credentials") return RunCredentialsCommand(options, client, args);
  if (command == "credential-process") return RunCredentialProcessCommand(options, client, args);
  if (command == "sign") return RunSignCommand(options, client, args);
  return RunOperationCommand(options, client, options.command);
}
