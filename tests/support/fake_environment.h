#pragma once

#include <map>
#include <optional>
#include <string>

#include "daemon/config/file_locations.h"

namespace awsd::test_support {

// An environment of exactly `vars`, for code that takes an EnvLookup.
inline config::EnvLookup FakeEnvironment(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    const auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

}  // namespace awsd::test_support
