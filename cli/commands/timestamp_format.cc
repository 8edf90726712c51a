#include "cli/commands/timestamp_format.h"

#include "absl/time/time.h"

namespace awsd::cli {

std::string FormatIso8601(const google::protobuf::Timestamp& timestamp) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromUnixSeconds(timestamp.seconds()), absl::UTCTimeZone());
}

}  // namespace awsd::cli
