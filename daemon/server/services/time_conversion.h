#pragma once

#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>

#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/time_util.h"

namespace awsd::server {

// Between the daemon's clock values and protobuf's Timestamp, at the
// nanosecond resolution both can hold.

// nullopt for a Timestamp system_clock cannot hold (before 1678 or after 2262,
// or nanos outside 0..999999999): protobuf's conversion to nanoseconds would
// wrap it into some other instant, and a client would get a signature for a
// time it did not ask for.
inline std::optional<std::chrono::system_clock::time_point> ToTimePoint(const google::protobuf::Timestamp& timestamp) {
  constexpr int64_t kMaxSeconds = std::numeric_limits<int64_t>::max() / 1'000'000'000 - 1;
  if (timestamp.seconds() < -kMaxSeconds || timestamp.seconds() > kMaxSeconds || timestamp.nanos() < 0 ||
      timestamp.nanos() > 999'999'999) {
    return std::nullopt;
  }
  return std::chrono::system_clock::time_point(std::chrono::duration_cast<std::chrono::system_clock::duration>(
      std::chrono::nanoseconds(google::protobuf::util::TimeUtil::TimestampToNanoseconds(timestamp))));
}

inline google::protobuf::Timestamp ToTimestamp(std::chrono::system_clock::time_point time) {
  return google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
      std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count());
}

}  // namespace awsd::server
