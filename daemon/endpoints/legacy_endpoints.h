#pragma once

// botocore's older resolver over data/endpoints.json (regions.EndpointResolver
// and client.ClientEndpointBridge). botocore 1.43 still runs it whenever it
// creates a client, before the rule set is ever consulted, and keeps from it:
//
//  * errors: "You must specify a region." for a regional service without
//    one, and "Unable to construct a modeled endpoint with the following
//    variant(s) ['dualstack']: " for FIPS or dual-stack where endpoints.json
//    has no such variant (dual-stack in aws-iso and aws-iso-b never);
//  * the region the rule set gets for S3 and STS, and when no region is
//    configured (a global service's partition endpoint, "aws-global");
//  * the signing region and name used when the rule set's endpoint has no
//    authSchemes, and for S3 presigned URLs;
//  * the partition name (S3 presigning's global-endpoint rule).

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "daemon/endpoints/pattern_matcher.h"
#include "nlohmann/json.hpp"

namespace awsd::endpoints {

// ClientEndpointBridge.resolve's result.
struct LegacyEndpoint {
  std::optional<std::string> region_name;
  std::optional<std::string> signing_region;
  std::string signing_name;
  std::string endpoint_url;
  std::optional<std::string> partition;  // none when the endpoint was assumed
  std::vector<std::string> tags;         // the variant's tags ("dualstack", "fips")
};

class LegacyEndpoints {
 public:
  // endpoints.json: {"partitions": [{"partition", "regionRegex", "regions",
  // "services", "defaults", "dnsSuffix"}]}.
  static absl::StatusOr<std::shared_ptr<const LegacyEndpoints>> FromJson(const nlohmann::json& data);
  // The same from the file's text, without holding its parse.
  static absl::StatusOr<std::shared_ptr<const LegacyEndpoints>> FromText(std::string_view text);

  // EndpointResolver.construct_endpoint: the resolved endpoint data
  // (hostname, credentialScope, endpointName, partition, ...) or nullopt
  // (None). InvalidArgument for NoRegionError and EndpointVariantError.
  absl::StatusOr<std::optional<nlohmann::json>> ConstructEndpoint(std::string_view service,
                                                                  const std::optional<std::string>& region,
                                                                  const std::optional<std::string>& partition_name,
                                                                  bool use_dualstack, bool use_fips) const;

  // ClientEndpointBridge.resolve for `service` (the endpoint prefix).
  // `service_signing_name` is the model's metadata.signingName ("" if none).
  absl::StatusOr<LegacyEndpoint> Resolve(std::string_view service, const std::optional<std::string>& region,
                                         const std::optional<std::string>& endpoint_url, bool is_secure,
                                         bool use_dualstack, bool use_fips,
                                         std::string_view service_signing_name) const;

 private:
  struct Partition {
    // The partition's entry but for "services", which is kept as each
    // service's JSON text and parsed when that service is asked for: parsed
    // whole, endpoints.json would hold the daemon's largest block of memory
    // (about 10 MB) for the few services a host calls.
    nlohmann::json data;
    std::map<std::string, std::string, std::less<>> services;
    PatternMatcher region_regex;
    bool has_regex = false;
  };

  bool RegionMatches(const Partition& partition, const std::string& region) const;
  absl::StatusOr<std::optional<nlohmann::json>> EndpointForPartition(const Partition& partition,
                                                                     std::string_view service,
                                                                     std::optional<std::string> region,
                                                                     bool use_dualstack, bool use_fips,
                                                                     bool force_partition) const;

  std::vector<Partition> partitions_;
};

}  // namespace awsd::endpoints
