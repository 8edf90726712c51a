// The multi-transfer client against a real local server (FakeHttpServer):
// pooling, each failure's status, streaming with back-pressure both ways,
// timers, shutdown, proxies, and memory held while streaming.

#include "daemon/http/async_http_client.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <fstream>
#include <future>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/fake_http_server.h"

namespace awsd::http {
namespace {

using namespace std::chrono_literals;
using test_support::FakeHttpServer;
using test_support::FakeResponse;
using test_support::RefusingPort;
using Result = absl::StatusOr<HttpResponse>;

constexpr auto kWait = 20s;  // upper bound for anything that should be quick

const std::string* Find(const std::vector<Header>& headers, std::string_view name) {
  for (const auto& header : headers) {
    if (EqualsIgnoreCase(header.name, name)) return &header.value;
  }
  return nullptr;
}

int Count(const std::vector<Header>& headers, std::string_view name) {
  return static_cast<int>(std::count_if(headers.begin(), headers.end(),
                                        [&](const Header& header) { return EqualsIgnoreCase(header.name, name); }));
}

// A Start whose completion can be waited for with a bound.
struct Pending {
  std::shared_ptr<TransferHandle> handle;
  std::future<Result> future;

  Result Get(std::chrono::milliseconds bound = kWait) {
    if (future.wait_for(bound) != std::future_status::ready) {
      ADD_FAILURE() << "no completion within " << bound.count() << " ms";
      return absl::InternalError("test: no completion");
    }
    return future.get();
  }
};

Pending Begin(AsyncHttpClient& client, Exchange exchange) {
  auto promise = std::make_shared<std::promise<Result>>();
  Pending pending;
  pending.future = promise->get_future();
  pending.handle =
      client.Start(std::move(exchange), [promise](Result result) { promise->set_value(std::move(result)); });
  return pending;
}

Result Call(AsyncHttpClient& client, Exchange exchange) { return Begin(client, std::move(exchange)).Get(); }

Exchange Get(std::string url, ExchangeOptions options = {}) {
  Exchange exchange;
  exchange.request = HttpRequest{"GET", std::move(url), {}, ""};
  exchange.options = std::move(options);
  return exchange;
}

// Byte i of every generated body (FakeResponse::generated_body_bytes).
char PatternAt(uint64_t i) { return static_cast<char>(i % 251); }

std::string Pattern(uint64_t offset, std::size_t n) {
  std::string out(n, '\0');
  for (std::size_t i = 0; i < n; ++i) out[i] = PatternAt(offset + i);
  return out;
}

// A request body another thread feeds: kWouldBlock until it adds more, and
// it calls Resume after each addition.
class FedReader : public BodyReader {
 public:
  void Add(std::string_view data) {
    std::lock_guard lock(mutex_);
    pending_.append(data);
  }
  void End() {
    std::lock_guard lock(mutex_);
    ended_ = true;
  }
  std::ptrdiff_t Read(std::span<char> out) override {
    std::lock_guard lock(mutex_);
    if (pending_.empty()) {
      if (ended_) return 0;
      ++would_blocks_;
      return kWouldBlock;
    }
    const std::size_t n = std::min(out.size(), pending_.size());
    std::memcpy(out.data(), pending_.data(), n);
    pending_.erase(0, n);
    return static_cast<std::ptrdiff_t>(n);
  }
  int would_blocks() {
    std::lock_guard lock(mutex_);
    return would_blocks_;
  }

 private:
  std::mutex mutex_;
  std::string pending_;
  bool ended_ = false;
  int would_blocks_ = 0;
};

// Feeds `body` to `reader` in pieces from its own thread, resuming the
// transfer after each.
std::thread Feed(std::shared_ptr<FedReader> reader, std::shared_ptr<TransferHandle> handle, std::string body) {
  return std::thread([reader, handle, body = std::move(body)] {
    constexpr std::size_t kPiece = 64 * 1024;
    for (std::size_t at = 0; at < body.size(); at += kPiece) {
      std::this_thread::sleep_for(2ms);
      reader->Add(std::string_view(body).substr(at, kPiece));
      handle->Resume();
    }
    reader->End();
    handle->Resume();
  });
}

TEST(AsyncHttpClientTest, RoundTripsStatusHeadersAndBody) {
  FakeHttpServer server([](const HttpRequest&) {
    return FakeResponse{
        .status = 201, .headers = {{"X-One", "1"}, {"X-Repeat", "a"}, {"X-Repeat", "b"}}, .body = "hello"};
  });
  auto client = AsyncHttpClient::Create();
  Exchange exchange = Get(server.url() + "/path/a%2Fb/../c?q=1&r=%20");
  exchange.request.headers = {{"X-Custom", "yes"}, {"X-Empty", ""}};
  auto response = Call(*client, std::move(exchange));
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 201);
  EXPECT_EQ(response->body, "hello");
  EXPECT_EQ(*response->FindHeader("x-one"), "1");
  EXPECT_EQ(Count(response->headers, "X-Repeat"), 2);

  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].url, "/path/a%2Fb/../c?q=1&r=%20");
  EXPECT_EQ(*Find(requests[0].headers, "X-Custom"), "yes");
  EXPECT_EQ(*Find(requests[0].headers, "X-Empty"), "");
  // Only what the caller asked for (and signed) is sent.
  EXPECT_EQ(Find(requests[0].headers, "Accept"), nullptr);
  EXPECT_EQ(Find(requests[0].headers, "User-Agent"), nullptr);
  EXPECT_EQ(Find(requests[0].headers, "Expect"), nullptr);
}

TEST(AsyncHttpClientTest, SendsBufferedBodiesExactly) {
  FakeHttpServer server([](const HttpRequest& request) { return FakeResponse{.body = request.method}; });
  auto client = AsyncHttpClient::Create();
  const std::string body = "Action=GetCallerIdentity&x=" + std::string(3 << 20, 'y');
  Exchange exchange;
  exchange.request = {"POST", server.url() + "/", {{"Content-Type", "application/x-www-form-urlencoded"}}, body};
  auto response = Call(*client, std::move(exchange));
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->body, "POST");
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].body, body);
  EXPECT_EQ(Find(requests[0].headers, "Expect"), nullptr);
  EXPECT_EQ(Count(requests[0].headers, "Content-Type"), 1);
}

TEST(AsyncHttpClientTest, ManyConcurrentRequestsShareFewConnections) {
  FakeHttpServer server(
      [](const HttpRequest& request) { return FakeResponse{.body = request.url, .delay_before_response = 1ms}; });
  auto client = AsyncHttpClient::Create({.max_connections_per_host = 4});
  for (int wave = 0; wave < 2; ++wave) {
    std::vector<Pending> pending;
    for (int i = 0; i < 200; ++i) pending.push_back(Begin(*client, Get(server.url() + "/item/" + std::to_string(i))));
    for (int i = 0; i < 200; ++i) {
      auto response = pending[i].Get(60s);
      ASSERT_TRUE(response.ok()) << response.status();
      EXPECT_EQ(response->body, "/item/" + std::to_string(i));
    }
  }
  EXPECT_EQ(server.requests().size(), 400u);
  // Reused across requests and across waves, never more than the cap.
  EXPECT_LE(server.connections(), 4u);
}

TEST(AsyncHttpClientTest, RefusedConnectionIsUnavailable) {
  RefusingPort port;
  auto client = AsyncHttpClient::Create();
  auto response = Call(*client, Get("http://127.0.0.1:" + std::to_string(port.port()) + "/x?token=secret"));
  EXPECT_EQ(response.status().code(), absl::StatusCode::kUnavailable) << response.status();
  EXPECT_EQ(std::string(response.status().message()).find("secret"), std::string::npos);
  EXPECT_NE(std::string(response.status().message()).find("GET http://127.0.0.1"), std::string::npos);
}

TEST(AsyncHttpClientTest, ReadTimeoutIsDeadlineExceededInAboutTheSetTime) {
  FakeHttpServer server([](const HttpRequest&) { return FakeResponse{.delay_before_response = 5s}; });
  auto client = AsyncHttpClient::Create();
  const auto start = std::chrono::steady_clock::now();
  auto response = Call(*client, Get(server.url() + "/slow?X-Amz-Signature=secret", {.read_timeout = 300ms}));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(response.status().code(), absl::StatusCode::kDeadlineExceeded) << response.status();
  EXPECT_GE(elapsed, 290ms);
  EXPECT_LT(elapsed, 1500ms);
  EXPECT_EQ(std::string(response.status().message()).find("secret"), std::string::npos);
}

TEST(AsyncHttpClientTest, TotalTimeoutIsDeadlineExceeded) {
  FakeHttpServer server([](const HttpRequest&) { return FakeResponse{.delay_before_response = 5s}; });
  auto client = AsyncHttpClient::Create();
  const auto start = std::chrono::steady_clock::now();
  auto response = Call(*client, Get(server.url() + "/slow", {.total_timeout = 250ms}));
  EXPECT_EQ(response.status().code(), absl::StatusCode::kDeadlineExceeded) << response.status();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1500ms);
}

TEST(AsyncHttpClientTest, TruncatedBodyIsDataLoss) {
  FakeHttpServer server([](const HttpRequest&) {
    return FakeResponse{.headers = {{"Content-Length", "100"}}, .body = "only ten..", .close_after_response = true};
  });
  auto client = AsyncHttpClient::Create();
  auto response = Call(*client, Get(server.url() + "/cut"));
  EXPECT_EQ(response.status().code(), absl::StatusCode::kDataLoss) << response.status();
}

TEST(AsyncHttpClientTest, ClosedWithoutAnswerIsUnavailable) {
  FakeHttpServer server([](const HttpRequest&) { return FakeResponse{.close_without_response = true}; });
  auto client = AsyncHttpClient::Create();
  auto response = Call(*client, Get(server.url() + "/gone"));
  EXPECT_EQ(response.status().code(), absl::StatusCode::kUnavailable) << response.status();
}

TEST(AsyncHttpClientTest, BufferedBodyOverTheCapIsResourceExhausted) {
  FakeHttpServer server([](const HttpRequest& request) {
    return FakeResponse{.body = std::string(5000, 'x'), .omit_content_length = request.url == "/unsized"};
  });
  auto client = AsyncHttpClient::Create();
  for (const char* path : {"/sized", "/unsized"}) {
    auto response = Call(*client, Get(server.url() + path, {.max_buffered_response_bytes = 1000}));
    EXPECT_EQ(response.status().code(), absl::StatusCode::kResourceExhausted) << path << ": " << response.status();
  }
}

TEST(AsyncHttpClientTest, MalformedRequestsAreInvalidArgumentWithoutTheirValues) {
  FakeHttpServer server([](const HttpRequest&) { return FakeResponse{}; });
  auto client = AsyncHttpClient::Create();
  Exchange bad_value = Get(server.url() + "/");
  bad_value.request.headers = {{"X-Token", "secret\r\nInjected: yes"}};
  auto response = Call(*client, std::move(bad_value));
  EXPECT_EQ(response.status().code(), absl::StatusCode::kInvalidArgument) << response.status();
  EXPECT_EQ(std::string(response.status().message()).find("secret"), std::string::npos);

  Exchange bad_name = Get(server.url() + "/");
  bad_name.request.headers = {{"X Token", "v"}};
  EXPECT_EQ(Call(*client, std::move(bad_name)).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Call(*client, Get("ftp://example.com/")).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(server.requests().empty());
}

TEST(AsyncHttpClientTest, StreamsAnUploadOfKnownLengthWithBackPressure) {
  FakeHttpServer server(
      [](const HttpRequest& request) { return FakeResponse{.body = std::to_string(request.body.size())}; });
  auto client = AsyncHttpClient::Create();
  const std::string body = Pattern(7, (1 << 20) + 123);
  auto reader = std::make_shared<FedReader>();
  Exchange exchange;
  exchange.request = {"PUT", server.url() + "/bucket/key", {{"x-amz-content-sha256", "UNSIGNED-PAYLOAD"}}, ""};
  exchange.body_reader = reader;
  exchange.content_length = body.size();
  exchange.options.read_timeout = 2s;
  Pending pending = Begin(*client, std::move(exchange));
  std::thread feeder = Feed(reader, pending.handle, body);
  auto response = pending.Get();
  feeder.join();
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->body, std::to_string(body.size()));
  EXPECT_GT(reader->would_blocks(), 0);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "PUT");
  EXPECT_TRUE(requests[0].body == body);
  EXPECT_EQ(*Find(requests[0].headers, "Content-Length"), std::to_string(body.size()));
  EXPECT_EQ(Find(requests[0].headers, "Transfer-Encoding"), nullptr);
  EXPECT_EQ(Find(requests[0].headers, "Expect"), nullptr);
}

TEST(AsyncHttpClientTest, StreamsAnUploadOfUnknownLengthChunked) {
  FakeHttpServer server(
      [](const HttpRequest& request) { return FakeResponse{.body = std::to_string(request.body.size())}; });
  auto client = AsyncHttpClient::Create();
  const std::string body = Pattern(0, 777777);
  auto reader = std::make_shared<FedReader>();
  Exchange exchange;
  exchange.request = {"POST", server.url() + "/upload", {}, ""};
  exchange.body_reader = reader;
  Pending pending = Begin(*client, std::move(exchange));
  std::thread feeder = Feed(reader, pending.handle, body);
  auto response = pending.Get();
  feeder.join();
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->body, std::to_string(body.size()));
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_TRUE(requests[0].body == body);
  EXPECT_EQ(*Find(requests[0].headers, "Transfer-Encoding"), "chunked");
  EXPECT_EQ(Find(requests[0].headers, "Content-Length"), nullptr);
  EXPECT_EQ(Find(requests[0].headers, "Expect"), nullptr);
}

// Takes the body into a check of the generated pattern; after every
// `pause_every` bytes it says kWouldBlock until another thread (Unblocker)
// resumes it.
class PausingWriter : public BodyWriter {
 public:
  explicit PausingWriter(bool stream, std::size_t pause_every) : stream_(stream), pause_every_(pause_every) {}

  bool OnHead(int status, const std::vector<Header>&) override {
    std::lock_guard lock(mutex_);
    ++heads_;
    status_ = status;
    return stream_;
  }
  WriteResult Write(std::string_view data) override {
    std::lock_guard lock(mutex_);
    ++writes_;
    if (blocked_) return WriteResult::kWouldBlock;
    if (pause_every_ > 0 && since_pause_ >= pause_every_) {
      since_pause_ = 0;
      blocked_ = true;
      ++pauses_;
      changed_.notify_all();
      return WriteResult::kWouldBlock;
    }
    for (std::size_t i = 0; i < data.size(); ++i) pattern_ok_ &= data[i] == PatternAt(received_ + i);
    received_ += data.size();
    since_pause_ += data.size();
    return WriteResult::kAccepted;
  }
  // Waits (bounded) for a pause, sleeps `hold`, then lifts it. False once
  // Finish was called (or after a long wait for nothing).
  bool UnblockNext(TransferHandle& handle, std::chrono::milliseconds hold) {
    std::unique_lock lock(mutex_);
    if (!changed_.wait_for(lock, 10s, [&] { return blocked_ || finished_; }) || finished_) return false;
    lock.unlock();
    std::this_thread::sleep_for(hold);
    lock.lock();
    blocked_ = false;
    lock.unlock();
    handle.Resume();
    return true;
  }
  void Finish() {
    std::lock_guard lock(mutex_);
    finished_ = true;
    changed_.notify_all();
  }

  std::mutex mutex_;
  std::condition_variable changed_;
  const bool stream_;
  const std::size_t pause_every_;
  int heads_ = 0, status_ = 0, writes_ = 0, pauses_ = 0;
  bool blocked_ = false, finished_ = false, pattern_ok_ = true;
  uint64_t received_ = 0, since_pause_ = 0;
};

TEST(AsyncHttpClientTest, StreamsADownloadWithBackPressure) {
  constexpr uint64_t kSize = 8 << 20;
  FakeHttpServer server([](const HttpRequest&) { return FakeResponse{.generated_body_bytes = kSize}; });
  auto client = AsyncHttpClient::Create();
  auto writer = std::make_shared<PausingWriter>(true, 1 << 20);
  Exchange exchange = Get(server.url() + "/big", {.read_timeout = 300ms, .max_buffered_response_bytes = 1024});
  exchange.body_writer = writer;
  Pending pending = Begin(*client, std::move(exchange));
  std::thread consumer([&] {
    // The first pause outlasts the read timeout: our own back-pressure is
    // not the server's silence.
    bool first = true;
    while (writer->UnblockNext(*pending.handle, first ? 700ms : 5ms)) first = false;
  });
  auto response = pending.Get(60s);
  writer->Finish();
  consumer.join();
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 200);
  EXPECT_TRUE(response->body.empty());
  EXPECT_EQ(writer->heads_, 1);
  EXPECT_EQ(writer->status_, 200);
  EXPECT_EQ(writer->received_, kSize);
  EXPECT_TRUE(writer->pattern_ok_);
  EXPECT_GE(writer->pauses_, 7);
}

TEST(AsyncHttpClientTest, OnHeadFalseBuffersTheErrorBody) {
  FakeHttpServer server([](const HttpRequest&) {
    return FakeResponse{.status = 403, .body = "<Error><Code>AccessDenied</Code></Error>"};
  });
  auto client = AsyncHttpClient::Create();
  auto writer = std::make_shared<PausingWriter>(false, 0);
  Exchange exchange = Get(server.url() + "/object");
  exchange.body_writer = writer;
  auto response = Call(*client, std::move(exchange));
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 403);
  EXPECT_EQ(response->body, "<Error><Code>AccessDenied</Code></Error>");
  EXPECT_EQ(writer->heads_, 1);
  EXPECT_EQ(writer->status_, 403);
  EXPECT_EQ(writer->writes_, 0);
}

TEST(AsyncHttpClientTest, FailingReaderOrWriterIsAborted) {
  FakeHttpServer server([](const HttpRequest&) { return FakeResponse{.body = std::string(100000, 'z')}; });
  auto client = AsyncHttpClient::Create();

  struct FailingWriter : BodyWriter {
    bool OnHead(int, const std::vector<Header>&) override { return true; }
    WriteResult Write(std::string_view) override { return WriteResult::kFailed; }
  };
  Exchange download = Get(server.url() + "/");
  download.body_writer = std::make_shared<FailingWriter>();
  EXPECT_EQ(Call(*client, std::move(download)).status().code(), absl::StatusCode::kAborted);

  struct FailingReader : BodyReader {
    std::ptrdiff_t Read(std::span<char>) override { return kFailed; }
  };
  Exchange upload;
  upload.request = {"PUT", server.url() + "/", {}, ""};
  upload.body_reader = std::make_shared<FailingReader>();
  upload.content_length = 10;
  EXPECT_EQ(Call(*client, std::move(upload)).status().code(), absl::StatusCode::kAborted);

  // Fewer bytes than declared is the reader's failure too, not a hang.
  struct ShortReader : BodyReader {
    std::ptrdiff_t Read(std::span<char> out) override {
      if (done) return 0;
      done = true;
      out[0] = 'a';
      return 1;
    }
    bool done = false;
  };
  Exchange short_upload;
  short_upload.request = {"PUT", server.url() + "/", {}, ""};
  short_upload.body_reader = std::make_shared<ShortReader>();
  short_upload.content_length = 10;
  EXPECT_EQ(Call(*client, std::move(short_upload)).status().code(), absl::StatusCode::kAborted);
}

TEST(AsyncHttpClientTest, CancelCompletesWithCancelled) {
  FakeHttpServer server([](const HttpRequest&) { return FakeResponse{.delay_before_response = 5s}; });
  auto client = AsyncHttpClient::Create();
  Pending pending = Begin(*client, Get(server.url() + "/slow"));
  std::this_thread::sleep_for(100ms);
  const auto start = std::chrono::steady_clock::now();
  pending.handle->Cancel();
  auto response = pending.Get(2s);
  EXPECT_EQ(response.status().code(), absl::StatusCode::kCancelled) << response.status();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  pending.handle->Cancel();  // after completion: nothing happens
  pending.handle->Resume();
}

TEST(AsyncHttpClientTest, RunAfterRunsTasksInOrderAfterTheirDelays) {
  auto client = AsyncHttpClient::Create();
  std::mutex mutex;
  std::vector<std::pair<std::string, std::chrono::steady_clock::duration>> runs;
  std::promise<void> all_ran;
  const auto start = std::chrono::steady_clock::now();
  auto record = [&](std::string name) {
    return [&, name] {
      std::lock_guard lock(mutex);
      runs.emplace_back(name, std::chrono::steady_clock::now() - start);
      if (runs.size() == 4) all_ran.set_value();
    };
  };
  client->RunAfter(200ms, record("200"));
  client->RunAfter(50ms, record("50"));
  client->RunAfter(100ms, record("100a"));
  client->RunAfter(100ms, record("100b"));
  ASSERT_EQ(all_ran.get_future().wait_for(5s), std::future_status::ready);
  std::lock_guard lock(mutex);
  ASSERT_EQ(runs.size(), 4u);
  const std::vector<std::string> order = {runs[0].first, runs[1].first, runs[2].first, runs[3].first};
  EXPECT_EQ(order, (std::vector<std::string>{"50", "100a", "100b", "200"}));
  EXPECT_GE(runs[0].second, 50ms);
  EXPECT_GE(runs[1].second, 100ms);
  EXPECT_GE(runs[3].second, 200ms);
  EXPECT_LT(runs[3].second, 1000ms);
}

TEST(AsyncHttpClientTest, ShutdownCancelsTransfersInFlightAndDropsTasks) {
  FakeHttpServer server([](const HttpRequest&) { return FakeResponse{.delay_before_response = 10s}; });
  auto client = AsyncHttpClient::Create();
  std::atomic<int> cancelled{0}, other{0};
  for (int i = 0; i < 5; ++i) {
    client->Start(Get(server.url() + "/slow"), [&](Result result) {
      (result.status().code() == absl::StatusCode::kCancelled ? cancelled : other)++;
    });
  }
  std::atomic<bool> task_ran{false};
  client->RunAfter(10s, [&] { task_ran = true; });
  std::this_thread::sleep_for(200ms);  // in flight, waiting for the answer
  const auto start = std::chrono::steady_clock::now();
  client->Shutdown();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  // Every completion ran before Shutdown returned.
  EXPECT_EQ(cancelled.load(), 5);
  EXPECT_EQ(other.load(), 0);
  EXPECT_FALSE(task_ran.load());
  client->Shutdown();  // idempotent

  // After shutdown a Start still completes exactly once, with Cancelled.
  int late = 0;
  client->Start(Get(server.url() + "/late"), [&](Result result) {
    EXPECT_EQ(result.status().code(), absl::StatusCode::kCancelled);
    ++late;
  });
  EXPECT_EQ(late, 1);
}

TEST(AsyncHttpClientTest, DestroyingTheClientFromItsOwnTaskDoesNotHang) {
  auto client = AsyncHttpClient::Create();
  std::promise<void> ran;
  auto* raw = client.get();
  raw->RunAfter(1ms, [client = std::move(client), &ran]() mutable {
    client.reset();  // the last reference: destroyed on its own transport thread
    ran.set_value();
  });
  EXPECT_EQ(ran.get_future().wait_for(5s), std::future_status::ready);
}

TEST(AsyncHttpClientTest, ProxyForFollowsUrllibAndBotocore) {
  struct Case {
    std::map<std::string, std::string> env;
    std::string url;
    std::string proxy;
  };
  // Expectations from botocore.utils.get_environ_proxies and
  // ProxyConfiguration.proxy_url_for (botocore 1.43, CPython 3.11).
  const std::vector<Case> cases = {
      {{}, "https://s3.amazonaws.com/", ""},
      {{{"HTTPS_PROXY", "http://proxy:3128"}}, "https://s3.amazonaws.com/", "http://proxy:3128"},
      {{{"HTTPS_PROXY", "http://proxy:3128"}}, "http://s3.amazonaws.com/", ""},
      {{{"HTTP_PROXY", "http://p:1"}}, "http://s3.amazonaws.com/", "http://p:1"},
      {{{"https_proxy", "http://lower:1"}, {"HTTPS_PROXY", "http://upper:1"}},
       "https://s3.amazonaws.com/",
       "http://lower:1"},
      {{{"https_proxy", ""}, {"HTTPS_PROXY", "http://upper:1"}}, "https://s3.amazonaws.com/", ""},
      {{{"HTTPS_PROXY", ""}}, "https://s3.amazonaws.com/", ""},
      {{{"HTTPS_PROXY", "proxy.local:3128"}}, "https://s3.amazonaws.com/", "http://proxy.local:3128"},
      {{{"HTTPS_PROXY", "//proxy:3128"}}, "https://s3.amazonaws.com/", "http://proxy:3128"},
      {{{"HTTPS_PROXY", "https://secure:443"}}, "https://s3.amazonaws.com/", "https://secure:443"},
      {{{"HTTPS_PROXY", "http://p:1"}, {"NO_PROXY", "*"}}, "https://s3.amazonaws.com/", ""},
      {{{"HTTPS_PROXY", "http://p:1"}, {"NO_PROXY", "amazonaws.com"}}, "https://s3.us-east-1.amazonaws.com/x", ""},
      {{{"HTTPS_PROXY", "http://p:1"}, {"NO_PROXY", ".amazonaws.com"}}, "https://s3.us-east-1.amazonaws.com/x", ""},
      {{{"HTTPS_PROXY", "http://p:1"}, {"NO_PROXY", "amazonaws.com"}}, "https://amazonaws.com/", ""},
      {{{"HTTPS_PROXY", "http://p:1"}, {"NO_PROXY", "zonaws.com"}}, "https://s3.amazonaws.com/", "http://p:1"},
      {{{"HTTPS_PROXY", "http://p:1"}, {"NO_PROXY", "example.com, s3.amazonaws.com:443"}},
       "https://s3.amazonaws.com:443/",
       ""},
      {{{"HTTPS_PROXY", "http://p:1"}, {"NO_PROXY", "example.com, s3.amazonaws.com:443"}},
       "https://s3.amazonaws.com/",
       "http://p:1"},
      {{{"HTTPS_PROXY", "http://p:1"}, {"NO_PROXY", "S3.AmazonAws.com"}}, "https://s3.amazonaws.COM/", ""},
      {{{"HTTP_PROXY", "http://p:1"}, {"NO_PROXY", "localhost,127.0.0.1"}}, "http://127.0.0.1:8080/", ""},
      {{{"HTTPS_PROXY", "http://p:1"}, {"no_proxy", ""}, {"NO_PROXY", "amazonaws.com"}},
       "https://s3.amazonaws.com/",
       "http://p:1"},
      {{{"HTTPS_PROXY", "http://p:1"}, {"no_proxy", "amazonaws.com"}, {"NO_PROXY", "other.com"}},
       "https://s3.amazonaws.com/",
       ""},
      {{{"HTTP_PROXY", "http://upper:1"}, {"REQUEST_METHOD", "GET"}}, "http://s3.amazonaws.com/", ""},
      {{{"http_proxy", "http://lower:1"}, {"REQUEST_METHOD", "GET"}}, "http://s3.amazonaws.com/", "http://lower:1"},
      {{{"HTTPS_PROXY", "http://upper:1"}, {"REQUEST_METHOD", "GET"}}, "https://s3.amazonaws.com/", "http://upper:1"},
      {{{"HTTPS_PROXY", "http://p:1"}, {"NO_PROXY", " * "}}, "https://s3.amazonaws.com/", "http://p:1"},
      {{{"HTTP_PROXY", "http://p:1"}, {"NO_PROXY", "10.0.0.0/8"}}, "http://10.1.2.3/", "http://p:1"},
      {{{"HTTP_PROXY", "http://p:1"}, {"NO_PROXY", "[::1]"}}, "http://[::1]:8080/", ""},
      {{{"HTTP_PROXY", "http://p:1"}, {"NO_PROXY", "::1"}}, "http://[::1]:8080/", "http://p:1"},
      {{{"HTTPS_PROXY", "http://p:1"}, {"NO_PROXY", "amazonaws.com"}},
       "https://example.com/path?x=amazonaws.com",
       "http://p:1"},
      {{{"HTTPS_PROXY", "http://p:1"}, {"NO_PROXY", "amazonaws.com"}},
       "https://example.com:8443#amazonaws.com",
       "http://p:1"},
      {{{"HTTPS_PROXY", "http://p:1"}, {"NO_PROXY", ",, ..amazonaws.com ,"}}, "https://s3.amazonaws.com/", ""},
      {{{"HTTPS_PROXY", "http://p:1"}, {"NO_PROXY", "s3.amazonaws.com"}}, "https://s3.amazonaws.com:/", ""},
      {{{"HTTPS_PROXY", "http://p:1"}, {"NO_PROXY", "amazonaws.com"}}, "HTTPS://S3.AMAZONAWS.COM/", ""},
      {{{"HTTPS_PROXY", "http://p:1"}}, "HTTPS://S3.AMAZONAWS.COM/", "http://p:1"},
  };
  for (const Case& c : cases) {
    auto env = [&](const std::string& name) -> std::optional<std::string> {
      auto found = c.env.find(name);
      if (found == c.env.end()) return std::nullopt;
      return found->second;
    };
    std::string described;
    for (const auto& [name, value] : c.env) described += name + "=" + value + " ";
    EXPECT_EQ(ProxyFor(c.url, env), c.proxy) << described << c.url;
  }
}

TEST(AsyncHttpClientTest, SendsThroughTheProxyGiven) {
  FakeHttpServer proxy([](const HttpRequest& request) { return FakeResponse{.body = "via proxy " + request.url}; });
  auto client = AsyncHttpClient::Create();
  auto response = Call(*client, Get("http://bucket.s3.example.invalid/key?versionId=3", {.proxy = proxy.url()}));
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->body, "via proxy http://bucket.s3.example.invalid/key?versionId=3");
  const auto requests = proxy.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(*Find(requests[0].headers, "Host"), "bucket.s3.example.invalid");
  EXPECT_EQ(Find(requests[0].headers, "Proxy-Connection"), nullptr);
}

TEST(AsyncHttpClientTest, IgnoresProxiesFromTheEnvironmentWhenGivenNone) {
  FakeHttpServer server([](const HttpRequest&) { return FakeResponse{.body = "direct"}; });
  FakeHttpServer proxy([](const HttpRequest&) { return FakeResponse{.body = "proxied"}; });
  ::setenv("http_proxy", proxy.url().c_str(), 1);
  auto client = AsyncHttpClient::Create();
  auto response = Call(*client, Get(server.url() + "/"));
  ::unsetenv("http_proxy");
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->body, "direct");
  EXPECT_TRUE(proxy.requests().empty());
}

TEST(AsyncHttpClientTest, ExpectContinueSendsTheHeaderAndWaitsForTheGoAhead) {
  FakeHttpServer server(
      [](const HttpRequest& request) { return FakeResponse{.body = std::to_string(request.body.size())}; });
  auto client = AsyncHttpClient::Create();
  for (bool streamed : {false, true}) {
    Exchange exchange;
    const std::string body = Pattern(0, 2 << 20);
    exchange.request = {"PUT", server.url() + "/bucket/key", {}, streamed ? "" : body};
    if (streamed) {
      auto reader = std::make_shared<FedReader>();
      reader->Add(body);
      reader->End();
      exchange.body_reader = reader;
      exchange.content_length = body.size();
    }
    exchange.options.expect_continue = true;
    const auto start = std::chrono::steady_clock::now();
    auto response = Call(*client, std::move(exchange));
    ASSERT_TRUE(response.ok()) << response.status();
    EXPECT_EQ(response->body, std::to_string(body.size()));
    // curl waits up to 1 s for "100 Continue"; it went on at the answer.
    EXPECT_LT(std::chrono::steady_clock::now() - start, 900ms) << streamed;
  }
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  for (const auto& request : requests) {
    ASSERT_NE(Find(request.headers, "Expect"), nullptr);
    EXPECT_EQ(*Find(request.headers, "Expect"), "100-continue");
  }
}

TEST(AsyncHttpClientTest, SendsTheDefaultUserAgentOnlyWhenTheRequestHasNone) {
  FakeHttpServer server([](const HttpRequest&) { return FakeResponse{}; });
  auto client = AsyncHttpClient::Create({.user_agent = "awsd/1.0 md/transport"});
  ASSERT_TRUE(Call(*client, Get(server.url() + "/a")).ok());
  Exchange own = Get(server.url() + "/b");
  own.request.headers = {{"User-Agent", "Boto3/1.34 caller"}};
  ASSERT_TRUE(Call(*client, std::move(own)).ok());
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(*Find(requests[0].headers, "User-Agent"), "awsd/1.0 md/transport");
  EXPECT_EQ(Count(requests[1].headers, "User-Agent"), 1);
  EXPECT_EQ(*Find(requests[1].headers, "User-Agent"), "Boto3/1.34 caller");
}

TEST(AsyncHttpClientTest, LoopbackPortSendsEverythingToTheLocalServer) {
  FakeHttpServer server([](const HttpRequest&) { return FakeResponse{.body = "{}"}; });
  auto client = AsyncHttpClient::Create({.loopback_port = server.port()});
  auto response = Call(*client, Get("https://sts.us-east-1.amazonaws.com/path?Action=GetCallerIdentity"));
  ASSERT_TRUE(response.ok()) << response.status();
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].url, "/path?Action=GetCallerIdentity");
  EXPECT_EQ(*Find(requests[0].headers, "Host"), "sts.us-east-1.amazonaws.com");
}

// Peak resident memory of this process, in KiB (VmHWM), or -1.
long PeakRssKb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

long RssKb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

TEST(AsyncHttpClientTest, StreamsAQuarterGigabyteBothWaysInBoundedMemory) {
  constexpr uint64_t kSize = uint64_t{256} << 20;
  FakeHttpServer server([](const HttpRequest&) { return FakeResponse{.generated_body_bytes = kSize}; },
                        FakeHttpServer::Options{.discard_request_bodies = true});
  auto client = AsyncHttpClient::Create();

  struct PatternReader : BodyReader {
    std::ptrdiff_t Read(std::span<char> out) override {
      const std::size_t n = static_cast<std::size_t>(std::min<uint64_t>(out.size(), kSize - sent));
      for (std::size_t i = 0; i < n; ++i) out[i] = PatternAt(sent + i);
      sent += n;
      return static_cast<std::ptrdiff_t>(n);
    }
    uint64_t sent = 0;
  };
  struct CheckingWriter : BodyWriter {
    bool OnHead(int, const std::vector<Header>&) override { return true; }
    WriteResult Write(std::string_view data) override {
      for (std::size_t i = 0; i < data.size(); ++i) ok &= data[i] == PatternAt(received + i);
      received += data.size();
      return WriteResult::kAccepted;
    }
    uint64_t received = 0;
    bool ok = true;
  };
  // Resets VmHWM to the current RSS (Linux 4.0+), so earlier peaks in this
  // process do not hide this one.
  { std::ofstream("/proc/self/clear_refs") << "5"; }
  const long before = RssKb();
  ASSERT_GT(before, 0);

  auto writer = std::make_shared<CheckingWriter>();
  Exchange exchange;
  exchange.request = {"PUT", server.url() + "/bucket/huge", {}, ""};
  exchange.body_reader = std::make_shared<PatternReader>();
  exchange.content_length = kSize;
  exchange.body_writer = writer;
  auto response = Begin(*client, std::move(exchange)).Get(180s);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(server.discarded_body_bytes(), kSize);
  EXPECT_EQ(writer->received, kSize);
  EXPECT_TRUE(writer->ok);
  const long growth_kb = PeakRssKb() - before;
  EXPECT_LT(growth_kb, 64 * 1024) << "peak RSS grew by " << growth_kb << " KiB";
}

}  // namespace
}  // namespace awsd::http
