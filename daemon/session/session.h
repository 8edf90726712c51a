#pragma once

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
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
          std::shared_ptr<credentials::CredentialsProvider> provider);

  const std::string& id() const { return id_; }
  const std::string& profile() const { return profile_; }
  const std::string& region() const { return region_; }
  const std::string& endpoint_url() const { return endpoint_url_; }

  // The session's credentials; FAILED_PRECONDITION when no source has any.
  absl::StatusOr<std::shared_ptr<const credentials::Credentials>> Credentials() const;

 private:
  std::string id_;
  std::string profile_;
  std::string region_;
  std::string endpoint_url_;
  std::shared_ptr<credentials::CredentialsProvider> provider_;
};

}  // namespace awsd::session
