#include "daemon/endpoints/partitions.h"

#include "absl/status/status.h"

namespace awsd::endpoints {

absl::StatusOr<std::shared_ptr<const Partitions>> Partitions::FromJson(const nlohmann::json& data) {
  if (!data.is_object() || !data.contains("partitions") || !data["partitions"].is_array() ||
      data["partitions"].empty()) {
    return absl::InvalidArgumentError("partitions data: expected an object with a non-empty \"partitions\" array");
  }
  std::shared_ptr<Partitions> result(new Partitions());
  for (const nlohmann::json& entry : data["partitions"]) {
    const std::string where = "partitions data: partition " + std::to_string(result->partitions_.size());
    if (!entry.is_object()) return absl::InvalidArgumentError(where + " is not an object");
    const auto id = entry.find("id");
    const auto regex = entry.find("regionRegex");
    const auto outputs = entry.find("outputs");
    if (id == entry.end() || !id->is_string()) return absl::InvalidArgumentError(where + " has no string \"id\"");
    if (regex == entry.end() || !regex->is_string()) {
      return absl::InvalidArgumentError(where + " has no string \"regionRegex\"");
    }
    if (outputs == entry.end() || !outputs->is_object()) {
      return absl::InvalidArgumentError(where + " has no \"outputs\" object");
    }
    Partition partition;
    partition.id = id->get<std::string>();
    absl::StatusOr<PatternMatcher> matcher = PatternMatcher::Compile(regex->get<std::string>());
    if (!matcher.ok()) {
      return absl::InvalidArgumentError("partitions data: partition " + partition.id + ": " +
                                        std::string(matcher.status().message()));
    }
    partition.region_regex = *std::move(matcher);
    if (const auto regions = entry.find("regions"); regions != entry.end() && regions->is_object()) {
      for (auto it = regions->begin(); it != regions->end(); ++it) partition.regions.insert(it.key());
    }
    // botocore sets outputs["name"] = id on the outputs dict it returns.
    nlohmann::json named = *outputs;
    named["name"] = partition.id;
    partition.outputs = result->storage_.FromJson(named);
    result->partitions_.push_back(std::move(partition));
  }
  return std::shared_ptr<const Partitions>(std::move(result));
}

const Value& Partitions::Match(std::string_view region) const {
  for (const Partition& partition : partitions_) {
    if (partition.regions.contains(absl::string_view(region.data(), region.size())) ||
        partition.region_regex.MatchesAtStart(region)) {
      return partition.outputs;
    }
  }
  return partitions_.front().outputs;
}

}  // namespace awsd::endpoints
