#pragma once

#include <string>
#include <vector>

#include "daemon/common/secret.h"
#include "daemon/compat/authorization.h"
#include "daemon/compat/credential_source.h"
#include "daemon/compat/http_exchange.h"
#include "daemon/compat/loopback_http_server.h"

namespace awsd::compat {

// A profile served by the container endpoint and the token that selects it.
struct ContainerProfileToken {
  std::string profile;
  Secret token;
};

// The ECS container-credentials protocol (what AWS_CONTAINER_CREDENTIALS_FULL_URI
// points at): GET on any path, the Authorization header carrying a profile's
// token (AWS_CONTAINER_AUTHORIZATION_TOKEN[_FILE] on the SDK side), answered
// with {"AccessKeyId","SecretAccessKey","Token","Expiration"}. No token is
// 401, an unknown one 403, a refusal by the authorization hook 403; error
// bodies are {"code","message"} and carry no secret.
class ContainerEndpoint {
 public:
  ContainerEndpoint(std::vector<ContainerProfileToken> tokens, CredentialSource source, AuthorizeCompatAccess authorize,
                    Clock clock);

  HttpResponse Handle(const HttpRequest& request, const ConnectionInfo& connection) const;

 private:
  // The profile whose token this is; compared in constant time against every
  // token, so timing says nothing about which came close.
  const std::string* ProfileForToken(const Secret& presented) const;

  std::vector<ContainerProfileToken> tokens_;
  CredentialSource source_;
  AuthorizeCompatAccess authorize_;
  Clock clock_;
};

}  // namespace awsd::compat
