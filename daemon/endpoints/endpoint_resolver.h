#pragma once

// One service's endpoint resolver: its rule set compiled once, and a cache
// of results per distinct parameter set.

#include <cstddef>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "daemon/endpoints/endpoint.h"
#include "daemon/endpoints/endpoint_cache.h"
#include "daemon/endpoints/partitions.h"
#include "daemon/endpoints/rule_set.h"
#include "nlohmann/json.hpp"

namespace awsd::endpoints {

inline constexpr size_t kDefaultEndpointCacheCapacity = 256;

class EndpointResolver {
 public:
  // Compiles `rule_set` (InvalidArgument when it is malformed, see
  // rule_set_compiler.h). A capacity of 0 turns the cache off.
  static absl::StatusOr<std::shared_ptr<const EndpointResolver>> Create(
      const nlohmann::json& rule_set, std::shared_ptr<const Partitions> partitions,
      size_t cache_capacity = kDefaultEndpointCacheCapacity);

  EndpointResolver(std::shared_ptr<const CompiledRuleSet> rule_set, size_t cache_capacity)
      : rule_set_(std::move(rule_set)), cache_(cache_capacity) {}

  // The endpoint for `params`, from the cache when these exact parameters
  // were resolved before. Thread-safe. Errors are InvalidArgument with
  // botocore's message: the rule set's own error ("Invalid Configuration:
  // FIPS and custom endpoint are not supported"), a missing required or
  // mistyped parameter, or "No endpoint found for parameters: ...".
  absl::StatusOr<std::shared_ptr<const ResolvedEndpoint>> Resolve(const EndpointParams& params) const;
  // The same for parameters by reference (BuildEndpointParamRefs).
  absl::StatusOr<std::shared_ptr<const ResolvedEndpoint>> Resolve(std::span<const ParamRef> params) const;

  // The same, evaluated every time.
  absl::StatusOr<ResolvedEndpoint> ResolveUncached(const EndpointParams& params) const;
  absl::StatusOr<ResolvedEndpoint> ResolveUncached(std::span<const ParamRef> params) const;

  const std::vector<ParameterDefinition>& parameters() const { return rule_set_->parameters; }
  const ParameterDefinition* FindParameter(std::string_view name) const;
  const EndpointCache& cache() const { return cache_; }

 private:
  template <typename Params>
  absl::StatusOr<std::shared_ptr<const ResolvedEndpoint>> ResolveCached(const Params& params) const;

  std::shared_ptr<const CompiledRuleSet> rule_set_;
  mutable EndpointCache cache_;
};

}  // namespace awsd::endpoints
