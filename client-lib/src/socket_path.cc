#include "awsd/socket_path.h"

#include <cstdlib>

namespace awsd {

std::string ResolveSocketPath(std::string_view explicit_path) {
  if (!explicit_path.empty()) return std::string(explicit_path);
  if (const char* env = std::getenv("AWSD_SOCKET"); env != nullptr && *env != '\0') return env;
  if (const char* runtime = std::getenv("XDG_RUNTIME_DIR"); runtime != nullptr && *runtime != '\0') {
    return std::string(runtime) + "/awsd/awsd.sock";
  }
  return "/run/awsd/awsd.sock";
}

}  // namespace awsd
