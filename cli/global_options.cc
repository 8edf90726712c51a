#include "cli/global_options.h"

#include <CLI/CLI.hpp>
#include <cstdlib>

#include "awsd_version.h"
#include "cli/exit_codes.h"

namespace awsd::cli {
namespace {

constexpr const char* kCommands = R"(Commands:
  health                              the daemon's health status (SERVING)
  credentials                         source, access key id and expiry of the session's credentials
  credential-process [--profile P]    the credential_process JSON, where the daemon's policy allows export
  sign --method M --url URL ...       sign an HTTP request (awsctl sign --help)
  SERVICE OPERATION [--member v ...]  call an operation (AWS CLI grammar)
  SERVICE wait WAITER [--member v ...]
  presign SERVICE OPERATION [...]     a presigned URL)";

std::string FromEnv(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

}  // namespace

awsd::Session GlobalOptions::MakeSession() const {
  awsd::v1::SessionSpec spec;
  spec.set_profile(profile);
  spec.set_region(region);
  spec.set_endpoint_url(endpoint_url);
  if (!access_key_id.empty() || !secret_access_key.empty()) {
    auto* creds = spec.mutable_explicit_credentials();
    creds->set_access_key_id(access_key_id);
    creds->set_secret_access_key(secret_access_key);
    creds->set_session_token(session_token);
  }
  return awsd::Session::Inline(spec);
}

std::variant<GlobalOptions, int> ParseGlobalOptions(int argc, char** argv) {
  GlobalOptions options;
  CLI::App app{"awsctl: call AWS through the local awsd daemon", "awsctl"};
  app.prefix_command();
  app.footer(kCommands);
  app.set_version_flag("--version", std::string("awsctl ") + kAwsdVersion);
  app.add_option("--socket", options.socket_path, "The daemon's socket");
  app.add_option("--profile", options.profile, "Profile in the daemon's AWS config files");
  app.add_option("--region", options.region, "Region");
  app.add_option("--endpoint-url", options.endpoint_url, "Endpoint URL for the service");
  app.add_option("--access-key-id", options.access_key_id, "Explicit credentials: access key id");
  app.add_option("--secret-access-key", options.secret_access_key, "Explicit credentials: secret access key");
  app.add_option("--session-token", options.session_token, "Explicit credentials: session token");
  app.add_option("--output", options.output, "json|text")->check(CLI::IsMember({"json", "text"}));
  app.add_option("--query", options.query, "JMESPath expression applied to the result");
  app.add_flag("--debug", options.debug, "Print what awsctl asks the daemon");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kExitSuccess : kExitUsage;
  }
  options.command = app.remaining();
  if (options.command.empty()) {
    std::fprintf(stderr, "%s\n\nawsctl: a command is required\n", app.help().c_str());
    return kExitUsage;
  }
  if (options.command.front().starts_with("-")) {
    std::fprintf(stderr, "awsctl: unknown option '%s' (global options go before the command)\n",
                 options.command.front().c_str());
    return kExitUsage;
  }
  if (options.access_key_id.empty() != options.secret_access_key.empty()) {
    std::fprintf(stderr, "awsctl: --access-key-id and --secret-access-key go together\n");
    return kExitUsage;
  }
  if (options.profile.empty()) options.profile = FromEnv("AWS_PROFILE");
  if (options.region.empty()) options.region = FromEnv("AWS_REGION");
  if (options.region.empty()) options.region = FromEnv("AWS_DEFAULT_REGION");
  if (options.endpoint_url.empty()) options.endpoint_url = FromEnv("AWS_ENDPOINT_URL");
  return options;
}

}  // namespace awsd::cli
