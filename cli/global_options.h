#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "awsd/client.h"

namespace awsd::cli {

// The options before the command, as the contract lists them.
struct GlobalOptions {
  std::string socket_path;
  std::string profile;
  std::string region;
  std::string endpoint_url;
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;
  std::string output = "json";
  std::optional<std::string> query;
  bool debug = false;
  // The command and its own arguments: "health", "sign ...", "s3api list-buckets ...".
  std::vector<std::string> command;

  // The session these options describe (profile, region, endpoint, explicit keys).
  awsd::Session MakeSession() const;
};

// Parses the global options; AWS_PROFILE, AWS_REGION / AWS_DEFAULT_REGION and
// AWS_ENDPOINT_URL fill what the command line leaves unset. Returns the exit
// status to leave with at once after --help, --version or a usage error
// (already printed).
std::variant<GlobalOptions, int> ParseGlobalOptions(int argc, char** argv);

}  // namespace awsd::cli
