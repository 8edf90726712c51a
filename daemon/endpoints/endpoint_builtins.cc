#include "daemon/endpoints/endpoint_builtins.h"

#include <algorithm>
#include <array>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "daemon/config/settings.h"
#include "daemon/endpoints/arn.h"
#include "daemon/endpoints/standard_functions.h"
#include "daemon/endpoints/url_parsing.h"
#include "daemon/sts/sts_endpoint.h"

namespace awsd::endpoints {
namespace {

using std::string_view_literals::operator""sv;

// args.LEGACY_GLOBAL_STS_REGIONS.
constexpr std::array kLegacyGlobalStsRegions{
    "ap-northeast-1"sv, "ap-south-1"sv, "ap-southeast-1"sv, "ap-southeast-2"sv, "aws-global"sv, "ca-central-1"sv,
    "eu-central-1"sv,   "eu-north-1"sv, "eu-west-1"sv,      "eu-west-2"sv,      "eu-west-3"sv,  "sa-east-1"sv,
    "us-east-1"sv,      "us-east-2"sv,  "us-west-1"sv,      "us-west-2"sv,
};

// utils.CLIENT_NAME_TO_HYPHENIZED_SERVICE_ID_OVERRIDES.
constexpr std::pair<std::string_view, std::string_view> kServiceIdOverrides[] = {
    {"apigateway", "api-gateway"},
    {"application-autoscaling", "application-auto-scaling"},
    {"appmesh", "app-mesh"},
    {"autoscaling", "auto-scaling"},
    {"autoscaling-plans", "auto-scaling-plans"},
    {"ce", "cost-explorer"},
    {"cloudhsmv2", "cloudhsm-v2"},
    {"cloudsearchdomain", "cloudsearch-domain"},
    {"cognito-idp", "cognito-identity-provider"},
    {"config", "config-service"},
    {"cur", "cost-and-usage-report-service"},
    {"datapipeline", "data-pipeline"},
    {"directconnect", "direct-connect"},
    {"devicefarm", "device-farm"},
    {"discovery", "application-discovery-service"},
    {"dms", "database-migration-service"},
    {"ds", "directory-service"},
    {"ds-data", "directory-service-data"},
    {"dynamodbstreams", "dynamodb-streams"},
    {"elasticbeanstalk", "elastic-beanstalk"},
    {"elb", "elastic-load-balancing"},
    {"elbv2", "elastic-load-balancing-v2"},
    {"es", "elasticsearch-service"},
    {"events", "eventbridge"},
    {"globalaccelerator", "global-accelerator"},
    {"iot-data", "iot-data-plane"},
    {"iot-jobs-data", "iot-jobs-data-plane"},
    {"iotevents-data", "iot-events-data"},
    {"iotevents", "iot-events"},
    {"iotwireless", "iot-wireless"},
    {"kinesisanalytics", "kinesis-analytics"},
    {"kinesisanalyticsv2", "kinesis-analytics-v2"},
    {"kinesisvideo", "kinesis-video"},
    {"lex-models", "lex-model-building-service"},
    {"lexv2-models", "lex-models-v2"},
    {"lex-runtime", "lex-runtime-service"},
    {"lexv2-runtime", "lex-runtime-v2"},
    {"logs", "cloudwatch-logs"},
    {"machinelearning", "machine-learning"},
    {"marketplacecommerceanalytics", "marketplace-commerce-analytics"},
    {"marketplace-entitlement", "marketplace-entitlement-service"},
    {"meteringmarketplace", "marketplace-metering"},
    {"mgh", "migration-hub"},
    {"sms-voice", "pinpoint-sms-voice"},
    {"resourcegroupstaggingapi", "resource-groups-tagging-api"},
    {"route53", "route-53"},
    {"route53domains", "route-53-domains"},
    {"s3control", "s3-control"},
    {"sdb", "simpledb"},
    {"secretsmanager", "secrets-manager"},
    {"serverlessrepo", "serverlessapplicationrepository"},
    {"servicecatalog", "service-catalog"},
    {"servicecatalog-appregistry", "service-catalog-appregistry"},
    {"stepfunctions", "sfn"},
    {"storagegateway", "storage-gateway"},
};

// One key of configprovider.DEFAULT_S3_CONFIG_VARS: the environment variable,
// the flat profile key and whether ensure_boolean converts the value.
struct S3Override {
  std::string_view key;
  std::string_view env_var;   // "" when none
  std::string_view flat_key;  // "" when none
  bool boolean;
};

constexpr S3Override kS3Overrides[] = {
    {"addressing_style", "", "", false},
    {"use_accelerate_endpoint", "", "", true},
    {"use_dualstack_endpoint", "", "", true},
    {"payload_signing_enabled", "", "", true},
    {"use_arn_region", "AWS_S3_USE_ARN_REGION", "s3_use_arn_region", true},
    {"us_east_1_regional_endpoint", "AWS_S3_US_EAST_1_REGIONAL_ENDPOINT", "s3_us_east_1_regional_endpoint", false},
    {"s3_disable_multiregion_access_points", "AWS_S3_DISABLE_MULTIREGION_ACCESS_POINTS", "", true},
};

const config::Value* ProfileValue(const config::Profile* profile, std::string_view key) {
  if (profile == nullptr) return nullptr;
  const auto it = profile->find(std::string(key));
  return it == profile->end() ? nullptr : &it->second;
}

// Python's truth value of an s3 configuration value.
bool Truthy(const std::variant<std::string, bool>& value) {
  if (const bool* flag = std::get_if<bool>(&value)) return *flag;
  return !std::get<std::string>(value).empty();
}

ParamValue ToParam(const std::variant<std::string, bool>& value) {
  if (const bool* flag = std::get_if<bool>(&value)) return *flag;
  return std::get<std::string>(value);
}

std::string PythonRepr(const std::variant<std::string, bool>& value) {
  if (const bool* flag = std::get_if<bool>(&value)) return *flag ? "True" : "False";
  return std::get<std::string>(value);
}

// utils.validate_region_name: r'^(?![0-9]+$)(?!-)[a-zA-Z0-9-]{,63}(?<!-)$'.
bool IsValidRegionName(std::string_view region) {
  if (!region.empty() && region.back() == '\n') region.remove_suffix(1);
  if (region.size() > 63) return false;
  if (!region.empty() && (region.front() == '-' || region.back() == '-')) return false;
  bool all_digits = !region.empty();
  for (char c : region) {
    const bool digit = c >= '0' && c <= '9';
    if (!digit && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-')) return false;
    all_digits &= digit;
  }
  return !all_digits;
}

// utils.is_valid_endpoint_url or is_valid_ipv6_endpoint_url, which
// EndpointCreator requires of any endpoint URL.
bool IsValidEndpointUrl(std::string_view url) {
  if (IsValidIpv6EndpointUrl(url)) return true;
  if (url.find_first_of("\t\r\n") != std::string_view::npos) return false;
  absl::StatusOr<PythonUrl> parsed = PythonUrlParse(url);
  if (!parsed.ok()) return false;
  std::optional<std::string> hostname = PythonUrlHostname(parsed->netloc);
  if (!hostname.has_value() || hostname->size() > 255) return false;
  if (hostname->back() == '.') hostname->pop_back();
  size_t start = 0;
  while (true) {
    const size_t dot = hostname->find('.', start);
    const std::string_view label =
        std::string_view(*hostname).substr(start, dot == std::string::npos ? std::string_view::npos : dot - start);
    if (!IsValidHostLabel(label, false)) return false;
    if (dot == std::string::npos) return true;
    start = dot + 1;
  }
}

// The configured endpoint URL, with the client's own
// ignore_configured_endpoint_urls (when given) instead of the configured one.
absl::StatusOr<std::optional<std::string>> ConfiguredUrl(const ClientEndpointOptions& options,
                                                         const config::Profile* profile,
                                                         const config::ProfileSet* config,
                                                         const config::EnvLookup& env) {
  if (options.endpoint_url.has_value()) return options.endpoint_url;
  const std::string service_id = ConfiguredEndpointServiceId(options.service);
  if (!options.ignore_configured_endpoint_urls.has_value()) {
    return sts::ConfiguredEndpointUrl(service_id, profile, config, env);
  }
  if (*options.ignore_configured_endpoint_urls) return std::nullopt;
  // Not ignored whatever the environment and profile say.
  const config::EnvLookup unignored_env = [&env](const std::string& name) -> std::optional<std::string> {
    if (name == "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS") return std::nullopt;
    return env(name);
  };
  if (profile == nullptr || !profile->contains("ignore_configured_endpoint_urls")) {
    return sts::ConfiguredEndpointUrl(service_id, profile, config, unignored_env);
  }
  config::Profile copy = *profile;
  copy.erase("ignore_configured_endpoint_urls");
  return sts::ConfiguredEndpointUrl(service_id, &copy, config, unignored_env);
}

std::string DefaultEndpointPrefix(std::string_view service) {
  if (service == "s3control") return "s3-control";
  return std::string(service);
}

}  // namespace

std::string ConfiguredEndpointServiceId(std::string_view client_name) {
  std::string name = client_name == "runtime.sagemaker" ? "sagemaker-runtime" : std::string(client_name);
  for (const auto& [client, service_id] : kServiceIdOverrides) {
    if (client == name) {
      name = std::string(service_id);
      break;
    }
  }
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

S3Config ResolveS3Config(const config::Profile* profile, const config::EnvLookup& env, const S3Config& client) {
  const config::Value* block = ProfileValue(profile, "s3");
  std::optional<S3Config> section;
  bool usable = true;
  if (block != nullptr) {
    if (block->is_nested()) {
      section.emplace();
      for (const auto& [key, value] : *block->sub_properties) section->emplace(key, value);
    } else if (!block->text.empty()) {
      // SectionConfigProvider ignores an `s3` that is not a block, overrides
      // and all.
      usable = false;
    }
  }
  if (usable) {
    for (const S3Override& override : kS3Overrides) {
      std::optional<std::string> value;
      if (!override.env_var.empty()) value = env(std::string(override.env_var));
      if (!value.has_value() && !override.flat_key.empty()) {
        if (const config::Value* flat = ProfileValue(profile, override.flat_key)) value = flat->text;
      }
      if (!value.has_value() && block != nullptr && block->is_nested()) {
        const auto it = block->sub_properties->find(std::string(override.key));
        if (it != block->sub_properties->end()) value = it->second;
      }
      if (!value.has_value()) continue;
      if (!section.has_value()) section.emplace();
      if (override.boolean) {
        (*section)[std::string(override.key)] = config::EnsureBoolean(*value);
      } else {
        (*section)[std::string(override.key)] = *value;
      }
    }
  }
  S3Config result = section.value_or(S3Config());
  for (const auto& [key, value] : client) result[key] = value;
  return result;
}

absl::StatusOr<EndpointConfig> ComputeEndpointConfig(const ClientEndpointOptions& options,
                                                     const config::Profile* profile, const config::ProfileSet* config,
                                                     const config::EnvLookup& env, const LegacyEndpoints* legacy) {
  EndpointConfig out;
  const std::string prefix =
      options.endpoint_prefix.empty() ? DefaultEndpointPrefix(options.service) : options.endpoint_prefix;
  const bool s3_like = prefix == "s3" || prefix == "s3-control";

  // Session._resolve_region_name.
  std::optional<std::string> region = options.region;
  if (!region.has_value()) region = config::Resolve("region", profile, env);
  if (region.has_value() && !IsValidRegionName(*region)) {
    return absl::InvalidArgumentError("Provided region_name '" + *region + "' doesn't match a supported format.");
  }
  out.region = region.value_or("");

  absl::StatusOr<std::optional<std::string>> configured = ConfiguredUrl(options, profile, config, env);
  if (!configured.ok()) return configured.status();
  out.configured_endpoint_url = *std::move(configured);
  if (out.configured_endpoint_url.has_value() && !out.configured_endpoint_url->empty() &&
      !IsValidEndpointUrl(*out.configured_endpoint_url)) {
    return absl::InvalidArgumentError("Invalid endpoint: " + *out.configured_endpoint_url);
  }
  // SDK::Endpoint, which also turns FIPS and dual-stack off.
  std::optional<std::string> given_endpoint;
  if (out.configured_endpoint_url.has_value() && !out.configured_endpoint_url->empty()) {
    given_endpoint = out.configured_endpoint_url;
  }

  S3Config client_s3 = options.s3;
  out.s3 = ResolveS3Config(profile, env, client_s3);
  const auto s3_get = [&](std::string_view key) -> const std::variant<std::string, bool>* {
    const auto it = out.s3.find(key);
    return it == out.s3.end() ? nullptr : &it->second;
  };

  // _should_force_s3_global's check, made for every service.
  std::string us_east_1_regional = "legacy";
  if (const auto* value = s3_get("us_east_1_regional_endpoint")) {
    const std::string* text = std::get_if<std::string>(value);
    if (text == nullptr || (*text != "legacy" && *text != "regional")) {
      return absl::InvalidArgumentError("S3 us-east-1 regional endpoint option " + PythonRepr(*value) +
                                        " is invalid. Valid options are: \"legacy\", \"regional\"");
    }
    us_east_1_regional = *text;
  }

  std::string sts_regional = config::Resolve("sts_regional_endpoints", profile, env).value_or("");
  if (sts_regional.empty()) sts_regional = "regional";
  if (sts_regional != "legacy" && sts_regional != "regional") {
    return absl::InvalidArgumentError("STS regional endpoints option " + sts_regional +
                                      " is invalid. Valid options are: \"legacy\", \"regional\"");
  }

  std::string account_id_mode = "disabled";
  if (!options.unsigned_requests) {
    std::optional<std::string> mode = options.account_id_endpoint_mode;
    if (!mode.has_value()) mode = config::Resolve("account_id_endpoint_mode", profile, env);
    account_id_mode = absl::AsciiStrToLower(mode.value_or("None"));
    if (account_id_mode != "preferred" && account_id_mode != "disabled" && account_id_mode != "required") {
      return absl::InvalidArgumentError("The configured value '" + account_id_mode +
                                        "' for 'account_id_endpoint_mode' is invalid. Valid values are: "
                                        "('preferred', 'disabled', 'required').");
    }
  }

  // _compute_s3_disable_express_session_auth: the client's s3 dict, else the
  // setting; a bool or "true"/"false".
  bool disable_express = false;
  {
    std::optional<std::variant<std::string, bool>> value;
    if (const auto it = options.s3.find("disable_s3_express_session_auth"); it != options.s3.end()) {
      value = it->second;
    } else if (std::optional<std::string> setting = config::Resolve("s3_disable_express_session_auth", profile, env)) {
      value = *setting;
    }
    if (value.has_value()) {
      if (const std::string* text = std::get_if<std::string>(&*value)) {
        const std::string lower = absl::AsciiStrToLower(*text);
        if (lower != "true" && lower != "false") {
          return absl::InvalidArgumentError("Invalid value \"" + *text +
                                            "\" for s3_disable_express_session_auth. Value must be a boolean");
        }
        disable_express = lower == "true";
      } else {
        disable_express = std::get<bool>(*value);
      }
    }
  }

  const bool use_fips = options.use_fips_endpoint.has_value()
                            ? *options.use_fips_endpoint
                            : config::ResolveBoolean("use_fips_endpoint", profile, env).value_or(false);

  // ClientEndpointBridge._resolve_use_dualstack_endpoint.
  std::optional<ParamValue> dualstack;
  if (s3_like) {
    if (const auto it = options.s3.find("use_dualstack_endpoint"); it != options.s3.end()) {
      dualstack = ToParam(it->second);
    } else if (const config::Value* block = ProfileValue(profile, "s3"); block != nullptr && block->is_nested()) {
      const auto it2 = block->sub_properties->find("use_dualstack_endpoint");
      if (it2 != block->sub_properties->end() && (it2->second == "True" || it2->second == "true")) dualstack = true;
    }
  }
  if (!dualstack.has_value()) {
    dualstack = options.use_dualstack_endpoint.has_value()
                    ? *options.use_dualstack_endpoint
                    : config::ResolveBoolean("use_dualstack_endpoint", profile, env).value_or(false);
  }
  const bool dualstack_truthy = std::holds_alternative<bool>(*dualstack) ? std::get<bool>(*dualstack)
                                                                         : !std::get<std::string>(*dualstack).empty();

  // The region the rule set sees. botocore takes it from its endpoints.json
  // resolver for S3 and STS, and when none is configured.
  std::optional<std::string> rules_region = region;
  if (legacy != nullptr) {
    const bool force_s3_global =
        prefix == "s3" && us_east_1_regional == "legacy" && (!region.has_value() || *region == "us-east-1");
    absl::StatusOr<LegacyEndpoint> resolved =
        legacy->Resolve(prefix, force_s3_global ? std::nullopt : region, out.configured_endpoint_url,
                        /*is_secure=*/true, dualstack_truthy, use_fips, options.signing_name);
    if (!resolved.ok()) return resolved.status();
    if (prefix == "s3") {
      // _set_region_if_custom_s3_endpoint.
      if (!resolved->signing_region.has_value() && !resolved->region_name.has_value()) {
        absl::StatusOr<LegacyEndpoint> plain =
            legacy->Resolve("s3", std::nullopt, std::nullopt, true, dualstack_truthy, use_fips, options.signing_name);
        if (!plain.ok()) return plain.status();
        resolved->signing_region = plain->signing_region;
        resolved->region_name = plain->region_name;
      }
      if (force_s3_global && resolved->region_name == "aws-global") resolved->region_name = "us-east-1";
    }
    if (prefix == "sts" && !given_endpoint.has_value() && resolved->tags.empty() && sts_regional == "legacy" &&
        region.has_value() &&
        std::find(kLegacyGlobalStsRegions.begin(), kLegacyGlobalStsRegions.end(), *region) !=
            kLegacyGlobalStsRegions.end()) {
      resolved->endpoint_url = "https://sts.amazonaws.com";
      resolved->signing_region = "us-east-1";
    }
    if (prefix == "s3" || prefix == "sts" || !region.has_value()) rules_region = resolved->region_name;
    out.legacy = *std::move(resolved);
  } else {
    if (!region.has_value() && !given_endpoint.has_value() && prefix == "sts") rules_region = "aws-global";
    if (!region.has_value() && prefix == "s3") {
      rules_region = us_east_1_regional == "legacy" ? "us-east-1" : "aws-global";
    }
  }

  Builtins& builtins = out.builtins;
  if (rules_region.has_value()) builtins["AWS::Region"] = *rules_region;
  builtins["AWS::UseFIPS"] = !given_endpoint.has_value() && use_fips;
  builtins["AWS::UseDualStack"] = given_endpoint.has_value() || !dualstack_truthy ? ParamValue(false) : *dualstack;

  const bool region_is_legacy_sts =
      rules_region.has_value() && std::find(kLegacyGlobalStsRegions.begin(), kLegacyGlobalStsRegions.end(),
                                            *rules_region) != kLegacyGlobalStsRegions.end();
  builtins["AWS::STS::UseGlobalEndpoint"] = sts_regional == "legacy" && region_is_legacy_sts;
  builtins["AWS::S3::UseGlobalEndpoint"] =
      us_east_1_regional == "legacy" && (!rules_region.has_value() || *rules_region == "us-east-1");

  const auto* accelerate = s3_get("use_accelerate_endpoint");
  builtins["AWS::S3::Accelerate"] = accelerate != nullptr ? ToParam(*accelerate) : ParamValue(false);
  const auto* addressing = s3_get("addressing_style");
  const auto addressing_is = [&](std::string_view style) {
    return addressing != nullptr && std::holds_alternative<std::string>(*addressing) &&
           std::get<std::string>(*addressing) == style;
  };
  bool force_path_style;
  if (accelerate != nullptr && Truthy(*accelerate)) {
    force_path_style = false;
  } else if (out.configured_endpoint_url.has_value() && !IsS3AccelerateUrl(*out.configured_endpoint_url)) {
    force_path_style = !addressing_is("virtual");
  } else {
    force_path_style = addressing_is("path");
  }
  builtins["AWS::S3::ForcePathStyle"] = force_path_style;
  const auto* arn_region = s3_get("use_arn_region");
  builtins["AWS::S3::UseArnRegion"] = arn_region != nullptr ? ToParam(*arn_region) : ParamValue(true);
  builtins["AWS::S3Control::UseArnRegion"] = arn_region != nullptr ? ToParam(*arn_region) : ParamValue(false);
  const auto* mrap = s3_get("s3_disable_multiregion_access_points");
  builtins["AWS::S3::DisableMultiRegionAccessPoints"] = mrap != nullptr ? ToParam(*mrap) : ParamValue(false);
  builtins["AWS::S3::DisableS3ExpressSessionAuth"] = disable_express;
  if (given_endpoint.has_value()) builtins["SDK::Endpoint"] = *given_endpoint;
  if (options.account_id.has_value()) builtins["AWS::Auth::AccountId"] = *options.account_id;
  builtins["AWS::Auth::AccountIdEndpointMode"] = account_id_mode;

  out.client_context = options.client_context_params;
  if (s3_like) {
    for (const auto& [key, value] : out.s3) out.client_context[key] = ToParam(value);
    out.client_context["disable_s3_express_session_auth"] = disable_express;
  }
  return out;
}

bool ShouldPresignToGlobalEndpoint(const EndpointConfig& config) {
  if (!config.legacy.has_value() || config.legacy->partition != "aws") return false;
  const auto find = [&](std::string_view key) -> const std::variant<std::string, bool>* {
    const auto it = config.s3.find(key);
    return it == config.s3.end() ? nullptr : &it->second;
  };
  // The client's s3 configuration also has use_dualstack_endpoint when the
  // endpoint botocore resolved is a dual-stack variant.
  const auto* dualstack = find("use_dualstack_endpoint");
  const bool dualstack_tag =
      std::find(config.legacy->tags.begin(), config.legacy->tags.end(), "dualstack") != config.legacy->tags.end();
  if (dualstack_tag || (dualstack != nullptr && Truthy(*dualstack))) return false;
  const auto* regional = find("us_east_1_regional_endpoint");
  if (regional != nullptr && *regional == std::variant<std::string, bool>(std::string("regional")) &&
      config.legacy->region_name == "us-east-1") {
    return false;
  }
  const auto* addressing = find("addressing_style");
  if (addressing != nullptr && *addressing == std::variant<std::string, bool>(std::string("virtual"))) return false;
  return true;
}

void CustomizeS3Builtins(std::string_view operation_name, const std::optional<std::string>& bucket,
                         bool use_global_endpoint, Builtins* builtins) {
  const bool bucket_is_arn = bucket.has_value() && LooksLikeArn(*bucket);
  if (operation_name == "GetBucketLocation") {
    (*builtins)["AWS::S3::ForcePathStyle"] = true;
  } else if (bucket_is_arn) {
    (*builtins)["AWS::S3::ForcePathStyle"] = false;
  }
  const bool path_style_required = bucket.has_value() && !IsValidHostLabel(*bucket, false);
  bool path_style_requested = false;
  if (const auto it = builtins->find("AWS::S3::ForcePathStyle"); it != builtins->end()) {
    if (const bool* flag = std::get_if<bool>(&it->second)) {
      path_style_requested = *flag;
    } else if (const std::string* text = std::get_if<std::string>(&it->second)) {
      path_style_requested = !text->empty();
    }
  }
  const bool express_bucket =
      bucket.has_value() && bucket->size() >= 6 && bucket->compare(bucket->size() - 6, 6, "--x-s3") == 0;
  if (use_global_endpoint && !path_style_required && !path_style_requested && !bucket_is_arn && !express_bucket) {
    (*builtins)["AWS::Region"] = std::string("aws-global");
    (*builtins)["AWS::S3::UseGlobalEndpoint"] = true;
  }
}

}  // namespace awsd::endpoints
