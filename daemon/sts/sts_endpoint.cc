#include "daemon/sts/sts_endpoint.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "daemon/config/settings.h"
#include "daemon/http/http_request.h"

namespace awsd::sts {
namespace {

using std::string_view_literals::operator""sv;

// botocore/data/partitions.json: the partitions in its order (which decides
// a region matching two of them), with the regions each lists that its
// regionRegex does not match. Every regex has the form ^<prefix>-\w+-\d+$.
struct Partition {
  std::string_view name;
  std::array<std::string_view, 9> prefixes;  // unused slots are empty
  std::string_view listed_region;            // "<name>-global"
  std::string_view dns_suffix;
  std::string_view dualstack_dns_suffix;
  bool supports_fips;
  bool supports_dualstack;
};

constexpr Partition kPartitions[] = {
    {"aws",
     {"us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx"},
     "aws-global",
     "amazonaws.com",
     "api.aws",
     true,
     true},
    {"aws-cn", {"cn"}, "aws-cn-global", "amazonaws.com.cn", "api.amazonwebservices.com.cn", true, true},
    {"aws-eusc", {"eusc-de"}, "", "amazonaws.eu", "api.amazonwebservices.eu", true, true},
    {"aws-iso", {"us-iso"}, "aws-iso-global", "c2s.ic.gov", "api.aws.ic.gov", true, true},
    {"aws-iso-b", {"us-isob"}, "aws-iso-b-global", "sc2s.sgov.gov", "api.aws.scloud", true, true},
    {"aws-iso-e", {"eu-isoe"}, "aws-iso-e-global", "cloud.adc-e.uk", "api.cloud-aws.adc-e.uk", true, true},
    {"aws-iso-f", {"us-isof"}, "aws-iso-f-global", "csp.hci.ic.gov", "api.aws.hci.ic.gov", true, true},
    {"aws-us-gov", {"us-gov"}, "aws-us-gov-global", "amazonaws.com", "api.aws", true, true},
};

// args.LEGACY_GLOBAL_STS_REGIONS.
constexpr std::array kLegacyGlobalRegions{
    "ap-northeast-1"sv, "ap-south-1"sv, "ap-southeast-1"sv, "ap-southeast-2"sv, "aws-global"sv, "ca-central-1"sv,
    "eu-central-1"sv,   "eu-north-1"sv, "eu-west-1"sv,      "eu-west-2"sv,      "eu-west-3"sv,  "sa-east-1"sv,
    "us-east-1"sv,      "us-east-2"sv,  "us-west-1"sv,      "us-west-2"sv,
};

bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// `rest` is `\w+-\d+` (Python's \w never matches '-', so there is exactly
// one '-').
bool IsWordDashDigits(std::string_view rest) {
  const size_t dash = rest.find('-');
  if (dash == 0 || dash == std::string_view::npos || dash + 1 == rest.size()) return false;
  const std::string_view word = rest.substr(0, dash), digits = rest.substr(dash + 1);
  return std::all_of(word.begin(), word.end(), IsWordChar) &&
         std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool MatchesRegex(const Partition& partition, std::string_view region) {
  for (std::string_view prefix : partition.prefixes) {
    if (prefix.empty()) break;
    if (region.size() > prefix.size() && region.substr(0, prefix.size()) == prefix && region[prefix.size()] == '-' &&
        IsWordDashDigits(region.substr(prefix.size() + 1))) {
      return true;
    }
  }
  return false;
}

// The rule set's aws.partition: the first partition listing or matching the
// region, else "aws".
const Partition& PartitionOf(std::string_view region) {
  for (const Partition& partition : kPartitions) {
    if (region == partition.listed_region || MatchesRegex(partition, region)) return partition;
  }
  return kPartitions[0];
}

// utils.validate_region_name: a host label that is not all digits. The
// region becomes part of a host name, so this is also what keeps it from
// rewriting the URL.
bool IsValidRegion(std::string_view region) {
  if (region.size() > 63 || region.front() == '-' || region.back() == '-') return false;
  bool all_digits = true;
  for (char c : region) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
    all_digits &= c >= '0' && c <= '9';
  }
  return !all_digits;
}

// utils.ensure_boolean on a setting: "true" in any case is true, anything
// else (or nothing) false.
bool SettingIsTrue(std::string_view name, const config::Profile* profile, const config::EnvLookup& env) {
  const std::optional<std::string> value = config::Resolve(name, profile, env);
  return value.has_value() && absl::AsciiStrToLower(*value) == "true";
}

std::optional<std::string> NonEmptyEnv(const config::EnvLookup& env, const std::string& name) {
  std::optional<std::string> value = env(name);
  if (value.has_value() && value->empty()) return std::nullopt;
  return value;
}

const config::Value* ProfileValue(const config::Profile* profile, const std::string& key) {
  if (profile == nullptr) return nullptr;
  const auto it = profile->find(key);
  return it == profile->end() ? nullptr : &it->second;
}

// endpoint_url in the profile's `services` section, block `service_id`.
absl::StatusOr<std::optional<std::string>> ServicesSectionUrl(std::string_view service_id,
                                                              const config::Profile* profile,
                                                              const config::ProfileSet* config) {
  const config::Value* services = ProfileValue(profile, "services");
  if (services == nullptr) return std::nullopt;
  const config::Section* section = nullptr;
  if (config != nullptr && !services->is_nested()) {
    const auto it = config->services.find(services->text);
    if (it != config->services.end() && !it->second.empty()) section = &it->second;
  }
  if (section == nullptr) {
    return absl::InvalidArgumentError("The profile is configured to use the services section but the \"" +
                                      services->text + "\" services configuration does not exist.");
  }
  const auto block = section->find(std::string(service_id));
  if (block == section->end()) return std::nullopt;
  // botocore fails with an AttributeError on `sts = value`; say why instead.
  if (!block->second.is_nested()) {
    return absl::InvalidArgumentError("The \"" + services->text + "\" services section sets \"" +
                                      std::string(service_id) +
                                      "\" to a value instead of a block of indented \"key = value\" lines.");
  }
  const auto url = block->second.sub_properties->find("endpoint_url");
  if (url == block->second.sub_properties->end() || url->second.empty()) return std::nullopt;
  return url->second;
}

}  // namespace

absl::StatusOr<std::optional<std::string>> ConfiguredEndpointUrl(std::string_view service_id,
                                                                 const config::Profile* profile,
                                                                 const config::ProfileSet* config,
                                                                 const config::EnvLookup& env) {
  if (SettingIsTrue("ignore_configured_endpoint_urls", profile, env)) return std::nullopt;

  std::optional<std::string> url =
      NonEmptyEnv(env, "AWS_ENDPOINT_URL_" + absl::AsciiStrToUpper(std::string(service_id)));
  if (!url.has_value()) url = NonEmptyEnv(env, "AWS_ENDPOINT_URL");
  if (!url.has_value()) {
    absl::StatusOr<std::optional<std::string>> from_section = ServicesSectionUrl(service_id, profile, config);
    if (!from_section.ok()) return from_section.status();
    url = *std::move(from_section);
  }
  if (!url.has_value()) {
    if (const config::Value* value = ProfileValue(profile, "endpoint_url"); value != nullptr && !value->text.empty()) {
      url = value->text;
    }
  }
  if (url.has_value() && !http::ParseUrl(*url).ok()) {
    return absl::InvalidArgumentError("Invalid endpoint: " + http::RedactUrl(*url));
  }
  return url;
}

absl::StatusOr<StsEndpoint> BuiltInStsEndpoint(const std::string& region, bool use_fips, bool use_dualstack,
                                               bool legacy_global) {
  if (!region.empty() && !IsValidRegion(region)) {
    return absl::InvalidArgumentError("Provided region_name '" + http::RedactUrl(region) +
                                      "' doesn't match a supported format.");
  }
  const std::string name = region.empty() ? "aws-global" : region;
  // aws-global's credential scope (endpoints.json) is us-east-1.
  const std::string signing_region = name == "aws-global" ? "us-east-1" : name;
  const Partition& partition = PartitionOf(name);
  const auto endpoint = [&](std::string_view prefix, std::string_view suffix) {
    return StsEndpoint{"https://" + std::string(prefix) + "." + name + "." + std::string(suffix), signing_region};
  };

  const bool legacy_region =
      std::find(kLegacyGlobalRegions.begin(), kLegacyGlobalRegions.end(), name) != kLegacyGlobalRegions.end();
  if (legacy_global && legacy_region && !use_fips && !use_dualstack) {
    return StsEndpoint{"https://sts.amazonaws.com", "us-east-1"};
  }
  if (use_fips && use_dualstack) {
    if (!partition.supports_fips || !partition.supports_dualstack) {
      return absl::InvalidArgumentError(
          "FIPS and DualStack are enabled, but this partition does not support one or both");
    }
    return endpoint("sts-fips", partition.dualstack_dns_suffix);
  }
  if (use_fips) {
    if (!partition.supports_fips) {
      return absl::InvalidArgumentError("FIPS is enabled but this partition does not support FIPS");
    }
    // GovCloud's regular STS endpoints are its FIPS endpoints.
    if (partition.name == "aws-us-gov") return endpoint("sts", "amazonaws.com");
    return endpoint("sts-fips", partition.dns_suffix);
  }
  if (use_dualstack) {
    if (!partition.supports_dualstack) {
      return absl::InvalidArgumentError("DualStack is enabled but this partition does not support DualStack");
    }
    return endpoint("sts", partition.dualstack_dns_suffix);
  }
  if (name == "aws-global") return StsEndpoint{"https://sts.amazonaws.com", "us-east-1"};
  return endpoint("sts", partition.dns_suffix);
}

absl::StatusOr<StsEndpoint> ResolveStsEndpoint(const std::string& region, const config::Profile* profile,
                                               const config::ProfileSet* config, const config::EnvLookup& env) {
  absl::StatusOr<std::optional<std::string>> configured = ConfiguredEndpointUrl("sts", profile, config, env);
  if (!configured.ok()) return configured.status();
  if (configured->has_value()) {
    if (region.empty()) {
      return absl::FailedPreconditionError("You must specify a region: the STS endpoint " +
                                           http::RedactUrl(**configured) +
                                           " is configured, and requests to it are signed for a region.");
    }
    if (!IsValidRegion(region)) {
      return absl::InvalidArgumentError("Provided region_name '" + http::RedactUrl(region) +
                                        "' doesn't match a supported format.");
    }
    return StsEndpoint{**std::move(configured), region};
  }

  std::string regional = config::Resolve("sts_regional_endpoints", profile, env).value_or("");
  if (regional.empty()) regional = "regional";
  if (regional != "regional" && regional != "legacy") {
    return absl::InvalidArgumentError("STS regional endpoints option " + http::RedactUrl(regional) +
                                      " is invalid. Valid options are: \"legacy\", \"regional\"");
  }
  return BuiltInStsEndpoint(region, SettingIsTrue("use_fips_endpoint", profile, env),
                            SettingIsTrue("use_dualstack_endpoint", profile, env), regional == "legacy");
}

std::string StsRequestUrl(std::string_view endpoint_url) {
  const size_t scheme = endpoint_url.find("://");
  const size_t authority = scheme == std::string_view::npos ? 0 : scheme + 3;
  const size_t authority_end = endpoint_url.find_first_of("/?#", authority);
  std::string url(endpoint_url);
  if (authority_end == std::string_view::npos) {
    url += '/';
  } else if (endpoint_url[authority_end] != '/') {
    url.insert(authority_end, 1, '/');
  }
  return url;
}

}  // namespace awsd::sts
