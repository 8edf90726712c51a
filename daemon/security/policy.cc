#include "daemon/security/policy.h"

#include <fnmatch.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace awsd::security {
namespace {

bool Glob(const std::string& pattern, const std::string& text, int flags = 0) {
  return fnmatch(pattern.c_str(), text.c_str(), flags) == 0;
}

bool AnyGlob(const std::vector<std::string>& patterns, const std::string& text, int flags = 0) {
  return std::any_of(patterns.begin(), patterns.end(), [&](const std::string& p) { return Glob(p, text, flags); });
}

bool Applies(const PolicyRule& rule, const CallerIdentity& caller) {
  if (!rule.uids.empty() && std::find(rule.uids.begin(), rule.uids.end(), caller.uid) == rule.uids.end()) return false;
  if (!rule.gids.empty()) {
    bool member = std::find(rule.gids.begin(), rule.gids.end(), caller.gid) != rule.gids.end();
    // Supplementary groups come from /proc, so only an attested caller has them.
    for (gid_t g : caller.groups)
      member = member || std::find(rule.gids.begin(), rule.gids.end(), g) != rule.gids.end();
    if (!member) return false;
  }
  if (!rule.executables.empty()) {
    if (!caller.attested) return false;
    if (std::find(rule.executables.begin(), rule.executables.end(), caller.exe) == rule.executables.end()) return false;
  }
  if (!rule.cgroup_globs.empty()) {
    if (!caller.attested || !AnyGlob(rule.cgroup_globs, caller.cgroup)) return false;
  }
  return true;
}

// IAM action names are case-insensitive; so are these patterns.
constexpr int kOperationFlags = FNM_CASEFOLD;

std::string Describe(const Action& action) {
  switch (action.kind) {
    case Action::Kind::kConnect:
      return "use the daemon";
    case Action::Kind::kInvoke:
      return absl::StrCat("call ", action.service, ":", action.operation);
    case Action::Kind::kSign:
      return "sign arbitrary requests";
    case Action::Kind::kCredentialInfo:
      return "read credential information";
    case Action::Kind::kExport:
      return "export credentials";
  }
  return "act";
}

std::string WithProfile(const Action& action) {
  if (action.kind == Action::Kind::kConnect || action.profile.empty()) return Describe(action);
  return absl::StrCat(Describe(action), " with profile '", action.profile, "'");
}

// Whether `rule` grants the whole of `action` (deny patterns aside).
bool Grants(const PolicyRule& rule, const Action& action) {
  if (action.kind == Action::Kind::kConnect) return true;
  if (!action.profile.empty() && !AnyGlob(rule.profile_globs, action.profile)) return false;
  switch (action.kind) {
    case Action::Kind::kInvoke:
      return AnyGlob(rule.allow, absl::StrCat(action.service, ":", action.operation), kOperationFlags);
    case Action::Kind::kSign:
      return rule.sign;
    case Action::Kind::kExport:
      return rule.export_credentials;
    default:
      return true;
  }
}

}  // namespace

Policy Policy::Default(uid_t daemon_uid, bool allow_export) {
  PolicyRule rule;
  rule.name = kDefaultRuleName;
  rule.uids = {daemon_uid};
  if (daemon_uid != 0) rule.uids.push_back(0);
  rule.profile_globs = {"*"};
  rule.allow = {"*"};
  rule.sign = true;
  rule.export_credentials = allow_export;
  return Policy({std::move(rule)});
}

Decision Policy::Decide(const CallerIdentity& caller, const Action& action) const {
  std::vector<const PolicyRule*> applying;
  for (const PolicyRule& rule : rules_) {
    if (Applies(rule, caller)) applying.push_back(&rule);
  }
  if (applying.empty()) {
    std::string who = absl::StrCat("uid ", caller.uid);
    if (caller.attested) absl::StrAppend(&who, " (", caller.exe, ")");
    const bool only_default = rules_.size() == 1 && rules_[0].name == kDefaultRuleName;
    return {false, only_default ? kDefaultRuleName : "",
            absl::StrCat(only_default ? "default policy" : "policy", ": no rule admits ", who)};
  }
  if (action.kind == Action::Kind::kInvoke) {
    const std::string op = absl::StrCat(action.service, ":", action.operation);
    for (const PolicyRule* rule : applying) {
      for (const std::string& pattern : rule->deny) {
        if (Glob(pattern, op, kOperationFlags)) {
          return {false, rule->name, absl::StrCat("rule '", rule->name, "' denies ", op, " (pattern '", pattern, "')")};
        }
      }
    }
  }
  for (const PolicyRule* rule : applying) {
    if (Grants(*rule, action)) return {true, rule->name, ""};
  }
  std::vector<std::string> names;
  for (const PolicyRule* rule : applying) names.push_back(rule->name);
  const bool is_default = names.size() == 1 && names[0] == kDefaultRuleName;
  std::string who = is_default          ? "default policy"
                    : names.size() == 1 ? absl::StrCat("rule '", names[0], "'")
                                        : absl::StrCat("rules '", absl::StrJoin(names, "', '"), "'");
  return {false, absl::StrJoin(names, ","),
          absl::StrCat(who, names.size() == 1 ? " does" : " do", " not let this caller ", WithProfile(action))};
}

}  // namespace awsd::security
