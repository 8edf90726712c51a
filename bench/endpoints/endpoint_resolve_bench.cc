// Endpoint resolution per call, in process, for the parameter sets of
// endpoint_cases.json (an S3 GetObject on a virtual-hosted bucket, SQS,
// DynamoDB), which botocore_endpoint_bench.py resolves with botocore:
//
//   <case>_Cached        EndpointResolver::Resolve, a cache hit (botocore's
//                        resolve_endpoint hits its lru_cache likewise)
//   <case>_Uncached      the rule set evaluated in full every time
//   <case>_CallPath      parameters built from the client's built-ins (bound
//                        once per client, ClientParamBinding) and the
//                        operation's context, then resolved (cached): what
//                        EndpointRulesetResolver.construct_endpoint does
//
// The rule sets and partitions are botocore's installed data folder.

#include <benchmark/benchmark.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "daemon/config/file_locations.h"
#include "daemon/endpoints/endpoint_builtins.h"
#include "daemon/endpoints/endpoint_parameters.h"
#include "daemon/endpoints/service_endpoints.h"
#include "nlohmann/json.hpp"

namespace awsd::endpoints {
namespace {

EndpointParams ParamsFromJson(const nlohmann::json& object) {
  EndpointParams params;
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (it.value().is_boolean()) {
      params.emplace(it.key(), it.value().get<bool>());
    } else if (it.value().is_string()) {
      params.emplace(it.key(), it.value().get<std::string>());
    } else if (it.value().is_array()) {
      params.emplace(it.key(), it.value().get<std::vector<std::string>>());
    }
  }
  return params;
}

struct BenchCase {
  std::shared_ptr<const EndpointResolver> resolver;
  EndpointParams params;
  OperationEndpointInputs operation;
  Builtins builtins;
  EndpointParams client_context;
  std::optional<ClientParamBinding> binding;  // made once per client
};

void Cached(benchmark::State& state, const BenchCase& bench) {
  (void)bench.resolver->Resolve(bench.params);  // fill the cache
  for (auto _ : state) {
    absl::StatusOr<std::shared_ptr<const ResolvedEndpoint>> endpoint = bench.resolver->Resolve(bench.params);
    if (!endpoint.ok()) {
      state.SkipWithError(std::string(endpoint.status().message()).c_str());
      break;
    }
    benchmark::DoNotOptimize(endpoint->get());
  }
}

void Uncached(benchmark::State& state, const BenchCase& bench) {
  for (auto _ : state) {
    absl::StatusOr<ResolvedEndpoint> endpoint = bench.resolver->ResolveUncached(bench.params);
    if (!endpoint.ok()) {
      state.SkipWithError(std::string(endpoint.status().message()).c_str());
      break;
    }
    benchmark::DoNotOptimize(endpoint->url.data());
  }
}

void CallPath(benchmark::State& state, const BenchCase& bench) {
  for (auto _ : state) {
    absl::InlinedVector<ParamRef, 16> params;
    bench.binding->Bind(bench.operation, &params);
    absl::StatusOr<std::shared_ptr<const ResolvedEndpoint>> endpoint = bench.resolver->Resolve(params);
    if (!endpoint.ok()) {
      state.SkipWithError(std::string(endpoint.status().message()).c_str());
      break;
    }
    benchmark::DoNotOptimize(endpoint->get());
  }
}

int Main(int argc, char** argv) {
  std::ifstream in(AWSD_ENDPOINT_BENCH_CASES);
  const nlohmann::json cases = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (cases.is_discarded()) {
    std::cerr << "cannot read " << AWSD_ENDPOINT_BENCH_CASES << "\n";
    return 2;
  }
  static ServiceEndpoints services(model::ModelFiles(model::ModelSearchPath({}, config::ProcessEnvironment())));
  const config::EnvLookup no_env = [](const std::string&) { return std::nullopt; };
  for (auto it = cases.begin(); it != cases.end(); ++it) {
    if (!it.value().is_object()) continue;
    const nlohmann::json& spec = it.value();
    auto bench = std::make_shared<BenchCase>();
    absl::StatusOr<std::shared_ptr<const EndpointResolver>> resolver =
        services.ForService(spec["service"].get<std::string>());
    if (!resolver.ok()) {
      std::cerr << it.key() << ": " << resolver.status() << "\n";
      return 2;
    }
    bench->resolver = *resolver;
    bench->params = ParamsFromJson(spec["params"]);
    // The call path: the operation's context parameters are its input
    // members (Bucket, Key); the rest comes from the built-ins of a client
    // made for the case's region.
    for (const char* member : {"Bucket", "Key"}) {
      if (spec["input"].contains(member)) {
        bench->operation.context.emplace(member, spec["input"][member].get<std::string>());
      }
    }
    ClientEndpointOptions options;
    options.service = spec["service"].get<std::string>();
    options.region = spec["params"]["Region"].get<std::string>();
    absl::StatusOr<std::shared_ptr<const LegacyEndpoints>> legacy = services.legacy_endpoints();
    absl::StatusOr<EndpointConfig> config =
        ComputeEndpointConfig(options, nullptr, nullptr, no_env, legacy.ok() ? legacy->get() : nullptr);
    if (!config.ok()) {
      std::cerr << it.key() << ": " << config.status() << "\n";
      return 2;
    }
    bench->builtins = config->builtins;
    absl::StatusOr<ClientParamBinding> binding =
        ClientParamBinding::Create(bench->resolver->parameters(), bench->client_context, bench->builtins);
    if (!binding.ok()) {
      std::cerr << it.key() << ": " << binding.status() << "\n";
      return 2;
    }
    bench->binding = *std::move(binding);
    benchmark::RegisterBenchmark((it.key() + "_Cached").c_str(), [bench](benchmark::State& s) { Cached(s, *bench); });
    benchmark::RegisterBenchmark((it.key() + "_Uncached").c_str(),
                                 [bench](benchmark::State& s) { Uncached(s, *bench); });
    benchmark::RegisterBenchmark((it.key() + "_CallPath").c_str(),
                                 [bench](benchmark::State& s) { CallPath(s, *bench); });
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

}  // namespace
}  // namespace awsd::endpoints

int main(int argc, char** argv) { return awsd::endpoints::Main(argc, argv); }
