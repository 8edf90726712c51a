#include "daemon/endpoints/auth_schemes.h"

#include <algorithm>
#include <string>

#include "absl/strings/ascii.h"

namespace awsd::endpoints {
namespace {

std::optional<std::string> StringField(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

// botocore.auth.AUTH_TYPE_MAPS with awscrt's signers last: without awscrt it
// has all but those.
constexpr std::string_view kAuthTypes[] = {
    "v2",
    "v3",
    "v3https",
    "s3",
    "s3-query",
    "s3-presign-post",
    "s3v4-presign-post",
    "v4-s3express",
    "v4-s3express-query",
    "v4-s3express-presign-post",
    "bearer",
    "v4",
    "v4-query",
    "s3v4",
    "s3v4-query",
    // Only with awscrt installed:
    "v4a",
    "s3v4a",
    "s3v4a-query",
};
constexpr std::size_t kCrtOnlyAuthTypes = 3;

}  // namespace

std::vector<AuthScheme> ParseAuthSchemes(const nlohmann::json& properties) {
  std::vector<AuthScheme> schemes;
  if (!properties.is_object()) return schemes;
  const auto list = properties.find("authSchemes");
  if (list == properties.end() || !list->is_array()) return schemes;
  for (const nlohmann::json& entry : *list) {
    if (!entry.is_object()) continue;
    std::optional<std::string> name = StringField(entry, "name");
    if (!name.has_value()) continue;
    AuthScheme scheme;
    scheme.name = *std::move(name);
    scheme.signing_name = StringField(entry, "signingName");
    scheme.signing_region = StringField(entry, "signingRegion");
    if (const auto set = entry.find("signingRegionSet"); set != entry.end() && set->is_array()) {
      std::vector<std::string> regions;
      for (const nlohmann::json& region : *set) {
        if (region.is_string()) regions.push_back(region.get<std::string>());
      }
      scheme.signing_region_set = std::move(regions);
    }
    if (const auto flag = entry.find("disableDoubleEncoding"); flag != entry.end()) {
      if (flag->is_boolean()) {
        scheme.disable_double_encoding = flag->get<bool>();
      } else if (flag->is_string()) {
        scheme.disable_double_encoding = absl::AsciiStrToLower(flag->get<std::string>()) == "true";
      } else {
        scheme.disable_double_encoding = false;
      }
    }
    schemes.push_back(std::move(scheme));
  }
  return schemes;
}

std::string_view StripSigPrefix(std::string_view name) { return name.substr(0, 3) == "sig" ? name.substr(3) : name; }

std::optional<SigningContext> SelectSigningContext(std::span<const AuthScheme> schemes,
                                                   std::span<const std::string_view> supported) {
  for (const AuthScheme& scheme : schemes) {
    const std::string_view name = StripSigPrefix(scheme.name);
    if (std::find(supported.begin(), supported.end(), name) == supported.end()) continue;
    SigningContext context;
    context.auth_type = std::string(name);
    if (scheme.signing_region.has_value()) {
      context.region = scheme.signing_region;
    } else if (scheme.signing_region_set.has_value() && !scheme.signing_region_set->empty()) {
      std::string joined;
      for (const std::string& region : *scheme.signing_region_set) {
        if (!joined.empty()) joined += ',';
        joined += region;
      }
      context.region = std::move(joined);
    }
    context.signing_name = scheme.signing_name;
    context.disable_double_encoding = scheme.disable_double_encoding;
    return context;
  }
  return std::nullopt;
}

std::optional<SigningContext> SigningScopeFor(const ResolvedEndpoint& endpoint, const LegacyEndpoint* client,
                                              bool ignore_rule_set_region,
                                              std::span<const std::string_view> supported) {
  std::optional<SigningContext> context;
  if (endpoint.auth_schemes.empty()) {
    context.emplace();
  } else {
    context = SelectSigningContext(endpoint.auth_schemes, supported);
    if (!context.has_value()) return std::nullopt;
    if (ignore_rule_set_region) context->region.reset();
  }
  if (client != nullptr) {
    if (!context->region.has_value()) context->region = client->signing_region;
    if (!context->signing_name.has_value()) context->signing_name = client->signing_name;
  }
  return context;
}

std::span<const std::string_view> DefaultSupportedAuthTypes(bool with_sigv4a) {
  const std::span<const std::string_view> all(kAuthTypes);
  return with_sigv4a ? all : all.first(all.size() - kCrtOnlyAuthTypes);
}

}  // namespace awsd::endpoints
