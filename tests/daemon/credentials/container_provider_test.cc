// ContainerProvider over the real curl client against a local fake endpoint.
// URLs naming 169.254.170.2 and the like reach FakeHttpServer through the
// client's loopback hook; pauses between retries are injected, never slept.

#include "daemon/credentials/container_provider.h"

#include <gtest/gtest.h>

#include <map>
#include <mutex>

#include "daemon/http/curl_http_client.h"
#include "tests/support/fake_environment.h"
#include "tests/support/fake_http_server.h"

namespace awsd::credentials {
namespace {

using std::chrono::milliseconds;
using test_support::FakeEnvironment;
using test_support::FakeHttpServer;
using test_support::FakeResponse;
using test_support::RefusingPort;

constexpr char kRelative[] = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";
constexpr char kFull[] = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
constexpr char kToken[] = "AWS_CONTAINER_AUTHORIZATION_TOKEN";
constexpr char kTokenFile[] = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE";

const std::string kCredentials = R"({"AccessKeyId": "ASIACONTAINER", "SecretAccessKey": "containersecret",
  "Token": "containertoken", "Expiration": "2030-01-02T03:04:05Z", "AccountId": "123456789012",
  "RoleArn": "arn:aws:iam::123456789012:role/task"})";

const std::string* Find(const http::HttpRequest& request, std::string_view name) {
  for (const auto& header : request.headers) {
    if (http::EqualsIgnoreCase(header.name, name)) return &header.value;
  }
  return nullptr;
}

// Files held in memory, so a test can rotate a token between fetches.
class MemoryFileSystem : public FileSystem {
 public:
  void Put(const std::string& path, std::string contents) {
    std::lock_guard lock(mutex_);
    files_[path] = std::move(contents);
  }
  absl::StatusOr<std::string> ReadFile(const std::string& path, std::size_t max_bytes) const override {
    std::lock_guard lock(mutex_);
    auto it = files_.find(path);
    if (it == files_.end()) return absl::NotFoundError(path + ": No such file or directory");
    if (it->second.size() > max_bytes) return absl::ResourceExhaustedError(path + ": too large");
    return it->second;
  }
  absl::Status WriteFileAtomically(const std::string&, std::string_view, mode_t) const override {
    return absl::UnimplementedError("read-only");
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::string> files_;
};

class ContainerProviderTest : public ::testing::Test {
 protected:
  ContainerProviderTest()
      : server_([this](const http::HttpRequest& request) {
          std::lock_guard lock(mutex_);
          FakeResponse next = answers_.front();
          if (answers_.size() > 1) answers_.erase(answers_.begin());
          return next;
        }) {}

  void Answer(std::vector<FakeResponse> answers) {
    std::lock_guard lock(mutex_);
    answers_ = std::move(answers);
  }

  ContainerProvider Provider(std::map<std::string, std::string> env,
                             std::shared_ptr<const FileSystem> files = nullptr,
                             std::optional<uint16_t> port = std::nullopt) {
    ProviderContext context;
    context.environment = FakeEnvironment(std::move(env));
    context.files = files != nullptr ? std::move(files) : files_;
    http::CurlHttpClientOptions options;
    options.loopback_port = port.value_or(server_.port());
    context.http = http::MakeCurlHttpClient(options);
    context.sleep = [this](milliseconds delay) {
      std::lock_guard lock(mutex_);
      sleeps_.push_back(delay);
    };
    ContainerProvider::Options provider_options;
    provider_options.timeout = milliseconds(150);
    return ContainerProvider(std::move(context), provider_options);
  }

  std::vector<milliseconds> Sleeps() {
    std::lock_guard lock(mutex_);
    return sleeps_;
  }

  std::mutex mutex_;
  std::vector<FakeResponse> answers_{FakeResponse{.body = kCredentials}};
  std::vector<milliseconds> sleeps_;
  std::shared_ptr<MemoryFileSystem> files_ = std::make_shared<MemoryFileSystem>();
  FakeHttpServer server_;
};

TEST_F(ContainerProviderTest, NotConfiguredWithoutAUri) {
  auto provider = Provider({{kToken, "abc"}});
  auto credentials = provider.Resolve();
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  EXPECT_EQ(*credentials, nullptr);
  EXPECT_TRUE(server_.requests().empty());
}

TEST_F(ContainerProviderTest, RelativeUriGoesToTheEcsAgent) {
  auto provider = Provider({{kRelative, "/v2/credentials/abc?x=1"}});
  auto credentials = provider.Resolve();
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  ASSERT_NE(*credentials, nullptr);
  EXPECT_EQ((*credentials)->access_key_id, "ASIACONTAINER");
  EXPECT_EQ((*credentials)->secret_access_key.view(), "containersecret");
  EXPECT_EQ((*credentials)->session_token.view(), "containertoken");
  EXPECT_EQ((*credentials)->account_id, "123456789012");
  EXPECT_EQ((*credentials)->source, "container-role");
  ASSERT_TRUE((*credentials)->expiration.has_value());
  EXPECT_EQ(std::chrono::system_clock::to_time_t(*(*credentials)->expiration), 1893553445);

  const auto requests = server_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].url, "/v2/credentials/abc?x=1");
  EXPECT_EQ(*Find(requests[0], "Host"), "169.254.170.2");
  EXPECT_EQ(*Find(requests[0], "Accept"), "application/json");
  EXPECT_EQ(Find(requests[0], "Authorization"), nullptr);
  EXPECT_TRUE(Sleeps().empty());
}

TEST_F(ContainerProviderTest, RelativeUriWinsOverFullUri) {
  auto provider = Provider({{kRelative, "/creds"}, {kFull, "http://example.com/creds"}});
  ASSERT_TRUE(provider.Resolve().ok());
  EXPECT_EQ(*Find(server_.requests().at(0), "Host"), "169.254.170.2");
}

TEST_F(ContainerProviderTest, FullUriToAnAllowedHost) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"http://169.254.170.2/creds", "169.254.170.2"},
      {"http://169.254.170.23/v1/credentials", "169.254.170.23"},
      {"http://[fd00:ec2::23]/v1/credentials", "[fd00:ec2::23]"},
      {"http://localhost:8080/creds", "localhost:8080"},
      {"http://LOCALHOST/creds", "localhost"},
      {"http://127.0.0.1:9/creds", "127.0.0.1:9"},
      {"http://127.200.0.1/creds", "127.200.0.1"},
      {"http://[::1]:9/creds", "[::1]:9"},
      {"https://credentials.example.com/creds", "credentials.example.com"},
      {"HTTPS://example.com:8443/creds", "example.com:8443"},
  };
  for (const auto& [uri, host] : cases) {
    auto provider = Provider({{kFull, uri}});
    auto credentials = provider.Resolve();
    ASSERT_TRUE(credentials.ok()) << uri << ": " << credentials.status();
    ASSERT_NE(*credentials, nullptr) << uri;
    EXPECT_EQ(*Find(server_.requests().back(), "Host"), host) << uri;
  }
}

TEST_F(ContainerProviderTest, FullUriToAnyOtherHostIsRefused) {
  for (const std::string uri : {"http://169.254.169.254/latest/meta-data/", "http://example.com/creds",
                                "http://169.254.170.3/creds", "http://[fd00:ec2::24]/creds",
                                "http://localhost.example.com/creds", "http://[::ffff:127.0.0.1]/creds"}) {
    auto provider = Provider({{kFull, uri}});
    auto credentials = provider.Resolve();
    ASSERT_EQ(credentials.status().code(), absl::StatusCode::kInvalidArgument) << uri;
    EXPECT_NE(credentials.status().message().find("Unsupported host"), std::string::npos) << credentials.status();
  }
  auto relative_only = Provider({{kFull, "/credentials"}});
  auto credentials = relative_only.Resolve();
  ASSERT_FALSE(credentials.ok());
  EXPECT_NE(credentials.status().message().find("did not specify a host"), std::string::npos) << credentials.status();
  EXPECT_TRUE(server_.requests().empty());
}

TEST_F(ContainerProviderTest, TokenFromTheEnvironment) {
  auto provider = Provider({{kRelative, "/creds"}, {kToken, "Basic abc=="}});
  ASSERT_TRUE(provider.Resolve().ok());
  EXPECT_EQ(*Find(server_.requests().at(0), "Authorization"), "Basic abc==");
}

TEST_F(ContainerProviderTest, TokenFileWinsAndIsReadAtEveryFetch) {
  files_->Put("/var/run/secrets/pods.eks.amazonaws.com/eks-pod-identity-token", "first.jwt");
  auto provider = Provider({{kFull, "http://169.254.170.23/v1/credentials"},
                            {kTokenFile, "/var/run/secrets/pods.eks.amazonaws.com/eks-pod-identity-token"},
                            {kToken, "from-env"}});
  ASSERT_TRUE(provider.Resolve().ok());
  files_->Put("/var/run/secrets/pods.eks.amazonaws.com/eks-pod-identity-token", "second.jwt");
  ASSERT_TRUE(provider.Resolve().ok());
  const auto requests = server_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(*Find(requests[0], "Authorization"), "first.jwt");
  EXPECT_EQ(*Find(requests[1], "Authorization"), "second.jwt");
}

TEST_F(ContainerProviderTest, TokenWithALineBreakIsRefused) {
  files_->Put("/token", "abc.jwt\n");
  for (auto env : std::vector<std::map<std::string, std::string>>{
           {{kRelative, "/creds"}, {kToken, "abc\r\nX-Injected: 1"}},
           {{kRelative, "/creds"}, {kToken, "abc\r"}},
           {{kRelative, "/creds"}, {kTokenFile, "/token"}},
       }) {
    auto provider = Provider(env);
    auto credentials = provider.Resolve();
    ASSERT_EQ(credentials.status().code(), absl::StatusCode::kInvalidArgument);
    const std::string message(credentials.status().message());
    EXPECT_NE(message.find("not a legal header value"), std::string::npos) << message;
    EXPECT_EQ(message.find("abc"), std::string::npos) << message;
  }
  EXPECT_TRUE(server_.requests().empty());
}

TEST_F(ContainerProviderTest, MissingTokenFileIsAnErrorNamingIt) {
  auto provider = Provider({{kRelative, "/creds"}, {kTokenFile, "/nonexistent-awsd-test/token"}}, LocalFileSystem());
  auto credentials = provider.Resolve();
  ASSERT_FALSE(credentials.ok());
  const std::string message(credentials.status().message());
  EXPECT_NE(message.find("/nonexistent-awsd-test/token: No such file or directory"), std::string::npos) << message;
  EXPECT_NE(message.find("container-role"), std::string::npos) << message;
  EXPECT_TRUE(server_.requests().empty());
}

TEST_F(ContainerProviderTest, FailedAnswersAreRetriedThreeTimes) {
  Answer({FakeResponse{.status = 500, .body = "echoed secret"}, FakeResponse{.body = "not json"},
          FakeResponse{.body = kCredentials}});
  auto provider = Provider({{kRelative, "/creds"}});
  auto credentials = provider.Resolve();
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  ASSERT_NE(*credentials, nullptr);
  EXPECT_EQ(server_.requests().size(), 3u);
  EXPECT_EQ(Sleeps(), (std::vector<milliseconds>{milliseconds(1000), milliseconds(1000)}));
}

TEST_F(ContainerProviderTest, PersistentFailureIsAnErrorWithoutTheBody) {
  Answer({FakeResponse{.status = 403, .body = "echoed secret"}});
  auto provider = Provider({{kRelative, "/creds"}, {kToken, "tok3n"}});
  auto credentials = provider.Resolve();
  ASSERT_FALSE(credentials.ok());
  const std::string message(credentials.status().message());
  EXPECT_NE(message.find("Received non 200 response 403"), std::string::npos) << message;
  EXPECT_EQ(message.find("echoed secret"), std::string::npos) << message;
  EXPECT_EQ(message.find("tok3n"), std::string::npos) << message;
  EXPECT_EQ(server_.requests().size(), 3u);
}

TEST_F(ContainerProviderTest, GarbageJsonIsAnErrorAfterRetries) {
  Answer({FakeResponse{.body = "<html>"}});
  auto provider = Provider({{kRelative, "/creds"}});
  auto credentials = provider.Resolve();
  ASSERT_FALSE(credentials.ok());
  EXPECT_NE(credentials.status().message().find("Unable to parse JSON"), std::string::npos) << credentials.status();
  EXPECT_EQ(server_.requests().size(), 3u);
}

TEST_F(ContainerProviderTest, MissingFieldIsAnError) {
  Answer({FakeResponse{.body = R"({"AccessKeyId": "A", "SecretAccessKey": "S", "Expiration": "2030-01-02T03:04:05Z"})"}});
  auto provider = Provider({{kRelative, "/creds"}});
  auto credentials = provider.Resolve();
  ASSERT_FALSE(credentials.ok());
  EXPECT_NE(credentials.status().message().find("'Token'"), std::string::npos) << credentials.status();
  EXPECT_EQ(server_.requests().size(), 1u);
}

TEST_F(ContainerProviderTest, UnreachableEndpointIsAnErrorAfterRetries) {
  RefusingPort refusing;
  auto provider = Provider({{kFull, "http://127.0.0.1:1/creds"}}, nullptr, refusing.port());
  auto credentials = provider.Resolve();
  ASSERT_EQ(credentials.status().code(), absl::StatusCode::kUnavailable) << credentials.status();
  EXPECT_NE(credentials.status().message().find("http://127.0.0.1:1/creds"), std::string::npos);
  EXPECT_EQ(Sleeps().size(), 2u);
}

TEST_F(ContainerProviderTest, SlowEndpointTimesOutWithinBounds) {
  Answer({FakeResponse{.body = kCredentials, .delay_before_response = std::chrono::seconds(10)}});
  auto provider = Provider({{kRelative, "/creds"}});
  const auto start = std::chrono::steady_clock::now();
  auto credentials = provider.Resolve();
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_EQ(credentials.status().code(), absl::StatusCode::kDeadlineExceeded) << credentials.status();
  // Three tries of at most 2 x 150 ms each.
  EXPECT_LT(elapsed, std::chrono::seconds(2));
  EXPECT_EQ(server_.requests().size(), 3u);
}

TEST_F(ContainerProviderTest, OversizedAnswerIsAnErrorAtOnce) {
  Answer({FakeResponse{.body = std::string(100 * 1024, 'x')}});
  auto provider = Provider({{kRelative, "/creds"}});
  auto credentials = provider.Resolve();
  ASSERT_EQ(credentials.status().code(), absl::StatusCode::kResourceExhausted) << credentials.status();
  EXPECT_EQ(server_.requests().size(), 1u);
  EXPECT_TRUE(Sleeps().empty());
}

}  // namespace
}  // namespace awsd::credentials
