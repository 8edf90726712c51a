#pragma once

// What goes into and comes out of endpoint resolution.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "nlohmann/json.hpp"

namespace awsd::endpoints {

// A rule-set parameter value: a rule set's "string", "boolean" or
// "stringArray".
using ParamValue = std::variant<std::string, bool, std::vector<std::string>>;

// Parameters by name ("Region", "UseFIPS", "Bucket"). A parameter that is
// not set is absent (botocore's None).
using EndpointParams = std::map<std::string, ParamValue, std::less<>>;

// The same by reference, for callers that assemble a parameter set per call
// from values they already hold (BuildEndpointParamRefs): nothing is copied.
// Names and values must outlive the call they are passed to.
struct ParamRef {
  std::string_view name;
  const ParamValue* value;
};

enum class ParameterType { kString, kBoolean, kStringArray };

// One entry of a rule set's "parameters".
struct ParameterDefinition {
  std::string name;
  ParameterType type = ParameterType::kString;
  std::optional<std::string> builtin;  // "AWS::Region", "SDK::Endpoint", ...
  // The default applied when the parameter is not set. nullopt when there
  // is none, or when it is not a string, bool or string array (botocore
  // would apply it unchecked; no rule set has one).
  std::optional<ParamValue> default_value;
  bool required = false;
  bool deprecated = false;
};

// One entry of the endpoint's "authSchemes" property: how to sign a request
// sent to it.
struct AuthScheme {
  std::string name;  // "sigv4", "sigv4a", "sigv4-s3express", ...
  std::optional<std::string> signing_name;
  std::optional<std::string> signing_region;
  std::optional<std::vector<std::string>> signing_region_set;  // sigv4a
  std::optional<bool> disable_double_encoding;
};

// The result of resolution.
struct ResolvedEndpoint {
  std::string url;
  // In the rule set's order; each header may have several values (botocore
  // sends only the first).
  std::vector<std::pair<std::string, std::vector<std::string>>> headers;
  nlohmann::json properties = nlohmann::json::object();
  // properties["authSchemes"], parsed; empty when absent.
  std::vector<AuthScheme> auth_schemes;
};

// The signing scope botocore derives from authSchemes
// (EndpointRulesetResolver.auth_schemes_to_signing_ctx, no signature version
// requested): the first scheme whose name, less a "sig" prefix, is one the
// signer supports. `region` is signingRegion, or signingRegionSet joined by
// ','.
struct SigningContext {
  std::string auth_type;  // "v4", "v4a", "v4-s3express"
  std::optional<std::string> region;
  std::optional<std::string> signing_name;
  std::optional<bool> disable_double_encoding;
};

}  // namespace awsd::endpoints
