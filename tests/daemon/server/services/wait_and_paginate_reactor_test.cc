// The Wait and Paginate RPCs against a real daemon and a fake AWS: a client
// that goes away stops the polling and the walk (nothing more is asked of
// AWS for it), and a paginator whose token repeats ends with botocore's error.

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "awsd/client.h"
#include "nlohmann/json.hpp"
#include "tests/support/daemon_process.h"
#include "tests/support/fake_http_server.h"
#include "tests/support/temp_dir.h"

namespace awsd {
namespace {

using test_support::DaemonProcess;
using test_support::FakeHttpServer;
using test_support::FakeResponse;
using test_support::TempDir;

FakeResponse DynamoDbAnswer(int status, std::string body) {
  FakeResponse response;
  response.status = status;
  response.headers = {{"Content-Type", "application/x-amz-json-1.0"}};
  response.body = std::move(body);
  return response;
}

// DynamoDB's TableExists waiter (named as `waiter` spells it) on table "t",
// polling every second.
v1::WaitRequest TableExists(const std::string& waiter) {
  v1::WaitRequest request;
  request.set_service("dynamodb");
  request.set_waiter(waiter);
  request.set_params_json(R"({"TableName":"t"})");
  request.set_delay_seconds(1);
  return request;
}

class ReactorTest : public ::testing::Test {
 protected:
  void StartDaemon(const FakeHttpServer& server) {
    socket_ = (dir_.path() / "awsd.sock").string();
    daemon_ = std::make_unique<DaemonProcess>(DaemonProcess::Options::AgainstFakeAws(socket_, server.url()),
                                              dir_.path() / "awsd.log");
    ASSERT_TRUE(daemon_->WaitUntilServing(socket_)) << daemon_->Log();
  }

  TempDir dir_;
  std::string socket_;
  std::unique_ptr<DaemonProcess> daemon_;
};

TEST_F(ReactorTest, AWaiterWhoseClientLeftPollsNoMore) {
  // The table never appears: TableExists retries on ResourceNotFoundException.
  FakeHttpServer server([](const http::HttpRequest&) {
    return DynamoDbAnswer(400, R"({"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",)"
                               R"("message":"Requested resource not found"})");
  });
  StartDaemon(server);
  Client client({.socket_path = socket_});
  v1::WaitRequest request = TableExists("table-exists");
  auto reply = client.Wait(Session::Default(), request, {.timeout = std::chrono::milliseconds(2500)});
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().code, grpc::StatusCode::DEADLINE_EXCEEDED);
  const std::size_t polled = server.requests().size();
  EXPECT_GE(polled, 2u);
  EXPECT_LE(polled, 4u);
  // Uncancelled, it would poll every second for 25 attempts.
  std::this_thread::sleep_for(std::chrono::seconds(3));
  EXPECT_EQ(server.requests().size(), polled) << daemon_->Log();
  EXPECT_TRUE(client.Health().ok());
}

TEST_F(ReactorTest, AWaiterRunsOutOfAttemptsWithBotocoresMessage) {
  FakeHttpServer server([](const http::HttpRequest&) {
    return DynamoDbAnswer(400, R"({"__type":"ResourceNotFoundException","message":"not yet"})");
  });
  StartDaemon(server);
  Client client({.socket_path = socket_});
  v1::WaitRequest request = TableExists("TableExists");
  request.set_max_attempts(2);
  auto reply = client.Wait(Session::Default(), request);
  ASSERT_TRUE(reply.ok()) << reply.error().ToString();
  EXPECT_EQ(reply->state(), v1::WaitResponse::STATE_TIMEOUT);
  EXPECT_EQ(reply->attempts(), 2);
  EXPECT_EQ(reply->message(),
            "Waiter TableExists failed: Max attempts exceeded. Previously accepted state: Matched expected service "
            "error code: ResourceNotFoundException");
  EXPECT_EQ(reply->last_response().error().code(), "ResourceNotFoundException");
  EXPECT_EQ(server.requests().size(), 2u);
}

TEST_F(ReactorTest, LeavingThePageLoopStopsTheWalk) {
  // An endless table listing: every page names a next one.
  std::atomic<int> served{0};
  FakeHttpServer server([&](const http::HttpRequest&) {
    const int n = served++;
    return DynamoDbAnswer(200, "{\"TableNames\":[\"t" + std::to_string(n) + "\"],\"LastEvaluatedTableName\":\"t" +
                                   std::to_string(n) + "\"}");
  });
  StartDaemon(server);
  Client client({.socket_path = socket_});
  v1::PaginateRequest request;
  request.set_service("dynamodb");
  request.set_operation("list-tables");
  int read = 0;
  {
    PageRange pages = client.Pages(Session::Default(), request);
    for (const v1::Page& page : pages) {
      ASSERT_FALSE(page.has_error());
      EXPECT_NE(page.result_json().find("\"t" + std::to_string(read) + "\""), std::string::npos);
      if (++read == 3) break;
    }
  }
  // The daemon writes ahead of the reader by at most what the transport
  // buffers; after the range is gone, no page is asked for.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const int asked = served.load();
  EXPECT_LT(asked, 50);
  std::this_thread::sleep_for(std::chrono::seconds(1));
  EXPECT_EQ(served.load(), asked) << daemon_->Log();
}

TEST_F(ReactorTest, ARepeatedTokenEndsTheWalkWithBotocoresError) {
  FakeHttpServer server([](const http::HttpRequest&) {
    return DynamoDbAnswer(200, R"({"TableNames":["a"],"LastEvaluatedTableName":"same"})");
  });
  StartDaemon(server);
  Client client({.socket_path = socket_});
  v1::PaginateRequest request;
  request.set_service("dynamodb");
  request.set_operation("ListTables");
  PageRange pages = client.Pages(Session::Default(), request);
  int read = 0;
  for (const v1::Page& page : pages) read += page.has_error() ? 0 : 1;
  EXPECT_EQ(read, 2);
  ASSERT_FALSE(pages.status().ok());
  EXPECT_EQ(pages.status().error().message,
            "Error during pagination: The same next token was received twice: {'ExclusiveStartTableName': 'same'}");
}

TEST_F(ReactorTest, AMergedResultLargerThanAMessageComesInPieces) {
  // Five pages of 100 names of 5 KB: 2.5 MB merged, over the 1 MiB a piece.
  std::atomic<int> served{0};
  FakeHttpServer server([&](const http::HttpRequest&) {
    const int n = served++;
    nlohmann::json page = {{"TableNames", nlohmann::json::array()}};
    for (int i = 0; i < 100; ++i) page["TableNames"].push_back(std::to_string(n * 100 + i) + std::string(5000, 'x'));
    if (n < 4) page["LastEvaluatedTableName"] = page["TableNames"].back();
    return DynamoDbAnswer(200, page.dump());
  });
  StartDaemon(server);
  Client client({.socket_path = socket_});
  v1::PaginateRequest request;
  request.set_service("dynamodb");
  request.set_operation("ListTables");
  request.set_view(v1::PAGE_VIEW_MERGED);
  std::string merged;
  int pieces = 0;
  PageRange pages = client.Pages(Session::Default(), request);
  for (const v1::Page& page : pages) {
    merged += page.result_json();
    ++pieces;
    EXPECT_EQ(page.continued(), pieces < 3);
  }
  ASSERT_TRUE(pages.status().ok()) << pages.status().error().ToString();
  EXPECT_EQ(pieces, 3);
  const auto result = nlohmann::json::parse(merged, nullptr, false);
  ASSERT_TRUE(result.is_object());
  ASSERT_EQ(result["TableNames"].size(), 500u);
  EXPECT_EQ(result["TableNames"][499], "499" + std::string(5000, 'x'));
}

TEST_F(ReactorTest, AnOperationWithoutAPaginatorIsRefused) {
  FakeHttpServer server([](const http::HttpRequest&) { return DynamoDbAnswer(200, "{}"); });
  StartDaemon(server);
  Client client({.socket_path = socket_});
  v1::PaginateRequest request;
  request.set_service("dynamodb");
  request.set_operation("DescribeTable");
  PageRange pages = client.Pages(Session::Default(), request);
  for (const v1::Page& page : pages) ADD_FAILURE() << page.DebugString();
  ASSERT_FALSE(pages.status().ok());
  EXPECT_EQ(pages.status().error().code, grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(pages.status().error().message, "Operation cannot be paginated: describe_table");
  EXPECT_TRUE(server.requests().empty());
}

}  // namespace
}  // namespace awsd
