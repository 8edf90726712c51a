#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/temp_dir.h"

namespace awsd::test_support {

// The result of running a program to completion.
struct ProcessResult {
  int exit_status = -1;  // -1 when killed by a signal
  std::string out;
  std::string err;
};

// Runs `argv` (argv[0] a path), waits at most `timeout`, kills it past that.
ProcessResult RunProgram(const std::vector<std::string>& argv, const std::map<std::string, std::string>& extra_env = {},
                         std::chrono::milliseconds timeout = std::chrono::seconds(30));

// Path of a built program: $AWSD_BIN_DIR/name.
std::string BinaryPath(const std::string& name);

// A real awsd started for one test. Stops it (SIGTERM, then SIGKILL) when
// destroyed, so no test leaves a process behind. It logs at trace level
// unless the test sets a level or a config file, and when it is destroyed
// its log is searched for every secret the test handed it (environment
// values named *SECRET* or *TOKEN*, secret keys and tokens in the AWS files
// it was pointed at): a hit fails the test.
class DaemonProcess {
 public:
  struct Options {
    std::vector<std::string> args;                   // after "awsd"
    // Added to the environment. Unless a test names them, AWS_CONFIG_FILE
    // and AWS_SHARED_CREDENTIALS_FILE point at files that do not exist, so
    // no test reads the machine's ~/.aws.
    std::map<std::string, std::string> env;
    std::vector<std::string> unset_env = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                                          "AWS_SECURITY_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
                                          "AWS_REGION", "AWS_DEFAULT_REGION", "AWSD_SOCKET", "NOTIFY_SOCKET",
                                          "LISTEN_FDS", "LISTEN_PID"};
    std::vector<std::string> wrapper;                // e.g. systemd-socket-activate -l PATH

    // A daemon on `socket` whose AWS is a local fake at `endpoint_url`:
    // the documentation's example key, us-east-1, no IMDS.
    static Options AgainstFakeAws(const std::string& socket, const std::string& endpoint_url) {
      Options options;
      options.args = {"--socket", socket};
      options.env = {{"AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"},
                     {"AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"},
                     {"AWS_DEFAULT_REGION", "us-east-1"},
                     {"AWS_ENDPOINT_URL", endpoint_url},
                     {"AWS_EC2_METADATA_DISABLED", "true"}};
      return options;
    }
  };

  DaemonProcess(Options options, std::filesystem::path log_file);
  ~DaemonProcess();
  DaemonProcess(const DaemonProcess&) = delete;
  DaemonProcess& operator=(const DaemonProcess&) = delete;

  pid_t pid() const { return pid_; }
  // Polls (bounded) until `socket` answers the health check with SERVING.
  bool WaitUntilServing(const std::string& socket, std::chrono::milliseconds timeout = std::chrono::seconds(20));
  // Sends a signal.
  void Signal(int signal);
  // Waits for exit; nullopt if still running after `timeout`.
  std::optional<int> WaitForExit(std::chrono::milliseconds timeout = std::chrono::seconds(20));
  bool running();
  // What the daemon wrote to stderr so far.
  std::string Log() const;
  // Polls the log until `needle` appears (bounded).
  bool WaitForLog(const std::string& needle, std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

 private:
  pid_t pid_ = -1;
  std::optional<int> exit_status_;
  std::filesystem::path log_file_;
  std::vector<std::string> secrets_;
};


}  // namespace awsd::test_support
