// awsd's own TOML config (daemon/app/daemon_config), through the string API
// that LoadDaemonConfig uses after reading the file: TOML syntax, every
// table's validation, and the security policy tables it embeds.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "daemon/app/daemon_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // LoadDaemonConfig refuses files over 1 MiB; nothing larger reaches the parser.
  if (size > (1u << 20)) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = awsd::app::ParseDaemonConfig(text, "fuzz.toml");
  // A config that parses must equal itself (the operator every reload uses
  // to decide whether anything changed).
  if (parsed.ok() && !(*parsed == *parsed)) __builtin_trap();
  return 0;
}
