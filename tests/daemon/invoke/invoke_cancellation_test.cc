// A client that goes away mid-call (its deadline passes) cancels the call in
// the daemon: the upstream request in flight is dropped and never retried.

#include <gtest/gtest.h>

#include <thread>

#include "awsd/client.h"
#include "tests/support/daemon_process.h"
#include "tests/support/fake_http_server.h"
#include "tests/support/temp_dir.h"

namespace awsd {
namespace {

using test_support::DaemonProcess;
using test_support::FakeHttpServer;
using test_support::FakeResponse;
using test_support::TempDir;

TEST(InvokeCancellationTest, AClientThatGoesAwayIsNotRetriedFor) {
  // Answers a retryable error, but only after 4 s.
  FakeHttpServer::Options server_options;
  server_options.read_timeout = std::chrono::seconds(10);
  FakeHttpServer server(
      [](const http::HttpRequest&) {
        FakeResponse response;
        response.status = 503;
        response.headers = {{"Content-Type", "application/x-amz-json-1.0"}};
        response.body = R"({"__type":"ServiceUnavailable","message":"later"})";
        response.delay_before_response = std::chrono::seconds(4);
        return response;
      },
      server_options);
  TempDir dir;
  const std::string socket = (dir.path() / "awsd.sock").string();
  auto options = DaemonProcess::Options::AgainstFakeAws(socket, server.url());
  options.env.insert({{"AWS_RETRY_MODE", "standard"}, {"AWS_MAX_ATTEMPTS", "5"}});
  DaemonProcess daemon(options, dir.path() / "awsd.log");
  ASSERT_TRUE(daemon.WaitUntilServing(socket)) << daemon.Log();

  Client client({.socket_path = socket});
  v1::InvokeRequest request;
  request.set_service("dynamodb");
  request.set_operation("ListTables");
  auto reply = client.Invoke(Session::Default(), request, {.timeout = std::chrono::milliseconds(500)});
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().code, grpc::StatusCode::DEADLINE_EXCEEDED);

  // Uncancelled, the 503 would arrive at 4 s and be retried within 1 s.
  std::this_thread::sleep_for(std::chrono::seconds(6));
  EXPECT_EQ(server.requests().size(), 1u) << daemon.Log();
  // The daemon still serves.
  EXPECT_TRUE(client.Health().ok());
}

}  // namespace
}  // namespace awsd
