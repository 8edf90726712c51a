#pragma once

// Which roles an assume-role profile goes through, and where the first
// credentials come from: botocore's AssumeRoleProvider walk over
// `source_profile` / `credential_source`, as a plan that says what to build
// before anything reaches the network.

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "daemon/config/profile_file_parser.h"

namespace awsd::credentials {

// credential_source values botocore accepts.
enum class NamedSource { kEnvironment, kEc2InstanceMetadata, kEcsContainer };

// The first credentials come from this profile's own providers (web identity,
// SSO, its keys in either file, credential_process) with the environment's
// keys ignored; none of them having credentials is an error.
struct SourceProfile {
  std::string profile;
};

// One AssumeRole call, with the profile keys that shape it.
struct RoleLink {
  std::string profile;
  std::string role_arn;
  std::optional<std::string> role_session_name;
  std::optional<std::string> external_id;
  // Unset when absent or not an integer (botocore ignores it then).
  std::optional<int> duration_seconds;
  std::optional<std::string> mfa_serial;
};

struct RoleChain {
  std::variant<SourceProfile, NamedSource> base;
  // In call order: the selected profile's own role last.
  std::vector<RoleLink> roles;
};

// True when botocore's AssumeRoleProvider takes the profile: role_arn without
// web_identity_token_file (that pair is web identity's).
bool HasAssumeRoleConfig(const config::Profile& profile);

// The chain for `profile_name` in the merged profiles, nullopt when the
// profile is not an assume-role profile. Errors are botocore's configuration
// errors (InvalidArgument): both or neither of source_profile and
// credential_source, an unknown credential_source, a missing source profile,
// a loop of profiles.
absl::StatusOr<std::optional<RoleChain>> PlanRoleChain(const config::ProfileSet& profiles,
                                                       const std::string& profile_name);

}  // namespace awsd::credentials
