// Sign, SignBatch, SignStream and SignChunk against a real daemon.
#include <grpcpp/create_channel.h>
#include <gtest/gtest.h>

#include "awsd/client.h"
#include "awsd/v1/session.grpc.pb.h"
#include "awsd/v1/signing.grpc.pb.h"
#include "tests/support/shared_daemon_test.h"

namespace awsd::test_support {
namespace {

class SigningServiceTest : public SharedDaemonTest {
 protected:

  void SetUp() override {
    channel_ = grpc::CreateChannel("unix:" + socket(), grpc::InsecureChannelCredentials());
    stub_ = awsd::v1::SigningService::NewStub(channel_);
    auto sessions = awsd::v1::SessionService::NewStub(channel_);
    awsd::v1::CreateSessionRequest create;
    create.mutable_spec()->mutable_explicit_credentials()->set_access_key_id("AKIAIOSFODNN7EXAMPLE");
    create.mutable_spec()->mutable_explicit_credentials()->set_secret_access_key(
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    grpc::ClientContext context;
    ASSERT_TRUE(sessions->CreateSession(&context, create, &session_).ok());
  }

  // The i-th request of a batch: distinct paths so results cannot be
  // confused; every seventh is malformed (no region).
  awsd::v1::SignRequest Request(int i) const {
    awsd::v1::SignRequest request;
    request.mutable_session()->set_session_id(session_.session_id());
    request.mutable_request()->set_method("GET");
    request.mutable_request()->set_url("https://examplebucket.s3.amazonaws.com/object-" + std::to_string(i));
    request.set_service("s3");
    request.set_region(i % 7 == 3 ? "" : "us-east-1");
    request.mutable_signing_time()->set_seconds(1369353600);  // 2013-05-24T00:00:00Z
    request.set_content_sha256_header(true);
    request.set_disable_path_normalization(true);
    request.set_disable_double_encoding(true);
    return request;
  }

  awsd::v1::SignResult SignAlone(const awsd::v1::SignRequest& request) const {
    grpc::ClientContext context;
    awsd::v1::SignResponse reply;
    grpc::Status status = stub_->Sign(&context, request, &reply);
    awsd::v1::SignResult result;
    if (status.ok()) {
      *result.mutable_response() = reply;
    } else {
      result.mutable_error()->set_code(status.error_code());
      result.mutable_error()->set_message(status.error_message());
    }
    return result;
  }

  static void ExpectSameResult(const awsd::v1::SignResult& expected, const awsd::v1::SignResult& actual, int i) {
    ASSERT_EQ(expected.outcome_case(), actual.outcome_case()) << "request " << i;
    if (expected.has_error()) {
      EXPECT_EQ(expected.error().code(), actual.error().code()) << "request " << i;
      EXPECT_EQ(expected.error().message(), actual.error().message()) << "request " << i;
    } else {
      EXPECT_EQ(expected.response().signature(), actual.response().signature()) << "request " << i;
      EXPECT_EQ(expected.response().request().url(), actual.response().request().url()) << "request " << i;
      EXPECT_EQ(expected.response().request().headers_size(), actual.response().request().headers_size());
    }
  }

  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<awsd::v1::SigningService::Stub> stub_;
  awsd::v1::Session session_;
};

TEST_F(SigningServiceTest, BatchAnswersEachRequestInOrderAsSignWould) {
  // 100 requests: large enough that the daemon splits the batch over cores.
  awsd::v1::SignBatchRequest batch;
  for (int i = 0; i < 100; ++i) *batch.add_requests() = Request(i);
  // One request names another session inline, to mix resolution paths.
  batch.mutable_requests(50)->mutable_session()->mutable_spec()->mutable_explicit_credentials()->set_access_key_id(
      "AKIDOTHER");
  batch.mutable_requests(50)->mutable_session()->mutable_spec()->mutable_explicit_credentials()->set_secret_access_key(
      "other-secret");
  grpc::ClientContext context;
  awsd::v1::SignBatchResponse reply;
  ASSERT_TRUE(stub_->SignBatch(&context, batch, &reply).ok());
  ASSERT_EQ(reply.results_size(), 100);
  int errors = 0;
  for (int i = 0; i < 100; ++i) {
    ExpectSameResult(SignAlone(batch.requests(i)), reply.results(i), i);
    if (reply.results(i).has_error()) {
      ++errors;
      EXPECT_EQ(reply.results(i).error().code(), grpc::StatusCode::INVALID_ARGUMENT);
      EXPECT_NE(reply.results(i).error().message().find("region"), std::string::npos);
    }
  }
  EXPECT_EQ(errors, 14);
  EXPECT_NE(reply.results(50).response().request().headers(0).value(), "");
}

TEST_F(SigningServiceTest, EmptyBatchIsAnEmptyAnswer) {
  grpc::ClientContext context;
  awsd::v1::SignBatchResponse reply;
  ASSERT_TRUE(stub_->SignBatch(&context, awsd::v1::SignBatchRequest(), &reply).ok());
  EXPECT_EQ(reply.results_size(), 0);
}

TEST_F(SigningServiceTest, StreamAnswersEachRequestInOrder) {
  grpc::ClientContext context;
  auto stream = stub_->SignStream(&context);
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(stream->Write(Request(i)));
    awsd::v1::SignResult result;
    ASSERT_TRUE(stream->Read(&result));
    ExpectSameResult(SignAlone(Request(i)), result, i);
  }
  stream->WritesDone();
  EXPECT_TRUE(stream->Finish().ok());
}

TEST_F(SigningServiceTest, StreamWithManyInFlightAnswersEveryRequestInOrder) {
  // More requests written before the first read than the daemon queues
  // (256), so it must pause reading and resume; then the stream is closed
  // for writing while results are still pending.
  constexpr int kRequests = 300;
  grpc::ClientContext context;
  auto stream = stub_->SignStream(&context);
  for (int i = 0; i < kRequests; ++i) ASSERT_TRUE(stream->Write(Request(i))) << i;
  stream->WritesDone();
  for (int i = 0; i < kRequests; ++i) {
    awsd::v1::SignResult result;
    ASSERT_TRUE(stream->Read(&result)) << i;
    if (i % 7 == 3) {
      EXPECT_TRUE(result.has_error()) << i;
    } else {
      ASSERT_TRUE(result.has_response()) << i;
      EXPECT_TRUE(result.response().request().url().ends_with("/object-" + std::to_string(i))) << i;
    }
  }
  awsd::v1::SignResult extra;
  EXPECT_FALSE(stream->Read(&extra));
  EXPECT_TRUE(stream->Finish().ok());
}

TEST_F(SigningServiceTest, SigningStepsOnlyWhenAskedAndNoBodyEchoed) {
  auto request = Request(1);
  request.mutable_request()->set_body("payload");
  auto plain = SignAlone(request);
  ASSERT_TRUE(plain.has_response());
  EXPECT_TRUE(plain.response().canonical_request().empty());
  EXPECT_TRUE(plain.response().request().body().empty());
  request.set_include_signing_steps(true);
  auto explained = SignAlone(request);
  ASSERT_TRUE(explained.has_response());
  EXPECT_TRUE(explained.response().canonical_request().starts_with("GET\n/object-1\n"));
  EXPECT_TRUE(explained.response().string_to_sign().starts_with("AWS4-HMAC-SHA256\n20130524T000000Z\n"));
  EXPECT_EQ(explained.response().signature(), plain.response().signature());
}

// S3's documented aws-chunked example: the seed signature, then the first
// 64 KiB chunk of 'a's chained from it.
TEST_F(SigningServiceTest, ChunkSignaturesChainFromTheSeed) {
  awsd::v1::SignChunkRequest chunk;
  chunk.mutable_session()->set_session_id(session_.session_id());
  chunk.set_service("s3");
  chunk.set_region("us-east-1");
  chunk.mutable_signing_time()->set_seconds(1369353600);
  chunk.set_previous_signature("4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9");
  chunk.set_chunk(std::string(65536, 'a'));
  grpc::ClientContext context;
  awsd::v1::SignChunkResponse reply;
  ASSERT_TRUE(stub_->SignChunk(&context, chunk, &reply).ok());
  EXPECT_EQ(reply.signature(), "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648");
  EXPECT_TRUE(reply.string_to_sign().starts_with("AWS4-HMAC-SHA256-PAYLOAD\n"));
}

TEST_F(SigningServiceTest, UnknownSessionIsNotFound) {
  auto request = Request(0);
  request.mutable_session()->set_session_id("s-nope");
  auto result = SignAlone(request);
  ASSERT_TRUE(result.has_error());
  EXPECT_EQ(result.error().code(), grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace awsd::test_support
