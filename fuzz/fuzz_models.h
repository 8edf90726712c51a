#pragma once

// The installed botocore models, found as the daemon finds them (the same
// search path, from the real environment), loaded once per fuzzer process.
// Fuzzers parse against real models so that the shapes they meet are the
// ones the daemon meets.

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string_view>

#include "daemon/config/file_locations.h"
#include "daemon/model/model_files.h"
#include "daemon/model/model_registry.h"
#include "daemon/model/service_model.h"

namespace awsd::fuzz {

inline const model::ModelRegistry& Models() {
  // Never destroyed: fuzzers exit from inside libFuzzer, and a registry torn
  // down under a still-running input would be a false finding.
  static const model::ModelRegistry* const registry =
      new model::ModelRegistry(model::ModelFiles(model::ModelSearchPath({}, config::ProcessEnvironment())));
  return *registry;
}

// A service model the fuzzer cannot work without: a missing botocore is a
// set-up error, reported once, not an input to explore.
inline std::shared_ptr<const model::ServiceModel> RequireService(std::string_view name) {
  auto service = Models().Service(name);
  if (!service.ok()) {
    std::fprintf(stderr, "fuzzer set-up: no model for %.*s: %s\n", static_cast<int>(name.size()), name.data(),
                 std::string(service.status().message()).c_str());
    std::abort();
  }
  return *service;
}

}  // namespace awsd::fuzz
