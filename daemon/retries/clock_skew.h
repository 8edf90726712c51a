#pragma once

// Clock-skew correction (not in botocore; the Java and Go SDKs do it): when
// AWS says a signature's time is off and its response's Date shows by how
// much, remember the difference per endpoint host so every later request to
// that host is signed with corrected time. Shared by the whole host.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include <mutex>
#include "daemon/http/http_request.h"

namespace awsd::retries {

using WallClock = std::function<std::chrono::system_clock::time_point()>;

// The error codes AWS answers a badly timed signature with.
bool IsClockSkewErrorCode(std::string_view error_code);
// HTTP 400, 401 or 403: the statuses those errors come with.
bool IsClockSkewStatus(int http_status);

// An RFC 1123 date ("Sun, 06 Nov 1994 08:49:37 GMT"; the day name may be
// missing, "UTC" and "+0000" are accepted for "GMT").
std::optional<std::chrono::system_clock::time_point> ParseHttpDate(std::string_view text);
// x-amz-date's basic ISO 8601 form ("19941106T084937Z").
std::optional<std::chrono::system_clock::time_point> ParseAmzDate(std::string_view text);
// The server's time from a response's Date header, else its x-amz-date.
std::optional<std::chrono::system_clock::time_point> ServerTime(const std::vector<http::Header>& headers);

class ClockSkew {
 public:
  // Differences up to this are normal clock drift plus latency; AWS itself
  // allows 5 minutes.
  static constexpr std::chrono::seconds kThreshold{4 * 60};

  explicit ClockSkew(WallClock clock = std::chrono::system_clock::now);

  // How far AWS's clock is ahead of ours (negative: behind) for `host`;
  // zero until a skew was seen.
  std::chrono::seconds Offset(const std::string& host) const;
  // The time to sign a request to `host` with: now + Offset(host).
  std::chrono::system_clock::time_point Now(const std::string& host) const;

  // A response to a request signed at `signed_at` (already corrected) said
  // the server's time is `server_time`. When they are more than kThreshold
  // apart, the offset for `host` becomes server_time - now and true is
  // returned; otherwise nothing changes.
  bool Observe(const std::string& host, std::chrono::system_clock::time_point server_time,
               std::chrono::system_clock::time_point signed_at);

 private:
  WallClock clock_;
  mutable std::mutex mutex_;  // not absl::Mutex, which TSan cannot see into
  absl::flat_hash_map<std::string, std::chrono::seconds> offsets_;  // guarded by mutex_
};

}  // namespace awsd::retries
