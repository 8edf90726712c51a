// Client::Invoke over InvokeSession streams, against a real daemon: streams
// are reused and not shared between threads, a stale stream (daemon
// restarted) costs no failed call, a caller that gives up cancels its call in
// the daemon and the client goes on, an idle open stream does not hold up
// SIGTERM, and the raw RPC's per-call cancel and call_id checks.

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <fstream>
#include <thread>
#include <vector>

#include "awsd/client.h"
#include "awsd/v1/invoke_session.grpc.pb.h"
#include "tests/support/daemon_process.h"
#include "tests/support/fake_http_server.h"
#include "tests/support/temp_dir.h"

namespace awsd {
namespace {

using test_support::DaemonProcess;
using test_support::FakeHttpServer;
using test_support::FakeResponse;
using test_support::TempDir;

FakeResponse Tables(std::chrono::milliseconds delay = {}) {
  FakeResponse response;
  response.headers = {{"Content-Type", "application/x-amz-json-1.0"}};
  response.body = R"({"TableNames":["a"]})";
  response.delay_before_response = delay;
  return response;
}

class InvokeSessionTest : public ::testing::Test {
 protected:
  // Requests whose body mentions "slow" are answered after 3 s.
  InvokeSessionTest()
      : server_([](const http::HttpRequest& request) {
          return Tables(request.body.find("slow") != std::string::npos ? std::chrono::milliseconds(3000)
                                                                       : std::chrono::milliseconds(0));
        }),
        socket_((dir_.path() / "awsd.sock").string()) {}

  std::unique_ptr<DaemonProcess> StartDaemon(const std::string& log_name, std::vector<std::string> args = {}) {
    auto options = DaemonProcess::Options::AgainstFakeAws(socket_, server_.url());
    options.args.insert(options.args.end(), args.begin(), args.end());
    options.env.insert({"AWS_MAX_ATTEMPTS", "1"});
    auto daemon = std::make_unique<DaemonProcess>(options, dir_.path() / log_name);
    EXPECT_TRUE(daemon->WaitUntilServing(socket_)) << daemon->Log();
    return daemon;
  }

  static v1::InvokeRequest ListTables(const std::string& start = "") {
    v1::InvokeRequest request;
    request.set_service("dynamodb");
    request.set_operation("ListTables");
    if (!start.empty()) request.set_params_json(R"({"ExclusiveStartTableName":")" + start + R"("})");
    return request;
  }

  FakeHttpServer server_;
  TempDir dir_;
  std::string socket_;
};

TEST_F(InvokeSessionTest, ManyCallsFromManyThreadsOnOneClient) {
  auto daemon = StartDaemon("awsd.log");
  Client client({.socket_path = socket_});
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        // Each thread's answers are its own: the start name comes back in
        // the request the stub saw, and the result is the stub's.
        auto reply = client.Invoke(Session::Default(), ListTables("table" + std::to_string(t)));
        if (!reply.ok() || reply->result_json().find("\"a\"") == std::string::npos) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(server_.requests().size(), 200u);
}

TEST_F(InvokeSessionTest, AServiceErrorAndARefusedCallComeBackAsTheUnaryCallWould) {
  auto daemon = StartDaemon("awsd.log");
  Client client({.socket_path = socket_});
  auto unknown = client.Invoke(Session::Default(), "dynamodb", "NoSuchOperation", "{}");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().code, grpc::StatusCode::OK);
  EXPECT_FALSE(unknown.error().service_error.has_value());
  // The stream that carried the refusal carries the next call.
  EXPECT_TRUE(client.Invoke(Session::Default(), ListTables()).ok());
}

TEST_F(InvokeSessionTest, ACallerThatGivesUpCancelsItsCallAndTheClientGoesOn) {
  auto daemon = StartDaemon("awsd.log");
  Client client({.socket_path = socket_});
  ASSERT_TRUE(client.Invoke(Session::Default(), ListTables()).ok());
  const auto start = std::chrono::steady_clock::now();
  auto slow = client.Invoke(Session::Default(), ListTables("slow"), {.timeout = std::chrono::milliseconds(300)});
  ASSERT_FALSE(slow.ok());
  EXPECT_EQ(slow.error().code, grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  auto next = client.Invoke(Session::Default(), ListTables());
  EXPECT_TRUE(next.ok()) << next.error().ToString();
  // The daemon dropped the slow call: it logs it cancelled.
  EXPECT_TRUE(daemon->WaitForLog("outcome=CANCELLED")) << daemon->Log();
}

TEST_F(InvokeSessionTest, AStreamLeftByARestartedDaemonCostsNoFailedCall) {
  Client client({.socket_path = socket_});
  {
    auto daemon = StartDaemon("first.log");
    ASSERT_TRUE(client.Invoke(Session::Default(), ListTables()).ok());
    daemon->Signal(SIGTERM);
    ASSERT_TRUE(daemon->WaitForExit().has_value());
  }
  auto daemon = StartDaemon("second.log");
  auto reply = client.Invoke(Session::Default(), ListTables());
  EXPECT_TRUE(reply.ok()) << reply.error().ToString();
}

TEST_F(InvokeSessionTest, AnIdleOpenStreamDoesNotHoldUpShutdown) {
  // A drain long enough to tell apart from gRPC's own teardown of an idle
  // connection (about 5 s, with or without a stream on it).
  const auto config = dir_.path() / "awsd.toml";
  std::ofstream(config) << "[server]\ndrain_timeout_ms = 30000\n";
  auto daemon = StartDaemon("awsd.log", {"--config", config.string()});
  Client client({.socket_path = socket_});
  ASSERT_TRUE(client.Invoke(Session::Default(), ListTables()).ok());
  const auto start = std::chrono::steady_clock::now();
  daemon->Signal(SIGTERM);
  auto status = daemon->WaitForExit(std::chrono::seconds(40));
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(*status, 0);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(15)) << daemon->Log();
}

TEST_F(InvokeSessionTest, TheRawStreamCancelsOneCallAndRefusesADuplicateId) {
  auto daemon = StartDaemon("awsd.log");
  auto channel = grpc::CreateChannel("unix:" + socket_, grpc::InsecureChannelCredentials());
  auto stub = v1::InvokeSessionService::NewStub(channel);
  grpc::ClientContext context;
  auto stream = stub->InvokeSession(&context);
  v1::InvokeSessionRequest slow;
  slow.set_call_id(7);
  *slow.mutable_call() = ListTables("slow");
  ASSERT_TRUE(stream->Write(slow));
  ASSERT_TRUE(stream->Write(slow));  // 7 again, while 7 is in flight
  v1::InvokeSessionResponse answer;
  ASSERT_TRUE(stream->Read(&answer));
  EXPECT_EQ(answer.call_id(), 7u);
  EXPECT_EQ(answer.status_code(), static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));

  v1::InvokeSessionRequest fast;
  fast.set_call_id(8);
  *fast.mutable_call() = ListTables();
  ASSERT_TRUE(stream->Write(fast));
  ASSERT_TRUE(stream->Read(&answer));  // 8 overtakes the slow 7
  EXPECT_EQ(answer.call_id(), 8u);
  EXPECT_EQ(answer.status_code(), 0);
  EXPECT_NE(answer.reply().result_json().find("\"a\""), std::string::npos);

  v1::InvokeSessionRequest cancel;
  cancel.set_call_id(7);
  cancel.set_cancel(true);
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(stream->Write(cancel));
  ASSERT_TRUE(stream->Read(&answer));
  EXPECT_EQ(answer.call_id(), 7u);
  EXPECT_EQ(answer.status_code(), static_cast<int>(grpc::StatusCode::CANCELLED));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));

  // Closing our side ends the stream OK once everything is answered.
  ASSERT_TRUE(stream->WritesDone());
  EXPECT_FALSE(stream->Read(&answer));
  EXPECT_TRUE(stream->Finish().ok());
}

}  // namespace
}  // namespace awsd
