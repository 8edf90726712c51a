#include "daemon/credentials/cached_provider.h"

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
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
    if (gate != nullptr) gate->wait(false);
    if (fail) return absl::UnavailableError("source down");
    if (none) return std::shared_ptr<const Credentials>();
    auto c = std::make_shared<Credentials>();
    c->access_key_id = "AKID" + std::to_string(n);
    // Key and secret carry the same generation, so a mix would show.
    c->secret_access_key = Secret("secret" + std::to_string(n));
    if (lifetime_) c->expiration = (clock ? clock() : *now_) + *lifetime_;
    std::shared_ptr<const Credentials> out = std::move(c);
    return out;
  }
  std::atomic<int> calls{0};
  std::atomic<bool> fail{false};
  // Finds no credentials, as IMDS does once its attempts run out.
  std::atomic<bool> none{false};
  std::chrono::milliseconds delay{0};
  // When set, fetches block until it turns true.
  std::atomic<bool>* gate = nullptr;
  // Replaces the fake clock for tests whose time moves under threads.
  std::function<system_clock::time_point()> clock;

 private:
  const system_clock::time_point* now_;
  std::optional<minutes> lifetime_;
};

class CachedProviderTest : public ::testing::Test {
 protected:
  CachedProvider::Options Options() {
    CachedProvider::Options options;
    options.clock = [this] { return now_; };
    options.random = [] { return 0.0; };
    return options;
  }
  // Written only while no other thread reads it.
  system_clock::time_point now_ = system_clock::time_point(std::chrono::hours(500000));
};

bool SameGeneration(const Credentials& c) {
  return "secret" + c.access_key_id.substr(4) == c.secret_access_key.view();
}

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

TEST_F(CachedProviderTest, JitterStartsTheAdvisoryRefreshEarlier) {
  auto inner = std::make_shared<CountingProvider>(&now_, minutes(60));
  auto options = Options();
  options.random = [] { return 0.5; };  // 30 s of the 60 s jitter
  CachedProvider cached(inner, options);
  ASSERT_TRUE(cached.Resolve().ok());
  now_ += minutes(44) + std::chrono::seconds(29);
  EXPECT_EQ((*cached.Resolve())->access_key_id, "AKID1");
  now_ += std::chrono::seconds(2);  // 15 min 29 s left: inside the jittered window
  EXPECT_EQ((*cached.Resolve())->access_key_id, "AKID2");
}

TEST_F(CachedProviderTest, CallersInTheAdvisoryWindowDoNotWaitForARefresh) {
  auto inner = std::make_shared<CountingProvider>(&now_, minutes(60));
  CachedProvider cached(inner, Options());
  ASSERT_TRUE(cached.Resolve().ok());
  now_ += minutes(47);  // advisory
  std::atomic<bool> gate{false};
  inner->gate = &gate;
  std::thread refresher([&] { EXPECT_EQ((*cached.Resolve())->access_key_id, "AKID2"); });
  while (inner->calls.load() < 2) std::this_thread::yield();
  // The refresh is stuck upstream; everyone else is served the current set.
  for (int i = 0; i < 5; ++i) EXPECT_EQ((*cached.Resolve())->access_key_id, "AKID1");
  gate = true;
  gate.notify_all();
  refresher.join();
  EXPECT_EQ((*cached.Resolve())->access_key_id, "AKID2");
  EXPECT_EQ(inner->calls.load(), 2);
}

// Every identity has its own cache and lock: one stuck upstream holds up
// only the callers of that identity.
TEST_F(CachedProviderTest, AStuckSourceDoesNotBlockAnotherIdentity) {
  auto stuck = std::make_shared<CountingProvider>(&now_, minutes(60));
  std::atomic<bool> gate{false};
  stuck->gate = &gate;
  CachedProvider stuck_cache(stuck, Options());
  std::thread waiting([&] { EXPECT_TRUE(stuck_cache.Resolve().ok()); });
  while (stuck->calls.load() < 1) std::this_thread::yield();
  auto other = std::make_shared<CountingProvider>(&now_, minutes(60));
  CachedProvider other_cache(other, Options());
  EXPECT_EQ((*other_cache.Resolve())->access_key_id, "AKID1");
  gate = true;
  gate.notify_all();
  waiting.join();
}

TEST_F(CachedProviderTest, AFailedRefreshIsSharedByTheCallersWaitingForIt) {
  auto inner = std::make_shared<CountingProvider>(&now_, minutes(60));
  inner->fail = true;
  inner->delay = std::chrono::milliseconds(50);
  CachedProvider cached(inner, Options());
  std::vector<std::thread> callers;
  std::atomic<int> failed{0};
  for (int i = 0; i < 16; ++i) {
    callers.emplace_back([&] {
      if (cached.Resolve().status().code() == absl::StatusCode::kUnavailable) ++failed;
    });
  }
  for (auto& t : callers) t.join();
  EXPECT_EQ(failed.load(), 16);
  // The first caller's fetch, plus at most one by a caller that arrived
  // after it had finished.
  EXPECT_LE(inner->calls.load(), 2);
}

TEST_F(CachedProviderTest, AFailedAdvisoryRefreshIsRetriedAfterABackOffNotAtEveryCall) {
  auto inner = std::make_shared<CountingProvider>(&now_, minutes(60));
  CachedProvider cached(inner, Options());
  ASSERT_TRUE(cached.Resolve().ok());
  inner->fail = true;
  now_ += minutes(47);
  for (int i = 0; i < 10; ++i) EXPECT_EQ((*cached.Resolve())->access_key_id, "AKID1");
  EXPECT_EQ(inner->calls.load(), 2);
  now_ += std::chrono::seconds(11);
  EXPECT_EQ((*cached.Resolve())->access_key_id, "AKID1");
  EXPECT_EQ(inner->calls.load(), 3);
}

// Found by tests/fault/imds_fault_test.py: "none found" was cached for good,
// so a daemon that started during an IMDS blip never got credentials.
TEST_F(CachedProviderTest, NoneFoundIsAskedAgainAfterABackOff) {
  auto inner = std::make_shared<CountingProvider>(&now_, minutes(60));
  inner->none = true;
  CachedProvider cached(inner, Options());
  for (int i = 0; i < 5; ++i) {
    auto found = cached.Resolve();
    ASSERT_TRUE(found.ok());
    EXPECT_EQ(*found, nullptr);
  }
  EXPECT_EQ(inner->calls.load(), 1);
  inner->none = false;
  now_ += std::chrono::seconds(11);
  auto found = cached.Resolve();
  ASSERT_TRUE(found.ok() && *found != nullptr);
  EXPECT_EQ((*found)->access_key_id, "AKID2");
}

// The same fault while credentials are held: a failed refresh, not "none".
TEST_F(CachedProviderTest, NoneFoundWhileHoldingCredentialsIsAFailedRefresh) {
  auto inner = std::make_shared<CountingProvider>(&now_, minutes(60));
  auto options = Options();
  options.static_stability = true;
  CachedProvider cached(inner, options);
  ASSERT_TRUE(cached.Resolve().ok());
  inner->none = true;
  now_ += minutes(47);  // advisory: the held set serves
  EXPECT_EQ((*cached.Resolve())->access_key_id, "AKID1");
  now_ += minutes(14);  // expired: static stability extends it
  auto extended = cached.Resolve();
  ASSERT_TRUE(extended.ok() && *extended != nullptr) << extended.status();
  EXPECT_EQ((*extended)->access_key_id, "AKID1");
  EXPECT_GT(*(*extended)->expiration, now_);
}

TEST_F(CachedProviderTest, ExpiredCredentialsAreNeverServedWithoutStaticStability) {
  auto inner = std::make_shared<CountingProvider>(&now_, minutes(60));
  CachedProvider cached(inner, Options());
  ASSERT_TRUE(cached.Resolve().ok());
  inner->fail = true;
  now_ += minutes(61);
  EXPECT_EQ(cached.Resolve().status().code(), absl::StatusCode::kUnavailable);
}

TEST_F(CachedProviderTest, StaticStabilityExtendsExpiredCredentialsWhileTheSourceIsDown) {
  auto inner = std::make_shared<CountingProvider>(&now_, minutes(60));
  auto options = Options();
  options.static_stability = true;
  std::vector<std::string> warnings;
  options.warn = [&](const std::string& line) { warnings.push_back(line); };
  CachedProvider cached(inner, options);
  ASSERT_TRUE(cached.Resolve().ok());
  inner->fail = true;
  now_ += minutes(61);  // expired, source down
  auto extended = cached.Resolve();
  ASSERT_TRUE(extended.ok()) << extended.status();
  EXPECT_EQ((*extended)->access_key_id, "AKID1");
  ASSERT_TRUE((*extended)->expiration);
  EXPECT_GE(*(*extended)->expiration, now_ + minutes(5));
  EXPECT_LE(*(*extended)->expiration, now_ + minutes(15));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].find("secret"), std::string::npos);
  const int calls = inner->calls.load();
  // Served without asking the source again until a minute has passed.
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(cached.Resolve().ok());
  EXPECT_EQ(inner->calls.load(), calls);
  now_ += std::chrono::seconds(61);
  ASSERT_TRUE(cached.Resolve().ok());
  EXPECT_EQ(inner->calls.load(), calls + 1);
  // The source comes back: fresh credentials at the next retry.
  inner->fail = false;
  now_ += std::chrono::seconds(61);
  EXPECT_EQ((*cached.Resolve())->access_key_id, "AKID" + std::to_string(calls + 2));
}

TEST_F(CachedProviderTest, ShortLivedCredentialsAreRefreshedHalfwayThrough) {
  auto inner = std::make_shared<CountingProvider>(&now_, minutes(8));
  CachedProvider cached(inner, Options());
  ASSERT_TRUE(cached.Resolve().ok());
  now_ += minutes(3);
  EXPECT_EQ((*cached.Resolve())->access_key_id, "AKID1");
  now_ += minutes(2);
  EXPECT_EQ((*cached.Resolve())->access_key_id, "AKID2");
}

// 64 clients call through one expiry after another: every refresh is one
// upstream call, nobody sees a failure, an expired key or a key from one
// generation with the secret of another.
TEST_F(CachedProviderTest, SixtyFourClientsThroughExpiriesMakeOneCallPerRefresh) {
  auto inner = std::make_shared<CountingProvider>(&now_, minutes(60));
  inner->delay = std::chrono::milliseconds(5);
  std::atomic<int64_t> now_ticks{now_.time_since_epoch().count()};
  auto options = Options();
  options.clock = [&] { return system_clock::time_point(system_clock::duration(now_ticks.load())); };
  inner->clock = options.clock;
  CachedProvider cached(inner, options);
  constexpr int kRefreshes = 5;
  for (int round = 0; round < kRefreshes; ++round) {
    std::atomic<int> bad{0};
    std::vector<std::thread> clients;
    for (int i = 0; i < 64; ++i) {
      clients.emplace_back([&] {
        for (int call = 0; call < 20; ++call) {
          auto c = cached.Resolve();
          const auto now = system_clock::time_point(system_clock::duration(now_ticks.load()));
          if (!c.ok() || !SameGeneration(**c) || *(*c)->expiration <= now) ++bad;
        }
      });
    }
    for (auto& t : clients) t.join();
    EXPECT_EQ(bad.load(), 0);
    EXPECT_EQ(inner->calls.load(), round + 1);
    // Into the next set's mandatory window: everyone must wait for one refresh.
    now_ticks += std::chrono::duration_cast<system_clock::duration>(minutes(55)).count();
  }
}

TEST_F(CachedProviderTest, CountsRefreshesFailuresAndCacheHitsUnderItsLabels) {
  auto inner = std::make_shared<CountingProvider>(&now_, minutes(60));
  auto options = Options();
  options.metric_labels = CachedProvider::Options::MetricLabels{"metrics-test", "assume-role"};
  CachedProvider cached(inner, options);
  const CredentialSourceMetrics metrics = CredentialSourceMetrics::For("metrics-test", "assume-role");
  const uint64_t refreshes = metrics.refreshes->value();
  const uint64_t failures = metrics.refresh_failures->value();
  const uint64_t hits = metrics.cache_hits->value();
  EXPECT_FALSE(metrics.age->SecondsAt(metrics::AgeGauge::Clock::now()).has_value());

  ASSERT_TRUE(cached.Resolve().ok());
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(cached.Resolve().ok());
  EXPECT_EQ(metrics.refreshes->value() - refreshes, 1u);
  EXPECT_EQ(metrics.cache_hits->value() - hits, 4u);
  const auto age = metrics.age->SecondsAt(metrics::AgeGauge::Clock::now());
  ASSERT_TRUE(age.has_value());
  EXPECT_LT(*age, 60);

  // Past expiry with the source down: a refresh made, and failed.
  inner->fail = true;
  now_ += minutes(61);
  EXPECT_FALSE(cached.Resolve().ok());
  EXPECT_EQ(metrics.refreshes->value() - refreshes, 2u);
  EXPECT_EQ(metrics.refresh_failures->value() - failures, 1u);
  EXPECT_EQ(metrics.cache_hits->value() - hits, 4u);
}

}  // namespace
}  // namespace awsd::credentials
