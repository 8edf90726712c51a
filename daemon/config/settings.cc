#include "daemon/config/settings.h"

#include <array>
#include <string>

#include "absl/strings/ascii.h"

namespace awsd::config {
namespace {

using std::string_view_literals::operator""sv;

// Environment variable lists, kept static so that the spans stay valid.
constexpr std::array kProfileEnv{"AWS_DEFAULT_PROFILE"sv, "AWS_PROFILE"sv};
constexpr std::array kRegionEnv{"AWS_DEFAULT_REGION"sv};
constexpr std::array kDataPathEnv{"AWS_DATA_PATH"sv};
constexpr std::array kConfigFileEnv{"AWS_CONFIG_FILE"sv};
constexpr std::array kCaBundleEnv{"AWS_CA_BUNDLE"sv};
constexpr std::array kCredentialsFileEnv{"AWS_SHARED_CREDENTIALS_FILE"sv};
constexpr std::array kMetadataTimeoutEnv{"AWS_METADATA_SERVICE_TIMEOUT"sv};
constexpr std::array kMetadataAttemptsEnv{"AWS_METADATA_SERVICE_NUM_ATTEMPTS"sv};
constexpr std::array kImdsEndpointEnv{"AWS_EC2_METADATA_SERVICE_ENDPOINT"sv};
constexpr std::array kImdsEndpointModeEnv{"AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"sv};
constexpr std::array kImdsV1DisabledEnv{"AWS_EC2_METADATA_V1_DISABLED"sv};
constexpr std::array kImdsIpv6Env{"AWS_IMDS_USE_IPV6"sv};
constexpr std::array kDualstackEnv{"AWS_USE_DUALSTACK_ENDPOINT"sv};
constexpr std::array kFipsEnv{"AWS_USE_FIPS_ENDPOINT"sv};
constexpr std::array kIgnoreEndpointsEnv{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"sv};
constexpr std::array kCsmEnabledEnv{"AWS_CSM_ENABLED"sv};
constexpr std::array kCsmHostEnv{"AWS_CSM_HOST"sv};
constexpr std::array kCsmPortEnv{"AWS_CSM_PORT"sv};
constexpr std::array kCsmClientIdEnv{"AWS_CSM_CLIENT_ID"sv};
constexpr std::array kEndpointDiscoveryEnv{"AWS_ENDPOINT_DISCOVERY_ENABLED"sv};
constexpr std::array kStsRegionalEnv{"AWS_STS_REGIONAL_ENDPOINTS"sv};
constexpr std::array kRetryModeEnv{"AWS_RETRY_MODE"sv};
constexpr std::array kDefaultsModeEnv{"AWS_DEFAULTS_MODE"sv};
constexpr std::array kMaxAttemptsEnv{"AWS_MAX_ATTEMPTS"sv};
constexpr std::array kAppIdEnv{"AWS_SDK_UA_APP_ID"sv};
constexpr std::array kMinCompressionEnv{"AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES"sv};
constexpr std::array kDisableCompressionEnv{"AWS_DISABLE_REQUEST_COMPRESSION"sv};
constexpr std::array kSigv4aRegionSetEnv{"AWS_SIGV4A_SIGNING_REGION_SET"sv};
constexpr std::array kRequestChecksumEnv{"AWS_REQUEST_CHECKSUM_CALCULATION"sv};
constexpr std::array kResponseChecksumEnv{"AWS_RESPONSE_CHECKSUM_VALIDATION"sv};
constexpr std::array kAccountIdModeEnv{"AWS_ACCOUNT_ID_ENDPOINT_MODE"sv};
constexpr std::array kHostPrefixEnv{"AWS_DISABLE_HOST_PREFIX_INJECTION"sv};
constexpr std::array kAuthPreferenceEnv{"AWS_AUTH_SCHEME_PREFERENCE"sv};
constexpr std::array kTcpKeepaliveEnv{"BOTOCORE_TCP_KEEPALIVE"sv};
constexpr std::array kS3ExpressEnv{"AWS_S3_DISABLE_EXPRESS_SESSION_AUTH"sv};
constexpr std::array kEndpointUrlEnv{"AWS_ENDPOINT_URL"sv};
constexpr std::array kWebIdentityTokenEnv{"AWS_WEB_IDENTITY_TOKEN_FILE"sv};
constexpr std::array kRoleArnEnv{"AWS_ROLE_ARN"sv};
constexpr std::array kRoleSessionNameEnv{"AWS_ROLE_SESSION_NAME"sv};

constexpr std::span<const std::string_view> kNoEnv{};

const Setting kSettings[] = {
    // configprovider.BOTOCORE_DEFAUT_SESSION_VARIABLES, in its order.
    {"profile", "", kProfileEnv, std::nullopt},
    {"region", "region", kRegionEnv, std::nullopt},
    {"data_path", "data_path", kDataPathEnv, std::nullopt},
    {"config_file", "", kConfigFileEnv, "~/.aws/config"},
    {"ca_bundle", "ca_bundle", kCaBundleEnv, std::nullopt},
    // botocore's default is an empty dict, which has no string form.
    {"api_versions", "api_versions", kNoEnv, std::nullopt},
    {"credentials_file", "", kCredentialsFileEnv, "~/.aws/credentials"},
    {"metadata_service_timeout", "metadata_service_timeout", kMetadataTimeoutEnv, "1"},
    {"metadata_service_num_attempts", "metadata_service_num_attempts", kMetadataAttemptsEnv, "1"},
    {"ec2_metadata_service_endpoint", "ec2_metadata_service_endpoint", kImdsEndpointEnv, std::nullopt},
    {"ec2_metadata_service_endpoint_mode", "ec2_metadata_service_endpoint_mode", kImdsEndpointModeEnv,
     std::nullopt},
    {"ec2_metadata_v1_disabled", "ec2_metadata_v1_disabled", kImdsV1DisabledEnv, "false"},
    {"imds_use_ipv6", "imds_use_ipv6", kImdsIpv6Env, "false"},
    {"use_dualstack_endpoint", "use_dualstack_endpoint", kDualstackEnv, std::nullopt},
    {"use_fips_endpoint", "use_fips_endpoint", kFipsEnv, std::nullopt},
    {"ignore_configured_endpoint_urls", "ignore_configured_endpoint_urls", kIgnoreEndpointsEnv, std::nullopt},
    {"parameter_validation", "parameter_validation", kNoEnv, "true"},
    {"csm_enabled", "csm_enabled", kCsmEnabledEnv, "false"},
    {"csm_host", "csm_host", kCsmHostEnv, "127.0.0.1"},
    {"csm_port", "csm_port", kCsmPortEnv, "31000"},
    {"csm_client_id", "csm_client_id", kCsmClientIdEnv, ""},
    {"endpoint_discovery_enabled", "endpoint_discovery_enabled", kEndpointDiscoveryEnv, "auto"},
    {"sts_regional_endpoints", "sts_regional_endpoints", kStsRegionalEnv, "regional"},
    // "standard" only under botocore's internal AWS_NEW_RETRIES_2026 switch.
    {"retry_mode", "retry_mode", kRetryModeEnv, "legacy"},
    {"defaults_mode", "defaults_mode", kDefaultsModeEnv, "legacy"},
    {"max_attempts", "max_attempts", kMaxAttemptsEnv, std::nullopt},
    {"user_agent_appid", "sdk_ua_app_id", kAppIdEnv, std::nullopt},
    {"request_min_compression_size_bytes", "request_min_compression_size_bytes", kMinCompressionEnv, "10240"},
    {"disable_request_compression", "disable_request_compression", kDisableCompressionEnv, "false"},
    {"sigv4a_signing_region_set", "sigv4a_signing_region_set", kSigv4aRegionSetEnv, std::nullopt},
    {"request_checksum_calculation", "request_checksum_calculation", kRequestChecksumEnv, "when_supported"},
    {"response_checksum_validation", "response_checksum_validation", kResponseChecksumEnv, "when_supported"},
    {"account_id_endpoint_mode", "account_id_endpoint_mode", kAccountIdModeEnv, "preferred"},
    {"disable_host_prefix_injection", "disable_host_prefix_injection", kHostPrefixEnv, std::nullopt},
    {"auth_scheme_preference", "auth_scheme_preference", kAuthPreferenceEnv, std::nullopt},
    {"tcp_keepalive", "tcp_keepalive", kTcpKeepaliveEnv, std::nullopt},
    {"s3_disable_express_session_auth", "s3_disable_express_session_auth", kS3ExpressEnv, std::nullopt},

    // configprovider.ConfiguredEndpointProvider, global part only.
    {"endpoint_url", "endpoint_url", kEndpointUrlEnv, std::nullopt},

    // credentials.py. The environment variables of these three apply in the
    // web-identity provider only (AssumeRoleWithWebIdentityProvider.
    // _CONFIG_TO_ENV_VAR); the assume-role provider reads role_arn and
    // role_session_name from the profile alone.
    {"web_identity_token_file", "web_identity_token_file", kWebIdentityTokenEnv, std::nullopt},
    {"role_arn", "role_arn", kRoleArnEnv, std::nullopt},
    {"role_session_name", "role_session_name", kRoleSessionNameEnv, std::nullopt},
    // Profile-only keys of the credential providers.
    {"source_profile", "source_profile", kNoEnv, std::nullopt},
    {"credential_source", "credential_source", kNoEnv, std::nullopt},
    {"external_id", "external_id", kNoEnv, std::nullopt},
    {"mfa_serial", "mfa_serial", kNoEnv, std::nullopt},
    {"duration_seconds", "duration_seconds", kNoEnv, std::nullopt},
    {"credential_process", "credential_process", kNoEnv, std::nullopt},
    {"sso_session", "sso_session", kNoEnv, std::nullopt},
    {"sso_start_url", "sso_start_url", kNoEnv, std::nullopt},
    {"sso_region", "sso_region", kNoEnv, std::nullopt},
    {"sso_account_id", "sso_account_id", kNoEnv, std::nullopt},
    {"sso_role_name", "sso_role_name", kNoEnv, std::nullopt},
    {"login_session", "login_session", kNoEnv, std::nullopt},
};

}  // namespace

std::span<const Setting> AllSettings() { return kSettings; }

const Setting* FindSetting(std::string_view name) {
  for (const Setting& setting : kSettings) {
    if (setting.name == name) return &setting;
  }
  return nullptr;
}

std::optional<std::string> Resolve(std::string_view name, const Profile* profile, const EnvLookup& env) {
  const Setting* setting = FindSetting(name);
  if (setting == nullptr) return std::nullopt;
  for (std::string_view var : setting->env_vars) {
    if (std::optional<std::string> value = env(std::string(var)); value.has_value()) return value;
  }
  if (profile != nullptr && !setting->config_key.empty()) {
    const auto it = profile->find(std::string(setting->config_key));
    if (it != profile->end()) return it->second.text;
  }
  if (setting->default_value.has_value()) return std::string(*setting->default_value);
  return std::nullopt;
}

bool EnsureBoolean(std::string_view text) { return absl::AsciiStrToLower(std::string(text)) == "true"; }

std::optional<bool> ResolveBoolean(std::string_view name, const Profile* profile, const EnvLookup& env) {
  const std::optional<std::string> value = Resolve(name, profile, env);
  if (!value.has_value()) return std::nullopt;
  return EnsureBoolean(*value);
}

}  // namespace awsd::config
