#pragma once

// The rule sets' built-in parameters ("AWS::Region", "AWS::UseFIPS",
// "SDK::Endpoint", "AWS::S3::ForcePathStyle", ...) computed from the
// configuration as botocore 1.43 computes them when it creates a client
// (ClientArgsCreator.compute_endpoint_resolver_builtin_defaults and what
// feeds it: the session's region, the config store, the `s3` block,
// ClientEndpointBridge's FIPS and dual-stack rules, the configured endpoint
// URL), plus the per-call S3 adjustments of handlers.py.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "absl/status/statusor.h"
#include "daemon/config/file_locations.h"
#include "daemon/config/profile_file_parser.h"
#include "daemon/endpoints/endpoint.h"
#include "daemon/endpoints/legacy_endpoints.h"

namespace awsd::endpoints {

// Built-in values by built-in name ("AWS::Region"); unset ones are absent.
using Builtins = EndpointParams;

// The `s3` configuration (botocore's compute_s3_config) by key
// ("addressing_style", "use_arn_region", ...). Values keep botocore's types:
// a bool for the keys botocore converts with ensure_boolean, the text
// otherwise.
using S3Config = std::map<std::string, std::variant<std::string, bool>, std::less<>>;

// What a client is created with, beyond the shared files and environment:
// botocore's create_client arguments and Config fields. Unset fields fall
// back to the configuration, as in botocore.
struct ClientEndpointOptions {
  // botocore's client name: the data folder ("s3", "s3control", "sso-oidc").
  std::string service;
  // The service model's metadata.endpointPrefix; the client name when empty
  // (s3control's is "s3-control": dual-stack for it follows the s3 block).
  std::string endpoint_prefix;
  // The service model's metadata.signingName ("" when it has none).
  std::string signing_name;
  std::optional<std::string> region;        // region_name=, else the `region` setting
  std::optional<std::string> endpoint_url;  // endpoint_url=: wins over every configured URL
  std::optional<bool> ignore_configured_endpoint_urls;
  std::optional<bool> use_fips_endpoint;
  std::optional<bool> use_dualstack_endpoint;
  S3Config s3;  // Config(s3={...}), over the configured s3 block
  std::optional<bool> s3_disable_express_session_auth;
  std::optional<std::string> account_id_endpoint_mode;
  // Config(client_context_params={...}), by snake-case name.
  std::map<std::string, ParamValue, std::less<>> client_context_params;
  // The account of the credentials, when they name one.
  std::optional<std::string> account_id;
  // signature_version=UNSIGNED: account-based endpoints are then disabled.
  bool unsigned_requests = false;
};

struct EndpointConfig {
  Builtins builtins;
  S3Config s3;  // the resolved s3 configuration
  // botocore's client_context: client_context_params, and for s3 and
  // s3-control the s3 configuration and disable_s3_express_session_auth.
  // Keyed by snake-case name; see ClientContextParams.
  std::map<std::string, ParamValue, std::less<>> client_context;
  // The URL the client was given or configured with, if any.
  std::optional<std::string> configured_endpoint_url;
  std::string region;  // as validated; empty when none is configured
  // What botocore's endpoints.json resolver made of the client (when it was
  // given one): the signing scope for endpoints without authSchemes and for
  // S3 presigned URLs, the partition, the client's region.
  std::optional<LegacyEndpoint> legacy;
};

// The whole computation. `profile` is the session's profile and `config`
// the loaded files (either may be null). `legacy` is endpoints.json; without
// it (null) the regions botocore takes from it are approximated: S3 without a
// region gets "us-east-1" (or "aws-global" with us_east_1_regional_endpoint
// = regional), STS "aws-global", other services none, and no client is
// refused for a FIPS or dual-stack variant endpoints.json lacks. Errors are
// InvalidArgument with
// botocore's message for what botocore refuses when it creates the client:
// a region that is not a host label ("Provided region_name 'us east 1'
// doesn't match a supported format."), an sts_regional_endpoints,
// us_east_1_regional_endpoint, account_id_endpoint_mode or
// s3_disable_express_session_auth it does not accept, a `services` section
// that does not exist, an invalid configured URL; and with `legacy`, its
// "You must specify a region." and variant errors.
absl::StatusOr<EndpointConfig> ComputeEndpointConfig(const ClientEndpointOptions& options,
                                                     const config::Profile* profile, const config::ProfileSet* config,
                                                     const config::EnvLookup& env,
                                                     const LegacyEndpoints* legacy = nullptr);

// signers._should_use_global_endpoint, for S3 presigned URLs (the
// `use_global_endpoint` of CustomizeS3Builtins): only in the aws partition,
// and not with dual-stack, a regional us-east-1 or virtual addressing. Needs
// config.legacy for the partition (false without it).
bool ShouldPresignToGlobalEndpoint(const EndpointConfig& config);

// The `s3` configuration alone: the profile's s3 block, then per key the
// environment or flat profile keys botocore lets override it
// (AWS_S3_USE_ARN_REGION, s3_use_arn_region, ...), then `client` over all.
S3Config ResolveS3Config(const config::Profile* profile, const config::EnvLookup& env, const S3Config& client);

// The service id botocore uses for AWS_ENDPOINT_URL_<ID> and the `services`
// section: the client name with botocore's aliases and overrides, '-' as
// '_' ("elbv2" -> "elastic_load_balancing_v2", "sso-oidc" -> "sso_oidc").
std::string ConfiguredEndpointServiceId(std::string_view client_name);

// handlers.customize_endpoint_resolver_builtins, run by botocore before each
// S3 call: GetBucketLocation forces path style, an ARN bucket forbids it,
// and a presigned URL in the aws partition (`use_global_endpoint`) goes to
// the global endpoint when virtual-hosted addressing is possible.
void CustomizeS3Builtins(std::string_view operation_name, const std::optional<std::string>& bucket,
                         bool use_global_endpoint, Builtins* builtins);

}  // namespace awsd::endpoints
