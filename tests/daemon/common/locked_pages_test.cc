#include "daemon/common/locked_pages.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>

#include "daemon/common/secret.h"

namespace awsd {
namespace {

// A page-aligned buffer of two pages, so the tests know which ranges share a page.
struct TwoPages {
  TwoPages() : size(static_cast<std::size_t>(sysconf(_SC_PAGESIZE))) {
    data = static_cast<char*>(std::aligned_alloc(size, 2 * size));
  }
  ~TwoPages() { std::free(data); }
  std::size_t size;
  char* data;
};

TEST(LockedPagesTest, SharedPageStaysLockedUntilTheLastRangeIsReleased) {
  TwoPages buffer;
  const std::size_t before = GetPageLockStats().locked_pages;
  if (!LockPages(buffer.data, 16)) GTEST_SKIP() << "mlock refused here (errno " << GetPageLockStats().last_errno << ")";
  ASSERT_TRUE(LockPages(buffer.data + 32, 16));
  EXPECT_EQ(GetPageLockStats().locked_pages, before + 1);
  UnlockPages(buffer.data, 16);
  EXPECT_EQ(GetPageLockStats().locked_pages, before + 1) << "the neighbour's range still needs the page";
  UnlockPages(buffer.data + 32, 16);
  EXPECT_EQ(GetPageLockStats().locked_pages, before);
}

TEST(LockedPagesTest, RangeAcrossAPageBoundaryLocksBothPages) {
  TwoPages buffer;
  const std::size_t before = GetPageLockStats().locked_pages;
  if (!LockPages(buffer.data + buffer.size - 8, 16)) GTEST_SKIP() << "mlock refused here";
  EXPECT_EQ(GetPageLockStats().locked_pages, before + 2);
  UnlockPages(buffer.data + buffer.size - 8, 16);
  EXPECT_EQ(GetPageLockStats().locked_pages, before);
}

TEST(LockedPagesTest, DisabledLocksNothing) {
  TwoPages buffer;
  SetPageLockingEnabled(false);
  EXPECT_FALSE(LockPages(buffer.data, 16));
  SetPageLockingEnabled(true);
}

TEST(LockedPagesTest, SecretIsLockedWhileHeldAndReleasedAfter) {
  const std::size_t before = GetPageLockStats().locked_pages;
  {
    Secret secret("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    if (!secret.locked()) GTEST_SKIP() << "mlock refused here";
    EXPECT_GE(GetPageLockStats().locked_pages, before + 1);
    Secret moved(std::move(secret));
    EXPECT_TRUE(moved.locked());
    EXPECT_FALSE(secret.locked());  // NOLINT(bugprone-use-after-move): the moved-from state is the point
  }
  EXPECT_EQ(GetPageLockStats().locked_pages, before);
}

}  // namespace
}  // namespace awsd
