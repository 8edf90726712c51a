// For the botocore differential test: reads JSON lines
// {"config": hex|null, "credentials": hex|null} (the file bytes, hex-encoded
// so that invalid UTF-8 travels intact), parses them in the
// botocore dialect, merges as Session.full_config does, and writes one JSON
// line per case: {"ok": true, "profiles": ..., "sso_sessions": ...,
// "services": ...} (a value is a string, or an object for sub-properties) or
// {"ok": false, "error": message}.

#include <iostream>
#include <string>

#include "daemon/config/profile_file_parser.h"
#include "nlohmann/json.hpp"

namespace {

using awsd::config::Section;
using nlohmann::json;

std::string FromHex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return out;
}

json Sections(const std::map<std::string, Section>& sections) {
  json out = json::object();
  for (const auto& [name, section] : sections) {
    json& properties = out[name] = json::object();
    for (const auto& [key, value] : section) {
      if (value.is_nested()) {
        properties[key] = *value.sub_properties;
      } else {
        properties[key] = value.text;
      }
    }
  }
  return out;
}

}  // namespace

int main() {
  using namespace awsd::config;
  std::string line;
  while (std::getline(std::cin, line)) {
    const json input = json::parse(line);
    ProfileSet merged;
    json result;
    absl::Status error;
    if (input["config"].is_string()) {
      absl::StatusOr<ProfileSet> config = ParseProfileFile(FromHex(input["config"].get<std::string>()), "config",
                                                           FileKind::kConfig);
      if (config.ok()) merged = *config; else error = config.status();
    }
    if (error.ok() && input["credentials"].is_string()) {
      absl::StatusOr<ProfileSet> credentials =
          ParseProfileFile(FromHex(input["credentials"].get<std::string>()), "credentials", FileKind::kCredentials);
      if (credentials.ok()) MergeCredentialsInto(merged, *credentials); else error = credentials.status();
    }
    if (error.ok()) {
      result = {{"ok", true},
                {"profiles", Sections(merged.profiles)},
                {"sso_sessions", Sections(merged.sso_sessions)},
                {"services", Sections(merged.services)}};
    } else {
      result = {{"ok", false}, {"error", std::string(error.message())}};
    }
    std::cout << result.dump(-1, ' ', false, json::error_handler_t::replace) << "\n" << std::flush;
  }
  return 0;
}
