#pragma once

#include "daemon/app/command_line.h"

namespace awsd::app {

// Runs the daemon until SIGTERM or SIGINT: loads the config, binds (or adopts)
// the socket, serves, reloads on SIGHUP, drains on exit. Returns the process
// exit status: 0 after a clean drain, 1 when it could not start (the reason
// is logged).
int RunDaemon(const CommandLine& command_line);

}  // namespace awsd::app
