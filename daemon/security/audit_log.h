#pragma once

// The audit log file: one JSON line per call, appended with one write(2)
// each (O_APPEND keeps concurrent lines whole). Reopened on SIGHUP, so
// logrotate can move it away. When it is configured but cannot be written,
// Health() says so and the daemon refuses calls that act on AWS (fail
// closed) until a write or a reopen succeeds.

#include <mutex>
#include <optional>
#include <string>

#include "absl/status/status.h"

namespace awsd::security {

class AuditLog {
 public:
  AuditLog() = default;
  ~AuditLog();
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // Opens `path` (created 0600) and writes an opening line, so a file that
  // cannot take a line (a full disk, /dev/full) is known before the first
  // call; nullopt turns the log off. On failure the log stays configured
  // and unhealthy: failing closed is the point.
  absl::Status Configure(std::optional<std::string> path);
  // Closes and opens the same path again (SIGHUP).
  absl::Status Reopen();

  // Appends `line` (a whole line, newline included). A failure makes the
  // log unhealthy; a later success makes it healthy again.
  absl::Status Write(const std::string& line);

  // OK when off or writable; else UNAVAILABLE saying why.
  absl::Status Health() const;
  bool enabled() const;

 private:
  absl::Status OpenLocked();
  absl::Status WriteLocked(const std::string& line);

  mutable std::mutex mutex_;
  std::optional<std::string> path_;
  int fd_ = -1;
  // Why the last open or write failed; empty when healthy.
  std::string failure_;
};

}  // namespace awsd::security
