#include "daemon/endpoints/legacy_endpoints.h"

#include <algorithm>
#include <array>
#include <set>
#include <utility>

#include "absl/status/status.h"
#include "simdjson.h"

namespace awsd::endpoints {
namespace {

using json = nlohmann::json;

// EndpointResolver._UNSUPPORTED_DUALSTACK_PARTITIONS.
bool DualstackUnsupported(std::string_view partition) { return partition == "aws-iso" || partition == "aws-iso-b"; }

std::string PythonList(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i > 0 ? ", '" : "'") + items[i] + "'";
  return out + "]";
}

absl::Status VariantError(const std::vector<std::string>& tags) {
  return absl::InvalidArgumentError("Unable to construct a modeled endpoint with the following variant(s) " +
                                    PythonList(tags) + ": ");
}

const json& Member(const json& object, const char* key) {
  static const json* const empty = new json(json::object());
  if (!object.is_object()) return *empty;
  const auto it = object.find(key);
  return it == object.end() ? *empty : *it;
}

// _merge_keys: keys of `from` not yet in `result`.
void MergeKeys(const json& from, json* result) {
  if (!from.is_object()) return;
  for (auto it = from.begin(); it != from.end(); ++it) {
    if (!result->contains(it.key())) (*result)[it.key()] = it.value();
  }
}

// _retrieve_variant_data: the variant whose tags are exactly `tags`.
std::optional<json> VariantData(const json& data, const std::vector<std::string>& tags) {
  const json& variants = Member(data, "variants");
  if (!variants.is_array()) return std::nullopt;
  const std::set<std::string> wanted(tags.begin(), tags.end());
  for (const json& variant : variants) {
    std::set<std::string> have;
    for (const json& tag : Member(variant, "tags")) {
      if (tag.is_string()) have.insert(tag.get<std::string>());
    }
    if (have == wanted) return variant;
  }
  return std::nullopt;
}

// str.format with the three fields endpoints.json templates use.
std::string Expand(std::string text, std::string_view service, std::string_view region, std::string_view suffix) {
  const std::pair<std::string_view, std::string_view> fields[] = {
      {"{service}", service}, {"{region}", region}, {"{dnsSuffix}", suffix}};
  for (const auto& [field, value] : fields) {
    for (size_t at = text.find(field); at != std::string::npos; at = text.find(field, at + value.size())) {
      text.replace(at, field.size(), value);
    }
  }
  return text;
}

std::string StringOr(const json& object, const char* key, std::string fallback) {
  const json& value = Member(object, key);
  return value.is_string() ? value.get<std::string>() : std::move(fallback);
}

}  // namespace

absl::StatusOr<std::shared_ptr<const LegacyEndpoints>> LegacyEndpoints::FromJson(const json& data) {
  return FromText(data.dump());
}

absl::StatusOr<std::shared_ptr<const LegacyEndpoints>> LegacyEndpoints::FromText(std::string_view text) {
  simdjson::dom::parser parser;
  simdjson::dom::element document;
  if (parser.parse(text.data(), text.size()).get(document) != simdjson::SUCCESS) {
    return absl::InvalidArgumentError("endpoints data: not JSON");
  }
  simdjson::dom::array partitions;
  if (document.at_key("partitions").get_array().get(partitions) != simdjson::SUCCESS) {
    return absl::InvalidArgumentError("endpoints data: missing \"partitions\"");
  }
  std::shared_ptr<LegacyEndpoints> result(new LegacyEndpoints());
  for (simdjson::dom::element partition : partitions) {
    std::string_view name;
    if (partition.at_key("partition").get_string().get(name) != simdjson::SUCCESS) {
      return absl::InvalidArgumentError("endpoints data: a partition has no name");
    }
    Partition entry;
    simdjson::dom::object members;
    if (partition.get_object().get(members) != simdjson::SUCCESS) continue;
    for (const simdjson::dom::key_value_pair member : members) {
      if (member.key != "services") {
        entry.data[std::string(member.key)] = json::parse(simdjson::minify(member.value));
        continue;
      }
      simdjson::dom::object services;
      if (member.value.get_object().get(services) != simdjson::SUCCESS) continue;
      for (const simdjson::dom::key_value_pair service : services) {
        entry.services.emplace(std::string(service.key), simdjson::minify(service.value));
      }
    }
    if (const json& regex = Member(entry.data, "regionRegex"); regex.is_string()) {
      absl::StatusOr<PatternMatcher> matcher = PatternMatcher::Compile(regex.get<std::string>());
      if (!matcher.ok()) return matcher.status();
      entry.region_regex = *std::move(matcher);
      entry.has_regex = true;
    }
    result->partitions_.push_back(std::move(entry));
  }
  return std::shared_ptr<const LegacyEndpoints>(std::move(result));
}

bool LegacyEndpoints::RegionMatches(const Partition& partition, const std::string& region) const {
  if (Member(partition.data, "regions").contains(region)) return true;
  return partition.has_regex && partition.region_regex.MatchesAtStart(region);
}

absl::StatusOr<std::optional<json>> LegacyEndpoints::EndpointForPartition(const Partition& partition,
                                                                          std::string_view service,
                                                                          std::optional<std::string> region,
                                                                          bool use_dualstack, bool use_fips,
                                                                          bool force_partition) const {
  const std::string partition_name = partition.data["partition"].get<std::string>();
  if (use_dualstack && DualstackUnsupported(partition_name)) return VariantError({"dualstack"});
  const auto listed_service = partition.services.find(service);
  const json service_data = listed_service != partition.services.end() ? json::parse(listed_service->second)
                                                                       : json({{"endpoints", json::object()}});
  if (!region.has_value()) {
    const json& endpoint = Member(service_data, "partitionEndpoint");
    if (!endpoint.is_string()) return absl::InvalidArgumentError("You must specify a region.");
    region = endpoint.get<std::string>();
  }

  std::string endpoint_name = *region;
  const bool listed = Member(service_data, "endpoints").contains(*region);
  if (!listed) {
    if (!RegionMatches(partition, *region) && !force_partition) return std::nullopt;
    const json& partition_endpoint = Member(service_data, "partitionEndpoint");
    const json& regionalized = Member(service_data, "isRegionalized");
    const bool is_regionalized = !regionalized.is_boolean() || regionalized.get<bool>();
    if (partition_endpoint.is_string() && !partition_endpoint.get<std::string>().empty() && !is_regionalized) {
      endpoint_name = partition_endpoint.get<std::string>();
    }
  }

  // _resolve.
  json endpoint_data = Member(Member(service_data, "endpoints"), endpoint_name.c_str());
  if (!endpoint_data.is_object()) endpoint_data = json::object();
  const json& service_defaults = Member(service_data, "defaults");
  const json& partition_defaults = Member(partition.data, "defaults");
  std::vector<std::string> tags;
  if (use_dualstack) tags.push_back("dualstack");
  if (use_fips) tags.push_back("fips");
  json result = json::object();
  if (!tags.empty()) {
    const std::array<const json*, 3> sources = {&endpoint_data, &service_defaults, &partition_defaults};
    for (const json* source : sources) {
      if (std::optional<json> variant = VariantData(*source, tags)) MergeKeys(*variant, &result);
    }
    if (result.empty()) return VariantError(tags);
    MergeKeys(endpoint_data, &result);
  } else {
    result = endpoint_data;
  }
  if (!result.contains("dnsSuffix")) result["dnsSuffix"] = Member(partition.data, "dnsSuffix");
  result["partition"] = partition_name;
  result["endpointName"] = endpoint_name;
  MergeKeys(service_defaults, &result);
  MergeKeys(partition_defaults, &result);
  if (!result.contains("hostname") || !result["hostname"].is_string()) {
    return absl::InvalidArgumentError("endpoints data: no hostname for " + std::string(service) + " in " +
                                      endpoint_name);
  }
  const std::string suffix = StringOr(result, "dnsSuffix", "");
  result["hostname"] = Expand(result["hostname"].get<std::string>(), service, endpoint_name, suffix);
  return std::optional<json>(std::move(result));
}

absl::StatusOr<std::optional<json>> LegacyEndpoints::ConstructEndpoint(std::string_view service,
                                                                       const std::optional<std::string>& region_in,
                                                                       const std::optional<std::string>& partition_name,
                                                                       bool use_dualstack, bool use_fips) const {
  std::optional<std::string> region = region_in;
  if (service == "s3" && use_dualstack && !region.has_value()) region = "us-east-1";
  if (partition_name.has_value()) {
    for (const Partition& partition : partitions_) {
      if (partition.data["partition"] == *partition_name) {
        return EndpointForPartition(partition, service, region, use_dualstack, use_fips, true);
      }
    }
    return std::nullopt;
  }
  for (const Partition& partition : partitions_) {
    if (use_dualstack && DualstackUnsupported(partition.data["partition"].get<std::string>())) continue;
    absl::StatusOr<std::optional<json>> result =
        EndpointForPartition(partition, service, region, use_dualstack, use_fips, false);
    if (!result.ok() || result->has_value()) return result;
  }
  return std::nullopt;
}

absl::StatusOr<LegacyEndpoint> LegacyEndpoints::Resolve(std::string_view service,
                                                        const std::optional<std::string>& region,
                                                        const std::optional<std::string>& endpoint_url, bool is_secure,
                                                        bool use_dualstack, bool use_fips,
                                                        std::string_view service_signing_name) const {
  absl::StatusOr<std::optional<json>> resolved =
      ConstructEndpoint(service, region, std::nullopt, use_dualstack, use_fips);
  if (!resolved.ok()) return resolved.status();
  if (!resolved->has_value()) {
    resolved = ConstructEndpoint(service, region, std::string("aws"), use_dualstack, use_fips);
    if (!resolved.ok()) return resolved.status();
  }
  LegacyEndpoint out;
  const std::string default_signing_name =
      service_signing_name.empty() ? std::string(service) : std::string(service_signing_name);
  if (!resolved->has_value()) {
    // _assume_endpoint: Python formats a missing region as "None".
    out.region_name = region;
    out.signing_region = region;
    out.signing_name = default_signing_name;
    out.endpoint_url = endpoint_url.has_value() ? *endpoint_url
                                                : (is_secure ? "https://" : "http://") + std::string(service) + "." +
                                                      region.value_or("None") + ".amazonaws.com";
    return out;
  }
  const json& data = **resolved;
  const json& scope = Member(data, "credentialScope");
  // _pick_region_values: a configured URL keeps the caller's region.
  out.region_name = region;
  out.signing_region = region;
  if (!endpoint_url.has_value()) {
    out.region_name = StringOr(data, "endpointName", region.value_or(""));
    out.signing_region = StringOr(scope, "region", *out.region_name);
  }
  if (endpoint_url.has_value()) {
    out.endpoint_url = *endpoint_url;
  } else {
    const json& protocols = Member(data, "protocols");
    const bool https = is_secure && protocols.is_array() &&
                       std::find(protocols.begin(), protocols.end(), json("https")) != protocols.end();
    out.endpoint_url = (https ? "https://" : "http://") + StringOr(data, "hostname", "");
  }
  out.signing_name = StringOr(scope, "service", default_signing_name);
  out.partition = StringOr(data, "partition", "");
  for (const json& tag : Member(data, "tags")) {
    if (tag.is_string()) out.tags.push_back(tag.get<std::string>());
  }
  return out;
}

}  // namespace awsd::endpoints
