#pragma once

#include <cstdlib>
#include <string>

namespace awsd::test_support {

// Where tests find things: the environment wins (to point a built test at
// another tree), else the paths CMake compiled in (tests/CMakeLists.txt).
inline std::string PathSetting(const char* env_name, const char* compiled_default) {
  const char* value = std::getenv(env_name);
  return value != nullptr && *value != '\0' ? value : compiled_default;
}

// The public conformance suites (../shared/conformance), read in place.
inline std::string ConformanceDir() { return PathSetting("AWSD_CONFORMANCE_DIR", AWSD_DEFAULT_CONFORMANCE_DIR); }
// build/bin: awsd, awsctl.
inline std::string BinDir() { return PathSetting("AWSD_BIN_DIR", AWSD_DEFAULT_BIN_DIR); }
// The source tree.
inline std::string SourceDir() { return PathSetting("AWSD_SOURCE_DIR", AWSD_DEFAULT_SOURCE_DIR); }

}  // namespace awsd::test_support
