#include "daemon/metrics/registry.h"

#include <algorithm>

namespace awsd::metrics {

template <typename F>
F& Registry::Add(std::string_view name, std::string_view help, MetricKind kind, std::vector<std::string> label_names,
                 std::vector<double> bounds) {
  bool valid = IsValidMetricName(name) && std::all_of(label_names.begin(), label_names.end(), [&](const auto& label) {
                 return IsValidLabelName(label) && !(kind == MetricKind::kHistogram && label == "le");
               });
  valid = valid && std::is_sorted(bounds.begin(), bounds.end());
  std::lock_guard lock(mutex_);
  if (valid) {
    auto it = families_.find(name);
    if (it == families_.end()) {
      auto family =
          std::make_unique<F>(std::string(name), std::string(help), kind, std::move(label_names), std::move(bounds));
      F& added = *family;
      families_.emplace(std::string(name), std::move(family));
      return added;
    }
    if (auto* same = dynamic_cast<F*>(it->second.get());
        same != nullptr && same->kind() == kind && same->label_names() == label_names && same->bounds() == bounds) {
      return *same;
    }
  }
  auto detached =
      std::make_unique<F>(std::string(name), std::string(help), kind, std::move(label_names), std::move(bounds));
  F& kept = *detached;
  detached_.push_back(std::move(detached));
  return kept;
}

CounterFamily& Registry::AddCounter(std::string_view name, std::string_view help,
                                    std::vector<std::string> label_names) {
  return Add<CounterFamily>(name, help, MetricKind::kCounter, std::move(label_names), {});
}

GaugeFamily& Registry::AddGauge(std::string_view name, std::string_view help, std::vector<std::string> label_names) {
  return Add<GaugeFamily>(name, help, MetricKind::kGauge, std::move(label_names), {});
}

AgeGaugeFamily& Registry::AddAgeGauge(std::string_view name, std::string_view help,
                                      std::vector<std::string> label_names) {
  return Add<AgeGaugeFamily>(name, help, MetricKind::kGauge, std::move(label_names), {});
}

HistogramFamily& Registry::AddHistogram(std::string_view name, std::string_view help,
                                        std::vector<std::string> label_names, std::span<const double> bounds) {
  return Add<HistogramFamily>(name, help, MetricKind::kHistogram, std::move(label_names),
                              std::vector<double>(bounds.begin(), bounds.end()));
}

std::vector<FamilySnapshot> Registry::Snapshot() const {
  std::vector<const FamilyBase*> families;
  {
    std::lock_guard lock(mutex_);
    families.reserve(families_.size());
    for (const auto& [name, family] : families_) families.push_back(family.get());
  }
  // Families are never removed, so they can be read without the registry's lock.
  std::vector<FamilySnapshot> snapshots;
  snapshots.reserve(families.size());
  for (const FamilyBase* family : families) snapshots.push_back(family->Snapshot());
  return snapshots;
}

std::string Registry::Render() const { return RenderText(Snapshot()); }

Registry& Global() {
  static Registry* const registry = new Registry();
  return *registry;
}

}  // namespace awsd::metrics
