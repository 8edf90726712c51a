#pragma once

#include <optional>
#include <string>
#include <variant>

namespace awsd::app {

// awsd's command line, as the contract fixes it.
struct CommandLine {
  std::optional<std::string> config_file;
  std::optional<std::string> socket_path;
  std::optional<std::string> log_level;
  std::optional<std::string> log_format;
  std::optional<std::string> models_dir;
};

// Either the parsed command line or the exit status to leave with at once
// (0 after --help/--version, 2 after a usage error, which was printed).
std::variant<CommandLine, int> ParseCommandLine(int argc, char** argv);

}  // namespace awsd::app
