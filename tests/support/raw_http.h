#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace awsd::test_support {

// One exchange with a small HTTP server under test, byte for byte: sends
// `request` as given on a fresh connection and returns all the server wrote
// until it closed. nullopt when nothing listens.
std::optional<std::string> TryExchangeTcp(uint16_t port, std::string_view request);  // 127.0.0.1
std::optional<std::string> TryExchangeUnix(const std::string& path, std::string_view request);

// The same, "" when nothing listens.
inline std::string ExchangeTcp(uint16_t port, std::string_view request) {
  return TryExchangeTcp(port, request).value_or("");
}
inline std::string ExchangeUnix(const std::string& path, std::string_view request) {
  return TryExchangeUnix(path, request).value_or("");
}

}  // namespace awsd::test_support
