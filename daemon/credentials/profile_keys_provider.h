#pragma once

#include <optional>
#include <string>

#include "daemon/config/profile_file_parser.h"
#include "daemon/credentials/credentials_provider.h"

namespace awsd::credentials {

// Static keys written in a profile: aws_access_key_id, aws_secret_access_key
// and aws_security_token / aws_session_token. botocore has two providers of
// this shape, one per file, and so does awsd: "shared-credentials-file" over
// the credentials file's profile and "config-file" over the config file's.
// A key id without its secret is an error naming the file (never the value),
// as botocore's PartialCredentialsError.
class ProfileKeysProvider : public CredentialsProvider {
 public:
  // `profile` is the profile's section in that one file, or nullopt when the
  // file has no such profile. `source` is the botocore method name.
  ProfileKeysProvider(std::optional<config::Profile> profile, std::string source, std::string file);
  absl::StatusOr<std::shared_ptr<const Credentials>> Resolve() override;

 private:
  std::optional<config::Profile> profile_;
  std::string source_;
  std::string file_;
};

}  // namespace awsd::credentials
