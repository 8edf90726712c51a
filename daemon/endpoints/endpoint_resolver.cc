#include "daemon/endpoints/endpoint_resolver.h"

#include <string>
#include <utility>

#include "daemon/endpoints/rule_evaluator.h"
#include "daemon/endpoints/rule_set_compiler.h"

namespace awsd::endpoints {

absl::StatusOr<std::shared_ptr<const EndpointResolver>> EndpointResolver::Create(
    const nlohmann::json& rule_set, std::shared_ptr<const Partitions> partitions, size_t cache_capacity) {
  absl::StatusOr<std::shared_ptr<const CompiledRuleSet>> compiled = CompileRuleSet(rule_set, std::move(partitions));
  if (!compiled.ok()) return compiled.status();
  return std::make_shared<const EndpointResolver>(*std::move(compiled), cache_capacity);
}

template <typename Params>
absl::StatusOr<std::shared_ptr<const ResolvedEndpoint>> EndpointResolver::ResolveCached(const Params& params) const {
  // Reused: a cache hit then allocates nothing.
  thread_local std::string key;
  key.clear();
  AppendParamsKey(params, &key);
  CachedResolution cached;
  if (!cache_.Find(key, &cached)) {
    absl::StatusOr<ResolvedEndpoint> resolved = EvaluateRuleSet(*rule_set_, params);
    if (resolved.ok()) {
      cached.endpoint = std::make_shared<const ResolvedEndpoint>(*std::move(resolved));
    } else {
      cached.status = resolved.status();
    }
    cache_.Insert(key, cached);
  }
  if (!cached.status.ok()) return cached.status;
  return std::move(cached.endpoint);
}

absl::StatusOr<std::shared_ptr<const ResolvedEndpoint>> EndpointResolver::Resolve(const EndpointParams& params) const {
  return ResolveCached(params);
}

absl::StatusOr<std::shared_ptr<const ResolvedEndpoint>> EndpointResolver::Resolve(
    std::span<const ParamRef> params) const {
  return ResolveCached(params);
}

absl::StatusOr<ResolvedEndpoint> EndpointResolver::ResolveUncached(const EndpointParams& params) const {
  return EvaluateRuleSet(*rule_set_, params);
}

absl::StatusOr<ResolvedEndpoint> EndpointResolver::ResolveUncached(std::span<const ParamRef> params) const {
  return EvaluateRuleSet(*rule_set_, params);
}

const ParameterDefinition* EndpointResolver::FindParameter(std::string_view name) const {
  for (const ParameterDefinition& definition : rule_set_->parameters) {
    if (definition.name == name) return &definition;
  }
  return nullptr;
}

}  // namespace awsd::endpoints
