// The curl client against a real local server (FakeHttpServer): what goes on
// the wire, what comes back, and how each transport failure is reported.

#include "daemon/http/curl_http_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>

#include "tests/support/fake_http_server.h"

namespace awsd::http {
namespace {

using test_support::FakeHttpServer;
using test_support::FakeResponse;
using test_support::RefusingPort;

const std::string* Find(const std::vector<Header>& headers, std::string_view name) {
  for (const auto& header : headers) {
    if (EqualsIgnoreCase(header.name, name)) return &header.value;
  }
  return nullptr;
}

TEST(CurlHttpClientTest, RoundTripsStatusHeadersAndBody) {
  FakeHttpServer server([](const HttpRequest&) {
    return FakeResponse{.status = 201,
                        .headers = {{"X-One", "1"}, {"X-Repeat", "a"}, {"X-Repeat", "b"}, {"X-Spaced", "  v  "}},
                        .body = std::string("hello\0world", 11)};
  });
  auto client = MakeCurlHttpClient();
  auto response = client->Send({"GET", server.url() + "/path/a%2Fb?q=1&r=%20", {{"X-Custom", "yes"}, {"X-Empty", ""}}, ""},
                               RequestOptions{});
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 201);
  EXPECT_EQ(response->body, std::string("hello\0world", 11));
  ASSERT_NE(response->FindHeader("x-one"), nullptr);
  EXPECT_EQ(*response->FindHeader("x-one"), "1");
  EXPECT_EQ(*response->FindHeader("X-SPACED"), "v");
  std::vector<std::string> repeats;
  for (const auto& header : response->headers) {
    if (header.name == "X-Repeat") repeats.push_back(header.value);
  }
  EXPECT_EQ(repeats, (std::vector<std::string>{"a", "b"}));

  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].url, "/path/a%2Fb?q=1&r=%20");
  ASSERT_NE(Find(requests[0].headers, "X-Custom"), nullptr);
  EXPECT_EQ(*Find(requests[0].headers, "X-Custom"), "yes");
  ASSERT_NE(Find(requests[0].headers, "X-Empty"), nullptr);
  EXPECT_EQ(*Find(requests[0].headers, "X-Empty"), "");
  EXPECT_EQ(*Find(requests[0].headers, "Host"), "127.0.0.1:" + std::to_string(server.port()));
  // Only what the caller asked for (and signed) is sent.
  EXPECT_EQ(Find(requests[0].headers, "Accept"), nullptr);
  EXPECT_EQ(Find(requests[0].headers, "User-Agent"), nullptr);
}

TEST(CurlHttpClientTest, SendsBodiesExactly) {
  FakeHttpServer server([](const HttpRequest& request) { return FakeResponse{.body = request.method}; });
  auto client = MakeCurlHttpClient();
  const std::string body = "Action=GetCallerIdentity&Version=2011-06-15&x=" + std::string(5000, 'y');
  auto posted = client->Send({"POST", server.url() + "/", {{"Content-Type", "application/x-www-form-urlencoded"}}, body},
                             RequestOptions{});
  ASSERT_TRUE(posted.ok()) << posted.status();
  EXPECT_EQ(posted->body, "POST");
  auto put = client->Send({"PUT", server.url() + "/latest/api/token", {{"x-aws-ec2-metadata-token-ttl-seconds", "21600"}}, ""},
                          RequestOptions{});
  ASSERT_TRUE(put.ok()) << put.status();
  EXPECT_EQ(put->body, "PUT");

  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].body, body);
  EXPECT_EQ(*Find(requests[0].headers, "Content-Type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(*Find(requests[0].headers, "Content-Length"), std::to_string(body.size()));
  EXPECT_EQ(Find(requests[0].headers, "Expect"), nullptr);
  EXPECT_EQ(requests[1].method, "PUT");
  EXPECT_EQ(requests[1].body, "");
  EXPECT_EQ(*Find(requests[1].headers, "Content-Length"), "0");
  // curl's form Content-Type is not slipped in when the caller set none.
  EXPECT_EQ(Find(requests[1].headers, "Content-Type"), nullptr);
}

TEST(CurlHttpClientTest, ReusesTheConnection) {
  FakeHttpServer server([](const HttpRequest&) { return FakeResponse{.body = "ok"}; });
  auto client = MakeCurlHttpClient();
  for (int i = 0; i < 3; ++i) {
    auto response = client->Send({"GET", server.url() + "/", {}, ""}, RequestOptions{});
    ASSERT_TRUE(response.ok()) << response.status();
  }
  EXPECT_EQ(server.requests().size(), 3u);
  EXPECT_EQ(server.connections(), 1u);
}

TEST(CurlHttpClientTest, SlowServerIsDeadlineExceeded) {
  FakeHttpServer server(
      [](const HttpRequest&) { return FakeResponse{.body = "late", .delay_before_response = std::chrono::seconds(5)}; });
  auto client = MakeCurlHttpClient();
  const auto start = std::chrono::steady_clock::now();
  auto response = client->Send({"GET", server.url() + "/slow?token=hunter2", {}, ""},
                               RequestOptions{.total_timeout = std::chrono::milliseconds(150)});
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_EQ(response.status().code(), absl::StatusCode::kDeadlineExceeded) << response.status();
  EXPECT_LT(elapsed, std::chrono::seconds(2));
  const std::string message(response.status().message());
  EXPECT_NE(message.find("GET " + server.url() + "/slow"), std::string::npos) << message;
  EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
}

TEST(CurlHttpClientTest, RefusedConnectionIsUnavailable) {
  RefusingPort refusing;
  auto client = MakeCurlHttpClient();
  const std::string url = "http://127.0.0.1:" + std::to_string(refusing.port()) + "/x?X-Amz-Signature=s3cr3t";
  auto response = client->Send({"GET", url, {{"Authorization", "tok3n"}}, ""}, RequestOptions{});
  ASSERT_EQ(response.status().code(), absl::StatusCode::kUnavailable) << response.status();
  const std::string message(response.status().message());
  EXPECT_NE(message.find("GET http://127.0.0.1:" + std::to_string(refusing.port()) + "/x"), std::string::npos);
  EXPECT_EQ(message.find("s3cr3t"), std::string::npos) << message;
  EXPECT_EQ(message.find("tok3n"), std::string::npos) << message;
}

TEST(CurlHttpClientTest, DroppedConnectionIsUnavailable) {
  FakeHttpServer server([](const HttpRequest&) { return FakeResponse{.close_without_response = true}; });
  auto client = MakeCurlHttpClient();
  auto response = client->Send({"GET", server.url() + "/", {}, ""}, RequestOptions{});
  EXPECT_EQ(response.status().code(), absl::StatusCode::kUnavailable) << response.status();
}

TEST(CurlHttpClientTest, ResponseOverTheCapIsResourceExhausted) {
  std::atomic<bool> declare_length = true;
  FakeHttpServer server([&](const HttpRequest& request) {
    if (request.url == "/exact") return FakeResponse{.body = std::string(1024, 'x')};
    return FakeResponse{.body = std::string(4 << 20, 'x'), .omit_content_length = !declare_length};
  });
  auto client = MakeCurlHttpClient();
  const RequestOptions capped{.max_response_bytes = 1024};

  auto exact = client->Send({"GET", server.url() + "/exact", {}, ""}, capped);
  ASSERT_TRUE(exact.ok()) << exact.status();
  EXPECT_EQ(exact->body.size(), 1024u);

  // Refused from the declared length, and from the bytes when none is
  // declared: either way well before 4 MiB have been read.
  for (bool declared : {true, false}) {
    declare_length = declared;
    auto response = client->Send({"GET", server.url() + "/big", {}, ""}, capped);
    ASSERT_EQ(response.status().code(), absl::StatusCode::kResourceExhausted) << response.status();
    EXPECT_NE(std::string(response.status().message()).find("larger than 1024 bytes"), std::string::npos);
  }
  // The client is still usable afterwards.
  auto after = client->Send({"GET", server.url() + "/exact", {}, ""}, capped);
  EXPECT_TRUE(after.ok()) << after.status();
}

TEST(CurlHttpClientTest, LoopbackPortKeepsTheOriginalHost) {
  FakeHttpServer server([](const HttpRequest&) { return FakeResponse{.body = "ok"}; });
  auto client = MakeCurlHttpClient({.loopback_port = server.port()});
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"http://169.254.169.254/latest/api/token", "169.254.169.254"},
      {"https://sts.amazonaws.com/?Action=GetCallerIdentity", "sts.amazonaws.com"},
      {"https://STS.us-east-1.amazonaws.com:8443/a/b?x=1", "sts.us-east-1.amazonaws.com:8443"},
      {"http://[fd00:ec2::254]", "[fd00:ec2::254]"},
  };
  for (const auto& [url, host] : cases) {
    auto response = client->Send({"GET", url, {}, ""}, RequestOptions{});
    ASSERT_TRUE(response.ok()) << url << ": " << response.status();
  }
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), cases.size());
  const std::vector<std::string> targets = {"/latest/api/token", "/?Action=GetCallerIdentity", "/a/b?x=1", "/"};
  for (size_t i = 0; i < cases.size(); ++i) {
    EXPECT_EQ(requests[i].url, targets[i]);
    ASSERT_NE(Find(requests[i].headers, "Host"), nullptr);
    EXPECT_EQ(*Find(requests[i].headers, "Host"), cases[i].second);
  }
}

TEST(CurlHttpClientTest, RefusesMalformedRequestsWithoutEchoingValues) {
  auto client = MakeCurlHttpClient();
  auto injected = client->Send({"GET", "http://127.0.0.1:1/", {{"Authorization", "secret\r\nX-Evil: 1"}}, ""},
                               RequestOptions{});
  ASSERT_EQ(injected.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(injected.status().message()).find("secret"), std::string::npos);
  EXPECT_EQ(client->Send({"GET", "ftp://127.0.0.1/", {}, ""}, RequestOptions{}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(client->Send({"GET", "/relative", {}, ""}, RequestOptions{}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(client->Send({"GE T", "http://127.0.0.1:1/", {}, ""}, RequestOptions{}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(CurlHttpClientTest, ServesConcurrentCallers) {
  FakeHttpServer server([](const HttpRequest& request) { return FakeResponse{.body = request.url}; });
  auto client = MakeCurlHttpClient({.max_idle_handles = 2});
  std::vector<std::thread> threads;
  std::atomic<int> good = 0;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        const std::string path = "/" + std::to_string(t) + "/" + std::to_string(i);
        auto response = client->Send({"GET", server.url() + path, {}, ""}, RequestOptions{});
        if (response.ok() && response->body == path) ++good;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(good.load(), 40);
}

}  // namespace
}  // namespace awsd::http
