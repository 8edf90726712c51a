#pragma once

// Timestamps as botocore reads and writes them: parameters and responses
// carry ISO 8601, RFC 822 (HTTP dates) or epoch seconds.

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "daemon/protocols/value.h"

namespace awsd::protocols {

// A UTC instant with Python datetime's precision.
struct Timestamp {
  std::int64_t micros = 0;  // since 1970-01-01T00:00:00Z
  std::int64_t seconds() const;
  int microsecond() const;  // 0..999999
  bool operator==(const Timestamp&) const = default;
};

// Any of: epoch seconds ("1398796238", "1398796238.5"), ISO 8601 (date only,
// 'T' or ' ', fraction, 'Z' or an offset, or none = UTC), RFC 822 / 1123
// ("Tue, 29 Apr 2014 18:30:38 GMT", the weekday optional). InvalidArgument
// otherwise.
absl::StatusOr<Timestamp> ParseTimestamp(std::string_view text);

// A parameter value: a number is epoch seconds, a string is parsed as above.
absl::StatusOr<Timestamp> TimestampFromJson(const Value& value);

// Serialisation, as botocore's serializers write them.
// "2014-04-29T18:30:38Z", with ".%f" microseconds when non-zero; with
// `milliseconds`, always ".mmm" (Smithy's precision, used by some protocols).
std::string FormatIso8601(Timestamp t, bool milliseconds = false);
// "Tue, 29 Apr 2014 18:30:38 GMT" (whole seconds).
std::string FormatRfc822(Timestamp t);
// Whole seconds as an integer; with `milliseconds`, a double with the
// milliseconds when there are any.
Value FormatEpochSeconds(Timestamp t, bool milliseconds = false);

// How parsed results carry timestamps.
enum class TimestampOutput {
  kIso8601,       // botocore's datetime.isoformat(): "2014-04-29T18:30:38+00:00"
  kEpochSeconds,  // a number (integer when whole): the conformance suites' form
  kWire,          // the text as received (the AWS CLI's cli_timestamp_format=none)
};

// `wire` is the value as it came (a string, or a number for epoch formats).
Value TimestampResult(Timestamp t, const Value& wire, TimestampOutput output);

}  // namespace awsd::protocols
