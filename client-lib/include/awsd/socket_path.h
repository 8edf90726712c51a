#pragma once

#include <string>
#include <string_view>

namespace awsd {

// The daemon's socket path, first that applies: `explicit_path` (a --socket
// flag, or the daemon's config file), $AWSD_SOCKET,
// $XDG_RUNTIME_DIR/awsd/awsd.sock, /run/awsd/awsd.sock. Empty values count as
// unset.
std::string ResolveSocketPath(std::string_view explicit_path = {});

}  // namespace awsd
