#pragma once

// Expiration times read from credential sources, kept inside the range the
// refresh arithmetic can use.

#include <chrono>
#include <cstdint>
#include <optional>

#include "absl/time/time.h"

namespace awsd::credentials {

// absl::ToChronoTime saturates a time system_clock cannot hold (before 1678
// or after 2262) to its min or max, and the cache's `expiration - now` then
// overflows. Sources answer with such a time only when something is wrong,
// so it is refused like a time that does not parse: nullopt outside 1716 ..
// 2223 (±8e9 s from the epoch, which leaves room for the refresh windows).
inline std::optional<std::chrono::system_clock::time_point> ToExpirationTime(absl::Time time) {
  constexpr int64_t kLimitSeconds = 8'000'000'000;
  if (time < absl::FromUnixSeconds(-kLimitSeconds) || time > absl::FromUnixSeconds(kLimitSeconds)) {
    return std::nullopt;
  }
  return absl::ToChronoTime(time);
}

}  // namespace awsd::credentials
