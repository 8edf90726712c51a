#pragma once

// Prometheus text exposition format 0.0.4: what a scrape of /metrics reads.
// Pure functions over snapshots, so the exact text can be tested without
// live metrics.

#include <string>
#include <string_view>
#include <vector>

#include "daemon/metrics/histogram.h"

namespace awsd::metrics {

inline constexpr std::string_view kTextContentType = "text/plain; version=0.0.4; charset=utf-8";

enum class MetricKind { kCounter, kGauge, kHistogram };

struct SeriesSnapshot {
  // In the order of the family's label names.
  std::vector<std::string> label_values;
  // Counters and gauges.
  double value = 0;
  // Histograms.
  HistogramSnapshot histogram;
};

struct FamilySnapshot {
  std::string name;
  std::string help;
  MetricKind kind = MetricKind::kCounter;
  std::vector<std::string> label_names;
  // Histograms: the bucket bounds, without +Inf.
  std::vector<double> bounds;
  std::vector<SeriesSnapshot> series;
};

// `\` `"` and newline escaped, as label values must be.
std::string EscapeLabelValue(std::string_view value);
// `\` and newline escaped, as # HELP text must be.
std::string EscapeHelp(std::string_view help);
// The shortest text that reads back as `value`; +Inf, -Inf, NaN spelled as
// Prometheus spells them.
std::string FormatValue(double value);

// Appends one family: # HELP, # TYPE, then its samples in the order given.
void AppendFamily(const FamilySnapshot& family, std::string& out);
std::string RenderText(const std::vector<FamilySnapshot>& families);

// Names as the format allows them: metrics [a-zA-Z_:][a-zA-Z0-9_:]*, labels
// [a-zA-Z_][a-zA-Z0-9_]* and not starting with "__" (reserved).
bool IsValidMetricName(std::string_view name);
bool IsValidLabelName(std::string_view name);

}  // namespace awsd::metrics
