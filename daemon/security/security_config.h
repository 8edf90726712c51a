#pragma once

// The daemon config's security tables, as written: [[policy.rule]],
// [audit] and [caller_limits] (config/awsd.example.toml documents each
// key). Parsed here, beside the policy they configure, and called from
// daemon/app/daemon_config.cc so the file is still checked as one.
// User and group names stay names: policy_builder.h resolves them when the
// daemon builds its policy, so the file parses on any host.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace awsd::security {

// A user or group as configured: a name or a numeric id.
using Principal = std::variant<std::string, int64_t>;

struct RuleConfig {
  std::string name;
  std::vector<Principal> users;
  std::vector<Principal> groups;
  std::vector<std::string> executables;
  std::vector<std::string> cgroups;
  std::vector<std::string> profiles;
  std::vector<std::string> allow;
  std::vector<std::string> deny;
  bool sign = false;
  bool export_credentials = false;
  bool operator==(const RuleConfig&) const = default;
};

struct SecurityConfig {
  // [[policy.rule]]; none: the default policy (the daemon's uid and root).
  std::vector<RuleConfig> rules;
  // [audit] file: absolute path of the audit log; unset: no audit log.
  std::optional<std::string> audit_file;
  // [caller_limits], per uid; 0 is unlimited.
  uint32_t caller_max_concurrent_calls = 0;
  double caller_calls_per_second = 0;
  // Token bucket size; 0 means calls_per_second (at least 1).
  uint32_t caller_burst = 0;
  bool operator==(const SecurityConfig&) const = default;
};

// One problem, in daemon_config.h's format: "<origin>:<line>: <key>: <what>".
struct ConfigProblem {
  uint32_t line = 0;
  uint32_t column = 0;
  std::string text;
};

// The top-level tables this module owns.
inline constexpr std::string_view kSecurityTables[] = {"policy", "audit", "caller_limits"};

// Parses the security tables of a TOML document already known to be valid
// TOML (daemon_config parsed it first). Fills `config`; returns every
// problem found, empty when there is none.
std::vector<ConfigProblem> ParseSecurityConfig(std::string_view toml_text, std::string_view origin,
                                               SecurityConfig& config);

}  // namespace awsd::security
