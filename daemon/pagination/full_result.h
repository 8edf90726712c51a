#pragma once

// The two ways the AWS CLI prints a paginated call: every page merged into
// one result (botocore's build_full_result, its JSON output), or each page
// reduced to its result keys (its text output).

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "daemon/pagination/paginator_config.h"
#include "nlohmann/json.hpp"

namespace awsd::pagination {

class FullResult {
 public:
  explicit FullResult(const PaginatorConfig& config) : config_(config) {}

  // Adds a page's result keys: lists are concatenated, numbers summed,
  // strings joined.
  absl::Status Add(const nlohmann::ordered_json& page);

  // The merged result, with the first page's non-aggregate keys, and
  // "NextToken" when the walk stopped at max_items.
  nlohmann::ordered_json Finish(const nlohmann::ordered_json& non_aggregate_part,
                                const std::optional<std::string>& resume_token) &&;

 private:
  const PaginatorConfig& config_;
  nlohmann::ordered_json result_ = nlohmann::ordered_json::object();
};

// One page as the AWS CLI's text output prints it: its result keys (null
// where absent), on top of the non-aggregate keys for the first page.
absl::StatusOr<nlohmann::ordered_json> ResultKeysView(const PaginatorConfig& config, const nlohmann::ordered_json& page,
                                                      const nlohmann::ordered_json* non_aggregate_part);

}  // namespace awsd::pagination
