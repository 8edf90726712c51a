#pragma once

// Who may do what with the daemon's identities. Pure: no I/O, no clock, no
// user database; names were resolved to ids when the policy was built
// (policy_builder.h), so a decision depends only on its arguments.
//
// A rule applies to a caller when every selector it has matches (users,
// groups, executables, cgroups; within one selector any entry may match).
// Executable and cgroup selectors match only attested callers. Among the
// rules that apply:
//   - a `deny` pattern that matches the operation refuses, whatever allows
//     it elsewhere (deny wins);
//   - otherwise the action is allowed when one rule grants all of it: the
//     profile, the operation (`allow` patterns), `sign`, or `export`.
// A caller no rule applies to may do nothing at all.

#include <sys/types.h>

#include <string>
#include <vector>

#include "daemon/security/caller_identity.h"

namespace awsd::security {

struct PolicyRule {
  std::string name;
  std::vector<uid_t> uids;
  std::vector<gid_t> gids;
  std::vector<std::string> executables;    // exact paths
  std::vector<std::string> cgroup_globs;   // fnmatch(3), '*' crosses '/'
  std::vector<std::string> profile_globs;  // empty: no profile
  std::vector<std::string> allow;          // "service:Operation" globs, case-insensitive
  std::vector<std::string> deny;
  bool sign = false;
  bool export_credentials = false;
};

struct Action {
  enum class Kind {
    // Calls that touch no identity (health, daemon info, models, sessions):
    // the caller need only be admitted by some rule.
    kConnect,
    // Calls an operation (Invoke, streams, Paginate, Wait, Presign).
    kInvoke,
    // Signs an arbitrary request (Sign*, SignChunk).
    kSign,
    // Describes a session's credentials without the secret.
    kCredentialInfo,
    // Hands the credentials themselves to the caller.
    kExport,
  };
  Kind kind = Kind::kConnect;
  // The session's profile. Empty for a session with the caller's own
  // explicit credentials: no daemon identity is used, so no profile is
  // checked (operation, sign and export rules still are).
  std::string profile;
  // kInvoke: the model's names ("s3", "ListObjectsV2"); kSign: the signing
  // name, recorded but not matched.
  std::string service;
  std::string operation;

  static Action Connect() { return {}; }
  static Action Invoke(std::string profile, std::string service, std::string operation) {
    return {Kind::kInvoke, std::move(profile), std::move(service), std::move(operation)};
  }
  static Action Sign(std::string profile, std::string service) {
    return {Kind::kSign, std::move(profile), std::move(service), ""};
  }
  static Action CredentialInfo(std::string profile) { return {Kind::kCredentialInfo, std::move(profile), "", ""}; }
  static Action Export(std::string profile) { return {Kind::kExport, std::move(profile), "", ""}; }
};

struct Decision {
  bool allowed = false;
  // The rule that decided ("default policy" for the built-in one), or, for
  // a refusal no rule made, the empty string.
  std::string rule;
  // Why, for the PERMISSION_DENIED message and the audit line.
  std::string reason;
};

class Policy {
 public:
  // What applies with no [[policy.rule]] configured: uid `daemon_uid` and
  // root may use every profile and operation and sign; nobody may export
  // unless `allow_export` (compat.credential_process.allow_export) says so.
  static Policy Default(uid_t daemon_uid, bool allow_export = false);
  explicit Policy(std::vector<PolicyRule> rules) : rules_(std::move(rules)) {}

  Decision Decide(const CallerIdentity& caller, const Action& action) const;

  const std::vector<PolicyRule>& rules() const { return rules_; }

 private:
  std::vector<PolicyRule> rules_;
};

// The name the built-in rule is reported under.
inline constexpr const char* kDefaultRuleName = "default policy";

}  // namespace awsd::security
