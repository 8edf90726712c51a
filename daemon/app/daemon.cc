#include "daemon/app/daemon.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "awsd/socket_path.h"
#include "daemon/app/daemon_config.h"
#include "daemon/app/logging.h"
#include "daemon/app/security_setup.h"
#include "daemon/app/systemd_notifier.h"
#include "daemon/common/locked_pages.h"
#include "daemon/compat/compat_endpoints.h"
#include "daemon/http/async_http_client.h"
#include "daemon/invoke/invoker.h"
#include "daemon/metrics/metrics_server.h"
#include "daemon/metrics/registry.h"
#include "daemon/model/model_registry.h"
#include "daemon/security/policy.h"
#include "daemon/server/connection_acceptor.h"
#include "daemon/server/grpc_server.h"
#include "daemon/server/unix_listener.h"
#include "spdlog/spdlog.h"

namespace awsd::app {
namespace {

absl::StatusOr<DaemonConfig> LoadConfig(const CommandLine& command_line) {
  DaemonConfig config;
  if (command_line.config_file) {
    auto loaded = LoadDaemonConfig(*command_line.config_file);
    if (!loaded.ok()) return loaded.status();
    config = *std::move(loaded);
  }
  // The command line wins over the file.
  if (command_line.socket_path) config.socket_path = command_line.socket_path;
  if (command_line.log_level) config.log_level = *command_line.log_level;
  if (command_line.log_format)
    config.log_format = *command_line.log_format == "json" ? LogFormat::kJson : LogFormat::kText;
  if (command_line.models_dir) config.model_dirs.insert(config.model_dirs.begin(), *command_line.models_dir);
  return config;
}

LoggingOptions ToLoggingOptions(const DaemonConfig& config) {
  return {config.log_level, config.log_format == LogFormat::kJson, config.log_file};
}

// Secrets live in this process's memory: keep them out of core dumps and
// out of reach of same-uid debuggers, unless `secrets.core_dumps` asks
// otherwise for a debugging session.
void HardenProcess(const DaemonConfig& config) {
  SetPageLockingEnabled(config.secrets_lock_memory);
  if (config.secrets_core_dumps) {
    spdlog::warn("secrets.core_dumps = true: core dumps and same-uid ptrace are possible; for debugging only");
    return;
  }
  rlimit no_core{0, 0};
  setrlimit(RLIMIT_CORE, &no_core);
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

absl::StatusOr<server::UnixListener> OpenListener(const DaemonConfig& config) {
  auto activated = server::UnixListener::FromSystemd();
  if (!activated.ok()) return activated.status();
  if (activated->has_value()) return std::move(**activated);
  server::SocketOptions options;
  options.path = ResolveSocketPath(config.socket_path.value_or(""));
  options.socket_mode = config.socket_mode;
  options.group = config.socket_group;
  options.directory_mode = config.directory_mode;
  return server::UnixListener::Bind(options);
}

constexpr std::chrono::seconds kAwsConfigPollInterval{2};

// mlock is best effort (RLIMIT_MEMLOCK, no CAP_IPC_LOCK): say so once, when
// it first happens, so an operator can raise the limit.
void WarnOnceIfSecretsUnlocked() {
  static bool warned = false;
  if (warned) return;
  if (const PageLockStats stats = GetPageLockStats(); stats.refusals > 0) {
    warned = true;
    spdlog::warn("secrets: mlock refused {} time(s) ({}): some secrets may reach swap; raise LimitMEMLOCK",
                 stats.refusals, std::strerror(stats.last_errno));
  }
}

// SIGHUP: what can change while serving changes; what cannot is named.
void Reload(const CommandLine& command_line, DaemonConfig& current, server::CallLimiter& limiter,
            session::SessionRegistry& sessions) {
  if (auto st = sessions.ReloadAwsConfig(); !st.ok()) {
    spdlog::error("reload: AWS config files unchanged: {}", std::string(st.message()));
  } else {
    spdlog::info("reloaded the AWS config files");
  }
  auto reloaded = LoadConfig(command_line);
  if (!reloaded.ok()) {
    spdlog::error("reload refused, keeping the running configuration: {}", std::string(reloaded.status().message()));
    return;
  }
  if (reloaded->socket_path != current.socket_path || reloaded->socket_mode != current.socket_mode ||
      reloaded->socket_group != current.socket_group || reloaded->max_message_bytes != current.max_message_bytes) {
    spdlog::warn("reload: socket and message-size settings take effect at the next restart");
  }
  // The compat endpoints hold their ports and tokens from the start.
  if (reloaded->compat_container_port != current.compat_container_port ||
      reloaded->compat_container_profiles != current.compat_container_profiles ||
      reloaded->compat_imds_port != current.compat_imds_port ||
      reloaded->compat_imds_profile != current.compat_imds_profile ||
      reloaded->compat_allow_export != current.compat_allow_export ||
      reloaded->secrets_core_dumps != current.secrets_core_dumps) {
    spdlog::warn("reload: [compat.*] and secrets.core_dumps take effect at the next restart");
  }
  if (reloaded->metrics_socket != current.metrics_socket || reloaded->metrics_port != current.metrics_port) {
    spdlog::warn("reload: [metrics] takes effect at the next restart");
  }
  // Said before the logger changes, so the line survives a stricter level.
  spdlog::info("reloaded configuration (log level {})", reloaded->log_level);
  if (auto st = ConfigureLogging(ToLoggingOptions(*reloaded)); !st.ok()) {
    spdlog::error("reload: logging unchanged: {}", std::string(st.message()));
  }
  limiter.set_max_calls(reloaded->max_concurrent_calls);
  SetPageLockingEnabled(reloaded->secrets_lock_memory);
  current = *std::move(reloaded);
}

}  // namespace

int RunDaemon(const CommandLine& command_line) {
  // Block the signals we wait for before any thread starts, so they all
  // reach sigtimedwait below and no gRPC thread is interrupted by them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  auto config = LoadConfig(command_line);
  if (!config.ok()) {
    std::fprintf(stderr, "awsd: %s\n", std::string(config.status().message()).c_str());
    return 1;
  }
  if (auto st = ConfigureLogging(ToLoggingOptions(*config)); !st.ok()) {
    std::fprintf(stderr, "awsd: %s\n", std::string(st.message()).c_str());
    return 1;
  }
  HardenProcess(*config);

  auto listener = OpenListener(*config);
  if (!listener.ok()) {
    spdlog::error("cannot start: {}", std::string(listener.status().message()));
    ShutdownLogging();
    return 1;
  }

  session::SessionRegistry sessions;
  if (auto st = sessions.aws_config_status(); !st.ok()) {
    // Serve anyway: explicit-credentials sessions work, and a SIGHUP after
    // the file is mended brings the rest back.
    spdlog::error("AWS config files: {}", std::string(st.message()));
  }
  // Service models load on first use; at start only their folders are
  // found, so that a machine without them says so at once.
  const model::ModelRegistry models(
      model::ModelFiles(model::ModelSearchPath({config->model_dirs}, config::ProcessEnvironment())));
  if (const std::size_t count = models.AvailableServices().size(); count > 0) {
    spdlog::info("service models: {} services in [{}]", count, absl::StrJoin(models.files().search_path(), ", "));
  } else {
    spdlog::warn("no service models found in [{}]: set --models-dir or AWSD_MODELS_DIR to botocore's data folder",
                 absl::StrJoin(models.files().search_path(), ", "));
  }
  signing::Signer signer;
  server::CallLimiter limiter(config->max_concurrent_calls);
  server::PeerTable peers;
  // One worker per core beside the gRPC thread that hands it work.
  WorkerPool workers(std::max(1u, std::thread::hardware_concurrency()) - 1);
  // AWS calls: one transport thread for every call in flight.
  http::AsyncHttpClientOptions transport_options;
  transport_options.max_connections_per_host = config->http_max_connections_per_host;
  auto transport = http::AsyncHttpClient::Create(transport_options);
  std::unique_ptr<invoke::Invoker> invoker;
  if (!models.AvailableServices().empty()) {
    invoke::Invoker::Parts parts{models, signer, transport, nullptr};
    parts.connect_timeout = config->http_connect_timeout;
    parts.read_timeout = config->http_read_timeout;
    parts.total_timeout = config->http_total_timeout;
    invoker = std::make_unique<invoke::Invoker>(std::move(parts));
  }
  server::ServiceContext context{sessions, signer, limiter, peers, workers, listener->path()};
  context.invoker = invoker.get();
  // Every call passes the gate: policy (exports included; with no rules,
  // compat.credential_process.allow_export), per-caller limits, audit.
  auto security = SecuritySetup::Create(*config, peers);
  if (!security.ok()) {
    spdlog::error("cannot start: {}", std::string(security.status().message()));
    ShutdownLogging();
    return 1;
  }
  context.gate = &(*security)->gate();
  auto grpc_server = server::GrpcServer::Start(context, peers, {static_cast<int>(config->max_message_bytes)});
  if (!grpc_server.ok()) {
    spdlog::error("cannot start: {}", std::string(grpc_server.status().message()));
    ShutdownLogging();
    return 1;
  }
  server::ConnectionAcceptor acceptor(*listener, (*grpc_server)->server(), peers);
  acceptor.Start();

  // The compatibility endpoints (off unless configured): handing out a
  // profile's credentials is an export, decided by the same policy for the
  // uid that owns the caller's TCP socket.
  compat::CompatOptions compat_options;
  compat_options.container_port = config->compat_container_port;
  for (const auto& profile : config->compat_container_profiles) {
    compat_options.container_profiles.push_back({profile.name, profile.token_file});
  }
  compat_options.imds_port = config->compat_imds_port;
  compat_options.imds_profile = config->compat_imds_profile;
  auto compat_endpoints = compat::CompatEndpoints::Start(
      compat_options,
      [&sessions](const std::string& profile) -> absl::StatusOr<std::shared_ptr<const credentials::Credentials>> {
        session::SessionOptions options;
        options.profile = profile;
        auto session = sessions.ForOptions(options);
        if (!session.ok()) return session.status();
        return (*session)->Credentials();
      },
      [gate = &(*security)->gate()](const compat::CompatAccess& access) -> compat::CompatDecision {
        if (!access.caller_uid) return {false, "the caller's uid could not be determined"};
        security::CallerIdentity caller;
        caller.uid = *access.caller_uid;
        const security::Decision decision = gate->policy()->Decide(caller, security::Action::Export(access.profile));
        return {decision.allowed, decision.reason};
      },
      [] { return std::chrono::system_clock::now(); });
  if (!compat_endpoints.ok()) {
    spdlog::error("cannot start: {}", std::string(compat_endpoints.status().message()));
    acceptor.Stop();
    (*grpc_server)->Shutdown(std::chrono::milliseconds(0));
    transport->Shutdown();
    ShutdownLogging();
    return 1;
  }

  // Metrics (off unless configured): the scrape endpoint renders the
  // registry every module updates.
  std::unique_ptr<metrics::MetricsServer> metrics_server;
  if (config->metrics_socket || config->metrics_port) {
    metrics::MetricsServerOptions metrics_options;
    metrics_options.socket_path = config->metrics_socket;
    metrics_options.port = config->metrics_port;
    auto started = metrics::MetricsServer::Start(std::move(metrics_options), [] { return metrics::Global().Render(); });
    if (!started.ok()) {
      spdlog::error("cannot start: {}", std::string(started.status().message()));
      (*compat_endpoints)->Stop();
      acceptor.Stop();
      (*grpc_server)->Shutdown(std::chrono::milliseconds(0));
      transport->Shutdown();
      ShutdownLogging();
      return 1;
    }
    metrics_server = *std::move(started);
    spdlog::info("metrics: GET /metrics on {}", metrics_server->address());
  }

  SystemdNotifier systemd;
  std::string where =
      listener->socket_activated() ? absl::StrCat("socket-activated ", listener->path()) : listener->path();
  spdlog::info("awsd serving on {}", where);
  systemd.Ready("serving on " + where);

  // The loop wakes at least this often to feed the watchdog and to notice
  // edited AWS config files.
  auto wake_every = std::chrono::microseconds(kAwsConfigPollInterval);
  const auto watchdog = systemd.WatchdogInterval();
  if (watchdog) wake_every = std::min(wake_every, *watchdog);
  const timespec timeout{static_cast<time_t>(wake_every.count() / 1000000),
                         static_cast<long>(wake_every.count() % 1000000) * 1000};
  int stop_signal = 0;
  while (true) {
    const int sig = sigtimedwait(&signals, nullptr, &timeout);
    if (sig < 0) {
      if (errno != EAGAIN) continue;
      if (watchdog) systemd.Watchdog();
      WarnOnceIfSecretsUnlocked();
      auto reloaded = sessions.ReloadAwsConfigIfChanged();
      if (!reloaded.ok()) {
        spdlog::error("AWS config files changed but cannot be used, keeping the previous ones: {}",
                      std::string(reloaded.status().message()));
      } else if (*reloaded) {
        spdlog::info("AWS config files changed: reloaded");
      }
      continue;
    }
    if (sig == SIGHUP) {
      systemd.Reloading();
      Reload(command_line, *config, limiter, sessions);
      (*security)->Reload(*config);
      systemd.Ready("serving on " + where);
      continue;
    }
    stop_signal = sig;
    break;
  }

  systemd.Stopping();
  acceptor.Stop();
  // Closing the listener removes the socket file first, so new clients learn
  // at once that this daemon is going, while calls in flight finish.
  { server::UnixListener closing = std::move(*listener); }
  spdlog::info("received {}: socket closed, draining in-flight calls (up to {} ms)",
               stop_signal == SIGTERM ? "SIGTERM" : "SIGINT", config->drain_timeout.count());
  (*compat_endpoints)->Stop();
  (*grpc_server)->Shutdown(config->drain_timeout);
  // After the drain, so the last calls are counted for a final scrape.
  if (metrics_server) metrics_server->Stop();
  transport->Shutdown();
  spdlog::info("awsd stopped");
  ShutdownLogging();
  return 0;
}

}  // namespace awsd::app
