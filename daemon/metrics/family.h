#pragma once

// A metric family: one name, one help text, fixed label names, and one
// metric per set of label values, made on first use and kept for the
// registry's life. With() returns a reference that stays valid, so code that
// knows its labels up front (a cached provider, a retry state) resolves them
// once and then pays only for the atomic update.

#include <algorithm>
#include <cstddef>
#include <functional>
#include <initializer_list>
#include <mutex>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "daemon/metrics/histogram.h"
#include "daemon/metrics/scalar_metrics.h"
#include "daemon/metrics/text_exposition.h"

namespace awsd::metrics {

// Label sets past this many in one family share a single series whose
// values are all kOverflowLabelValue: a client that sends ever new service
// names must not grow the daemon's memory or the scrape without bound.
inline constexpr std::size_t kMaxSeriesPerFamily = 1000;
inline constexpr std::string_view kOverflowLabelValue = "_overflow";

// The lookup key of a set of label values, built in `key` (whose capacity is
// reused: a lookup of a known series allocates nothing). Length-prefixed, so
// no two different sets share a key whatever bytes the values hold.
void EncodeSeriesKey(std::span<const std::string_view> values, std::string& key);

class FamilyBase {
 public:
  FamilyBase(std::string name, std::string help, MetricKind kind, std::vector<std::string> label_names,
             std::vector<double> bounds)
      : name_(std::move(name)),
        help_(std::move(help)),
        kind_(kind),
        label_names_(std::move(label_names)),
        bounds_(std::move(bounds)) {}
  virtual ~FamilyBase() = default;
  FamilyBase(const FamilyBase&) = delete;
  FamilyBase& operator=(const FamilyBase&) = delete;

  const std::string& name() const { return name_; }
  MetricKind kind() const { return kind_; }
  const std::vector<std::string>& label_names() const { return label_names_; }
  const std::vector<double>& bounds() const { return bounds_; }

  // Every series now, sorted by label values so scrapes are stable.
  FamilySnapshot Snapshot() const;

 protected:
  virtual void CollectSeries(std::vector<SeriesSnapshot>& out) const = 0;

 private:
  const std::string name_;
  const std::string help_;
  const MetricKind kind_;
  const std::vector<std::string> label_names_;
  const std::vector<double> bounds_;
};

template <typename Metric>
class Family final : public FamilyBase {
 public:
  using FamilyBase::FamilyBase;

  // The metric for these label values, in the order of label_names(). A
  // wrong number of values is padded with "" or cut, rather than failing a
  // call over its bookkeeping.
  Metric& With(std::initializer_list<std::string_view> values) {
    return With(std::span<const std::string_view>(values.begin(), values.size()));
  }
  Metric& With(std::span<const std::string_view> values) {
    if (values.size() != label_names().size()) {
      std::vector<std::string_view> fitted(values.begin(),
                                           values.begin() + std::min(values.size(), label_names().size()));
      fitted.resize(label_names().size());
      return Find(fitted);
    }
    return Find(values);
  }

 private:
  struct Series {
    template <typename... Args>
    Series(std::span<const std::string_view> label_values, Args&&... args)
        : values(label_values.begin(), label_values.end()), metric(std::forward<Args>(args)...) {}
    std::vector<std::string> values;
    Metric metric;
  };
  struct KeyHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view key) const { return std::hash<std::string_view>()(key); }
  };

  Metric& Find(std::span<const std::string_view> values) {
    thread_local std::string key;
    EncodeSeriesKey(values, key);
    {
      std::shared_lock lock(mutex_);
      if (auto it = series_.find(std::string_view(key)); it != series_.end()) return it->second.metric;
    }
    std::unique_lock lock(mutex_);
    if (auto it = series_.find(std::string_view(key)); it != series_.end()) return it->second.metric;
    std::vector<std::string_view> overflow;
    if (series_.size() >= kMaxSeriesPerFamily) {
      overflow.assign(values.size(), kOverflowLabelValue);
      values = overflow;
      EncodeSeriesKey(values, key);
      if (auto it = series_.find(std::string_view(key)); it != series_.end()) return it->second.metric;
    }
    if constexpr (std::is_same_v<Metric, Histogram>) {
      return series_.try_emplace(key, values, std::span<const double>(bounds())).first->second.metric;
    } else {
      return series_.try_emplace(key, values).first->second.metric;
    }
  }

  void CollectSeries(std::vector<SeriesSnapshot>& out) const override {
    const auto now = AgeGauge::Clock::now();
    std::shared_lock lock(mutex_);
    out.reserve(series_.size());
    for (const auto& [key, series] : series_) {
      SeriesSnapshot snapshot;
      if constexpr (std::is_same_v<Metric, Counter>) {
        snapshot.value = static_cast<double>(series.metric.value());
      } else if constexpr (std::is_same_v<Metric, Gauge>) {
        snapshot.value = series.metric.value();
      } else if constexpr (std::is_same_v<Metric, AgeGauge>) {
        const auto seconds = series.metric.SecondsAt(now);
        if (!seconds) continue;
        snapshot.value = *seconds;
      } else {
        snapshot.histogram = series.metric.Snapshot();
      }
      snapshot.label_values = series.values;
      out.push_back(std::move(snapshot));
    }
  }

  mutable std::shared_mutex mutex_;
  // Nodes never move, so references handed out stay valid as the map grows.
  std::unordered_map<std::string, Series, KeyHash, std::equal_to<>> series_;
};

using CounterFamily = Family<Counter>;
using GaugeFamily = Family<Gauge>;
using AgeGaugeFamily = Family<AgeGauge>;
using HistogramFamily = Family<Histogram>;

}  // namespace awsd::metrics
