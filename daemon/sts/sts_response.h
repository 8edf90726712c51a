#pragma once

// Reading STS's query-protocol XML answers: the credentials of a successful
// AssumeRole / AssumeRoleWithWebIdentity, and the code and message of an
// error.

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "daemon/credentials/credentials.h"

namespace awsd::sts {

// <ErrorResponse><Error><Code/><Message/></Error><RequestId/></ErrorResponse>,
// or the <Response><Errors><Error> form botocore's QueryParser also takes.
struct StsError {
  std::string code;
  std::string message;
  std::string request_id;
};

// The error in `body`, or nullopt when `body` is not an STS error document
// (an HTML page from a proxy, an empty 503).
std::optional<StsError> ParseStsError(std::string_view body);

// The credentials in <`action`Response><`action`Result>: AccessKeyId,
// SecretAccessKey, SessionToken, Expiration (ISO 8601), and the account id
// from AssumedRoleUser/Arn's fifth field (empty when that is not an ARN, as
// botocore leaves AccountId unset). `source` is left empty.
//
// `body` is parsed in place and wiped before returning, success or not, so
// the secret key and token do not linger in it. An error is Internal and says
// which element is missing or malformed, never what the body holds.
absl::StatusOr<credentials::Credentials> ParseCredentialsResult(std::string& body, std::string_view action);

// The account of an ARN ("arn:aws:sts::123456789012:assumed-role/r/s" gives
// "123456789012"), or "" when `arn` is not an ARN (botocore's ArnParser).
std::string AccountIdFromArn(std::string_view arn);

}  // namespace awsd::sts
