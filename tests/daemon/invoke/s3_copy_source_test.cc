#include "daemon/invoke/s3_copy_source.h"

#include "gtest/gtest.h"

namespace awsd::invoke {
namespace {

// botocore.handlers.handle_copy_source_param's answers for the same inputs.
struct Case {
  const char* copy_source_json;
  const char* quoted;
};

TEST(S3CopySourceTest, QuotesAsBotocoreDoes) {
  const Case cases[] = {
      {R"("bucket/key")", "bucket/key"},
      {R"("bucket/key with space+plus")", "bucket/key%20with%20space%2Bplus"},
      {R"("bucket/ünï/кей?versionId=abc/def")", "bucket/%C3%BCn%C3%AF/%D0%BA%D0%B5%D0%B9?versionId=abc/def"},
      {R"({"Bucket": "b", "Key": "k ey/é"})", "b/k%20ey/%C3%A9"},
      {R"({"Bucket": "b", "Key": "k", "VersionId": "v 1"})", "b/k?versionId=v 1"},
      {R"({"Bucket": "arn:aws:s3:us-west-2:123456789012:accesspoint/ap", "Key": "a b"})",
       "arn%3Aaws%3As3%3Aus-west-2%3A123456789012%3Aaccesspoint/ap/object/a%20b"},
      {R"("b/a%20b")", "b/a%2520b"},
      {R"x("b/~-._!*()")x", "b/~-._%21%2A%28%29"},
  };
  for (const Case& c : cases) {
    for (const char* operation : {"CopyObject", "UploadPartCopy"}) {
      protocols::Value params = {{"Bucket", "target"}, {"CopySource", protocols::Value::parse(c.copy_source_json)}};
      ASSERT_TRUE(QuoteCopySource(operation, params).ok()) << c.copy_source_json;
      EXPECT_EQ(params["CopySource"], c.quoted) << operation << " " << c.copy_source_json;
    }
  }
}

TEST(S3CopySourceTest, AnObjectWithoutKeyIsBotocoresValidationError) {
  protocols::Value params = {{"CopySource", {{"Bucket", "b"}}}};
  const absl::Status status = QuoteCopySource("CopyObject", params);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "Parameter validation failed:\nMissing required parameter: 'Key'");
}

TEST(S3CopySourceTest, OtherOperationsAndAbsentMembersAreLeftAlone) {
  protocols::Value params = {{"CopySource", "a b"}};
  ASSERT_TRUE(QuoteCopySource("PutObject", params).ok());
  EXPECT_EQ(params["CopySource"], "a b");
  protocols::Value none = {{"Bucket", "b"}};
  ASSERT_TRUE(QuoteCopySource("CopyObject", none).ok());
  EXPECT_FALSE(none.contains("CopySource"));
}

}  // namespace
}  // namespace awsd::invoke
