#include "daemon/credentials/process_provider.h"

#include <openssl/crypto.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/time/time.h"
#include "daemon/credentials/shell_split.h"
#include "daemon/credentials/expiration_time.h"
#include "nlohmann/json.hpp"

extern char** environ;

namespace awsd::credentials {
namespace {

constexpr std::size_t kMaxOutput = 1 << 20;

struct Finished {
  int exit_status = -1;  // -1: killed by a signal
  std::string out;
  std::string err;
};

absl::Status Failure(std::string_view what) {
  return absl::FailedPreconditionError("Error when retrieving credentials from custom-process: " + std::string(what));
}

// Runs argv (looked up on PATH) with no shell, collecting its output, killing
// it past the deadline.
absl::StatusOr<Finished> Run(const std::vector<std::string>& argv, std::chrono::milliseconds timeout) {
  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) return Failure("cannot create a pipe");
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    close(out_pipe[0]);
    close(out_pipe[1]);
    return Failure("cannot create a pipe");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  // The daemon blocks its signals; the helper starts with none blocked.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  // Its own process group, so that a timeout kills whatever it started too.
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP);
  std::vector<char*> c_argv;
  for (const auto& a : argv) c_argv.push_back(const_cast<char*>(a.c_str()));
  c_argv.push_back(nullptr);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, c_argv[0], &actions, &attr, c_argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (rc != 0) {
    close(out_pipe[0]);
    close(err_pipe[0]);
    return Failure("cannot run '" + argv[0] + "': " + std::strerror(rc));
  }

  Finished finished;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&finished.out, &finished.err};
  auto deadline = std::chrono::steady_clock::now() + timeout;
  bool timed_out = false;
  bool flooded = false;
  int open_pipes = 2;
  while (open_pipes > 0 && !flooded) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    if (poll(fds, 2, static_cast<int>(left.count())) < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buf[4096];
      ssize_t n = read(fds[i].fd, buf, sizeof(buf));
      if (n > 0) {
        if (sinks[i]->size() + static_cast<std::size_t>(n) <= kMaxOutput) {
          sinks[i]->append(buf, static_cast<std::size_t>(n));
        } else if (i == 0) {
          // Credentials are a few hundred bytes: this is a runaway helper.
          flooded = true;
        }
      } else if (n == 0 || errno != EINTR) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_pipes;
      }
    }
  }
  for (auto& fd : fds) {
    if (fd.fd >= 0) close(fd.fd);
  }
  if (timed_out || flooded) kill(-pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  // The helper may have left children of its own in the group.
  kill(-pid, SIGKILL);
  if (flooded) {
    OPENSSL_cleanse(finished.out.data(), finished.out.size());
    return Failure("'" + argv[0] + "' printed more than " + std::to_string(kMaxOutput) + " bytes");
  }
  if (timed_out) return Failure("'" + argv[0] + "' did not finish within " + std::to_string(timeout.count()) + " ms");
  finished.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return finished;
}

}  // namespace

ProcessProvider::ProcessProvider(std::string command, std::chrono::milliseconds timeout,
                                 std::string fallback_account_id)
    : command_(std::move(command)), timeout_(timeout), fallback_account_id_(std::move(fallback_account_id)) {}

absl::StatusOr<std::shared_ptr<const Credentials>> ProcessProvider::Resolve() {
  auto argv = ShellSplit(command_);
  if (!argv.ok()) return argv.status();
  if (argv->empty()) return Failure("credential_process is empty");
  auto finished = Run(*argv, timeout_);
  if (!finished.ok()) return finished.status();
  if (finished->exit_status != 0) {
    // botocore's message is the helper's stderr; kept short for the log.
    std::string err(absl::StripAsciiWhitespace(finished->err));
    if (err.size() > 1000) err = err.substr(0, 1000) + "...";
    return Failure(err.empty() ? "exited with status " + std::to_string(finished->exit_status) : err);
  }
  return ParseProcessOutput(finished->out, fallback_account_id_);
}

absl::StatusOr<std::shared_ptr<const Credentials>> ParseProcessOutput(std::string_view output,
                                                                      const std::string& fallback_account_id) {
  auto parsed = nlohmann::json::parse(output, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object()) return Failure("the process did not print a JSON object");
  auto version = parsed.find("Version");
  if (version == parsed.end() || *version != 1) {
    std::string shown = version == parsed.end() ? "<Version key not provided>" : version->dump();
    return Failure("Unsupported version '" + shown + "' for credential process provider, supported versions: 1");
  }
  auto text = [&](const char* key) -> const std::string* {
    auto it = parsed.find(key);
    return it != parsed.end() && it->is_string() ? it->get_ptr<const std::string*>() : nullptr;
  };
  for (const char* required : {"AccessKeyId", "SecretAccessKey"}) {
    if (text(required) == nullptr) return Failure(std::string("Missing required key in response: '") + required + "'");
  }
  auto credentials = std::make_shared<Credentials>();
  credentials->access_key_id = *text("AccessKeyId");
  credentials->secret_access_key = Secret(*text("SecretAccessKey"));
  if (const std::string* token = text("SessionToken")) credentials->session_token = Secret(*token);
  if (const std::string* expiration = text("Expiration")) {
    absl::Time parsed_time;
    std::string error;
    if (!absl::ParseTime(absl::RFC3339_full, *expiration, &parsed_time, &error)) {
      return Failure("Expiration is not an ISO 8601 time: " + error);
    }
    credentials->expiration = ToExpirationTime(parsed_time);
    if (!credentials->expiration.has_value()) return Failure("Expiration is out of range");
  }
  if (const std::string* account = text("AccountId")) {
    credentials->account_id = *account;
  } else {
    credentials->account_id = fallback_account_id;
  }
  credentials->source = "custom-process";
  std::shared_ptr<const Credentials> result = std::move(credentials);
  return result;
}

}  // namespace awsd::credentials
