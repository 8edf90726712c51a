#pragma once

// Where the credential providers' STS client sends its calls, resolved as
// botocore 1.43 resolves it for the client its assume-role and web-identity
// providers create (`create_client('sts', region_name=...)` in the
// session's selected profile).

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "daemon/config/file_locations.h"
#include "daemon/config/profile_file_parser.h"

namespace awsd::sts {

struct StsEndpoint {
  // What botocore's client.meta.endpoint_url would be: a built-in endpoint
  // without a trailing slash ("https://sts.us-east-1.amazonaws.com"), or a
  // configured URL exactly as configured. The request path is added by the
  // client (StsRequestUrl).
  std::string url;
  // The SigV4 credential-scope region for AssumeRole.
  std::string signing_region;
};

// The endpoint URL the user configured for `service_id` (botocore's
// ConfiguredEndpointProvider, `service_id` in snake case: "sts", "sso_oidc"),
// first set and non-empty of: AWS_ENDPOINT_URL_<SERVICE_ID>,
// AWS_ENDPOINT_URL, `endpoint_url` in the `<service_id>` block of the
// profile's `services` section, the profile's own `endpoint_url`. nullopt
// when there is none or ignore_configured_endpoint_urls (environment or
// profile) is true. `profile` and `config` may be null (no profile, no
// files). A profile naming a `services` section that does not exist is an
// InvalidArgument error, as botocore's InvalidConfigError, and so is a URL
// that is not absolute http(s).
absl::StatusOr<std::optional<std::string>> ConfiguredEndpointUrl(std::string_view service_id,
                                                                 const config::Profile* profile,
                                                                 const config::ProfileSet* config,
                                                                 const config::EnvLookup& env);

// The endpoint of STS's endpoint rule set (data/sts/.../endpoint-rule-set-1)
// for `region` with no configured endpoint. An empty region is botocore's
// None, which its legacy resolver turns into "aws-global" (the global
// endpoint, signed for us-east-1). `legacy_global` is
// sts_regional_endpoints=legacy: the sixteen regions that used to share
// sts.amazonaws.com go back to it unless FIPS or dual-stack is on.
absl::StatusOr<StsEndpoint> BuiltInStsEndpoint(const std::string& region, bool use_fips, bool use_dualstack,
                                               bool legacy_global);

// The whole resolution: a configured endpoint (ConfiguredEndpointUrl) wins
// and turns FIPS and dual-stack off, as botocore does; otherwise the
// built-in endpoint with use_fips_endpoint, use_dualstack_endpoint and
// sts_regional_endpoints read from the environment, then `profile`.
// `profile` is the session's selected profile, also when the call is made
// for a role further down a source_profile chain (botocore builds that STS
// client from the session). `region` may be empty (no region configured).
// Errors are InvalidArgument
// for a malformed region, URL or setting, FailedPrecondition for a
// configured endpoint with no region to sign for (botocore's
// NoRegionError).
absl::StatusOr<StsEndpoint> ResolveStsEndpoint(const std::string& region, const config::Profile* profile,
                                               const config::ProfileSet* config, const config::EnvLookup& env);

// The URL a request goes to: botocore's _urljoin of the endpoint with "/",
// which adds a "/" path only when the endpoint has none.
std::string StsRequestUrl(std::string_view endpoint_url);

}  // namespace awsd::sts
