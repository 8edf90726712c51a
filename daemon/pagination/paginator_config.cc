#include "daemon/pagination/paginator_config.h"

#include "absl/strings/str_cat.h"

namespace awsd::pagination {
namespace {

// A paginator field is one string or a list of them.
absl::StatusOr<std::vector<std::string>> Strings(const nlohmann::json& entry, const char* field) {
  std::vector<std::string> out;
  auto it = entry.find(field);
  if (it == entry.end()) return out;
  if (it->is_string()) {
    out.push_back(it->get<std::string>());
    return out;
  }
  if (!it->is_array()) return absl::InvalidArgumentError(absl::StrCat(field, " is neither a string nor a list"));
  for (const auto& item : *it) {
    if (!item.is_string()) return absl::InvalidArgumentError(absl::StrCat(field, " has a member that is not a string"));
    out.push_back(item.get<std::string>());
  }
  return out;
}

absl::StatusOr<std::vector<jmespath::Expression>> Expressions(const nlohmann::json& entry, const char* field) {
  auto texts = Strings(entry, field);
  if (!texts.ok()) return texts.status();
  std::vector<jmespath::Expression> out;
  for (const std::string& text : *texts) {
    auto compiled = jmespath::Compile(text);
    if (!compiled.ok())
      return absl::InvalidArgumentError(absl::StrCat(field, " \"", text, "\": ", compiled.status().message()));
    out.push_back(*std::move(compiled));
  }
  return out;
}

}  // namespace

absl::StatusOr<PaginatorConfig> ParsePaginatorConfig(const std::string& operation, const nlohmann::json& entry) {
  auto fail = [&](const absl::Status& status) {
    return absl::InvalidArgumentError(absl::StrCat("paginator of ", operation, ": ", status.message()));
  };
  if (!entry.is_object()) return fail(absl::InvalidArgumentError("not an object"));
  PaginatorConfig config;
  auto input_tokens = Strings(entry, "input_token");
  if (!input_tokens.ok()) return fail(input_tokens.status());
  config.input_tokens = *std::move(input_tokens);
  auto output_tokens = Expressions(entry, "output_token");
  if (!output_tokens.ok()) return fail(output_tokens.status());
  config.output_tokens = *std::move(output_tokens);
  if (config.input_tokens.empty() || config.input_tokens.size() != config.output_tokens.size()) {
    return fail(absl::InvalidArgumentError("input_token and output_token must pair up"));
  }
  auto result_keys = Expressions(entry, "result_key");
  if (!result_keys.ok()) return fail(result_keys.status());
  config.result_keys = *std::move(result_keys);
  if (config.result_keys.empty()) return fail(absl::InvalidArgumentError("no result_key"));
  auto non_aggregate = Expressions(entry, "non_aggregate_keys");
  if (!non_aggregate.ok()) return fail(non_aggregate.status());
  config.non_aggregate_keys = *std::move(non_aggregate);
  auto more = Expressions(entry, "more_results");
  if (!more.ok()) return fail(more.status());
  if (!more->empty()) config.more_results = more->front();
  if (auto limit = entry.find("limit_key"); limit != entry.end() && limit->is_string()) {
    config.limit_key = limit->get<std::string>();
  }
  return config;
}

}  // namespace awsd::pagination
