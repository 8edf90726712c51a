#include "daemon/security/policy_builder.h"

#include <grp.h>
#include <pwd.h>

#include <vector>

#include "absl/strings/str_cat.h"

namespace awsd::security {

NameResolver NameResolver::System() {
  NameResolver names;
  names.user = [](const std::string& name) -> std::optional<uid_t> {
    struct passwd entry {
    }, *found = nullptr;
    std::vector<char> buffer(16384);
    if (getpwnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found) != 0 || found == nullptr) {
      return std::nullopt;
    }
    return found->pw_uid;
  };
  names.group = [](const std::string& name) -> std::optional<gid_t> {
    struct group entry {
    }, *found = nullptr;
    std::vector<char> buffer(65536);
    if (getgrnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found) != 0 || found == nullptr) {
      return std::nullopt;
    }
    return found->gr_gid;
  };
  return names;
}

absl::StatusOr<Policy> BuildPolicy(const SecurityConfig& config, uid_t daemon_uid, const NameResolver& names,
                                   bool default_allows_export) {
  if (config.rules.empty()) return Policy::Default(daemon_uid, default_allows_export);
  std::vector<PolicyRule> rules;
  for (const RuleConfig& in : config.rules) {
    PolicyRule rule;
    rule.name = in.name;
    for (const Principal& user : in.users) {
      if (const auto* id = std::get_if<int64_t>(&user)) {
        rule.uids.push_back(static_cast<uid_t>(*id));
      } else if (auto uid = names.user(std::get<std::string>(user))) {
        rule.uids.push_back(*uid);
      } else {
        return absl::InvalidArgumentError(
            absl::StrCat("policy rule '", in.name, "': no user named '", std::get<std::string>(user), "'"));
      }
    }
    for (const Principal& group : in.groups) {
      if (const auto* id = std::get_if<int64_t>(&group)) {
        rule.gids.push_back(static_cast<gid_t>(*id));
      } else if (auto gid = names.group(std::get<std::string>(group))) {
        rule.gids.push_back(*gid);
      } else {
        return absl::InvalidArgumentError(
            absl::StrCat("policy rule '", in.name, "': no group named '", std::get<std::string>(group), "'"));
      }
    }
    rule.executables = in.executables;
    rule.cgroup_globs = in.cgroups;
    rule.profile_globs = in.profiles;
    rule.allow = in.allow;
    rule.deny = in.deny;
    rule.sign = in.sign;
    rule.export_credentials = in.export_credentials;
    rules.push_back(std::move(rule));
  }
  return Policy(std::move(rules));
}

}  // namespace awsd::security
