#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace awsd::metrics {

// Upper bounds for call latencies, in seconds: 100 µs (a Sign call) to 10 s
// (a slow AWS call with retries). Anything longer lands in +Inf.
std::span<const double> LatencyBuckets();

// What a histogram holds at one moment: per bucket the count of values at
// most its bound (cumulative, as exposed), then +Inf.
struct HistogramSnapshot {
  std::vector<uint64_t> cumulative;  // bounds.size() + 1 entries, the last +Inf
  uint64_t count = 0;
  double sum = 0;
};

// Fixed buckets (Prometheus `histogram`). Observe() is a binary search over
// the bounds and two relaxed atomic adds. The count is derived from the
// buckets when read, so +Inf and _count always agree in a scrape.
class Histogram {
 public:
  // `bounds` must be sorted ascending and outlive the histogram (the family
  // owns them).
  explicit Histogram(std::span<const double> bounds);

  void Observe(double value);
  HistogramSnapshot Snapshot() const;

 private:
  std::span<const double> bounds_;
  // Per bucket, not cumulative; the last one is +Inf.
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;
  std::atomic<double> sum_{0};
};

}  // namespace awsd::metrics
