// For the botocore credential-chain differential test
// (botocore_chain_differential.py): reads a JSON file named on the command
// line, {"env": {"NAME": "value", ...}, "profile": "name or empty"}, resolves
// credentials through awsd's default chain exactly once and prints one JSON
// line:
//   {"ok": true, "found": true, "method": source, "access_key_id": id}
//   {"ok": true, "found": false}
//   {"ok": false, "error": message}
// The environment is exactly the file's "env" (nothing from the real
// environment). A non-empty "profile" is an explicit profile, as
// botocore.session.Session(profile=...). Never prints a secret.

#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>

#include "daemon/common/file_system.h"
#include "daemon/config/aws_config.h"
#include "daemon/config/file_locations.h"
#include "daemon/config/settings.h"
#include "daemon/credentials/default_chain.h"
#include "daemon/http/curl_http_client.h"
#include "daemon/signing/signer.h"
#include "nlohmann/json.hpp"

namespace {

using nlohmann::json;

int Print(const json& result) {
  std::cout << result.dump(-1, ' ', false, json::error_handler_t::replace) << "\n" << std::flush;
  return 0;
}

int Fail(const std::string& message) { return Print({{"ok", false}, {"error", message}}); }

}  // namespace

int main(int argc, char** argv) {
  using namespace awsd;
  if (argc != 2) {
    std::cerr << "usage: credential_chain_tool CASE.json\n";
    return 2;
  }
  json input;
  {
    std::ifstream in(argv[1]);
    if (!in) {
      std::cerr << "cannot read " << argv[1] << "\n";
      return 2;
    }
    std::stringstream text;
    text << in.rdbuf();
    input = json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
    if (!input.is_object()) {
      std::cerr << argv[1] << ": not a JSON object\n";
      return 2;
    }
  }
  auto variables = std::make_shared<std::map<std::string, std::string>>();
  if (input.contains("env")) {
    for (const auto& [name, value] : input["env"].items()) (*variables)[name] = value.get<std::string>();
  }
  const std::string explicit_name = input.value("profile", std::string());

  const config::EnvLookup env = [variables](const std::string& name) -> std::optional<std::string> {
    auto it = variables->find(name);
    return it == variables->end() ? std::nullopt : std::optional<std::string>(it->second);
  };

  auto aws = config::LoadAwsConfig(env);
  if (!aws.ok()) return Fail(std::string(aws.status().message()));

  // As session::SessionRegistry::Build does it (daemon/session/
  // session_registry.cc): the profile named by the caller, else the one the
  // environment selects; a profile that does not exist is refused unless it
  // is the unnamed default.
  const bool explicit_profile = !explicit_name.empty();
  const std::string profile = explicit_profile ? explicit_name : config::ResolveProfileName(env);
  const config::Profile* merged = config::FindProfile(aws->merged, profile);
  if (merged == nullptr && config::ProfileIsNamed(explicit_profile, env)) {
    return Fail("The config profile (" + profile + ") could not be found");
  }

  credentials::ChainOptions options;
  options.aws = &*aws;
  options.profile_name = profile;
  options.explicit_profile = explicit_profile;
  options.region = config::Resolve("region", merged, env).value_or("");
  options.context.environment = env;
  options.context.files = LocalFileSystem();
  options.context.http = http::MakeCurlHttpClient();
  options.signer = std::make_shared<signing::Signer>();
  options.warn = [](const std::string& line) { std::cerr << "warning: " << line << "\n"; };

  auto chain = credentials::BuildDefaultChain(options);
  auto resolved = chain->Resolve();
  if (!resolved.ok()) return Fail(std::string(resolved.status().message()));
  if (*resolved == nullptr) return Print({{"ok", true}, {"found", false}});
  return Print({{"ok", true},
                {"found", true},
                {"method", (*resolved)->source},
                {"access_key_id", (*resolved)->access_key_id}});
}
