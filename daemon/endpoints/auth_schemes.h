#pragma once

// The endpoint's "authSchemes" property, read into structs for the signer,
// and the signing scope botocore picks from it.

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "daemon/endpoints/endpoint.h"
#include "daemon/endpoints/legacy_endpoints.h"
#include "nlohmann/json.hpp"

namespace awsd::endpoints {

// Entries that are not objects or have no string "name" are skipped; fields
// of the wrong type are left unset. disableDoubleEncoding accepts a bool or
// a string ("true" in any case is true), as botocore's ensure_boolean.
std::vector<AuthScheme> ParseAuthSchemes(const nlohmann::json& properties);

// botocore's signer names for a scheme: "sigv4" -> "v4".
std::string_view StripSigPrefix(std::string_view name);

// EndpointRulesetResolver.auth_schemes_to_signing_ctx without a requested
// signature version or auth_scheme_preference: the first scheme whose
// stripped name is in `supported` (botocore's AUTH_TYPE_MAPS; "v4a" only
// with awscrt installed). nullopt when none is.
std::optional<SigningContext> SelectSigningContext(std::span<const AuthScheme> schemes,
                                                   std::span<const std::string_view> supported);

// The scope a request is signed with, as botocore's client settles it: the
// chosen auth scheme's name and region (the region dropped when
// `ignore_rule_set_region`, as for S3 presigned URLs of plain buckets), the
// gaps filled from the client's endpoints.json scope (`client`, may be
// null). auth_type is "" when the endpoint has no authSchemes (the service
// model's signature version applies); nullopt when it has some but none is
// supported (botocore's UnknownSignatureVersionError).
std::optional<SigningContext> SigningScopeFor(const ResolvedEndpoint& endpoint, const LegacyEndpoint* client,
                                              bool ignore_rule_set_region, std::span<const std::string_view> supported);

// The names botocore 1.43 signs with and without awscrt.
std::span<const std::string_view> DefaultSupportedAuthTypes(bool with_sigv4a);

}  // namespace awsd::endpoints
