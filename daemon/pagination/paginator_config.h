#pragma once

// One operation's entry of paginators-1.json, its expressions compiled.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "daemon/jmespath/jmespath.h"
#include "nlohmann/json.hpp"

namespace awsd::pagination {

struct PaginatorConfig {
  // Request members that carry the position ("ContinuationToken"), paired
  // by index with the output expressions that give their next value.
  std::vector<std::string> input_tokens;
  std::vector<jmespath::Expression> output_tokens;
  // When set and false on a page, that page is the last.
  std::optional<jmespath::Expression> more_results;
  // What pages add up to; the first one is the one max_items counts.
  std::vector<jmespath::Expression> result_keys;
  // Kept from the first page only when pages are merged.
  std::vector<jmespath::Expression> non_aggregate_keys;
  // The request member that sets a page's size ("MaxKeys"), or "".
  std::string limit_key;
};

// InvalidArgument naming the operation when the entry is not a paginator
// botocore could use (no input or output token, no result key, a bad
// expression, token lists of different lengths).
absl::StatusOr<PaginatorConfig> ParsePaginatorConfig(const std::string& operation, const nlohmann::json& entry);

}  // namespace awsd::pagination
