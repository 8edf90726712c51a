#include "daemon/compat/compat_endpoints.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <set>
#include <utility>

#include "absl/status/status.h"
#include "spdlog/spdlog.h"

namespace awsd::compat {

absl::StatusOr<Secret> ReadTokenFile(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return absl::FailedPreconditionError("token file " + path + ": " + std::strerror(errno));
  std::string text;
  char buffer[512];
  ssize_t n = 0;
  while ((n = read(fd, buffer, sizeof(buffer))) > 0 && text.size() <= 4096) {
    text.append(buffer, static_cast<std::size_t>(n));
  }
  close(fd);
  OPENSSL_cleanse(buffer, sizeof(buffer));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ' || text.back() == '\t')) {
    text.pop_back();
  }
  if (text.size() > 4096) {
    WipeString(text);
    return absl::FailedPreconditionError("token file " + path + ": longer than 4096 bytes");
  }
  if (text.size() < kMinTokenBytes || text.find_first_of("\r\n") != std::string::npos) {
    WipeString(text);
    return absl::FailedPreconditionError("token file " + path + ": the token must be one line of at least " +
                                         std::to_string(kMinTokenBytes) + " characters");
  }
  Secret token(text);
  WipeString(text);
  return token;
}

absl::StatusOr<std::unique_ptr<CompatEndpoints>> CompatEndpoints::Start(const CompatOptions& options,
                                                                        CredentialSource source,
                                                                        AuthorizeCompatAccess authorize, Clock clock) {
  auto endpoints = std::make_unique<CompatEndpoints>();
  if (options.container_port) {
    std::vector<ContainerProfileToken> tokens;
    std::set<std::string> seen;
    for (const ContainerProfileConfig& profile : options.container_profiles) {
      if (!seen.insert(profile.profile).second) {
        return absl::InvalidArgumentError("compat.container: profile '" + profile.profile + "' is listed twice");
      }
      auto token = ReadTokenFile(profile.token_file);
      if (!token.ok()) return token.status();
      for (const ContainerProfileToken& other : tokens) {
        if (other.token == *token) {
          return absl::InvalidArgumentError("compat.container: profiles '" + other.profile + "' and '" +
                                            profile.profile + "' have the same token");
        }
      }
      tokens.push_back({profile.profile, *std::move(token)});
    }
    if (tokens.empty())
      return absl::InvalidArgumentError("compat.container: a port but no [[compat.container.profile]]");
    endpoints->container_ = std::make_shared<ContainerEndpoint>(std::move(tokens), source, authorize, clock);
    auto server = LoopbackHttpServer::Start(
        {*options.container_port, "container", false, std::chrono::seconds(2)},
        [endpoint = endpoints->container_](const HttpRequest& request, const ConnectionInfo& connection) {
          return endpoint->Handle(request, connection);
        });
    if (!server.ok()) return server.status();
    endpoints->container_server_ = *std::move(server);
    spdlog::info("compat.container: serving {} profile(s) on http://127.0.0.1:{}/", options.container_profiles.size(),
                 endpoints->container_server_->port());
  }
  if (options.imds_port) {
    endpoints->imds_ = std::make_shared<ImdsEndpoint>(options.imds_profile, source, authorize, clock);
    auto server = LoopbackHttpServer::Start(
        {*options.imds_port, "imds", true, std::chrono::seconds(2)},
        [endpoint = endpoints->imds_](const HttpRequest& request, const ConnectionInfo& connection) {
          return endpoint->Handle(request, connection);
        });
    if (!server.ok()) return server.status();
    endpoints->imds_server_ = *std::move(server);
    spdlog::info("compat.imds: serving profile '{}' on http://127.0.0.1:{}", options.imds_profile,
                 endpoints->imds_server_->port());
  }
  return endpoints;
}

void CompatEndpoints::Stop() {
  if (container_server_) container_server_->Stop();
  if (imds_server_) imds_server_->Stop();
}

}  // namespace awsd::compat
