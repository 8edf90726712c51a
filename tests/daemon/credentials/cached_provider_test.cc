#include "daemon/credentials/cached_provider.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace awsd::credentials {
namespace {

using std::chrono::minutes;
using std::chrono::system_clock;

// Hands out credentials expiring `lifetime` after the fake clock's now, or
// fails when told to; counts how often it was asked.
class CountingProvider : public CredentialsProvider {
 public:
  CountingProvider(const system_clock::time_point* now, std::optional<minutes> lifetime)
      : now_(now), lifetime_(lifetime) {}
  absl::StatusOr<std::shared_ptr<const Credentials>> Resolve() override {
    int n = ++calls;
    if (delay.count() > 0) std::this_thread::sleep_for(delay);
    if (fail) return absl::UnavailableError("source down");
    auto c = std::make_shared<Credentials>();
    c->access_key_id = "AKID" + std::to_string(n);
    c->secret_access_key = Secret("s");
    if (lifetime_) c->expiration = *now_ + *lifetime_;
    std::shared_ptr<const Credentials> out = std::move(c);
    return out;
  }
  std::atomic<int> calls{0};
  std::atomic<bool> fail{false};
  std::chrono::milliseconds delay{0};

 private:
  const system_clock::time_point* now_;
  std::optional<minutes> lifetime_;
};

class CachedProviderTest : public ::testing::Test {
 protected:
  CachedProvider::Options Options() {
    CachedProvider::Options options;
    options.clock = [this] { return now_; };
    return options;
  }
  system_clock::time_point now_ = system_clock::time_point(std::chrono::hours(500000));
};

TEST_F(CachedProviderTest, CredentialsThatDoNotExpireAreFetchedOnce) {
  auto inner = std::make_shared<CountingProvider>(&now_, std::nullopt);
  CachedProvider cached(inner, Options());
  for (int i = 0; i < 5; ++i) ASSERT_EQ((*cached.Resolve())->access_key_id, "AKID1");
  now_ += std::chrono::hours(1000);
  EXPECT_EQ((*cached.Resolve())->access_key_id, "AKID1");
  EXPECT_EQ(inner->calls.load(), 1);
}

TEST_F(CachedProviderTest, RefreshesInsideTheAdvisoryWindowOnly) {
  auto inner = std::make_shared<CountingProvider>(&now_, minutes(60));
  CachedProvider cached(inner, Options());
  EXPECT_EQ((*cached.Resolve())->access_key_id, "AKID1");
  now_ += minutes(44);  // 16 minutes left: still fresh
  EXPECT_EQ((*cached.Resolve())->access_key_id, "AKID1");
  now_ += minutes(2);  // 14 minutes left: refresh
  EXPECT_EQ((*cached.Resolve())->access_key_id, "AKID2");
  EXPECT_EQ(inner->calls.load(), 2);
}

TEST_F(CachedProviderTest, AFailedRefreshServesTheOldSetUntilTheMandatoryWindow) {
  auto inner = std::make_shared<CountingProvider>(&now_, minutes(60));
  CachedProvider cached(inner, Options());
  ASSERT_TRUE(cached.Resolve().ok());
  inner->fail = true;
  now_ += minutes(48);  // 12 minutes left: advisory, the old set still serves
  auto served = cached.Resolve();
  ASSERT_TRUE(served.ok());
  EXPECT_EQ((*served)->access_key_id, "AKID1");
  now_ += minutes(3);  // 9 minutes left: mandatory, the failure shows
  EXPECT_EQ(cached.Resolve().status().code(), absl::StatusCode::kUnavailable);
  inner->fail = false;
  EXPECT_EQ((*cached.Resolve())->access_key_id, "AKID4");
}

TEST_F(CachedProviderTest, ConcurrentCallersShareOneFetch) {
  auto inner = std::make_shared<CountingProvider>(&now_, minutes(60));
  inner->delay = std::chrono::milliseconds(50);
  CachedProvider cached(inner, Options());
  std::vector<std::thread> callers;
  std::atomic<int> ok{0};
  for (int i = 0; i < 16; ++i) {
    callers.emplace_back([&] {
      if (auto c = cached.Resolve(); c.ok() && (*c)->access_key_id == "AKID1") ++ok;
    });
  }
  for (auto& t : callers) t.join();
  EXPECT_EQ(ok.load(), 16);
  EXPECT_EQ(inner->calls.load(), 1);
}

}  // namespace
}  // namespace awsd::credentials
