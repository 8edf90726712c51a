#include "daemon/pagination/full_result.h"

#include "daemon/pagination/json_paths.h"

namespace awsd::pagination {

using Json = nlohmann::ordered_json;

absl::Status FullResult::Add(const Json& page) {
  for (const jmespath::Expression& key : config_.result_keys) {
    auto value = key.Search(page);
    if (!value.ok()) return value.status();
    if (value->is_null()) continue;
    // Result keys are dotted paths (SetAtPath refuses anything else).
    Json* existing = FindAtPath(result_, key.text());
    if (existing == nullptr) {
      if (auto status = SetAtPath(result_, key.text(), *std::move(value)); !status.ok()) return status;
      continue;
    }
    Json merged;
    if (value->is_array() && existing->is_array()) {
      for (auto& item : *value) existing->push_back(std::move(item));
      continue;
    } else if (value->is_number_float() || existing->is_number_float()) {
      if (!value->is_number() || !existing->is_number()) continue;
      merged = existing->get<double>() + value->get<double>();
    } else if (value->is_number() && existing->is_number()) {
      merged = existing->get<int64_t>() + value->get<int64_t>();
    } else if (value->is_string() && existing->is_string()) {
      merged = existing->get<std::string>() + value->get<std::string>();
    } else {
      continue;
    }
    if (auto status = SetAtPath(result_, key.text(), std::move(merged)); !status.ok()) return status;
  }
  return absl::OkStatus();
}

Json FullResult::Finish(const Json& non_aggregate_part, const std::optional<std::string>& resume_token) && {
  MergeObjects(result_, non_aggregate_part);
  if (resume_token.has_value()) result_["NextToken"] = *resume_token;
  return std::move(result_);
}

absl::StatusOr<Json> ResultKeysView(const PaginatorConfig& config, const Json& page, const Json* non_aggregate_part) {
  Json view = non_aggregate_part != nullptr ? *non_aggregate_part : Json::object();
  for (const jmespath::Expression& key : config.result_keys) {
    auto value = key.Search(page);
    if (!value.ok()) return value.status();
    if (auto status = SetAtPath(view, key.text(), *std::move(value)); !status.ok()) return status;
  }
  return view;
}

}  // namespace awsd::pagination
