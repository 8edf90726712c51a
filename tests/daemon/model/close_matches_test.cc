#include "daemon/model/close_matches.h"

#include "gtest/gtest.h"

namespace awsd::model {
namespace {

TEST(CloseMatchesTest, BestFirstAndOnlyCloseOnes) {
  const std::vector<std::string> names = {"ListObjects", "ListObjectsV2", "ListBuckets", "PutObject"};
  EXPECT_EQ(CloseMatches("ListObject", names), (std::vector<std::string>{"ListObjects", "ListObjectsV2", "PutObject"}));
  EXPECT_EQ(CloseMatches("listbuckets", names), (std::vector<std::string>{"ListBuckets"}));
  EXPECT_TRUE(CloseMatches("Zzz", names).empty());
  EXPECT_EQ(CloseMatches("ListObjects", names, 1).size(), 1u);
}

}  // namespace
}  // namespace awsd::model
