#include "daemon/metrics/text_exposition.h"

#include <charconv>
#include <cmath>

namespace awsd::metrics {
namespace {

std::string_view TypeName(MetricKind kind) {
  switch (kind) {
    case MetricKind::kCounter:
      return "counter";
    case MetricKind::kGauge:
      return "gauge";
    case MetricKind::kHistogram:
      return "histogram";
  }
  return "untyped";
}

// name{a="x",b="y"[,le="bound"]} value
void AppendSample(std::string_view name, std::string_view suffix, const std::vector<std::string>& label_names,
                  const std::vector<std::string>& label_values, std::string_view le, std::string_view value,
                  std::string& out) {
  out.append(name).append(suffix);
  const bool any = !label_names.empty() || !le.empty();
  if (any) out += '{';
  bool first = true;
  for (std::size_t i = 0; i < label_names.size(); ++i) {
    if (!first) out += ',';
    first = false;
    out.append(label_names[i]).append("=\"");
    out.append(EscapeLabelValue(i < label_values.size() ? label_values[i] : std::string_view()));
    out += '"';
  }
  if (!le.empty()) {
    if (!first) out += ',';
    out.append("le=\"").append(le).append("\"");
  }
  if (any) out += '}';
  out += ' ';
  out.append(value);
  out += '\n';
}

// Length of the well-formed UTF-8 sequence at text[at], 0 when there is none.
std::size_t Utf8SequenceAt(std::string_view text, std::size_t at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(at);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // the second byte's range
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;   // overlong
    if (lead == 0xED) high = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;   // overlong
    if (lead == 0xF4) high = 0x8F;  // past U+10FFFF
  } else {
    return 0;
  }
  if (at + length > text.size() || byte(at + 1) < low || byte(at + 1) > high) return 0;
  for (std::size_t i = 2; i < length; ++i) {
    if ((byte(at + i) & 0xC0) != 0x80) return 0;
  }
  return length;
}

// Escapes `\`, newline and, for label values, `"`. Label values can come
// from clients (Sign's service name): a byte that is not UTF-8 would make
// Prometheus refuse the whole scrape, so it becomes U+FFFD.
std::string Escape(std::string_view text, bool quote) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t at = 0; at < text.size();) {
    const char c = text[at];
    const std::size_t length = Utf8SequenceAt(text, at);
    if (length == 0) {
      out += "\xEF\xBF\xBD";
      ++at;
      continue;
    }
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quote) {
      out += "\\\"";
    } else {
      out.append(text.substr(at, length));
    }
    at += length;
  }
  return out;
}

bool IsNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }

}  // namespace

std::string EscapeLabelValue(std::string_view value) { return Escape(value, /*quote=*/true); }

std::string EscapeHelp(std::string_view help) { return Escape(help, /*quote=*/false); }

std::string FormatValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[64];
  // Plain decimals where they stay short (a counter of a million reads
  // 1000000, a bucket 0.0001), the shortest form that reads back otherwise.
  const double magnitude = std::fabs(value);
  const bool fixed = magnitude == 0 || (magnitude >= 1e-6 && magnitude < 1e15);
  const auto result = fixed ? std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::fixed)
                            : std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, result.ptr);
}

void AppendFamily(const FamilySnapshot& family, std::string& out) {
  out.append("# HELP ").append(family.name).append(" ").append(EscapeHelp(family.help)).append("\n");
  out.append("# TYPE ").append(family.name).append(" ").append(TypeName(family.kind)).append("\n");
  for (const SeriesSnapshot& series : family.series) {
    if (family.kind != MetricKind::kHistogram) {
      AppendSample(family.name, "", family.label_names, series.label_values, "", FormatValue(series.value), out);
      continue;
    }
    const HistogramSnapshot& histogram = series.histogram;
    for (std::size_t i = 0; i < histogram.cumulative.size(); ++i) {
      const std::string le = i < family.bounds.size() ? FormatValue(family.bounds[i]) : "+Inf";
      AppendSample(family.name, "_bucket", family.label_names, series.label_values, le,
                   std::to_string(histogram.cumulative[i]), out);
    }
    AppendSample(family.name, "_sum", family.label_names, series.label_values, "", FormatValue(histogram.sum), out);
    AppendSample(family.name, "_count", family.label_names, series.label_values, "", std::to_string(histogram.count),
                 out);
  }
}

std::string RenderText(const std::vector<FamilySnapshot>& families) {
  std::string out;
  for (const FamilySnapshot& family : families) AppendFamily(family, out);
  return out;
}

bool IsValidMetricName(std::string_view name) {
  if (name.empty() || !(IsNameStart(name[0]) || name[0] == ':')) return false;
  for (const char c : name) {
    if (!IsNameChar(c) && c != ':') return false;
  }
  return true;
}

bool IsValidLabelName(std::string_view name) {
  if (name.empty() || !IsNameStart(name[0]) || name.starts_with("__")) return false;
  for (const char c : name) {
    if (!IsNameChar(c)) return false;
  }
  return true;
}

}  // namespace awsd::metrics
