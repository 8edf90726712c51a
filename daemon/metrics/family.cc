#include "daemon/metrics/family.h"

#include <algorithm>
#include <cstdint>

namespace awsd::metrics {

void EncodeSeriesKey(std::span<const std::string_view> values, std::string& key) {
  key.clear();
  for (const std::string_view value : values) {
    const auto size = static_cast<uint32_t>(value.size());
    key.append(reinterpret_cast<const char*>(&size), sizeof(size));
    key.append(value);
  }
}

FamilySnapshot FamilyBase::Snapshot() const {
  FamilySnapshot snapshot;
  snapshot.name = name_;
  snapshot.help = help_;
  snapshot.kind = kind_;
  snapshot.label_names = label_names_;
  snapshot.bounds = bounds_;
  CollectSeries(snapshot.series);
  std::sort(snapshot.series.begin(), snapshot.series.end(),
            [](const SeriesSnapshot& a, const SeriesSnapshot& b) { return a.label_values < b.label_values; });
  return snapshot;
}

}  // namespace awsd::metrics
