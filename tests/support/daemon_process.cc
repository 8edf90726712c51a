#include "tests/support/daemon_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "awsd/client.h"
#include "gtest/gtest.h"
#include "tests/support/test_paths.h"

extern char** environ;

namespace awsd::test_support {
namespace {

std::vector<std::string> BuildEnvironment(const std::map<std::string, std::string>& extra,
                                          const std::vector<std::string>& unset) {
  std::map<std::string, std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry(*e);
    auto eq = entry.find('=');
    if (eq != std::string::npos) env[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  for (const auto& name : unset) env.erase(name);
  for (const auto& [k, v] : extra) env[k] = v;
  std::vector<std::string> out;
  for (const auto& [k, v] : env) out.push_back(k + "=" + v);
  return out;
}

std::vector<char*> CStrings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

pid_t Spawn(std::vector<std::string> argv, std::vector<std::string> env, const std::string& out_path,
            const std::string& err_path) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  // The child starts with no blocked signals, whatever the test runner had.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
  auto c_argv = CStrings(argv);
  auto c_env = CStrings(env);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, c_argv[0], &actions, &attr, c_argv.data(), c_env.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(rc));
  return pid;
}

std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

int DecodeStatus(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : -1; }

}  // namespace

std::string BinaryPath(const std::string& name) { return BinDir() + "/" + name; }

ProcessResult RunProgram(const std::vector<std::string>& argv, const std::map<std::string, std::string>& extra_env,
                         std::chrono::milliseconds timeout) {
  TempDir dir;
  auto out = dir.path() / "out", err = dir.path() / "err";
  pid_t pid = Spawn(argv, BuildEnvironment(extra_env, {}), out.string(), err.string());
  ProcessResult result;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  result.exit_status = DecodeStatus(status);
  result.out = ReadAll(out);
  result.err = ReadAll(err);
  return result;
}

namespace {

// What a test hands the daemon that must never reach its log.
std::vector<std::string> SecretsGiven(const std::map<std::string, std::string>& env) {
  std::vector<std::string> secrets;
  auto add = [&secrets](std::string value) {
    // Short values ("x", "true") would match by chance, not by leak.
    if (value.size() >= 12) secrets.push_back(std::move(value));
  };
  for (const auto& [name, value] : env) {
    if (name.find("SECRET") != std::string::npos || name.find("TOKEN") != std::string::npos) add(value);
  }
  for (const char* file : {"AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE"}) {
    auto path = env.find(file);
    if (path == env.end()) continue;
    std::istringstream lines(ReadAll(path->second));
    for (std::string line; std::getline(lines, line);) {
      const auto equals = line.find('=');
      if (equals == std::string::npos) continue;
      const std::string key = line.substr(0, line.find_first_of(" \t="));
      if (key != "aws_secret_access_key" && key != "aws_session_token") continue;
      std::string value = line.substr(equals + 1);
      value.erase(0, value.find_first_not_of(" \t"));
      value.erase(value.find_last_not_of(" \t\r") + 1);
      add(value);
    }
  }
  return secrets;
}

}  // namespace

DaemonProcess::DaemonProcess(Options options, std::filesystem::path log_file) : log_file_(std::move(log_file)) {
  options.env.try_emplace("AWS_CONFIG_FILE", "/nonexistent/awsd-test/config");
  options.env.try_emplace("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/awsd-test/credentials");
  secrets_ = SecretsGiven(options.env);
  const auto& args = options.args;
  if (std::find(args.begin(), args.end(), "--log-level") == args.end() &&
      std::find(args.begin(), args.end(), "--config") == args.end()) {
    options.args.insert(options.args.end(), {"--log-level", "trace"});
  }
  // Tests never reach for a real instance metadata service.
  options.env.try_emplace("AWS_EC2_METADATA_DISABLED", "true");
  std::vector<std::string> argv = options.wrapper;
  argv.push_back(BinaryPath("awsd"));
  argv.insert(argv.end(), options.args.begin(), options.args.end());
  pid_ = Spawn(argv, BuildEnvironment(options.env, options.unset_env), "/dev/null", log_file_.string());
}

DaemonProcess::~DaemonProcess() {
  if (running()) {
    Signal(SIGTERM);
    if (!WaitForExit(std::chrono::seconds(10))) {
      kill(pid_, SIGKILL);
      int status;
      waitpid(pid_, &status, 0);
    }
  }
  const std::string log = Log();
  for (const std::string& secret : secrets_) {
    if (log.find(secret) != std::string::npos) {
      ADD_FAILURE() << "the daemon's log (" << log_file_ << ") holds a secret the test gave it, "
                    << secret.substr(0, 4) << "...";
    }
  }
}

bool DaemonProcess::running() {
  if (exit_status_) return false;
  int status = 0;
  pid_t rc = waitpid(pid_, &status, WNOHANG);
  if (rc == pid_) {
    exit_status_ = DecodeStatus(status);
    return false;
  }
  return rc == 0;
}

void DaemonProcess::Signal(int signal) {
  if (running()) kill(pid_, signal);
}

std::optional<int> DaemonProcess::WaitForExit(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (running()) {
    if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return exit_status_;
}

bool DaemonProcess::WaitUntilServing(const std::string& socket, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!running()) return false;
    // A fresh channel each time: a channel that failed to connect backs off
    // for up to seconds before it tries again.
    awsd::Client client({.socket_path = socket, .timeout = std::chrono::milliseconds(500)});
    auto health = client.Health();
    if (health.ok() && *health == "SERVING") return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

std::string DaemonProcess::Log() const { return ReadAll(log_file_); }

bool DaemonProcess::WaitForLog(const std::string& needle, std::chrono::milliseconds timeout) const {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (Log().find(needle) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

}  // namespace awsd::test_support
