#pragma once

// botocore's PageIterator as a state machine without I/O: it says which
// parameters the next request carries, and takes each page the service
// answers, cutting it for max_items or a starting token's truncation, until
// the tokens run out, max_items is reached, or a token repeats.
//
//   auto walk = PageWalk::Start(config, params, options);
//   while (true) {
//     page = call(walk->next_params());
//     auto step = walk->TakePage(std::move(page));
//     hand out step->page; if (step->last) break;
//   }

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "daemon/pagination/paginator_config.h"
#include "nlohmann/json.hpp"

namespace awsd::pagination {

// boto3's PaginationConfig.
struct PagingOptions {
  std::optional<int64_t> max_items;
  // Given to the service as the limit key, typed as that member is.
  std::optional<nlohmann::ordered_json> page_size;
  std::optional<std::string> starting_token;
};

struct PageStep {
  // The page to hand out.
  nlohmann::ordered_json page;
  // False when `page` is exactly what the service answered.
  bool changed = false;
  // No request follows this page.
  bool last = false;
  // With `last`: where to resume when max_items stopped the walk.
  std::optional<std::string> resume_token;
  // Not ok: the walk fails after handing out this page (a token repeated).
  absl::Status after;
};

class PageWalk {
 public:
  // InvalidArgument for a bad starting token, or a page size for an
  // operation without a limit key.
  static absl::StatusOr<PageWalk> Start(PaginatorConfig config, nlohmann::ordered_json params, PagingOptions options);

  // The parameters of the next request.
  const nlohmann::ordered_json& next_params() const { return params_; }

  // Takes the page the last request answered. InvalidArgument when an
  // expression cannot be evaluated on it.
  absl::StatusOr<PageStep> TakePage(nlohmann::ordered_json page);

  // The non-aggregate keys of the first page (null values included).
  const nlohmann::ordered_json& non_aggregate_part() const { return non_aggregate_part_; }
  const PaginatorConfig& config() const { return config_; }

 private:
  PageWalk(PaginatorConfig config, nlohmann::ordered_json params, PagingOptions options)
      : config_(std::move(config)), params_(std::move(params)), options_(std::move(options)) {}

  absl::Status CutStart(nlohmann::ordered_json& page);
  absl::StatusOr<nlohmann::ordered_json> NextToken(const nlohmann::ordered_json& page) const;
  void InjectToken(const nlohmann::ordered_json& token);

  PaginatorConfig config_;
  nlohmann::ordered_json params_;
  PagingOptions options_;
  // The token that asked for the current page.
  nlohmann::ordered_json token_ = nlohmann::ordered_json::object();
  std::optional<nlohmann::ordered_json> previous_token_;
  int64_t starting_truncation_ = 0;
  int64_t total_items_ = 0;
  bool first_ = true;
  nlohmann::ordered_json non_aggregate_part_ = nlohmann::ordered_json::object();
};

// Python's truth value of a parsed JSON value.
bool PyTruthy(const nlohmann::ordered_json& value);

}  // namespace awsd::pagination
