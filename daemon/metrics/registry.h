#pragma once

// The daemon's metrics: families registered by name, rendered together for a
// scrape. Modules register the families they update on first use through
// Global(), as they log through spdlog's default logger, so no constructor
// along the call path has to carry a registry; tests make their own.

#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/metrics/family.h"

namespace awsd::metrics {

class Registry {
 public:
  Registry() = default;
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // The family named `name`, registered now or earlier. Registering a name
  // again with the same kind and label names returns the family already
  // there. A name or label that the format does not allow, or a name taken
  // by a family of another kind or labels, gets a family that works but is
  // never rendered: the metric is lost, never the call that updates it.
  CounterFamily& AddCounter(std::string_view name, std::string_view help, std::vector<std::string> label_names);
  GaugeFamily& AddGauge(std::string_view name, std::string_view help, std::vector<std::string> label_names);
  // A gauge of seconds since each series was last reset (AgeGauge).
  AgeGaugeFamily& AddAgeGauge(std::string_view name, std::string_view help, std::vector<std::string> label_names);
  // `bounds` ascending; "le" cannot be a label name.
  HistogramFamily& AddHistogram(std::string_view name, std::string_view help, std::vector<std::string> label_names,
                                std::span<const double> bounds);

  // Every rendered family, sorted by name.
  std::vector<FamilySnapshot> Snapshot() const;
  // The text exposition of Snapshot().
  std::string Render() const;

 private:
  template <typename F>
  F& Add(std::string_view name, std::string_view help, MetricKind kind, std::vector<std::string> label_names,
         std::vector<double> bounds);

  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<FamilyBase>, std::less<>> families_;
  // Refused registrations, kept alive for whoever holds them.
  std::vector<std::unique_ptr<FamilyBase>> detached_;
};

// The process's registry, which /metrics renders. Never destroyed, so a
// thread still updating a metric at exit does not touch freed memory.
Registry& Global();

}  // namespace awsd::metrics
