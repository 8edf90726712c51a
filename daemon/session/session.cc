#include "daemon/session/session.h"

#include <utility>

#include "absl/status/status.h"

namespace awsd::session {

Session::Session(std::string id, std::string profile, std::string region, std::string endpoint_url,
                 std::shared_ptr<credentials::CredentialsProvider> provider,
                 std::shared_ptr<const config::AwsConfig> files, config::EnvLookup environment)
    : id_(std::move(id)),
      profile_(std::move(profile)),
      region_(std::move(region)),
      endpoint_url_(std::move(endpoint_url)),
      provider_(std::move(provider)),
      files_(std::move(files)),
      environment_(environment ? std::move(environment)
                               : config::EnvLookup([](const std::string&) { return std::optional<std::string>(); })) {}

const config::Profile* Session::profile_settings() const {
  return files_ ? config::FindProfile(files_->merged, profile_) : nullptr;
}

absl::StatusOr<std::shared_ptr<const credentials::Credentials>> Session::Credentials() const {
  auto credentials = provider_->Resolve();
  if (!credentials.ok()) return credentials.status();
  if (*credentials == nullptr) return absl::FailedPreconditionError("Unable to locate credentials");
  return credentials;
}

}  // namespace awsd::session
