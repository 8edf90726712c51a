#include "daemon/protocols/request_finishing.h"

#include <zlib.h>

#include "daemon/model/model_registry.h"
#include "gtest/gtest.h"

namespace awsd::protocols {
namespace {

const model::ModelRegistry& Registry() {
  static const model::ModelRegistry registry(
      model::ModelFiles(model::ModelSearchPath({}, config::ProcessEnvironment())));
  return registry;
}

const model::Operation& Op(const char* service, const char* operation) {
  auto model = Registry().Service(service);
  EXPECT_TRUE(model.ok()) << model.status();
  static std::vector<std::shared_ptr<const model::ServiceModel>> keep;
  keep.push_back(*model);
  return **(*model)->FindOperation(operation);
}

TEST(ChecksumsTest, KnownDigests) {
  EXPECT_EQ(ChecksumBase64(ChecksumAlgorithm::kCrc32, "Hello world"), "i9aeUg==");
  EXPECT_EQ(ChecksumBase64(ChecksumAlgorithm::kCrc32c, "123456789"), "4waSgw==");  // 0xE3069283
  EXPECT_EQ(ChecksumBase64(ChecksumAlgorithm::kSha1, "Hello world"), "e1AsOh9IyGCa4hLN+2Od7jlnP14=");
  EXPECT_EQ(ChecksumBase64(ChecksumAlgorithm::kSha256, "Hello world"), "ZOyIygCyaOW6GjVnihtTFtIS9PNmskdyMlNKiuyjfzw=");
  Checksum pieces(ChecksumAlgorithm::kCrc32c);
  pieces.Update("1234");
  pieces.Update("56789");
  EXPECT_EQ(pieces.FinishBase64(), "4waSgw==");
  EXPECT_FALSE(ChecksumAlgorithmNamed("crc64nvme").has_value());
  EXPECT_EQ(ChecksumAlgorithmNamed("SHA256"), ChecksumAlgorithm::kSha256);
}

TEST(RequestFinishingTest, IdempotencyTokensAndValidationMode) {
  Value params = {{"MinCount", 1}, {"MaxCount", 1}};
  PrepareParams(
      Op("ec2", "RunInstances"), {}, [] { return "token-1"; }, params);
  EXPECT_EQ(params["ClientToken"], "token-1");
  Value given = {{"ClientToken", "mine"}};
  PrepareParams(
      Op("ec2", "RunInstances"), {}, [] { return "token-1"; }, given);
  EXPECT_EQ(given["ClientToken"], "mine");

  Value get = {{"Bucket", "b"}, {"Key", "k"}};
  PrepareParams(Op("s3", "GetObject"), {}, nullptr, get);
  EXPECT_EQ(get["ChecksumMode"], "ENABLED");
  Value when_required = {{"Bucket", "b"}, {"Key", "k"}};
  FinishingSettings settings;
  settings.response_checksum_when_supported = false;
  PrepareParams(Op("s3", "GetObject"), settings, nullptr, when_required);
  EXPECT_FALSE(when_required.contains("ChecksumMode"));
  EXPECT_EQ(RandomUuid().size(), 36u);
  EXPECT_NE(RandomUuid(), RandomUuid());
}

TEST(RequestFinishingTest, DefaultCrc32InATrailerForStreamingUploadsOverTls) {
  const Value params = {{"Bucket", "b"}, {"Key", "k"}};
  ChecksumPlan plan = PlanChecksums(Op("s3", "PutObject"), params, {}).value();
  ASSERT_EQ(plan.request_algorithm, ChecksumAlgorithm::kCrc32);
  EXPECT_TRUE(plan.in_trailer);
  EXPECT_EQ(plan.request_algorithm_header, "x-amz-sdk-checksum-algorithm");

  SerializedRequest request;
  request.body = "Hello world";
  ApplyRequestChecksum(plan, request);
  EXPECT_EQ(request.body, "b\r\nHello world\r\n0\r\nx-amz-checksum-crc32:i9aeUg==\r\n\r\n");
  EXPECT_EQ(*request.FindHeader("Content-Encoding"), "aws-chunked");
  EXPECT_EQ(*request.FindHeader("X-Amz-Trailer"), "x-amz-checksum-crc32");
  EXPECT_EQ(*request.FindHeader("X-Amz-Decoded-Content-Length"), "11");
  EXPECT_EQ(*request.FindHeader("x-amz-sdk-checksum-algorithm"), "CRC32");
  EXPECT_EQ(AwsChunkedBody("", ChecksumAlgorithm::kCrc32), "0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n");

  FinishingSettings plain_http;
  plain_http.https = false;
  plan = PlanChecksums(Op("s3", "PutObject"), params, plain_http).value();
  EXPECT_FALSE(plan.in_trailer);
  FinishingSettings presign;
  presign.presign = true;
  EXPECT_FALSE(PlanChecksums(Op("s3", "PutObject"), params, presign)->request_algorithm.has_value());
  FinishingSettings when_required;
  when_required.request_checksum_when_supported = false;
  EXPECT_FALSE(PlanChecksums(Op("s3", "PutObject"), params, when_required)->request_algorithm.has_value());
}

TEST(RequestFinishingTest, RequiredChecksumsAndChosenAlgorithms) {
  FinishingSettings when_required;
  when_required.request_checksum_when_supported = false;
  const Value params = {{"Bucket", "b"}, {"Delete", {{"Objects", Value::array()}}}};
  ChecksumPlan plan = PlanChecksums(Op("s3", "DeleteObjects"), params, when_required).value();
  ASSERT_EQ(plan.request_algorithm, ChecksumAlgorithm::kCrc32);  // required, not streaming: a header
  EXPECT_FALSE(plan.in_trailer);
  SerializedRequest request;
  request.body = "Hello world";
  ApplyRequestChecksum(plan, request);
  EXPECT_EQ(*request.FindHeader("x-amz-checksum-crc32"), "i9aeUg==");

  SerializedRequest already;
  already.headers.push_back({"X-Amz-Checksum-Sha256", "given"});
  ApplyRequestChecksum(plan, already);
  EXPECT_EQ(already.FindHeader("x-amz-checksum-crc32"), nullptr);

  Value sha = {{"Bucket", "b"}, {"Key", "k"}, {"ChecksumAlgorithm", "SHA256"}};
  EXPECT_EQ(PlanChecksums(Op("s3", "PutObject"), sha, {})->request_algorithm, ChecksumAlgorithm::kSha256);
  Value unsupported = {{"Bucket", "b"}, {"Key", "k"}, {"ChecksumAlgorithm", "XXHASH3"}};
  absl::StatusOr<ChecksumPlan> bad = PlanChecksums(Op("s3", "PutObject"), unsupported, {});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "Unsupported checksum algorithm: xxhash3");
}

TEST(RequestFinishingTest, ResponseChecksumsValidatedInPriorityOrder) {
  const Value params = {{"Bucket", "b"}, {"Key", "k"}, {"ChecksumMode", "ENABLED"}};
  const ChecksumPlan plan = PlanChecksums(Op("s3", "GetObject"), params, {}).value();
  ASSERT_FALSE(plan.response_algorithms.empty());
  EXPECT_EQ(plan.response_algorithms.front(), ChecksumAlgorithm::kCrc32c);
  http::HttpResponse response;
  response.status = 200;
  response.body = "Hello world";
  response.headers = {{"x-amz-checksum-crc32", "i9aeUg=="}};
  EXPECT_TRUE(ValidateResponseChecksum(plan, response).ok());
  response.body = "Hello world!";
  absl::Status mismatch = ValidateResponseChecksum(plan, response);
  EXPECT_TRUE(absl::IsDataLoss(mismatch)) << mismatch;
  response.headers = {{"x-amz-checksum-crc32", "abc-3"}};  // a multipart composite: not checked
  EXPECT_TRUE(ValidateResponseChecksum(plan, response).ok());
  EXPECT_TRUE(
      PlanChecksums(Op("s3", "GetObject"), Value{{"Bucket", "b"}, {"Key", "k"}}, {})->response_algorithms.empty());
}

TEST(RequestFinishingTest, GzipAboveTheMinimumSize) {
  const model::Operation& op = Op("cloudwatch", "PutMetricData");
  SerializedRequest small;
  small.body = "Action=PutMetricData";
  MaybeCompressRequest(op, {}, small);
  EXPECT_EQ(small.FindHeader("Content-Encoding"), nullptr);

  SerializedRequest large;
  large.body = std::string(20000, 'a');
  MaybeCompressRequest(op, {}, large);
  ASSERT_NE(large.FindHeader("Content-Encoding"), nullptr);
  EXPECT_EQ(*large.FindHeader("Content-Encoding"), "gzip");
  EXPECT_LT(large.body.size(), 1000u);
  // It inflates back to the original.
  std::string inflated(20000, '\0');
  z_stream z{};
  inflateInit2(&z, 16 + MAX_WBITS);
  z.next_in = reinterpret_cast<Bytef*>(large.body.data());
  z.avail_in = static_cast<uInt>(large.body.size());
  z.next_out = reinterpret_cast<Bytef*>(inflated.data());
  z.avail_out = static_cast<uInt>(inflated.size());
  EXPECT_EQ(inflate(&z, Z_FINISH), Z_STREAM_END);
  inflateEnd(&z);
  EXPECT_EQ(inflated, std::string(20000, 'a'));

  FinishingSettings disabled;
  disabled.disable_request_compression = true;
  SerializedRequest off;
  off.body = std::string(20000, 'a');
  MaybeCompressRequest(op, disabled, off);
  EXPECT_EQ(off.FindHeader("Content-Encoding"), nullptr);
  SerializedRequest other;
  other.body = std::string(20000, 'a');
  MaybeCompressRequest(Op("sts", "GetCallerIdentity"), {}, other);
  EXPECT_EQ(other.FindHeader("Content-Encoding"), nullptr);
}

}  // namespace
}  // namespace awsd::protocols
