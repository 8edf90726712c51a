#pragma once

// The endpoint resolvers of all services, built on first use from the model
// folders (botocore's data/<service>/<version>/endpoint-rule-set-1.json and
// data/partitions.json) and kept for the life of the daemon.

#include <memory>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include <mutex>
#include "daemon/endpoints/endpoint_resolver.h"
#include "daemon/endpoints/legacy_endpoints.h"
#include "daemon/endpoints/partitions.h"
#include "daemon/model/model_files.h"

namespace awsd::endpoints {

class ServiceEndpoints {
 public:
  explicit ServiceEndpoints(model::ModelFiles files, size_t cache_capacity = kDefaultEndpointCacheCapacity)
      : files_(std::move(files)), cache_capacity_(cache_capacity) {}

  // The resolver of `service` (botocore's client name: "s3", "sso-oidc").
  // NotFound when the service has no rule set; InvalidArgument when its rule
  // set or the partitions file is malformed. A failure is not remembered, so
  // a model folder fixed later is picked up. Thread-safe.
  absl::StatusOr<std::shared_ptr<const EndpointResolver>> ForService(std::string_view service);

  absl::StatusOr<std::shared_ptr<const Partitions>> partitions();
  // endpoints.json, for ComputeEndpointConfig.
  absl::StatusOr<std::shared_ptr<const LegacyEndpoints>> legacy_endpoints();

 private:
  model::ModelFiles files_;
  const size_t cache_capacity_;
  std::mutex mu_;  // not absl::Mutex, which TSan cannot see into
  std::shared_ptr<const Partitions> partitions_;  // guarded by mu_
  std::shared_ptr<const LegacyEndpoints> legacy_;  // guarded by mu_
  absl::flat_hash_map<std::string, std::shared_ptr<const EndpointResolver>> resolvers_;  // guarded by mu_
};

}  // namespace awsd::endpoints
