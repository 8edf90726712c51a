// The call path against a real local HTTP server: signing, parsing, and every
// retry case the issue names (5xx, throttling, SlowDown, a reset, a truncated
// body, a read timeout, clock skew, the quota running dry), each asserted on
// what the server saw.

#include "daemon/invoke/invoker.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "daemon/config/file_locations.h"
#include "daemon/credentials/static_provider.h"
#include "daemon/model/model_files.h"
#include "nlohmann/json.hpp"
#include "tests/support/fake_http_server.h"

namespace awsd::invoke {
namespace {

using std::chrono::milliseconds;
using test_support::FakeHttpServer;
using test_support::FakeResponse;

const model::ModelRegistry& Models() {
  static const model::ModelRegistry registry(
      model::ModelFiles(model::ModelSearchPath({}, config::ProcessEnvironment())));
  return registry;
}

// Answers from a script, one entry per request, the last repeated.
class Script {
 public:
  explicit Script(std::vector<FakeResponse> responses) : responses_(std::move(responses)) {}
  FakeResponse Next() {
    std::lock_guard lock(mutex_);
    const std::size_t i = std::min(served_++, responses_.size() - 1);
    return responses_[i];
  }

 private:
  std::mutex mutex_;
  std::vector<FakeResponse> responses_;
  std::size_t served_ = 0;
};

FakeResponse Json(int status, std::string body, std::vector<http::Header> extra = {}) {
  FakeResponse response;
  response.status = status;
  response.headers = {{"Content-Type", "application/x-amz-json-1.0"}, {"x-amzn-RequestId", "req-1"}};
  for (auto& header : extra) response.headers.push_back(std::move(header));
  response.body = std::move(body);
  return response;
}

const char* kTables = R"({"TableNames":["alpha","beta"]})";

class InvokerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(Models().AvailableServices().empty()) << "botocore's data folder was not found";
  }

  // A fresh invoker (so a fresh retry quota) with no jitter.
  std::unique_ptr<Invoker> MakeInvoker() {
    return std::make_unique<Invoker>(Invoker::Parts{Models(), signer_, transport_, [] { return 0.0; }});
  }

  std::shared_ptr<const session::Session> MakeSession(const std::string& endpoint,
                                                      std::map<std::string, std::string> env = {}) {
    credentials::Credentials keys;
    keys.access_key_id = "AKIDEXAMPLE";
    keys.secret_access_key = Secret("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    keys.source = "explicit";
    if (!env.contains("AWS_RETRY_MODE")) env["AWS_RETRY_MODE"] = "standard";
    config::EnvLookup lookup = [env](const std::string& name) -> std::optional<std::string> {
      auto it = env.find(name);
      if (it == env.end()) return std::nullopt;
      return it->second;
    };
    return std::make_shared<const session::Session>(
        "s1", "default", "us-east-1", endpoint, std::make_shared<credentials::StaticProvider>(keys), nullptr, lookup);
  }

  CallOutcome Call(Invoker& invoker, std::shared_ptr<const session::Session> session, std::string service,
                   std::string operation, std::string params = "{}", CallSettings settings = {}) {
    std::promise<CallOutcome> promise;
    auto future = promise.get_future();
    InvokeCall call;
    call.session = std::move(session);
    call.service = std::move(service);
    call.operation = std::move(operation);
    call.params_json = std::move(params);
    call.settings = std::move(settings);
    invoker.Invoke(std::move(call), [&promise](CallOutcome outcome) { promise.set_value(std::move(outcome)); });
    EXPECT_EQ(future.wait_for(std::chrono::seconds(30)), std::future_status::ready);
    return future.get();
  }

  signing::Signer signer_;
  std::shared_ptr<http::AsyncHttpClient> transport_ = http::AsyncHttpClient::Create();
};

TEST_F(InvokerTest, SignsSendsAndParses) {
  FakeHttpServer server([](const http::HttpRequest&) { return Json(200, kTables); });
  auto invoker = MakeInvoker();
  CallOutcome outcome = Call(*invoker, MakeSession(server.url()), "dynamodb", "ListTables", R"({"Limit": 5})");
  ASSERT_TRUE(outcome.status.ok()) << outcome.status;
  EXPECT_FALSE(outcome.reply.is_error);
  const auto result = nlohmann::json::parse(outcome.reply.json);
  EXPECT_EQ(result["TableNames"], nlohmann::json({"alpha", "beta"}));
  EXPECT_EQ(result["ResponseMetadata"]["RetryAttempts"], 0);
  EXPECT_EQ(result["ResponseMetadata"]["RequestId"], "req-1");

  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  const http::HttpRequest& sent = requests[0];
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(nlohmann::json::parse(sent.body), nlohmann::json({{"Limit", 5}}));
  std::map<std::string, std::string> headers;
  for (const auto& header : sent.headers) headers[absl::AsciiStrToLower(header.name)] = header.value;
  EXPECT_EQ(headers["x-amz-target"], "DynamoDB_20120810.ListTables");
  EXPECT_TRUE(headers["authorization"].starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"));
  EXPECT_NE(headers["authorization"].find("/us-east-1/dynamodb/aws4_request"), std::string::npos);
  EXPECT_TRUE(headers["user-agent"].starts_with("awsd/"));
}

// Many callers at once on one invoker, as the daemon's handlers call it: the
// shared HTTP client, session, endpoint cache and retry quota under
// concurrent use (the TSan build runs this), every answer its caller's own.
TEST_F(InvokerTest, ManyCallersAtOnceEachGetTheirOwnAnswer) {
  std::atomic<int> served{0};
  std::mutex seen_mutex;
  std::set<std::string> seen;
  FakeHttpServer server([&](const http::HttpRequest& request) {
    served.fetch_add(1);
    const std::string name = nlohmann::json::parse(request.body)["ExclusiveStartTableName"];
    // A third of the calls fail once with a 500, so retries and the shared quota run concurrently too.
    bool first_time;
    {
      std::lock_guard lock(seen_mutex);
      first_time = seen.insert(name).second;
    }
    if (first_time && std::hash<std::string>{}(name) % 3 == 0) {
      return Json(500, R"({"__type":"InternalServerError","message":"try again"})");
    }
    return Json(200, nlohmann::json({{"TableNames", {name}}}).dump());
  });
  auto invoker = MakeInvoker();
  auto session = MakeSession(server.url());
  constexpr int kCallers = 12;
  constexpr int kCallsEach = 15;
  std::vector<std::thread> callers;
  std::atomic<int> right{0};
  for (int caller = 0; caller < kCallers; ++caller) {
    callers.emplace_back([&, caller] {
      for (int call = 0; call < kCallsEach; ++call) {
        const std::string name = "table-" + std::to_string(caller) + "-" + std::to_string(call);
        CallOutcome outcome = Call(*invoker, session, "dynamodb", "ListTables",
                                   nlohmann::json({{"ExclusiveStartTableName", name}}).dump());
        if (outcome.status.ok() && !outcome.reply.is_error &&
            nlohmann::json::parse(outcome.reply.json)["TableNames"] == nlohmann::json({name})) {
          right.fetch_add(1);
        }
      }
    });
  }
  for (std::thread& caller : callers) caller.join();
  EXPECT_EQ(right.load(), kCallers * kCallsEach);
  EXPECT_GT(served.load(), kCallers * kCallsEach) << "some calls were retried";
}

TEST_F(InvokerTest, ServerErrorsThenSuccessAreRetried) {
  Script script({Json(500, R"({"__type":"InternalServerError","message":"boom"})"),
                 Json(503, R"({"__type":"ServiceUnavailable","message":"later"})"), Json(200, kTables)});
  FakeHttpServer server([&](const http::HttpRequest&) { return script.Next(); });
  auto invoker = MakeInvoker();
  CallOutcome outcome = Call(*invoker, MakeSession(server.url()), "dynamodb", "ListTables");
  ASSERT_TRUE(outcome.status.ok()) << outcome.status;
  EXPECT_FALSE(outcome.reply.is_error);
  EXPECT_EQ(outcome.retry_attempts, 2);
  EXPECT_EQ(nlohmann::json::parse(outcome.reply.json)["ResponseMetadata"]["RetryAttempts"], 2);
  EXPECT_EQ(server.requests().size(), 3u);
}

TEST_F(InvokerTest, ThrottlingThenSuccessIsRetried) {
  Script script({Json(400, R"({"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"slow"})"),
                 Json(200, kTables)});
  FakeHttpServer server([&](const http::HttpRequest&) { return script.Next(); });
  auto invoker = MakeInvoker();
  CallOutcome outcome = Call(*invoker, MakeSession(server.url()), "dynamodb", "ListTables");
  ASSERT_TRUE(outcome.status.ok()) << outcome.status;
  EXPECT_FALSE(outcome.reply.is_error);
  EXPECT_EQ(outcome.retry_attempts, 1);
}

TEST_F(InvokerTest, S3SlowDownThenSuccessIsRetried) {
  FakeResponse slow_down;
  slow_down.status = 503;
  slow_down.headers = {{"Content-Type", "application/xml"}, {"x-amz-request-id", "r1"}};
  slow_down.body = "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>";
  FakeResponse buckets;
  buckets.headers = {{"Content-Type", "application/xml"}, {"x-amz-request-id", "r2"}};
  buckets.body =
      "<ListAllMyBucketsResult><Owner><ID>o</ID></Owner><Buckets><Bucket><Name>b1</Name>"
      "<CreationDate>2024-05-01T12:00:00.000Z</CreationDate></Bucket></Buckets></ListAllMyBucketsResult>";
  Script script({slow_down, buckets});
  FakeHttpServer server([&](const http::HttpRequest&) { return script.Next(); });
  auto invoker = MakeInvoker();
  CallOutcome outcome = Call(*invoker, MakeSession(server.url()), "s3", "ListBuckets");
  ASSERT_TRUE(outcome.status.ok()) << outcome.status;
  ASSERT_FALSE(outcome.reply.is_error) << outcome.reply.json;
  const auto result = nlohmann::json::parse(outcome.reply.json);
  EXPECT_EQ(result["Buckets"][0]["Name"], "b1");
  EXPECT_EQ(result["Buckets"][0]["CreationDate"], "2024-05-01T12:00:00+00:00");
  EXPECT_EQ(outcome.retry_attempts, 1);
  // S3 requests carry their payload hash.
  bool has_sha = false;
  const auto requests = server.requests();
  for (const auto& header : requests[1].headers) has_sha |= http::EqualsIgnoreCase(header.name, "x-amz-content-sha256");
  EXPECT_TRUE(has_sha);
}

TEST_F(InvokerTest, ConnectionDroppedThenSuccessIsRetried) {
  FakeResponse dropped;
  dropped.close_without_response = true;
  Script script({dropped, Json(200, kTables)});
  FakeHttpServer server([&](const http::HttpRequest&) { return script.Next(); });
  auto invoker = MakeInvoker();
  CallOutcome outcome = Call(*invoker, MakeSession(server.url()), "dynamodb", "ListTables");
  ASSERT_TRUE(outcome.status.ok()) << outcome.status;
  EXPECT_EQ(outcome.retry_attempts, 1);
}

TEST_F(InvokerTest, TruncatedBodyThenSuccessIsRetried) {
  FakeResponse truncated = Json(200, R"({"TableNames":["al)");
  truncated.headers.push_back({"Content-Length", "200"});
  truncated.close_after_response = true;
  Script script({truncated, Json(200, kTables)});
  FakeHttpServer server([&](const http::HttpRequest&) { return script.Next(); });
  auto invoker = MakeInvoker();
  CallOutcome outcome = Call(*invoker, MakeSession(server.url()), "dynamodb", "ListTables");
  ASSERT_TRUE(outcome.status.ok()) << outcome.status;
  EXPECT_EQ(nlohmann::json::parse(outcome.reply.json)["TableNames"].size(), 2u);
  EXPECT_EQ(outcome.retry_attempts, 1);
}

TEST_F(InvokerTest, ReadTimeoutThenSuccessIsRetried) {
  FakeResponse slow = Json(200, kTables);
  slow.delay_before_response = milliseconds(2000);
  Script script({slow, Json(200, kTables)});
  FakeHttpServer server([&](const http::HttpRequest&) { return script.Next(); });
  auto invoker = MakeInvoker();
  CallSettings settings;
  settings.read_timeout = milliseconds(300);
  const auto start = std::chrono::steady_clock::now();
  CallOutcome outcome = Call(*invoker, MakeSession(server.url()), "dynamodb", "ListTables", "{}", settings);
  ASSERT_TRUE(outcome.status.ok()) << outcome.status;
  EXPECT_EQ(outcome.retry_attempts, 1);
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(1900));
}

TEST_F(InvokerTest, ReadTimeoutEveryTimeIsDeadlineExceeded) {
  FakeResponse slow = Json(200, kTables);
  slow.delay_before_response = milliseconds(1500);
  FakeHttpServer server([&](const http::HttpRequest&) { return slow; });
  auto invoker = MakeInvoker();
  CallSettings settings;
  settings.read_timeout = milliseconds(200);
  settings.max_attempts = 2;
  CallOutcome outcome = Call(*invoker, MakeSession(server.url()), "dynamodb", "ListTables", "{}", settings);
  EXPECT_EQ(outcome.status.code(), absl::StatusCode::kDeadlineExceeded) << outcome.status;
  EXPECT_EQ(outcome.retry_attempts, 1);
}

TEST_F(InvokerTest, ClockSkewIsCorrectedOnTheRetry) {
  // The server's clock is 20 minutes ahead of ours.
  const absl::Time server_now = absl::Now() + absl::Minutes(20);
  const std::string date = absl::FormatTime("%a, %d %b %Y %H:%M:%S GMT", server_now, absl::UTCTimeZone());
  Script script({Json(400, R"({"__type":"InvalidSignatureException","message":"Signature expired"})", {{"Date", date}}),
                 Json(200, kTables)});
  FakeHttpServer server([&](const http::HttpRequest&) { return script.Next(); });
  auto invoker = MakeInvoker();
  CallOutcome outcome = Call(*invoker, MakeSession(server.url()), "dynamodb", "ListTables");
  ASSERT_TRUE(outcome.status.ok()) << outcome.status;
  ASSERT_FALSE(outcome.reply.is_error) << outcome.reply.json;
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  auto amz_date = [](const http::HttpRequest& request) {
    for (const auto& header : request.headers) {
      if (http::EqualsIgnoreCase(header.name, "X-Amz-Date")) {
        // 20150830T123600Z, as RFC 3339.
        const std::string& v = header.value;
        const std::string rfc3339 = v.substr(0, 4) + "-" + v.substr(4, 2) + "-" + v.substr(6, 2) + "T" +
                                    v.substr(9, 2) + ":" + v.substr(11, 2) + ":" + v.substr(13, 2) + "Z";
        absl::Time t;
        std::string error;
        EXPECT_TRUE(absl::ParseTime(absl::RFC3339_full, rfc3339, &t, &error)) << error << ": " << v;
        return t;
      }
    }
    return absl::InfinitePast();
  };
  const absl::Duration first_skew = absl::AbsDuration(amz_date(requests[0]) - server_now);
  const absl::Duration second_skew = absl::AbsDuration(amz_date(requests[1]) - server_now);
  EXPECT_GT(first_skew, absl::Minutes(19));
  EXPECT_LT(second_skew, absl::Minutes(1));
  // Later calls to the same host start corrected.
  CallOutcome later = Call(*invoker, MakeSession(server.url()), "dynamodb", "ListTables");
  EXPECT_TRUE(later.status.ok()) << later.status;
  requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_LT(absl::AbsDuration(amz_date(requests[2]) - server_now), absl::Minutes(1));
}

TEST_F(InvokerTest, RetryQuotaRunsDryUnderALongOutage) {
  std::atomic<int> served{0};
  FakeHttpServer server([&](const http::HttpRequest&) {
    ++served;
    return Json(503, R"({"__type":"ServiceUnavailable","message":"down"})");
  });
  auto invoker = MakeInvoker();
  auto session = MakeSession(server.url());
  // 500 tokens, 5 per retry, 2 retries a call: 50 calls drain it.
  for (int i = 0; i < 50; ++i) {
    CallOutcome outcome = Call(*invoker, session, "dynamodb", "ListTables");
    ASSERT_TRUE(outcome.reply.is_error);
    ASSERT_EQ(outcome.retry_attempts, 2) << "call " << i;
    ASSERT_TRUE(outcome.retryable);
  }
  EXPECT_EQ(served.load(), 150);
  CallOutcome dry = Call(*invoker, session, "dynamodb", "ListTables");
  EXPECT_TRUE(dry.reply.is_error);
  EXPECT_EQ(dry.retry_attempts, 0);
  EXPECT_EQ(dry.reply.error_code, "ServiceUnavailable");
  EXPECT_EQ(served.load(), 151);
}

TEST_F(InvokerTest, NonRetryableErrorIsAnsweredAtOnce) {
  FakeHttpServer server([](const http::HttpRequest&) {
    return Json(400, R"({"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"no table"})");
  });
  auto invoker = MakeInvoker();
  CallOutcome outcome = Call(*invoker, MakeSession(server.url()), "dynamodb", "DescribeTable", R"({"TableName":"t"})");
  ASSERT_TRUE(outcome.status.ok()) << outcome.status;
  EXPECT_TRUE(outcome.reply.is_error);
  EXPECT_EQ(outcome.reply.error_code, "ResourceNotFoundException");
  EXPECT_FALSE(outcome.retryable);
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST_F(InvokerTest, BadParametersAreRefusedBeforeSending) {
  FakeHttpServer server([](const http::HttpRequest&) { return Json(200, "{}"); });
  auto invoker = MakeInvoker();
  CallOutcome outcome = Call(*invoker, MakeSession(server.url()), "dynamodb", "DescribeTable", R"({"TableNam":"t"})");
  EXPECT_EQ(outcome.status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(outcome.status.message().find("Unknown parameter in input: \"TableNam\""), std::string::npos)
      << outcome.status;
  CallOutcome unknown = Call(*invoker, MakeSession(server.url()), "dynamodb", "DescribeTables");
  EXPECT_EQ(unknown.status.code(), absl::StatusCode::kNotFound);
  CallOutcome kebab = Call(*invoker, MakeSession(server.url()), "dynamodb", "list-tables");
  EXPECT_TRUE(kebab.status.ok()) << kebab.status;
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST_F(InvokerTest, OperationContextParamsChooseTheAccountEndpoint) {
  // botocore 1.43 sends this to https://222222222222.ddb.us-east-1.amazonaws.com/:
  // ResourceArnList = keys(RequestItems), a JMESPath over the input.
  auto invoker = MakeInvoker();
  InvokeCall call;
  call.session = MakeSession("");
  call.service = "dynamodb";
  call.operation = "BatchGetItem";
  call.params_json =
      R"({"RequestItems":{"arn:aws:dynamodb:us-east-1:222222222222:table/t":{"Keys":[{"k":{"S":"1"}}]}}})";
  auto prepared = invoker->Prepare(call, {});
  ASSERT_TRUE(prepared.ok()) << prepared.status();
  EXPECT_EQ(prepared->request.request.url, "https://222222222222.ddb.us-east-1.amazonaws.com/");
  call.params_json = R"({"RequestItems":{"t":{"Keys":[{"k":{"S":"1"}}]}}})";
  prepared = invoker->Prepare(call, {});
  ASSERT_TRUE(prepared.ok()) << prepared.status();
  EXPECT_EQ(prepared->request.request.url, "https://dynamodb.us-east-1.amazonaws.com/");
}

TEST_F(InvokerTest, UnreachableEndpointIsUnavailableAfterRetries) {
  int port;
  {
    FakeHttpServer closed([](const http::HttpRequest&) { return FakeResponse(); });
    port = closed.port();
  }
  auto invoker = MakeInvoker();
  CallOutcome outcome =
      Call(*invoker, MakeSession("http://127.0.0.1:" + std::to_string(port)), "dynamodb", "ListTables");
  EXPECT_EQ(outcome.status.code(), absl::StatusCode::kUnavailable) << outcome.status;
  EXPECT_EQ(outcome.retry_attempts, 2);
}

}  // namespace
}  // namespace awsd::invoke
