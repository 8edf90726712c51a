#include <variant>

#include "daemon/app/command_line.h"
#include "daemon/app/daemon.h"

int main(int argc, char** argv) {
  auto parsed = awsd::app::ParseCommandLine(argc, argv);
  if (auto* exit_status = std::get_if<int>(&parsed)) return *exit_status;
  return awsd::app::RunDaemon(std::get<awsd::app::CommandLine>(parsed));
}
