#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "daemon/compat/authorization.h"
#include "daemon/compat/container_endpoint.h"
#include "daemon/compat/credential_source.h"
#include "daemon/compat/imds_endpoint.h"
#include "daemon/compat/loopback_http_server.h"

namespace awsd::compat {

struct ContainerProfileConfig {
  std::string profile;
  // Absolute path of the file holding the profile's token.
  std::string token_file;
};

// The endpoints to run; an unset port leaves that endpoint off.
struct CompatOptions {
  std::optional<uint16_t> container_port;
  std::vector<ContainerProfileConfig> container_profiles;
  std::optional<uint16_t> imds_port;
  std::string imds_profile = "default";
};

// Tokens shorter than this are refused at start: a token is all that stands
// between any local process and a profile's credentials.
inline constexpr std::size_t kMinTokenBytes = 16;

// Reads a token file: its text less trailing whitespace (an editor's newline).
// Errors name the file, never its content.
absl::StatusOr<Secret> ReadTokenFile(const std::string& path);

// The running endpoints; stopping (or destroying) this stops them.
class CompatEndpoints {
 public:
  // Starts what `options` configures. An error (unreadable or short token
  // file, a port in use, a profile twice) starts nothing.
  static absl::StatusOr<std::unique_ptr<CompatEndpoints>> Start(const CompatOptions& options, CredentialSource source,
                                                                AuthorizeCompatAccess authorize, Clock clock);
  void Stop();

  // 0 when that endpoint is off.
  uint16_t container_port() const { return container_server_ ? container_server_->port() : 0; }
  uint16_t imds_port() const { return imds_server_ ? imds_server_->port() : 0; }

 private:
  std::shared_ptr<ContainerEndpoint> container_;
  std::shared_ptr<ImdsEndpoint> imds_;
  std::unique_ptr<LoopbackHttpServer> container_server_;
  std::unique_ptr<LoopbackHttpServer> imds_server_;
};

}  // namespace awsd::compat
