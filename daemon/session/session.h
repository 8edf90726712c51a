#pragma once

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "daemon/config/aws_config.h"
#include "daemon/config/file_locations.h"
#include "daemon/credentials/credentials.h"
#include "daemon/credentials/credentials_provider.h"

namespace awsd::session {

// What a client asks a session to be (awsd.v1.SessionSpec without protobuf).
struct SessionOptions {
  std::string profile;
  std::string region;
  std::string endpoint_url;
  // Set for an explicit-credentials session.
  std::optional<credentials::Credentials> explicit_credentials;
  std::string mfa_code;
};

// A profile, a region and the credentials resolved for them, shared by every
// call that names the session. Immutable once made; thread-safe.
class Session {
 public:
  Session(std::string id, std::string profile, std::string region, std::string endpoint_url,
          std::shared_ptr<credentials::CredentialsProvider> provider,
          std::shared_ptr<const config::AwsConfig> files = nullptr, config::EnvLookup environment = nullptr);

  const std::string& id() const { return id_; }
  const std::string& profile() const { return profile_; }
  const std::string& region() const { return region_; }
  const std::string& endpoint_url() const { return endpoint_url_; }
  // The AWS config files as they were when the session was made (null when
  // there were none), and the environment settings are read from: a
  // client's settings (retry_mode, ca_bundle, s3 ...) come from these.
  const config::AwsConfig* files() const { return files_.get(); }
  const config::EnvLookup& environment() const { return environment_; }
  // The session's profile in those files, or nullptr.
  const config::Profile* profile_settings() const;

  // The session's credentials; FAILED_PRECONDITION when no source has any.
  absl::StatusOr<std::shared_ptr<const credentials::Credentials>> Credentials() const;

 private:
  std::string id_;
  std::string profile_;
  std::string region_;
  std::string endpoint_url_;
  std::shared_ptr<credentials::CredentialsProvider> provider_;
  std::shared_ptr<const config::AwsConfig> files_;
  config::EnvLookup environment_;
};

}  // namespace awsd::session
