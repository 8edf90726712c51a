#include "daemon/protocols/timestamps.h"

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace awsd::protocols {
namespace {

constexpr std::int64_t kMicrosPerSecond = 1'000'000;
// Epoch seconds beyond this (about year 287,000) are not a timestamp: their
// microseconds would overflow Timestamp::micros.
constexpr double kMaxEpochSeconds = 9e12;
constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<const char*, 7> kWeekdays = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};  // from 1970-01-01

// Howard Hinnant's days_from_civil.
std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil {
  std::int64_t year;
  unsigned month, day, hour, minute, second;
};

Civil CivilFromSeconds(std::int64_t seconds) {
  std::int64_t days = seconds / 86400;
  std::int64_t rest = seconds % 86400;
  if (rest < 0) {
    rest += 86400;
    --days;
  }
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return Civil{static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2),
               m,
               d,
               static_cast<unsigned>(rest / 3600),
               static_cast<unsigned>(rest % 3600 / 60),
               static_cast<unsigned>(rest % 60)};
}

class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}
  bool done() const { return pos_ >= text_.size(); }
  char peek() const { return done() ? '\0' : text_[pos_]; }
  bool Take(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }
  // Exactly `n` digits.
  bool Digits(int n, unsigned& out) {
    out = 0;
    for (int i = 0; i < n; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(peek()))) return false;
      out = out * 10 + static_cast<unsigned>(text_[pos_++] - '0');
    }
    return true;
  }
  // A fraction's digits after '.', as microseconds (extra digits truncated).
  bool Fraction(int& micros) {
    micros = 0;
    int count = 0;
    while (std::isdigit(static_cast<unsigned char>(peek()))) {
      if (count < 6) micros = micros * 10 + (text_[pos_] - '0');
      ++count;
      ++pos_;
    }
    for (int i = count; i < 6; ++i) micros *= 10;
    return count > 0;
  }
  void SkipSpaces() {
    while (peek() == ' ') ++pos_;
  }
  std::string_view Word() {
    const std::size_t start = pos_;
    while (std::isalpha(static_cast<unsigned char>(peek()))) ++pos_;
    return text_.substr(start, pos_ - start);
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

bool ValidCivil(unsigned month, unsigned day, unsigned hour, unsigned minute, unsigned second) {
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 24 && minute <= 59 && second <= 60;
}

std::optional<Timestamp> Compose(std::int64_t year, unsigned month, unsigned day, unsigned hour, unsigned minute,
                                 unsigned second, int micros, int offset_seconds) {
  if (!ValidCivil(month, day, hour, minute, second)) return std::nullopt;
  const std::int64_t seconds =
      DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset_seconds;
  return Timestamp{seconds * kMicrosPerSecond + micros};
}

// [+-]HH[:MM] or [+-]HHMM or Z / GMT / UTC; nothing is UTC.
bool Offset(Cursor& c, int& seconds) {
  seconds = 0;
  c.SkipSpaces();
  if (c.done()) return true;
  if (c.Take('Z') || c.Take('z')) return c.done();
  const char sign = c.peek();
  if (sign == '+' || sign == '-') {
    c.Take(sign);
    unsigned hh = 0, mm = 0;
    if (!c.Digits(2, hh)) return false;
    c.Take(':');
    if (!c.done() && !c.Digits(2, mm)) return false;
    seconds = static_cast<int>(hh * 3600 + mm * 60) * (sign == '-' ? -1 : 1);
    return c.done();
  }
  const std::string_view zone = c.Word();
  return (zone == "GMT" || zone == "UTC" || zone == "UT") && c.done();
}

std::optional<Timestamp> ParseIso8601(std::string_view text) {
  Cursor c(text);
  unsigned year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  int micros = 0, offset = 0;
  if (!c.Digits(4, year) || !c.Take('-') || !c.Digits(2, month) || !c.Take('-') || !c.Digits(2, day)) {
    return std::nullopt;
  }
  if (c.Take('T') || c.Take('t') || c.Take(' ')) {
    if (!c.Digits(2, hour) || !c.Take(':') || !c.Digits(2, minute)) return std::nullopt;
    if (c.Take(':') && !c.Digits(2, second)) return std::nullopt;
    if ((c.Take('.') || c.Take(',')) && !c.Fraction(micros)) return std::nullopt;
  }
  if (!Offset(c, offset)) return std::nullopt;
  return Compose(year, month, day, hour, minute, second, micros, offset);
}

std::optional<Timestamp> ParseRfc822(std::string_view text) {
  Cursor c(text);
  c.SkipSpaces();
  if (std::isalpha(static_cast<unsigned char>(c.peek()))) {
    c.Word();  // weekday, not checked (dateutil does not either)
    if (!c.Take(',')) return std::nullopt;
    c.SkipSpaces();
  }
  unsigned day = 0, year = 0, hour = 0, minute = 0, second = 0;
  if (!c.Digits(2, day)) {
    if (!c.Digits(1, day)) return std::nullopt;
  }
  c.SkipSpaces();
  const std::string_view month_name = c.Word();
  unsigned month = 0;
  for (unsigned i = 0; i < kMonths.size(); ++i) {
    if (month_name == kMonths[i]) month = i + 1;
  }
  if (month == 0) return std::nullopt;
  c.SkipSpaces();
  if (!c.Digits(4, year)) return std::nullopt;
  c.SkipSpaces();
  if (!c.Digits(2, hour) || !c.Take(':') || !c.Digits(2, minute)) return std::nullopt;
  if (c.Take(':') && !c.Digits(2, second)) return std::nullopt;
  int micros = 0;
  if (c.Take('.') && !c.Fraction(micros)) return std::nullopt;
  int offset = 0;
  if (!Offset(c, offset)) return std::nullopt;
  return Compose(year, month, day, hour, minute, second, micros, offset);
}

std::optional<Timestamp> ParseEpoch(std::string_view text) {
  if (text.empty()) return std::nullopt;
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;
  if (std::fabs(value) > kMaxEpochSeconds) return std::nullopt;
  return Timestamp{static_cast<std::int64_t>(std::llround(value * kMicrosPerSecond))};
}

}  // namespace

std::int64_t Timestamp::seconds() const {
  return micros >= 0 ? micros / kMicrosPerSecond : -((-micros + kMicrosPerSecond - 1) / kMicrosPerSecond);
}

int Timestamp::microsecond() const { return static_cast<int>(micros - seconds() * kMicrosPerSecond); }

absl::StatusOr<Timestamp> ParseTimestamp(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  if (auto t = ParseEpoch(text)) return *t;
  if (auto t = ParseIso8601(text)) return *t;
  if (auto t = ParseRfc822(text)) return *t;
  return absl::InvalidArgumentError(absl::StrCat("invalid timestamp \"", std::string(text), "\""));
}

absl::StatusOr<Timestamp> TimestampFromJson(const Value& value) {
  if (value.is_number()) {
    const double seconds = value.get<double>();
    if (!std::isfinite(seconds) || std::fabs(seconds) > kMaxEpochSeconds) {
      return absl::InvalidArgumentError(absl::StrCat("invalid timestamp ", value.dump()));
    }
    if (value.is_number_integer()) return Timestamp{value.get<std::int64_t>() * kMicrosPerSecond};
    return Timestamp{static_cast<std::int64_t>(std::llround(seconds * kMicrosPerSecond))};
  }
  if (value.is_string()) return ParseTimestamp(value.get_ref<const std::string&>());
  return absl::InvalidArgumentError(absl::StrCat("invalid timestamp ", value.dump()));
}

// "YYYY-MM-DDTHH:MM:SS", then ".ffffff" when there are microseconds.
static std::string DateTimeText(Timestamp t, bool fraction) {
  const Civil c = CivilFromSeconds(t.seconds());
  char buffer[64];
  int n = std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02uT%02u:%02u:%02u", static_cast<long long>(c.year),
                        c.month, c.day, c.hour, c.minute, c.second);
  std::string out(buffer, static_cast<std::size_t>(n));
  if (fraction && t.microsecond() != 0) {
    n = std::snprintf(buffer, sizeof buffer, ".%06d", t.microsecond());
    out.append(buffer, static_cast<std::size_t>(n));
  }
  return out;
}

std::string FormatIso8601(Timestamp t, bool milliseconds) {
  std::string out = DateTimeText(t, !milliseconds);
  char buffer[16];
  if (milliseconds) {
    const int n = std::snprintf(buffer, sizeof buffer, ".%03d", t.microsecond() / 1000);
    out.append(buffer, static_cast<std::size_t>(n));
  }
  out += 'Z';
  return out;
}

std::string FormatRfc822(Timestamp t) {
  const std::int64_t seconds = t.seconds();
  const Civil c = CivilFromSeconds(seconds);
  std::int64_t days = seconds / 86400 - (seconds % 86400 < 0 ? 1 : 0);
  const std::int64_t weekday = ((days % 7) + 7) % 7;
  char buffer[64];
  const int n = std::snprintf(buffer, sizeof buffer, "%s, %02u %s %04lld %02u:%02u:%02u GMT", kWeekdays[weekday], c.day,
                              kMonths[c.month - 1], static_cast<long long>(c.year), c.hour, c.minute, c.second);
  return std::string(buffer, static_cast<std::size_t>(n));
}

Value FormatEpochSeconds(Timestamp t, bool milliseconds) {
  if (milliseconds && t.microsecond() / 1000 != 0) {
    return static_cast<double>(t.seconds()) + (t.microsecond() / 1000) / 1000.0;
  }
  return t.seconds();
}

Value TimestampResult(Timestamp t, const Value& wire, TimestampOutput output) {
  switch (output) {
    case TimestampOutput::kWire:
      return wire;
    case TimestampOutput::kEpochSeconds:
      if (t.microsecond() == 0) return t.seconds();
      return static_cast<double>(t.micros) / kMicrosPerSecond;
    case TimestampOutput::kIso8601:
      break;
  }
  return DateTimeText(t, /*fraction=*/true) + "+00:00";
}

}  // namespace awsd::protocols
