// awsd_endpoint_resolve: a test tool (never installed) for the differential
// test against botocore. Reads JSON lines on stdin, writes one JSON line per
// input line on stdout.
//
// {"id": 1, "service": "sqs", "params": {...}}
//     resolves the parameters as given (botocore's EndpointProvider).
// {"id": 2, "service": "s3", "operation": "GetObject", "input": {...},
//  "region": "us-west-2", "endpoint_url": null, "presign": false,
//  "config": {"use_fips_endpoint": true, "s3": {...}},
//  "env": {"AWS_USE_DUALSTACK_ENDPOINT": "true"}, "profile": {"s3": {...}}}
//     does what a botocore client does: built-ins from the configuration,
//     the operation's context parameters from the service model, S3's per
//     call adjustments, then resolution.
//
// Output: {"id", "url", "headers", "properties", "signing": {"auth_type",
// "region", "signing_name"}, "params"} or {"id", "error", "params"}.

#include <iostream>
#include <map>
#include <string>

#include "daemon/endpoints/arn.h"
#include "daemon/endpoints/auth_schemes.h"
#include "daemon/endpoints/endpoint_builtins.h"
#include "daemon/endpoints/endpoint_parameters.h"
#include "daemon/endpoints/service_endpoints.h"
#include "tests/daemon/endpoints/endpoint_test_support.h"
#include "tests/daemon/endpoints/operation_context.h"

namespace awsd::endpoints {
namespace {

using json = nlohmann::json;

json ParamsJson(const EndpointParams& params) {
  json out = json::object();
  for (const auto& [name, value] : params) {
    std::visit([&, name = name](const auto& v) { out[name] = v; }, value);
  }
  return out;
}

json EndpointJson(const ResolvedEndpoint& endpoint, const LegacyEndpoint* client, bool ignore_rule_set_region) {
  json out = {{"url", endpoint.url}, {"headers", testing::HeadersJson(endpoint)}, {"properties", endpoint.properties}};
  const std::optional<SigningContext> signing =
      SigningScopeFor(endpoint, client, ignore_rule_set_region, DefaultSupportedAuthTypes(/*with_sigv4a=*/false));
  if (signing.has_value()) {
    out["signing"] = {{"auth_type", signing->auth_type}};
    if (signing->region.has_value()) out["signing"]["region"] = *signing->region;
    if (signing->signing_name.has_value()) out["signing"]["signing_name"] = *signing->signing_name;
  }
  return out;
}

// A profile as the config file parser would give it: strings, or objects
// for nested blocks (`s3 =` and indented keys).
config::Profile ProfileFromJson(const json& object) {
  config::Profile profile;
  if (!object.is_object()) return profile;
  for (auto it = object.begin(); it != object.end(); ++it) {
    config::Value value;
    if (it.value().is_object()) {
      value.sub_properties.emplace();
      for (auto key = it.value().begin(); key != it.value().end(); ++key) {
        const std::string text = key.value().is_string() ? key.value().get<std::string>() : key.value().dump();
        value.text += "\n" + key.key() + " = " + text;
        (*value.sub_properties)[key.key()] = text;
      }
    } else {
      value.text = it.value().is_string() ? it.value().get<std::string>() : it.value().dump();
    }
    profile[it.key()] = std::move(value);
  }
  return profile;
}

// What a client call needs besides the parameters: the client's
// endpoints.json scope, and whether a presigned URL keeps it.
struct ClientSide {
  std::optional<LegacyEndpoint> legacy;
  bool ignore_rule_set_region = false;
};

absl::StatusOr<EndpointParams> ClientParams(ServiceEndpoints& services, const json& request,
                                            const EndpointResolver& resolver, ClientSide* side) {
  const std::string service = request["service"].get<std::string>();
  ClientEndpointOptions options;
  options.service = service;
  if (request.contains("region") && request["region"].is_string())
    options.region = request["region"].get<std::string>();
  if (request.contains("endpoint_url") && request["endpoint_url"].is_string()) {
    options.endpoint_url = request["endpoint_url"].get<std::string>();
  }
  const json client = request.value("config", json::object());
  if (client.contains("use_fips_endpoint")) options.use_fips_endpoint = client["use_fips_endpoint"].get<bool>();
  if (client.contains("use_dualstack_endpoint")) {
    options.use_dualstack_endpoint = client["use_dualstack_endpoint"].get<bool>();
  }
  if (client.contains("s3")) {
    for (auto it = client["s3"].begin(); it != client["s3"].end(); ++it) {
      if (it.value().is_boolean()) {
        options.s3[it.key()] = it.value().get<bool>();
      } else {
        options.s3[it.key()] = it.value().get<std::string>();
      }
    }
  }
  const json env_json = request.value("env", json::object());
  const config::EnvLookup env = [&env_json](const std::string& name) -> std::optional<std::string> {
    if (!env_json.contains(name)) return std::nullopt;
    return env_json[name].get<std::string>();
  };
  const config::Profile profile = ProfileFromJson(request.value("profile", json::object()));

  absl::StatusOr<json> model = testing::Models().LoadServiceFile(service, "service-2");
  if (!model.ok()) return model.status();
  options.endpoint_prefix = (*model)["metadata"].value("endpointPrefix", service);
  options.signing_name = (*model)["metadata"].value("signingName", "");
  absl::StatusOr<std::shared_ptr<const LegacyEndpoints>> legacy = services.legacy_endpoints();
  if (!legacy.ok()) return legacy.status();
  absl::StatusOr<EndpointConfig> config = ComputeEndpointConfig(options, &profile, nullptr, env, legacy->get());
  if (!config.ok()) return config.status();
  side->legacy = config->legacy;

  const std::string operation = request.value("operation", "");
  const json input = request.value("input", json::object());
  absl::StatusOr<OperationEndpointInputs> inputs = testing::OperationInputs(*model, operation, input);
  if (!inputs.ok()) return inputs.status();
  Builtins builtins = config->builtins;
  if (service == "s3") {
    std::optional<std::string> bucket;
    if (input.contains("Bucket") && input["Bucket"].is_string()) bucket = input["Bucket"].get<std::string>();
    const bool presign = request.value("presign", false);
    CustomizeS3Builtins(operation, bucket, presign && ShouldPresignToGlobalEndpoint(*config), &builtins);
    // generate_presigned_url signs plain buckets for the client's region.
    side->ignore_rule_set_region = presign && !(bucket.has_value() && LooksLikeArn(*bucket));
  }
  const EndpointParams client_context =
      ClientContextParams(testing::ClientContextParamNames(*model), config->client_context);
  return BuildEndpointParams(resolver.parameters(), *inputs, client_context, builtins);
}

json Handle(ServiceEndpoints& services, const json& request) {
  json out = {{"id", request.value("id", json())}};
  if (!request.contains("service") || !request["service"].is_string()) {
    out["error"] = "request has no service";
    return out;
  }
  absl::StatusOr<std::shared_ptr<const EndpointResolver>> resolver =
      services.ForService(request["service"].get<std::string>());
  if (!resolver.ok()) {
    out["error"] = std::string(resolver.status().message());
    return out;
  }
  ClientSide side;
  absl::StatusOr<EndpointParams> params = request.contains("params")
                                              ? testing::ParamsFromJson(request["params"])
                                              : ClientParams(services, request, **resolver, &side);
  if (!params.ok()) {
    out["error"] = std::string(params.status().message());
    out["stage"] = "configuration";
    return out;
  }
  out["params"] = ParamsJson(*params);
  absl::StatusOr<std::shared_ptr<const ResolvedEndpoint>> endpoint = (*resolver)->Resolve(*params);
  if (!endpoint.ok()) {
    out["error"] = std::string(endpoint.status().message());
    return out;
  }
  out.update(EndpointJson(**endpoint, side.legacy.has_value() ? &*side.legacy : nullptr, side.ignore_rule_set_region));
  return out;
}

}  // namespace
}  // namespace awsd::endpoints

int main() {
  awsd::endpoints::ServiceEndpoints services(awsd::endpoints::testing::Models());
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty()) continue;
    nlohmann::json request = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    nlohmann::json response;
    if (request.is_discarded()) {
      response = {{"error", "unparsable request line"}};
    } else {
      try {
        response = awsd::endpoints::Handle(services, request);
      } catch (const std::exception& e) {
        // A malformed request (a field of the wrong type), not a resolver
        // failure: the resolver returns statuses.
        response = {{"id", request.value("id", nlohmann::json())}, {"error", std::string("bad request: ") + e.what()}};
      }
    }
    std::cout << response.dump() << '\n';
  }
  return 0;
}
