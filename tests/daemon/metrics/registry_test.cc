#include "daemon/metrics/registry.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace awsd::metrics {
namespace {

TEST(RegistryTest, SameLabelsGiveTheSameMetric) {
  Registry registry;
  auto& family = registry.AddCounter("c_total", "C.", {"a", "b"});
  Counter& first = family.With({"x", "y"});
  EXPECT_EQ(&first, &family.With({"x", "y"}));
  EXPECT_NE(&first, &family.With({"x", "z"}));
  // Length-prefixed keys: moving a byte between values is another series.
  EXPECT_NE(&family.With({"ab", "c"}), &family.With({"a", "bc"}));
}

TEST(RegistryTest, RegisteringAgainReturnsTheSameFamily) {
  Registry registry;
  auto& family = registry.AddCounter("c_total", "C.", {"a"});
  EXPECT_EQ(&family, &registry.AddCounter("c_total", "C.", {"a"}));
}

TEST(RegistryTest, ClashingOrInvalidFamiliesWorkButAreNotRendered) {
  Registry registry;
  registry.AddCounter("c_total", "C.", {"a"}).With({"1"}).Increment();
  // Same name, another kind or other labels.
  registry.AddGauge("c_total", "G.", {"a"}).With({"2"}).Set(5);
  registry.AddCounter("c_total", "C.", {"b"}).With({"3"}).Increment();
  registry.AddCounter("bad-name", "B.", {}).With({}).Increment();
  registry.AddCounter("ok_total", "O.", {"__reserved"}).With({"x"}).Increment();
  const double bounds[] = {1};
  registry.AddHistogram("h", "H.", {"le"}, bounds).With({"x"}).Observe(1);
  EXPECT_EQ(registry.Render(), "# HELP c_total C.\n# TYPE c_total counter\nc_total{a=\"1\"} 1\n");
}

TEST(RegistryTest, AWrongNumberOfValuesIsFitted) {
  Registry registry;
  auto& family = registry.AddCounter("c_total", "C.", {"a", "b"});
  family.With({"x"}).Increment();
  family.With({"x", "", "extra"}).Increment();
  EXPECT_EQ(registry.Render(), "# HELP c_total C.\n# TYPE c_total counter\nc_total{a=\"x\",b=\"\"} 2\n");
}

TEST(RegistryTest, TooManySeriesShareAnOverflowSeries) {
  Registry registry;
  auto& family = registry.AddCounter("c_total", "C.", {"service"});
  for (std::size_t i = 0; i < kMaxSeriesPerFamily + 10; ++i) family.With({std::to_string(i)}).Increment();
  family.With({"another"}).Increment();
  const FamilySnapshot snapshot = registry.Snapshot().at(0);
  EXPECT_EQ(snapshot.series.size(), kMaxSeriesPerFamily + 1);
  bool found = false;
  for (const SeriesSnapshot& series : snapshot.series) {
    if (series.label_values[0] == kOverflowLabelValue) {
      found = true;
      EXPECT_EQ(series.value, 11);
    }
  }
  EXPECT_TRUE(found);
}

TEST(RegistryTest, AgeGaugesShowOnlyOnceResetAndCountSecondsSince) {
  Registry registry;
  auto& age = registry.AddAgeGauge("age_seconds", "Age.", {"source"});
  age.With({"never"});
  age.With({"sso"}).ResetAt(AgeGauge::Clock::now() - std::chrono::seconds(90));
  const FamilySnapshot snapshot = registry.Snapshot().at(0);
  ASSERT_EQ(snapshot.series.size(), 1u);
  EXPECT_EQ(snapshot.series[0].label_values[0], "sso");
  EXPECT_GE(snapshot.series[0].value, 90);
  EXPECT_LT(snapshot.series[0].value, 100);
}

TEST(RegistryTest, ConcurrentUpdatesAreAllCounted) {
  Registry registry;
  auto& counters = registry.AddCounter("c_total", "C.", {"thread_group"});
  auto& gauges = registry.AddGauge("g", "G.", {});
  auto& histograms = registry.AddHistogram("h_seconds", "H.", {"thread_group"}, LatencyBuckets());
  constexpr int kThreads = 8;
  constexpr int kPerThread = 20000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Half the threads share a series, half make their own: lookups race
      // with insertions.
      const std::string group = t % 2 == 0 ? "shared" : "own" + std::to_string(t);
      for (int i = 0; i < kPerThread; ++i) {
        counters.With({group}).Increment();
        gauges.With({}).Add(1);
        histograms.With({group}).Observe(0.001 * (i % 3));
      }
    });
  }
  // Scrapes while the threads write.
  for (int i = 0; i < 20; ++i) registry.Render();
  for (auto& thread : threads) thread.join();

  uint64_t total = 0;
  uint64_t observed = 0;
  for (const FamilySnapshot& family : registry.Snapshot()) {
    for (const SeriesSnapshot& series : family.series) {
      if (family.name == "c_total") total += static_cast<uint64_t>(series.value);
      if (family.name == "g") {
        EXPECT_EQ(series.value, kThreads * kPerThread);
      }
      if (family.name == "h_seconds") {
        observed += series.histogram.count;
        EXPECT_EQ(series.histogram.cumulative.back(), series.histogram.count);
      }
    }
  }
  EXPECT_EQ(total, static_cast<uint64_t>(kThreads) * kPerThread);
  EXPECT_EQ(observed, static_cast<uint64_t>(kThreads) * kPerThread);
  EXPECT_EQ(counters.With({"shared"}).value(), static_cast<uint64_t>(kThreads / 2) * kPerThread);
}

TEST(RegistryTest, GlobalIsOneRegistry) { EXPECT_EQ(&Global(), &Global()); }

}  // namespace
}  // namespace awsd::metrics
