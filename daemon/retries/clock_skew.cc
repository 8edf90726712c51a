#include "daemon/retries/clock_skew.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <utility>

namespace awsd::retries {
namespace {

using std::string_view_literals::operator""sv;

constexpr std::array kSkewCodes{"RequestTimeTooSkewed"sv,      "RequestExpired"sv,        "RequestInTheFuture"sv,
                                "InvalidSignatureException"sv, "SignatureDoesNotMatch"sv, "AuthFailure"sv,
                                "InvalidSignature"sv};

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
// days_from_civil).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

std::optional<std::chrono::system_clock::time_point> MakeTime(int year, int month, int day, int hour, int minute,
                                                              int second) {
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  const int64_t seconds = DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  return std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
}

// Reads exactly `width` digits at `pos`.
bool ReadNumber(std::string_view text, size_t& pos, size_t width, int& out) {
  if (pos + width > text.size()) return false;
  out = 0;
  for (size_t i = 0; i < width; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  pos += width;
  return true;
}

std::string_view StripLeading(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  return text;
}

std::string_view Strip(std::string_view text) {
  text = StripLeading(text);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

bool Expect(std::string_view text, size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

}  // namespace

bool IsClockSkewErrorCode(std::string_view error_code) {
  return std::find(kSkewCodes.begin(), kSkewCodes.end(), error_code) != kSkewCodes.end();
}

bool IsClockSkewStatus(int http_status) { return http_status == 400 || http_status == 401 || http_status == 403; }

std::optional<std::chrono::system_clock::time_point> ParseHttpDate(std::string_view text) {
  text = Strip(text);
  if (const size_t comma = text.find(','); comma != std::string_view::npos) {
    text = StripLeading(text.substr(comma + 1));
  }
  static constexpr std::array kMonths{"jan"sv, "feb"sv, "mar"sv, "apr"sv, "may"sv, "jun"sv,
                                      "jul"sv, "aug"sv, "sep"sv, "oct"sv, "nov"sv, "dec"sv};
  size_t pos = 0;
  int day = 0;
  int year = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (!ReadNumber(text, pos, 2, day) && !ReadNumber(text, pos, 1, day)) return std::nullopt;
  if (!Expect(text, pos, ' ') || pos + 3 > text.size()) return std::nullopt;
  std::string month_name(text.substr(pos, 3));
  for (char& c : month_name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const auto month = std::find(kMonths.begin(), kMonths.end(), month_name);
  if (month == kMonths.end()) return std::nullopt;
  pos += 3;
  if (!Expect(text, pos, ' ') || !ReadNumber(text, pos, 4, year) || !Expect(text, pos, ' ') ||
      !ReadNumber(text, pos, 2, hour) || !Expect(text, pos, ':') || !ReadNumber(text, pos, 2, minute) ||
      !Expect(text, pos, ':') || !ReadNumber(text, pos, 2, second)) {
    return std::nullopt;
  }
  const std::string_view zone = StripLeading(text.substr(pos));
  if (zone != "GMT" && zone != "UTC" && zone != "+0000" && zone != "Z") return std::nullopt;
  return MakeTime(year, static_cast<int>(month - kMonths.begin()) + 1, day, hour, minute, second);
}

std::optional<std::chrono::system_clock::time_point> ParseAmzDate(std::string_view text) {
  text = Strip(text);
  size_t pos = 0;
  int year = 0;
  int month = 0;
  int day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (!ReadNumber(text, pos, 4, year) || !ReadNumber(text, pos, 2, month) || !ReadNumber(text, pos, 2, day) ||
      !Expect(text, pos, 'T') || !ReadNumber(text, pos, 2, hour) || !ReadNumber(text, pos, 2, minute) ||
      !ReadNumber(text, pos, 2, second) || !Expect(text, pos, 'Z') || pos != text.size()) {
    return std::nullopt;
  }
  return MakeTime(year, month, day, hour, minute, second);
}

std::optional<std::chrono::system_clock::time_point> ServerTime(const std::vector<http::Header>& headers) {
  for (const http::Header& header : headers) {
    if (http::EqualsIgnoreCase(header.name, "Date")) {
      if (auto time = ParseHttpDate(header.value)) return time;
    }
  }
  for (const http::Header& header : headers) {
    if (http::EqualsIgnoreCase(header.name, "x-amz-date")) {
      if (auto time = ParseAmzDate(header.value)) return time;
    }
  }
  return std::nullopt;
}

ClockSkew::ClockSkew(WallClock clock) : clock_(std::move(clock)) {}

std::chrono::seconds ClockSkew::Offset(const std::string& host) const {
  std::lock_guard lock(mutex_);
  const auto it = offsets_.find(host);
  return it == offsets_.end() ? std::chrono::seconds(0) : it->second;
}

std::chrono::system_clock::time_point ClockSkew::Now(const std::string& host) const { return clock_() + Offset(host); }

bool ClockSkew::Observe(const std::string& host, std::chrono::system_clock::time_point server_time,
                        std::chrono::system_clock::time_point signed_at) {
  const auto difference = server_time - signed_at;
  if (difference <= kThreshold && difference >= -kThreshold) return false;
  // Measured against the local clock, not signed_at, so that an offset
  // already applied to signed_at is replaced rather than added to.
  const auto offset = std::chrono::round<std::chrono::seconds>(server_time - clock_());
  std::lock_guard lock(mutex_);
  offsets_[host] = offset;
  return true;
}

}  // namespace awsd::retries
