#pragma once

// Turns the configured rules into a Policy: user and group names become ids
// here, at start and on each SIGHUP, so deciding a call never touches the
// user database.

#include <sys/types.h>

#include <functional>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "daemon/security/policy.h"
#include "daemon/security/security_config.h"

namespace awsd::security {

struct NameResolver {
  std::function<std::optional<uid_t>(const std::string&)> user;
  std::function<std::optional<gid_t>(const std::string&)> group;
  // getpwnam_r / getgrnam_r.
  static NameResolver System();
};

// The policy `config` describes, or Policy::Default(daemon_uid,
// default_allows_export) when it has no rules. An unknown user or group name is InvalidArgument naming the rule:
// a rule that silently matched nobody would hide a typo.
absl::StatusOr<Policy> BuildPolicy(const SecurityConfig& config, uid_t daemon_uid, const NameResolver& names,
                                   bool default_allows_export = false);

}  // namespace awsd::security
