#include "awsd/resources/names.h"

#include <gtest/gtest.h>

namespace awsd::resources {
namespace {

TEST(XformNameTest, MatchesBotocore) {
  EXPECT_EQ(XformName("ListObjectsV2"), "list_objects_v2");
  EXPECT_EQ(XformName("BucketName"), "bucket_name");
  EXPECT_EQ(XformName("GatewayARNs"), "gateway_arns");
  EXPECT_EQ(XformName("DeleteObjects"), "delete_objects");
  EXPECT_EQ(XformName("MfaDevices"), "mfa_devices");
  EXPECT_EQ(XformName("already_snake"), "already_snake");
  EXPECT_EQ(XformName("Key"), "key");
}

TEST(NameMatchesTest, TakesModelAndSnakeCaseForms) {
  EXPECT_TRUE(NameMatches("objects", "Objects"));
  EXPECT_TRUE(NameMatches("Objects", "Objects"));
  EXPECT_TRUE(NameMatches("bucket_name", "BucketName"));
  EXPECT_TRUE(NameMatches("create_bucket", "CreateBucket"));
  EXPECT_FALSE(NameMatches("object", "Objects"));
}

}  // namespace
}  // namespace awsd::resources
