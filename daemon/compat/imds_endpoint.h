#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>

#include "daemon/compat/authorization.h"
#include "daemon/compat/credential_source.h"
#include "daemon/compat/http_exchange.h"
#include "daemon/compat/loopback_http_server.h"

namespace awsd::compat {

// The part of the EC2 instance metadata service that SDKs use for
// credentials, IMDSv2 only:
//   PUT /latest/api/token (X-aws-ec2-metadata-token-ttl-seconds: 1..21600)
//     -> a random session token valid that long;
//   GET /latest/meta-data/iam/security-credentials/ -> the one role name
//     (the configured profile);
//   GET /latest/meta-data/iam/security-credentials/<profile> -> the IMDS
//     credentials document.
// A GET without a valid X-aws-ec2-metadata-token is 401, as IMDS with
// HttpTokens=required answers; a request carrying X-Forwarded-For is 403, as
// IMDS refuses proxied token requests. The server sets IP_TTL 1.
class ImdsEndpoint {
 public:
  // At most this many live tokens; the oldest goes first beyond it.
  static constexpr std::size_t kMaxTokens = 4096;

  ImdsEndpoint(std::string profile, CredentialSource source, AuthorizeCompatAccess authorize, Clock clock);

  HttpResponse Handle(const HttpRequest& request, const ConnectionInfo& connection);

 private:
  HttpResponse IssueToken(const HttpRequest& request);
  bool TokenValid(const HttpRequest& request);
  HttpResponse Credentials(const ConnectionInfo& connection);

  std::string profile_;
  CredentialSource source_;
  AuthorizeCompatAccess authorize_;
  Clock clock_;
  std::mutex mutex_;
  // Token -> expiry. Tokens are random and only ever compared by lookup; a
  // token is worth nothing without the credentials it guards, which never
  // leave this endpoint but to its holder.
  std::map<std::string, std::chrono::system_clock::time_point> tokens_;
};

}  // namespace awsd::compat
