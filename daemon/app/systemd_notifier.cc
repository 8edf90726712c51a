#include "daemon/app/systemd_notifier.h"

#include <systemd/sd-daemon.h>

#include <string>

namespace awsd::app {

void SystemdNotifier::Ready(std::string_view status) {
  std::string message = "READY=1\nSTATUS=" + std::string(status);
  sd_notify(0, message.c_str());
}

void SystemdNotifier::Reloading() { sd_notify(0, "RELOADING=1"); }

void SystemdNotifier::Stopping() { sd_notify(0, "STOPPING=1\nSTATUS=draining in-flight calls"); }

void SystemdNotifier::Watchdog() { sd_notify(0, "WATCHDOG=1"); }

std::optional<std::chrono::microseconds> SystemdNotifier::WatchdogInterval() const {
  uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return std::nullopt;
  return std::chrono::microseconds(usec / 2);
}

}  // namespace awsd::app
