#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace awsd::app {

// Tells systemd about the daemon's state (Type=notify). Every call is a
// no-op when the daemon was not started by systemd ($NOTIFY_SOCKET unset).
class SystemdNotifier {
 public:
  void Ready(std::string_view status);
  void Reloading();
  void Stopping();
  void Watchdog();
  // Half of WatchdogSec when systemd expects keep-alives, else nullopt.
  std::optional<std::chrono::microseconds> WatchdogInterval() const;
};

}  // namespace awsd::app
