#include "daemon/app/command_line.h"

#include <CLI/CLI.hpp>

#include "awsd_version.h"

namespace awsd::app {

std::variant<CommandLine, int> ParseCommandLine(int argc, char** argv) {
  CommandLine parsed;
  CLI::App app{"awsd: the local AWS credential and signing daemon", "awsd"};
  app.set_version_flag("--version", std::string("awsd ") + kAwsdVersion);
  app.add_option("--config", parsed.config_file, "Daemon config file (TOML); defaults apply without one");
  app.add_option("--socket", parsed.socket_path, "Unix socket path (overrides the config file and $AWSD_SOCKET)");
  app.add_option("--log-level", parsed.log_level, "trace|debug|info|warn|error")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
  app.add_option("--log-format", parsed.log_format, "text|json")->check(CLI::IsMember({"text", "json"}));
  app.add_option("--models-dir", parsed.models_dir, "Extra botocore data folder; wins over installed models");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  return parsed;
}

}  // namespace awsd::app
