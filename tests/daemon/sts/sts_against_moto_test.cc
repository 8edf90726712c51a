// StsClient and the web-identity provider against moto_server with
// signature checks on, over the real curl client. Each test starts its own
// moto_server on a free 127.0.0.1 port and stops it.
//
// moto lets the first INITIAL_NO_AUTH_ACTION_COUNT requests through without
// checking them: three make an IAM user allowed everything and its access
// key (as tests/cli/sign_against_moto_test.py does); every request after
// them must carry a signature moto can verify with that key.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <thread>

#include "daemon/credentials/web_identity_provider.h"
#include "daemon/http/curl_http_client.h"
#include "daemon/signing/uri_encoding.h"
#include "daemon/sts/sts_client.h"
#include "gtest/gtest.h"
#include "tests/support/daemon_process.h"

namespace awsd::sts {
namespace {

using namespace std::chrono_literals;

constexpr const char* kRegion = "us-east-1";

std::optional<std::string> FindOnPath(const std::string& program) {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return std::nullopt;
  std::string dirs = path;
  size_t start = 0;
  while (start <= dirs.size()) {
    const size_t end = std::min(dirs.find(':', start), dirs.size());
    const std::filesystem::path candidate = std::filesystem::path(dirs.substr(start, end - start)) / program;
    if (access(candidate.c_str(), X_OK) == 0) return candidate.string();
    start = end + 1;
  }
  return std::nullopt;
}

uint16_t FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    close(fd);
    return 0;
  }
  close(fd);
  return ntohs(address.sin_port);
}

// A TCP connect, not a request: moto counts requests against
// INITIAL_NO_AUTH_ACTION_COUNT.
bool Listening(uint16_t port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  const bool connected = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  close(fd);
  return connected;
}

class MotoServer {
 public:
  MotoServer(const std::string& program, int no_auth_requests, const std::filesystem::path& log) {
    port_ = FreePort();
    pid_ = fork();
    if (pid_ == 0) {
      const std::string count = std::to_string(no_auth_requests);
      setenv("INITIAL_NO_AUTH_ACTION_COUNT", count.c_str(), 1);
      setenv("AWS_DEFAULT_REGION", kRegion, 1);
      FILE* out = std::fopen(log.c_str(), "w");
      if (out != nullptr) {
        dup2(fileno(out), 1);
        dup2(fileno(out), 2);
      }
      const std::string port = std::to_string(port_);
      execl(program.c_str(), program.c_str(), "-H", "127.0.0.1", "-p", port.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
  }
  ~MotoServer() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    for (int i = 0; i < 200; ++i) {
      if (waitpid(pid_, nullptr, WNOHANG) == pid_) return;
      std::this_thread::sleep_for(50ms);
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  MotoServer(const MotoServer&) = delete;
  MotoServer& operator=(const MotoServer&) = delete;

  bool WaitUntilListening() const {
    for (int i = 0; i < 300; ++i) {
      if (waitpid(pid_, nullptr, WNOHANG) == pid_) return false;
      if (Listening(port_)) return true;
      std::this_thread::sleep_for(100ms);
    }
    return false;
  }
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  uint16_t port_ = 0;
  pid_t pid_ = -1;
};

std::string XmlText(const std::string& body, std::initializer_list<const char*> path) {
  pugi::xml_document doc;
  if (!doc.load_string(body.c_str())) return "";
  pugi::xml_node node = doc;
  for (const char* name : path) node = node.child(name);
  return node.child_value();
}

class StsAgainstMotoTest : public ::testing::Test {
 protected:
  // `with_role` also creates the role the tests assume (moto answers 500 to
  // a call signed by an assumed role that IAM does not know); `unsigned_calls`
  // leaves that many more requests unchecked.
  void Start(bool with_role, int unsigned_calls = 0) {
    std::optional<std::string> program = FindOnPath("moto_server");
    if (!program) GTEST_SKIP() << "moto_server is not on PATH";
    const int setup_calls = with_role ? 5 : 3;
    moto_ = std::make_unique<MotoServer>(*program, setup_calls + unsigned_calls, dir_.path() / "moto.log");
    ASSERT_TRUE(moto_->WaitUntilListening()) << "moto_server did not start; see " << dir_.path() / "moto.log";
    CreateUser();
    if (with_role) CreateRole();
  }

  // An IAM query call signed with throwaway keys: moto only reads the
  // credential scope (to route to IAM) of the first, unchecked, requests.
  std::string Iam(const std::string& form) {
    http::HttpRequest request{"POST",
                              moto_->endpoint() + "/",
                              {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}},
                              form + "&Version=2010-05-08"};
    credentials::Credentials bootstrap;
    bootstrap.access_key_id = "bootstrap";
    bootstrap.secret_access_key = Secret("bootstrap");
    signing::SigningParams params;
    params.service = "iam";
    params.region = kRegion;
    params.time = std::chrono::system_clock::now();
    auto signed_request = signer_->Sign(request, bootstrap, params);
    EXPECT_TRUE(signed_request.ok()) << signed_request.status();
    auto response = http_->Send(signed_request->request, StsRequestOptions());
    EXPECT_TRUE(response.ok()) << response.status();
    EXPECT_EQ(response->status, 200) << form;
    return response->body;
  }

  void CreateUser() {
    Iam("Action=CreateUser&UserName=awsd-sts");
    std::string policy;
    signing::AppendUriEncoded(
        R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})", false, &policy);
    Iam("Action=PutUserPolicy&UserName=awsd-sts&PolicyName=all&PolicyDocument=" + policy);
    const std::string body = Iam("Action=CreateAccessKey&UserName=awsd-sts");
    user_.access_key_id =
        XmlText(body, {"CreateAccessKeyResponse", "CreateAccessKeyResult", "AccessKey", "AccessKeyId"});
    user_.secret_access_key =
        Secret(XmlText(body, {"CreateAccessKeyResponse", "CreateAccessKeyResult", "AccessKey", "SecretAccessKey"}));
    ASSERT_FALSE(user_.access_key_id.empty()) << "no access key in moto's answer";
  }

  void CreateRole() {
    std::string trust, policy;
    signing::AppendUriEncoded(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},)"
                              R"("Action":"sts:AssumeRole"}]})",
                              false, &trust);
    signing::AppendUriEncoded(
        R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})", false, &policy);
    Iam("Action=CreateRole&RoleName=awsd-target&AssumeRolePolicyDocument=" + trust);
    Iam("Action=PutRolePolicy&RoleName=awsd-target&PolicyName=all&PolicyDocument=" + policy);
  }

  credentials::ProviderContext Context() {
    credentials::ProviderContext context;
    context.files = LocalFileSystem();
    context.http = http_;
    return context;
  }

  StsClient Client(int max_attempts = 3) {
    return StsClient(Context(), signer_, StsEndpoint{moto_->endpoint(), kRegion}, max_attempts);
  }

  static AssumeRoleRequest Request() {
    AssumeRoleRequest request;
    request.role_arn = "arn:aws:iam::123456789012:role/awsd-target";
    request.role_session_name = "awsd-moto";
    request.duration_seconds = 900;
    return request;
  }

  test_support::TempDir dir_;
  std::unique_ptr<MotoServer> moto_;
  std::shared_ptr<http::HttpClient> http_ = http::MakeCurlHttpClient();
  std::shared_ptr<signing::Signer> signer_ = std::make_shared<signing::Signer>();
  credentials::Credentials user_;
};

TEST_F(StsAgainstMotoTest, AssumeRoleSignedWithAUsersKeysIsAccepted) {
  Start(/*with_role=*/true);
  if (IsSkipped() || HasFatalFailure()) return;
  const auto before = std::chrono::system_clock::now();
  auto credentials = Client().AssumeRole(Request(), user_);
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  EXPECT_EQ((*credentials)->access_key_id.rfind("ASIA", 0), 0u) << (*credentials)->access_key_id;
  EXPECT_FALSE((*credentials)->secret_access_key.empty());
  EXPECT_FALSE((*credentials)->session_token.empty());
  ASSERT_TRUE((*credentials)->expiration.has_value());
  EXPECT_GT(*(*credentials)->expiration, before);
  EXPECT_LT(*(*credentials)->expiration, before + std::chrono::hours(2));
  EXPECT_EQ((*credentials)->account_id, "123456789012");
  EXPECT_EQ((*credentials)->source, "assume-role");

  // The role's credentials work in turn: a chained AssumeRole signed with
  // them (and their session token) is accepted too.
  auto chained = Client().AssumeRole(Request(), **credentials);
  ASSERT_TRUE(chained.ok()) << chained.status();
  EXPECT_NE((*chained)->access_key_id, (*credentials)->access_key_id);
}

TEST_F(StsAgainstMotoTest, AWrongSecretIsRefused) {
  Start(/*with_role=*/false);
  if (IsSkipped() || HasFatalFailure()) return;
  credentials::Credentials wrong = user_;
  wrong.secret_access_key = Secret("not-the-secret");
  auto result = Client(1).AssumeRole(Request(), wrong);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kPermissionDenied) << result.status();
  EXPECT_EQ(StsErrorCode(result.status()), "SignatureDoesNotMatch") << result.status();
  EXPECT_EQ(result.status().message().find("not-the-secret"), std::string_view::npos);
}

TEST_F(StsAgainstMotoTest, WebIdentityIsSentUnsignedThroughTheProvider) {
  // moto checks every request after its unchecked ones, unsigned or not.
  Start(/*with_role=*/false, /*unsigned_calls=*/1);
  if (IsSkipped() || HasFatalFailure()) return;
  test_support::WriteFile(dir_.path() / "token.jwt", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwb2QifQ.c2ln\n");
  auto sts = std::make_shared<StsClient>(Client());
  credentials::WebIdentityProvider provider(
      Context(), {(dir_.path() / "token.jwt").string(), "arn:aws:iam::123456789012:role/awsd-web", ""}, sts);
  auto credentials = provider.Resolve();
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  EXPECT_EQ((*credentials)->access_key_id.rfind("ASIA", 0), 0u) << (*credentials)->access_key_id;
  EXPECT_EQ((*credentials)->account_id, "123456789012");
  EXPECT_EQ((*credentials)->source, "assume-role-with-web-identity");
  ASSERT_TRUE((*credentials)->expiration.has_value());
  EXPECT_GT(*(*credentials)->expiration, std::chrono::system_clock::now());
}

}  // namespace
}  // namespace awsd::sts
