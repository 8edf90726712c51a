#include "daemon/endpoints/service_endpoints.h"

#include <utility>

#include "daemon/common/heap.h"

namespace awsd::endpoints {

absl::StatusOr<std::shared_ptr<const Partitions>> ServiceEndpoints::partitions() {
  {
    std::lock_guard lock(mu_);
    if (partitions_ != nullptr) return partitions_;
  }
  absl::StatusOr<nlohmann::json> data = files_.LoadDataFile("partitions");
  if (!data.ok()) return data.status();
  absl::StatusOr<std::shared_ptr<const Partitions>> parsed = Partitions::FromJson(*data);
  if (!parsed.ok()) return parsed.status();
  std::lock_guard lock(mu_);
  if (partitions_ == nullptr) partitions_ = *std::move(parsed);
  return partitions_;
}

absl::StatusOr<std::shared_ptr<const LegacyEndpoints>> ServiceEndpoints::legacy_endpoints() {
  {
    std::lock_guard lock(mu_);
    if (legacy_ != nullptr) return legacy_;
  }
  absl::StatusOr<std::shared_ptr<const LegacyEndpoints>> parsed = [&]() -> decltype(parsed) {
    absl::StatusOr<std::string> text = files_.LoadDataFileText("endpoints");
    if (!text.ok()) return text.status();
    return LegacyEndpoints::FromText(*text);
  }();
  common::ReturnFreedHeapToSystem();  // the file's text and its parse
  if (!parsed.ok()) return parsed.status();
  std::lock_guard lock(mu_);
  if (legacy_ == nullptr) legacy_ = *std::move(parsed);
  return legacy_;
}

absl::StatusOr<std::shared_ptr<const EndpointResolver>> ServiceEndpoints::ForService(std::string_view service) {
  {
    std::lock_guard lock(mu_);
    const auto it = resolvers_.find(absl::string_view(service.data(), service.size()));
    if (it != resolvers_.end()) return it->second;
  }
  absl::StatusOr<std::shared_ptr<const Partitions>> table = partitions();
  if (!table.ok()) return table.status();
  // Loaded and compiled outside the lock: S3's takes milliseconds, and other
  // services need not wait for it.
  absl::StatusOr<nlohmann::json> rule_set = files_.LoadServiceFile(service, "endpoint-rule-set-1");
  if (!rule_set.ok()) return rule_set.status();
  absl::StatusOr<std::shared_ptr<const EndpointResolver>> resolver =
      EndpointResolver::Create(*rule_set, *std::move(table), cache_capacity_);
  if (!resolver.ok()) {
    return absl::Status(resolver.status().code(),
                        std::string(service) + ": " + std::string(resolver.status().message()));
  }
  std::lock_guard lock(mu_);
  const auto [it, inserted] = resolvers_.emplace(std::string(service), *std::move(resolver));
  return it->second;
}

}  // namespace awsd::endpoints
