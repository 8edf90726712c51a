#include "daemon/compat/imds_endpoint.h"

#include <openssl/rand.h>

#include <charconv>
#include <utility>

#include "daemon/compat/credentials_json.h"
#include "spdlog/spdlog.h"

namespace awsd::compat {
namespace {

constexpr std::string_view kTokenPath = "/latest/api/token";
constexpr std::string_view kRolesPath = "/latest/meta-data/iam/security-credentials/";
constexpr int kMaxTokenTtlSeconds = 21600;

// 32 random bytes, base64url without padding: about IMDS's token length.
std::optional<std::string> RandomToken() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) return std::nullopt;
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string token;
  unsigned value = 0;
  int bits = 0;
  for (unsigned char byte : bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      token += kAlphabet[(value >> bits) & 0x3f];
    }
  }
  if (bits > 0) token += kAlphabet[(value << (6 - bits)) & 0x3f];
  return token;
}

HttpResponse Text(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.content_type = "text/plain";
  response.body = std::move(body);
  return response;
}

}  // namespace

ImdsEndpoint::ImdsEndpoint(std::string profile, CredentialSource source, AuthorizeCompatAccess authorize, Clock clock)
    : profile_(std::move(profile)),
      source_(std::move(source)),
      authorize_(std::move(authorize)),
      clock_(std::move(clock)) {}

HttpResponse ImdsEndpoint::Handle(const HttpRequest& request, const ConnectionInfo& connection) {
  if (request.Header("x-forwarded-for")) return JsonError(403, "Forbidden", "forwarded requests are refused");
  if (request.path == kTokenPath) {
    if (request.method != "PUT") return JsonError(405, "MethodNotAllowed", "the token is made with PUT");
    return IssueToken(request);
  }
  if (request.method != "GET") return JsonError(405, "MethodNotAllowed", "only GET is served");
  // IMDSv1 (no token) is not served: 401 is what SDKs take as "get a token".
  if (!TokenValid(request)) return JsonError(401, "Unauthorized", "a valid X-aws-ec2-metadata-token is required");
  if (request.path == kRolesPath || request.path == kRolesPath.substr(0, kRolesPath.size() - 1)) {
    return Text(200, profile_);
  }
  if (request.path.starts_with(kRolesPath) && request.path.substr(kRolesPath.size()) == profile_) {
    return Credentials(connection);
  }
  return JsonError(404, "NotFound", "not served by awsd's IMDS endpoint");
}

HttpResponse ImdsEndpoint::IssueToken(const HttpRequest& request) {
  const std::string* ttl_text = request.Header("x-aws-ec2-metadata-token-ttl-seconds");
  int ttl = 0;
  if (ttl_text == nullptr ||
      std::from_chars(ttl_text->data(), ttl_text->data() + ttl_text->size(), ttl).ptr !=
          ttl_text->data() + ttl_text->size() ||
      ttl < 1 || ttl > kMaxTokenTtlSeconds) {
    return JsonError(400, "BadRequest", "X-aws-ec2-metadata-token-ttl-seconds must be 1..21600");
  }
  auto token = RandomToken();
  if (!token) return JsonError(500, "InternalError", "no random bytes for a token");
  const auto now = clock_();
  {
    std::lock_guard lock(mutex_);
    std::erase_if(tokens_, [&](const auto& entry) { return entry.second <= now; });
    while (tokens_.size() >= kMaxTokens) {
      auto oldest = tokens_.begin();
      for (auto it = tokens_.begin(); it != tokens_.end(); ++it) {
        if (it->second < oldest->second) oldest = it;
      }
      tokens_.erase(oldest);
    }
    tokens_.emplace(*token, now + std::chrono::seconds(ttl));
  }
  HttpResponse response = Text(200, std::move(*token));
  response.headers.emplace_back("X-aws-ec2-metadata-token-ttl-seconds", std::to_string(ttl));
  return response;
}

bool ImdsEndpoint::TokenValid(const HttpRequest& request) {
  const std::string* token = request.Header("x-aws-ec2-metadata-token");
  if (token == nullptr) return false;
  std::lock_guard lock(mutex_);
  auto it = tokens_.find(*token);
  if (it == tokens_.end()) return false;
  if (it->second <= clock_()) {
    tokens_.erase(it);
    return false;
  }
  return true;
}

HttpResponse ImdsEndpoint::Credentials(const ConnectionInfo& connection) {
  const CompatDecision decision = authorize_({"imds", profile_, connection.peer_uid});
  if (!decision.allowed) {
    spdlog::warn("compat.imds: refused profile '{}' to uid {}: {}", profile_,
                 connection.peer_uid ? std::to_string(*connection.peer_uid) : "unknown", decision.reason);
    return JsonError(403, "AccessDenied", decision.reason);
  }
  auto credentials = source_(profile_);
  if (!credentials.ok()) {
    return JsonError(503, "CredentialsUnavailable",
                     "profile '" + profile_ + "': " + std::string(credentials.status().message()));
  }
  spdlog::info("compat.imds: credentials of profile '{}' ({}) to uid {}", profile_,
               credentials::MaskAccessKeyId((*credentials)->access_key_id),
               connection.peer_uid ? std::to_string(*connection.peer_uid) : "unknown");
  HttpResponse response;
  response.body = ImdsCredentialsJson(**credentials, clock_());
  return response;
}

}  // namespace awsd::compat
