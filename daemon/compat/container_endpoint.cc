#include "daemon/compat/container_endpoint.h"

#include <utility>

#include "daemon/compat/credentials_json.h"
#include "spdlog/spdlog.h"

namespace awsd::compat {

ContainerEndpoint::ContainerEndpoint(std::vector<ContainerProfileToken> tokens, CredentialSource source,
                                     AuthorizeCompatAccess authorize, Clock clock)
    : tokens_(std::move(tokens)),
      source_(std::move(source)),
      authorize_(std::move(authorize)),
      clock_(std::move(clock)) {}

const std::string* ContainerEndpoint::ProfileForToken(const Secret& presented) const {
  const std::string* found = nullptr;
  for (const ContainerProfileToken& entry : tokens_) {
    if (entry.token == presented && found == nullptr) found = &entry.profile;
  }
  return found;
}

HttpResponse ContainerEndpoint::Handle(const HttpRequest& request, const ConnectionInfo& connection) const {
  if (request.method != "GET") return JsonError(405, "MethodNotAllowed", "only GET is served");
  // A proxied request did not come from a process of this host.
  if (request.Header("x-forwarded-for")) return JsonError(403, "Forbidden", "forwarded requests are refused");
  const std::string* header = request.Header("authorization");
  if (header == nullptr || header->empty()) {
    return JsonError(401, "MissingToken", "the Authorization header with a profile's token is required");
  }
  const Secret presented(*header);
  const std::string* profile = ProfileForToken(presented);
  if (profile == nullptr) {
    spdlog::warn("compat.container: refused a request with an unknown token (uid {})",
                 connection.peer_uid ? std::to_string(*connection.peer_uid) : "unknown");
    return JsonError(403, "InvalidToken", "the token matches no configured profile");
  }
  const CompatDecision decision = authorize_({"container", *profile, connection.peer_uid});
  if (!decision.allowed) {
    spdlog::warn("compat.container: refused profile '{}' to uid {}: {}", *profile,
                 connection.peer_uid ? std::to_string(*connection.peer_uid) : "unknown", decision.reason);
    return JsonError(403, "AccessDenied", decision.reason);
  }
  auto credentials = source_(*profile);
  if (!credentials.ok()) {
    return JsonError(503, "CredentialsUnavailable",
                     "profile '" + *profile + "': " + std::string(credentials.status().message()));
  }
  spdlog::info("compat.container: credentials of profile '{}' ({}) to uid {}", *profile,
               credentials::MaskAccessKeyId((*credentials)->access_key_id),
               connection.peer_uid ? std::to_string(*connection.peer_uid) : "unknown");
  HttpResponse response;
  response.body = ContainerCredentialsJson(**credentials, clock_());
  return response;
}

}  // namespace awsd::compat
