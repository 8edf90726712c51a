#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "daemon/common/secret.h"

namespace awsd::credentials {

// A resolved set of AWS credentials. The access key id is not secret; the
// secret access key and session token are held as Secret and must never be
// logged, put in an error message or returned to a client except by an
// authorised export.
struct Credentials {
  std::string access_key_id;
  Secret secret_access_key;
  // Empty for long-term keys.
  Secret session_token;
  // Unset for credentials that do not expire.
  std::optional<std::chrono::system_clock::time_point> expiration;
  // The account the credentials belong to, when the source says
  // (AWS_ACCOUNT_ID, aws_account_id, an STS or SSO answer); empty otherwise.
  std::string account_id;
  // The provider that produced them, named as botocore names its methods
  // ("env", "assume-role", "explicit", ...).
  std::string source;
};

// "AKIA************MPLE": enough to tell keys apart in a log, not to use one.
std::string MaskAccessKeyId(std::string_view access_key_id);

}  // namespace awsd::credentials
