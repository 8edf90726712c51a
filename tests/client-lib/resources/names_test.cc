#include "awsd/resources/names.h"

#include <gtest/gtest.h>

namespace awsd::resources {
namespace {

TEST(NameMatchesTest, TakesModelAndSnakeCaseForms) {
  EXPECT_TRUE(NameMatches("objects", "Objects"));
  EXPECT_TRUE(NameMatches("Objects", "Objects"));
  EXPECT_TRUE(NameMatches("bucket_name", "BucketName"));
  EXPECT_TRUE(NameMatches("create_bucket", "CreateBucket"));
  EXPECT_FALSE(NameMatches("object", "Objects"));
}

}  // namespace
}  // namespace awsd::resources
