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

int RunCredentialProcessCommand(const GlobalOptions& options, const awsd::Client& client, const Arguments& args) {
  if (RefuseArguments("credential-process", args)) return kExitUsage;
  auto exported = client.ExportCredentials(options.MakeSession());
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
