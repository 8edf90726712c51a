#pragma once

// botocore's partitions.json, read once, for the rule sets' aws.partition.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "daemon/endpoints/pattern_matcher.h"
#include "daemon/endpoints/value.h"
#include "nlohmann/json.hpp"

namespace awsd::endpoints {

class Partitions {
 public:
  // {"partitions": [{"id", "regionRegex", "regions": {...}, "outputs": {...}}]}.
  // InvalidArgument names what is missing or malformed.
  static absl::StatusOr<std::shared_ptr<const Partitions>> FromJson(const nlohmann::json& data);

  // aws.partition(region): the outputs of the first partition (in file order)
  // that lists `region` or whose regionRegex matches it (Python re.match),
  // else of the first partition. The record's "name" is the partition id.
  const Value& Match(std::string_view region) const;
  // aws.partition(None): the first partition.
  const Value& Default() const { return partitions_.front().outputs; }

  size_t size() const { return partitions_.size(); }

 private:
  struct Partition {
    std::string id;
    PatternMatcher region_regex;
    absl::flat_hash_set<std::string> regions;
    Value outputs;
  };

  Partitions() = default;

  std::vector<Partition> partitions_;
  ValueArena storage_;
};

}  // namespace awsd::endpoints
