#pragma once

#include <optional>
#include <string>

#include "absl/status/status.h"

namespace awsd::app {

struct LoggingOptions {
  std::string level = "info";
  bool json = false;
  // Unset: standard error.
  std::optional<std::string> file;
};

// (Re)configures the process-wide logger. Lines are written by a background
// thread so a call never waits on the terminal or the disk; `json` makes
// every line one JSON object {"time","level","message"}.
absl::Status ConfigureLogging(const LoggingOptions& options);

// Flushes and stops the background writer (at exit).
void ShutdownLogging();

}  // namespace awsd::app
