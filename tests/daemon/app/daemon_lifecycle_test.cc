// The real awsd binary, started and stopped per test on a temporary socket.
#include <grpcpp/create_channel.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <fstream>
#include <thread>

#include "awsd/client.h"
#include "nlohmann/json.hpp"
#include "awsd/v1/daemon.grpc.pb.h"
#include "awsd/v1/signing.grpc.pb.h"
#include "tests/support/daemon_process.h"

namespace awsd::test_support {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class DaemonLifecycleTest : public ::testing::Test {
 protected:
  std::string socket() const { return (dir_.path() / "run" / "awsd.sock").string(); }
  std::filesystem::path log() const { return dir_.path() / "awsd.log"; }

  std::unique_ptr<DaemonProcess> Start(std::vector<std::string> extra_args = {},
                                       std::map<std::string, std::string> env = {}) {
    DaemonProcess::Options options;
    options.args = {"--socket", socket()};
    options.args.insert(options.args.end(), extra_args.begin(), extra_args.end());
    options.env = std::move(env);
    return std::make_unique<DaemonProcess>(options, log());
  }

  TempDir dir_;
};

mode_t ModeOf(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(lstat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

TEST_F(DaemonLifecycleTest, StartsServesAndStopsCleanlyOnSigterm) {
  auto daemon = Start();
  ASSERT_TRUE(daemon->WaitUntilServing(socket())) << daemon->Log();
  awsd::Client client({.socket_path = socket()});
  auto info = client.GetDaemonInfo();
  ASSERT_TRUE(info.ok()) << info.error().ToString();
  EXPECT_EQ(info->api_version(), "v1");
  EXPECT_EQ(info->pid(), daemon->pid());
  EXPECT_EQ(info->socket_path(), socket());

  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->WaitForExit(), 0);
  EXPECT_FALSE(std::filesystem::exists(socket())) << "the socket file outlived the daemon";
}

TEST_F(DaemonLifecycleTest, SigintAlsoDrainsAndExitsZero) {
  auto daemon = Start();
  ASSERT_TRUE(daemon->WaitUntilServing(socket())) << daemon->Log();
  daemon->Signal(SIGINT);
  EXPECT_EQ(daemon->WaitForExit(), 0);
}

TEST_F(DaemonLifecycleTest, CreatesDirectory0700AndSocket0600ByDefault) {
  auto daemon = Start();
  ASSERT_TRUE(daemon->WaitUntilServing(socket())) << daemon->Log();
  EXPECT_EQ(ModeOf((dir_.path() / "run").string()), 0700u);
  EXPECT_EQ(ModeOf(socket()), 0600u);
}

TEST_F(DaemonLifecycleTest, SocketAndDirectoryModesComeFromTheConfig) {
  auto config = dir_.path() / "awsd.toml";
  WriteFile(config, "[server]\nsocket_mode = \"0660\"\ndirectory_mode = \"0750\"\n");
  auto daemon = Start({"--config", config.string()});
  ASSERT_TRUE(daemon->WaitUntilServing(socket())) << daemon->Log();
  EXPECT_EQ(ModeOf((dir_.path() / "run").string()), 0750u);
  EXPECT_EQ(ModeOf(socket()), 0660u);
}

TEST_F(DaemonLifecycleTest, ReplacesAStaleSocketFile) {
  std::filesystem::create_directories(dir_.path() / "run");
  // A socket file nobody listens on, as a killed daemon leaves behind.
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, socket().c_str(), sizeof(addr.sun_path) - 1);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  close(fd);
  ASSERT_TRUE(std::filesystem::exists(socket()));

  auto daemon = Start();
  EXPECT_TRUE(daemon->WaitUntilServing(socket())) << daemon->Log();
}

TEST_F(DaemonLifecycleTest, RefusesToStartWhereALiveDaemonServes) {
  auto first = Start();
  ASSERT_TRUE(first->WaitUntilServing(socket())) << first->Log();

  DaemonProcess::Options options;
  options.args = {"--socket", socket()};
  DaemonProcess second(options, dir_.path() / "second.log");
  EXPECT_EQ(second.WaitForExit(), 1);
  EXPECT_NE(second.Log().find("already serving on " + socket()), std::string::npos) << second.Log();
  // The first one is untouched and still serves.
  awsd::Client client({.socket_path = socket()});
  auto health = client.Health();
  ASSERT_TRUE(health.ok()) << health.error().ToString();
  EXPECT_EQ(*health, "SERVING");
}

TEST_F(DaemonLifecycleTest, RefusesToReplaceAFileThatIsNotASocket) {
  std::filesystem::create_directories(dir_.path() / "run");
  WriteFile(socket(), "precious");
  DaemonProcess::Options options;
  options.args = {"--socket", socket()};
  DaemonProcess daemon(options, log());
  EXPECT_EQ(daemon.WaitForExit(), 1);
  EXPECT_NE(daemon.Log().find("is not a socket"), std::string::npos) << daemon.Log();
  std::ifstream in(socket());
  std::string content;
  in >> content;
  EXPECT_EQ(content, "precious");
}

TEST_F(DaemonLifecycleTest, MalformedConfigIsRefusedNamingKeyAndLine) {
  auto config = dir_.path() / "bad.toml";
  WriteFile(config, "[server]\nsocket_mode = \"0600\"\n\n[limits]\nmax_concurent_calls = 5\n");
  auto daemon = Start({"--config", config.string()});
  EXPECT_EQ(daemon->WaitForExit(), 1);
  std::string log_text = daemon->Log();
  EXPECT_NE(log_text.find("bad.toml:5"), std::string::npos) << log_text;
  EXPECT_NE(log_text.find("limits.max_concurent_calls"), std::string::npos) << log_text;
  EXPECT_FALSE(std::filesystem::exists(socket()));
}

TEST_F(DaemonLifecycleTest, SighupReloadsTheConfigAndKeepsServingOnABadOne) {
  auto config = dir_.path() / "awsd.toml";
  WriteFile(config, "[logging]\nlevel = \"info\"\n");
  auto daemon = Start({"--config", config.string()});
  ASSERT_TRUE(daemon->WaitUntilServing(socket())) << daemon->Log();
  awsd::Client client({.socket_path = socket()});
  ASSERT_TRUE(client.Ping().ok());
  ASSERT_TRUE(daemon->WaitForLog("method=/awsd.v1.DaemonService/Ping")) << daemon->Log();

  // A broken file: refused, the running configuration stays.
  WriteFile(config, "[logging]\nlevel = \"loud\"\n");
  daemon->Signal(SIGHUP);
  ASSERT_TRUE(daemon->WaitForLog("reload refused")) << daemon->Log();
  ASSERT_TRUE(client.Ping().ok());

  // A good one: per-call lines are info, so at warn they stop.
  WriteFile(config, "[logging]\nlevel = \"warn\"\n");
  daemon->Signal(SIGHUP);
  ASSERT_TRUE(daemon->WaitForLog("reloaded configuration")) << daemon->Log();
  ASSERT_TRUE(client.GetDaemonInfo().ok());
  std::this_thread::sleep_for(milliseconds(1500));  // the async logger flushes each second
  EXPECT_EQ(daemon->Log().find("GetDaemonInfo"), std::string::npos) << daemon->Log();
  EXPECT_TRUE(daemon->running());
}

TEST_F(DaemonLifecycleTest, SigtermDrainsACallInFlight) {
  auto daemon = Start();
  ASSERT_TRUE(daemon->WaitUntilServing(socket())) << daemon->Log();
  auto channel = grpc::CreateChannel("unix:" + socket(), grpc::InsecureChannelCredentials());
  auto stub = awsd::v1::SigningService::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + seconds(20));
  auto stream = stub->SignStream(&context);
  awsd::v1::SignRequest request;
  request.mutable_session()->mutable_spec()->mutable_explicit_credentials()->set_access_key_id("AKIDEXAMPLE");
  request.mutable_session()->mutable_spec()->mutable_explicit_credentials()->set_secret_access_key("secret");
  request.mutable_request()->set_method("GET");
  request.mutable_request()->set_url("https://example.amazonaws.com/");
  request.set_service("service");
  request.set_region("us-east-1");
  awsd::v1::SignResult result;
  ASSERT_TRUE(stream->Write(request));
  ASSERT_TRUE(stream->Read(&result));
  ASSERT_TRUE(result.has_response()) << result.error().message();

  // The call is in flight when SIGTERM arrives: it goes on being served.
  daemon->Signal(SIGTERM);
  ASSERT_TRUE(daemon->WaitForLog("draining")) << daemon->Log();
  EXPECT_FALSE(std::filesystem::exists(socket())) << "new clients should find no socket while draining";
  ASSERT_TRUE(stream->Write(request));
  ASSERT_TRUE(stream->Read(&result));
  EXPECT_TRUE(result.has_response()) << result.error().message();
  EXPECT_TRUE(daemon->running());
  stream->WritesDone();
  EXPECT_TRUE(stream->Finish().ok());
  EXPECT_EQ(daemon->WaitForExit(), 0);
}

TEST_F(DaemonLifecycleTest, OversizedMessageIsRefusedWithAClearStatus) {
  auto config = dir_.path() / "awsd.toml";
  WriteFile(config, "[limits]\nmax_message_bytes = 4096\n");
  auto daemon = Start({"--config", config.string()});
  ASSERT_TRUE(daemon->WaitUntilServing(socket())) << daemon->Log();
  auto channel = grpc::CreateChannel("unix:" + socket(), grpc::InsecureChannelCredentials());
  auto stub = awsd::v1::DaemonService::NewStub(channel);
  grpc::ClientContext context;
  awsd::v1::PingRequest request;
  request.set_payload(std::string(64 * 1024, 'x'));
  awsd::v1::PingResponse reply;
  grpc::Status status = stub->Ping(&context, request, &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();
  EXPECT_NE(status.error_message().find("larger than max"), std::string::npos) << status.error_message();
  // The daemon goes on serving, on the same channel too.
  grpc::ClientContext again;
  request.set_payload("small");
  EXPECT_TRUE(stub->Ping(&again, request, &reply).ok());
}

TEST_F(DaemonLifecycleTest, ClientsThatVanishMidCallDoNotHurtTheDaemon) {
  auto daemon = Start();
  ASSERT_TRUE(daemon->WaitUntilServing(socket())) << daemon->Log();
  // A stream cancelled by its client while open.
  {
    auto channel = grpc::CreateChannel("unix:" + socket(), grpc::InsecureChannelCredentials());
    auto stub = awsd::v1::SigningService::NewStub(channel);
    grpc::ClientContext context;
    auto stream = stub->SignStream(&context);
    stream->Write(awsd::v1::SignRequest());
    context.TryCancel();
  }
  // A raw connection that sends half an HTTP/2 preface and hangs up.
  for (int i = 0; i < 20; ++i) {
    int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, socket().c_str(), sizeof(addr.sun_path) - 1);
    ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    ASSERT_GT(write(fd, "PRI * HTTP/2.0\r\n", 16), 0);
    close(fd);
  }
  awsd::Client client({.socket_path = socket()});
  auto health = client.Health();
  ASSERT_TRUE(health.ok()) << health.error().ToString();
  EXPECT_EQ(*health, "SERVING");
  EXPECT_TRUE(daemon->running());
}

TEST_F(DaemonLifecycleTest, LogsOneLinePerCallWithTheCallersPidAndUid) {
  auto daemon = Start();
  ASSERT_TRUE(daemon->WaitUntilServing(socket())) << daemon->Log();
  awsd::Client client({.socket_path = socket()});
  ASSERT_TRUE(client.GetDaemonInfo().ok());
  std::string expected = "method=/awsd.v1.DaemonService/GetDaemonInfo pid=" + std::to_string(getpid()) +
                         " uid=" + std::to_string(getuid()) + " outcome=OK";
  EXPECT_TRUE(daemon->WaitForLog(expected)) << daemon->Log();
}

TEST_F(DaemonLifecycleTest, JsonLogFormatWritesOneObjectPerLine) {
  auto daemon = Start({"--log-format", "json"});
  ASSERT_TRUE(daemon->WaitUntilServing(socket())) << daemon->Log();
  ASSERT_TRUE(daemon->WaitForLog("\"message\":\"awsd serving on")) << daemon->Log();
  std::istringstream lines(daemon->Log());
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    ++count;
    auto object = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    ASSERT_TRUE(object.is_object()) << line;
    EXPECT_TRUE(object["time"].is_string()) << line;
    EXPECT_TRUE(object["level"].is_string()) << line;
    EXPECT_TRUE(object["message"].is_string()) << line;
  }
  EXPECT_GT(count, 0);
}

TEST_F(DaemonLifecycleTest, SocketPathFallsBackToAwsdSocketThenXdgRuntimeDir) {
  DaemonProcess::Options options;
  options.env = {{"XDG_RUNTIME_DIR", (dir_.path() / "xdg").string()}};
  std::filesystem::create_directories(dir_.path() / "xdg");
  {
    DaemonProcess daemon(options, log());
    EXPECT_TRUE(daemon.WaitUntilServing((dir_.path() / "xdg" / "awsd" / "awsd.sock").string())) << daemon.Log();
  }
  options.env["AWSD_SOCKET"] = socket();
  DaemonProcess daemon(options, log());
  EXPECT_TRUE(daemon.WaitUntilServing(socket())) << daemon.Log();
}

TEST_F(DaemonLifecycleTest, ServesASocketPassedBySystemdAndLeavesItsFileAlone) {
  std::filesystem::create_directories(dir_.path() / "run");
  DaemonProcess::Options options;
  // systemd-socket-activate binds the socket, waits for the first
  // connection, then execs awsd with LISTEN_FDS=1 in the same process.
  options.wrapper = {"/usr/bin/systemd-socket-activate", "-l", socket()};
  DaemonProcess daemon(options, log());
  ASSERT_TRUE(daemon.WaitUntilServing(socket())) << daemon.Log();
  awsd::Client client({.socket_path = socket()});
  auto info = client.GetDaemonInfo();
  ASSERT_TRUE(info.ok()) << info.error().ToString();
  EXPECT_EQ(info->socket_path(), socket());
  EXPECT_NE(daemon.Log().find("socket-activated"), std::string::npos) << daemon.Log();
  daemon.Signal(SIGTERM);
  EXPECT_EQ(daemon.WaitForExit(), 0);
  EXPECT_TRUE(std::filesystem::exists(socket())) << "the socket belongs to systemd, not to awsd";
}

// Reads sd_notify datagrams as systemd would.
class NotifySocket {
 public:
  explicit NotifySocket(const std::string& path) : path_(path) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
    bound_ = bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
    timeval tv{0, 200000};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  }
  ~NotifySocket() { close(fd_); }
  bool bound() const { return bound_; }
  // Waits (bounded) for a datagram containing `needle`.
  bool WaitFor(const std::string& needle, std::chrono::milliseconds timeout = seconds(10)) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    char buf[4096];
    while (std::chrono::steady_clock::now() < deadline) {
      ssize_t n = recv(fd_, buf, sizeof(buf), 0);
      if (n > 0 && std::string(buf, n).find(needle) != std::string::npos) return true;
    }
    return false;
  }

 private:
  std::string path_;
  int fd_ = -1;
  bool bound_ = false;
};

TEST_F(DaemonLifecycleTest, TellsSystemdReadyWatchdogAndStopping) {
  auto notify_path = (dir_.path() / "notify").string();
  NotifySocket notify(notify_path);
  ASSERT_TRUE(notify.bound());
  auto daemon = Start({}, {{"NOTIFY_SOCKET", notify_path}, {"WATCHDOG_USEC", "200000"}});
  EXPECT_TRUE(notify.WaitFor("READY=1")) << daemon->Log();
  EXPECT_TRUE(notify.WaitFor("WATCHDOG=1")) << daemon->Log();
  daemon->Signal(SIGTERM);
  EXPECT_TRUE(notify.WaitFor("STOPPING=1")) << daemon->Log();
  EXPECT_EQ(daemon->WaitForExit(), 0);
}

}  // namespace
}  // namespace awsd::test_support
