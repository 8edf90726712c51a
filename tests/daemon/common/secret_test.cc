#include "daemon/common/secret.h"

#include <gtest/gtest.h>

namespace awsd {
namespace {

TEST(SecretTest, HoldsAndComparesItsBytes) {
  Secret a("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  Secret b(a);
  EXPECT_EQ(a.view(), "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  EXPECT_TRUE(a == b);
  EXPECT_FALSE(a == Secret("other"));
  EXPECT_FALSE(Secret() == Secret("x"));
  EXPECT_TRUE(Secret() == Secret());
}

TEST(SecretTest, MoveLeavesTheSourceEmpty) {
  Secret a("token");
  Secret b(std::move(a));
  EXPECT_EQ(b.view(), "token");
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): the moved-from state is the point
  Secret c;
  c = std::move(b);
  EXPECT_EQ(c.view(), "token");
  EXPECT_TRUE(b.empty());  // NOLINT(bugprone-use-after-move)
}

TEST(SecretTest, EmptyFromANullView) {
  Secret empty{std::string_view()};
  EXPECT_TRUE(empty.empty());
  EXPECT_EQ(empty.view(), "");
  Secret copy(empty);
  EXPECT_TRUE(copy.empty());
  EXPECT_TRUE(copy == empty);
}

}  // namespace
}  // namespace awsd
