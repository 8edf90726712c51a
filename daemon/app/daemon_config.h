// awsd's own configuration file (`awsd --config FILE`), in TOML.
//
// This is the daemon's settings file, not the AWS shared config/credentials
// files. Every key is optional; config/awsd.example.toml documents each one
// with its default. Parsing is strict: an unknown table or key, a value of
// the wrong type, or a value out of range is an error, because a typo that
// silently falls back to a default (say, a world-writable socket mode) is
// worse than a daemon that refuses to start.
//
// Errors are absl::InvalidArgumentError with one line per problem, in
// document order, each of the form
//
//   <origin>:<line>: <table>.<key>: <what is wrong>
//
// e.g. "awsd.toml:7: limits.max_concurrent_calls: must be between 1 and
// 1000000, got 0". A TOML syntax error stops parsing at once and reads
// "<origin>:<line>:<column>: <description>".

#ifndef AWSD_DAEMON_APP_DAEMON_CONFIG_H_
#define AWSD_DAEMON_APP_DAEMON_CONFIG_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "daemon/security/security_config.h"

namespace awsd::app {

enum class LogFormat { kText, kJson };

// The parsed settings. A default-constructed DaemonConfig is what an empty
// file gives.
struct DaemonConfig {
  // [server]
  // socket = "/run/awsd/awsd.sock": absolute path of the gRPC Unix socket.
  // Unset leaves the choice to later fallbacks (environment,
  // $XDG_RUNTIME_DIR, /run/awsd).
  std::optional<std::string> socket_path;
  // socket_mode = "0600" (octal string, or a TOML octal integer 0o600):
  // permission bits of the socket file, at most 0777.
  uint32_t socket_mode = 0600;
  // socket_group = "awsd": name of the group that owns the socket. Resolved
  // by the server, not here, so the file parses on any host.
  std::optional<std::string> socket_group;
  // directory_mode = "0700": mode of the socket's parent directory when awsd
  // creates it. Must grant the owner write and search (0300), or awsd could
  // not create its own socket there.
  uint32_t directory_mode = 0700;
  // drain_timeout_ms = 10000: how long SIGTERM waits for in-flight calls,
  // 0 .. 3,600,000 (0 cancels them at once).
  std::chrono::milliseconds drain_timeout{10000};

  // [logging]
  // level = "info": one of trace, debug, info, warn, error.
  std::string log_level = "info";
  // format = "text" | "json".
  LogFormat log_format = LogFormat::kText;
  // file = "/var/log/awsd.log": absolute path; unset logs to stderr.
  std::optional<std::string> log_file;

  // [models]
  // dirs = ["/extra/models"]: extra botocore data folders (absolute paths),
  // searched in this order before the installed ones, so they win.
  std::vector<std::string> model_dirs;

  // [limits]
  // max_message_bytes = 4194304: max gRPC receive/send message size,
  // 1 KiB .. 1 GiB.
  uint32_t max_message_bytes = 4 * 1024 * 1024;
  // max_concurrent_calls = 1024: calls in flight at once, 1 .. 1,000,000.
  uint32_t max_concurrent_calls = 1024;

  // [http]: calls to AWS services (botocore's Config defaults).
  // connect_timeout_ms = 60000, read_timeout_ms = 60000 (longest wait for
  // the next byte), both 1 .. 3,600,000.
  std::chrono::milliseconds http_connect_timeout{60000};
  std::chrono::milliseconds http_read_timeout{60000};
  // total_timeout_ms = 0: cap on each attempt's whole exchange, 0 (none) ..
  // 3,600,000; the read timeout still ends a stalled one.
  std::chrono::milliseconds http_total_timeout{0};
  // max_connections_per_host = 32: open connections kept per host, 1 .. 1024.
  uint32_t http_max_connections_per_host = 32;

  // [secrets]
  // core_dumps = false: true leaves core dumps and ptrace by the same uid
  // possible (PR_SET_DUMPABLE, RLIMIT_CORE untouched), for debugging only.
  bool secrets_core_dumps = false;
  // lock_memory = true: pin secrets in RAM (mlock, best effort).
  bool secrets_lock_memory = true;

  // [compat.container]: the ECS container-credentials endpoint, off unless
  // a port is set. port = 1..65535 on 127.0.0.1; one [[compat.container.profile]]
  // (name, token_file: absolute path) per profile served.
  struct CompatContainerProfile {
    std::string name;
    std::string token_file;
    bool operator==(const CompatContainerProfile&) const = default;
  };
  std::optional<uint16_t> compat_container_port;
  std::vector<CompatContainerProfile> compat_container_profiles;
  // [compat.imds]: the IMDSv2 endpoint, off unless a port is set.
  // port = 1..65535 on 127.0.0.1; profile = "default": the one role served.
  std::optional<uint16_t> compat_imds_port;
  std::string compat_imds_profile = "default";
  // [compat.credential_process]
  // allow_export = false: let the daemon's own uid (and root) export
  // credentials (`awsctl credential-process`) until a policy decides.
  bool compat_allow_export = false;

  // [metrics]: Prometheus text exposition at GET /metrics, off unless one
  // of these is set (not both). socket = "/run/awsd/metrics.sock": absolute
  // path of a Unix socket (0600); port = 1..65535 on 127.0.0.1.
  std::optional<std::string> metrics_socket;
  std::optional<uint16_t> metrics_port;

  // [[policy.rule]], [audit], [caller_limits]: who may do what, the audit
  // log, per-caller limits (daemon/security/security_config.h).
  security::SecurityConfig security;

  bool operator==(const DaemonConfig&) const = default;
};

// Parses TOML text. `origin` names the file in error messages (it is not
// opened). Returns InvalidArgumentError listing every problem found.
absl::StatusOr<DaemonConfig> ParseDaemonConfig(std::string_view text,
                                               std::string_view origin);

// Reads `path` and parses it with `path` as the origin. A file that is
// missing, unreadable, a directory or larger than 1 MiB is an error naming
// it (NotFound, PermissionDenied, ... after errno; InvalidArgument for the
// rest).
absl::StatusOr<DaemonConfig> LoadDaemonConfig(const std::string& path);

}  // namespace awsd::app

#endif  // AWSD_DAEMON_APP_DAEMON_CONFIG_H_
