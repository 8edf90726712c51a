#include "cli/commands/commands.h"
#include "cli/commands/timestamp_format.h"
#include "cli/exit_codes.h"
#include "cli/output.h"

namespace awsd::cli {
namespace {

bool RefuseArguments(const char* command, const Arguments& args) {
  if (args.empty()) return false;
  std::fprintf(stderr, "awsctl: %s: unexpected argument '%s'\n", command, args.front().c_str());
  return true;
}

}  // namespace

int RunCredentialsCommand(const GlobalOptions& options, const awsd::Client& client, const Arguments& args) {
  if (RefuseArguments("credentials", args)) return kExitUsage;
  auto info = client.GetCredentialInfo(options.MakeSession());
  if (!info) return ReportError(info.error());
  nlohmann::ordered_json out = {
      {"source", info->source()},
      {"access_key_id", info->access_key_id()},
      {"expiration", info->has_expiration() ? nlohmann::ordered_json(FormatIso8601(info->expiration())) : nullptr},
  };
  PrintResult(out, options.output);
  return kExitSuccess;
}

// `credential-process [--profile P]`: the profile may follow the command, as
// a credential_process line in an AWS config file reads most naturally.
int RunCredentialProcessCommand(const GlobalOptions& options, const awsd::Client& client, const Arguments& args) {
  GlobalOptions selected = options;
  Arguments rest;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--profile") {
      if (i + 1 == args.size() || args[i + 1].empty()) {
        std::fprintf(stderr, "awsctl: credential-process: --profile needs a profile name\n");
        return kExitUsage;
      }
      selected.profile = args[++i];
    } else if (args[i].starts_with("--profile=") && args[i].size() > 10) {
      selected.profile = args[i].substr(10);
    } else {
      rest.push_back(args[i]);
    }
  }
  if (RefuseArguments("credential-process", rest)) return kExitUsage;
  auto exported = client.ExportCredentials(selected.MakeSession());
  if (!exported) return ReportError(exported.error());
  nlohmann::ordered_json out = {
      {"Version", 1},
      {"AccessKeyId", exported->access_key_id()},
      {"SecretAccessKey", exported->secret_access_key()},
  };
  if (!exported->session_token().empty()) out["SessionToken"] = exported->session_token();
  if (exported->has_expiration()) out["Expiration"] = FormatIso8601(exported->expiration());
  PrintResult(out, "json");
  return kExitSuccess;
}

}  // namespace awsd::cli
