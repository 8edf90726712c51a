#include "daemon/credentials/role_chain.h"

#include <algorithm>
#include <charconv>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace awsd::credentials {
namespace {

const std::string* Find(const config::Profile& profile, const char* key) {
  const auto it = profile.find(key);
  return it == profile.end() ? nullptr : &it->second.text;
}

std::optional<std::string> Optional(const config::Profile& profile, const char* key) {
  const std::string* value = Find(profile, key);
  return value ? std::optional<std::string>(*value) : std::nullopt;
}

bool HasStaticKeys(const config::Profile& profile) {
  return Find(profile, "aws_access_key_id") != nullptr || Find(profile, "aws_secret_access_key") != nullptr;
}

std::optional<NamedSource> ParseNamedSource(const std::string& name) {
  if (name == "Environment") return NamedSource::kEnvironment;
  if (name == "Ec2InstanceMetadata") return NamedSource::kEc2InstanceMetadata;
  if (name == "EcsContainer") return NamedSource::kEcsContainer;
  return std::nullopt;
}

RoleLink LinkFor(const std::string& name, const config::Profile& profile) {
  RoleLink link;
  link.profile = name;
  link.role_arn = *Find(profile, "role_arn");
  link.role_session_name = Optional(profile, "role_session_name");
  link.external_id = Optional(profile, "external_id");
  link.mfa_serial = Optional(profile, "mfa_serial");
  if (const std::string* duration = Find(profile, "duration_seconds")) {
    int value = 0;
    const auto [end, error] = std::from_chars(duration->data(), duration->data() + duration->size(), value);
    if (error == std::errc() && end == duration->data() + duration->size()) link.duration_seconds = value;
  }
  return link;
}

}  // namespace

bool HasAssumeRoleConfig(const config::Profile& profile) {
  return Find(profile, "role_arn") != nullptr && Find(profile, "web_identity_token_file") == nullptr;
}

absl::StatusOr<std::optional<RoleChain>> PlanRoleChain(const config::ProfileSet& profiles,
                                                       const std::string& profile_name) {
  const auto selected = profiles.profiles.find(profile_name);
  if (selected == profiles.profiles.end() || !HasAssumeRoleConfig(selected->second)) return std::nullopt;

  // Walks from the selected profile towards the source, then reverses: the
  // source's role is called first.
  std::vector<RoleLink> links;
  std::vector<std::string> visited = {profile_name};
  std::string current = profile_name;
  while (true) {
    const config::Profile& profile = profiles.profiles.at(current);
    links.push_back(LinkFor(current, profile));
    const std::string* source_profile = Find(profile, "source_profile");
    const std::string* credential_source = Find(profile, "credential_source");
    if (source_profile != nullptr && credential_source != nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("The profile \"", current, "\" contains both source_profile and credential_source."));
    }
    if (source_profile == nullptr && credential_source == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("Partial credentials found in assume-role for profile \"", current,
                       "\", missing: source_profile or credential_source"));
    }
    RoleChain chain;
    if (credential_source != nullptr) {
      const auto named = ParseNamedSource(*credential_source);
      if (!named) {
        return absl::InvalidArgumentError(absl::StrCat("The credential source \"", *credential_source,
                                                       "\" referenced in profile \"", current, "\" is not valid."));
      }
      chain.base = *named;
    } else {
      const auto source = profiles.profiles.find(*source_profile);
      if (source == profiles.profiles.end()) {
        return absl::InvalidArgumentError(absl::StrCat("The source_profile \"", *source_profile,
                                                       "\" referenced in the profile \"", current,
                                                       "\" does not exist."));
      }
      // A profile may name itself as source only to say "my own keys".
      const bool seen = std::find(visited.begin(), visited.end(), *source_profile) != visited.end();
      if (seen && (*source_profile != current || !HasStaticKeys(source->second))) {
        return absl::InvalidArgumentError(absl::StrCat(
            "Infinite loop in credential configuration detected. Attempting to load from profile ", *source_profile,
            " which has already been visited. Visited profiles: ", absl::StrJoin(visited, ", ")));
      }
      visited.push_back(*source_profile);
      if (HasStaticKeys(source->second) || !HasAssumeRoleConfig(source->second)) {
        chain.base = SourceProfile{*source_profile};
      } else {
        current = *source_profile;
        continue;
      }
    }
    std::reverse(links.begin(), links.end());
    chain.roles = std::move(links);
    return chain;
  }
}

}  // namespace awsd::credentials
