#pragma once

#include <chrono>

#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/time_util.h"

namespace awsd::server {

// Between the daemon's clock values and protobuf's Timestamp, at the
// nanosecond resolution both can hold.
inline std::chrono::system_clock::time_point ToTimePoint(const google::protobuf::Timestamp& timestamp) {
  return std::chrono::system_clock::time_point(std::chrono::duration_cast<std::chrono::system_clock::duration>(
      std::chrono::nanoseconds(google::protobuf::util::TimeUtil::TimestampToNanoseconds(timestamp))));
}

inline google::protobuf::Timestamp ToTimestamp(std::chrono::system_clock::time_point time) {
  return google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
      std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count());
}

}  // namespace awsd::server
