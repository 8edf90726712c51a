#include "daemon/security/audit_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"

namespace awsd::security {
namespace {

std::string OpeningLine() {
  nlohmann::ordered_json line;
  line["time"] = absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone());
  line["event"] = "audit_log_opened";
  line["daemon_pid"] = getpid();
  return line.dump() + "\n";
}

}  // namespace

AuditLog::~AuditLog() {
  if (fd_ >= 0) close(fd_);
}

absl::Status AuditLog::Configure(std::optional<std::string> path) {
  std::lock_guard lock(mutex_);
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
  failure_.clear();
  path_ = std::move(path);
  if (!path_) return absl::OkStatus();
  return OpenLocked();
}

absl::Status AuditLog::Reopen() {
  std::lock_guard lock(mutex_);
  if (!path_) return absl::OkStatus();
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
  return OpenLocked();
}

absl::Status AuditLog::OpenLocked() {
  fd_ = open(path_->c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
  if (fd_ < 0) {
    failure_ = absl::StrCat("cannot open ", *path_, ": ", std::strerror(errno));
    return absl::UnavailableError(failure_);
  }
  return WriteLocked(OpeningLine());
}

absl::Status AuditLog::WriteLocked(const std::string& line) {
  if (fd_ < 0) {
    // Opening failed earlier: try again, a directory may have been fixed.
    fd_ = open(path_->c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
    if (fd_ < 0) {
      failure_ = absl::StrCat("cannot open ", *path_, ": ", std::strerror(errno));
      return absl::UnavailableError(failure_);
    }
  }
  size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = write(fd_, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      failure_ = absl::StrCat("cannot write ", *path_, ": ", n < 0 ? std::strerror(errno) : "short write");
      return absl::UnavailableError(failure_);
    }
    done += static_cast<size_t>(n);
  }
  failure_.clear();
  return absl::OkStatus();
}

absl::Status AuditLog::Write(const std::string& line) {
  std::lock_guard lock(mutex_);
  if (!path_) return absl::OkStatus();
  return WriteLocked(line);
}

absl::Status AuditLog::Health() const {
  std::lock_guard lock(mutex_);
  if (!path_ || failure_.empty()) return absl::OkStatus();
  return absl::UnavailableError(
      absl::StrCat("the audit log cannot be written (", failure_, "): calls that act on AWS are refused until it can"));
}

bool AuditLog::enabled() const {
  std::lock_guard lock(mutex_);
  return path_.has_value();
}

}  // namespace awsd::security
