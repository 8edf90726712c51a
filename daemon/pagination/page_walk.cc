#include "daemon/pagination/page_walk.h"

#include "absl/strings/str_cat.h"
#include "daemon/encoding/python_repr.h"
#include "daemon/pagination/json_paths.h"
#include "daemon/pagination/resume_token.h"

namespace awsd::pagination {

using Json = nlohmann::ordered_json;

bool PyTruthy(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null:
      return false;
    case Json::value_t::boolean:
      return value.get<bool>();
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      return value.get<int64_t>() != 0;
    case Json::value_t::number_float:
      return value.get<double>() != 0.0;
    case Json::value_t::string:
    case Json::value_t::array:
    case Json::value_t::object:
      return !value.empty();
    default:
      return true;
  }
}

absl::StatusOr<PageWalk> PageWalk::Start(PaginatorConfig config, Json params, PagingOptions options) {
  if (!params.is_object()) params = Json::object();
  if (options.page_size.has_value() && config.limit_key.empty()) {
    return absl::InvalidArgumentError(
        "Error during pagination: PageSize parameter is not supported for the pagination interface for this "
        "operation.");
  }
  PageWalk walk(std::move(config), std::move(params), std::move(options));
  for (const std::string& name : walk.config_.input_tokens) walk.token_[name] = nullptr;
  if (walk.options_.starting_token.has_value()) {
    auto start = DecodeStartingToken(*walk.options_.starting_token, walk.config_.input_tokens);
    if (!start.ok()) return start.status();
    walk.token_ = std::move(start->tokens);
    walk.starting_truncation_ = start->truncate_amount;
    walk.InjectToken(walk.token_);
  }
  if (walk.options_.page_size.has_value()) walk.params_[walk.config_.limit_key] = *walk.options_.page_size;
  return walk;
}

void PageWalk::InjectToken(const Json& token) {
  for (auto it = token.begin(); it != token.end(); ++it) {
    if (!it->is_null() && *it != Json("None")) {
      params_[it.key()] = *it;
    } else {
      params_.erase(it.key());
    }
  }
}

// _handle_first_request: a starting token's page is cut at its left edge,
// and the other result keys, handed out with the earlier page, are emptied.
absl::Status PageWalk::CutStart(Json& page) {
  const jmespath::Expression& primary = config_.result_keys.front();
  auto all = primary.Search(page);
  if (!all.ok()) return all.status();
  Json data;
  const auto skip = static_cast<std::size_t>(std::max<int64_t>(starting_truncation_, 0));
  if (all->is_array()) {
    data = Json::array();
    for (std::size_t i = skip; i < all->size(); ++i) data.push_back(std::move((*all)[i]));
  } else if (all->is_string()) {
    const std::string& text = all->get_ref<const std::string&>();
    data = skip < text.size() ? text.substr(skip) : std::string();
  }
  if (auto status = SetAtPath(page, primary.text(), std::move(data)); !status.ok()) return status;
  for (std::size_t k = 1; k < config_.result_keys.size(); ++k) {
    auto sample = config_.result_keys[k].Search(page);
    if (!sample.ok()) return sample.status();
    Json empty;
    if (sample->is_array()) empty = Json::array();
    if (sample->is_string()) empty = "";
    if (sample->is_number()) empty = *sample;
    if (auto status = SetAtPath(page, config_.result_keys[k].text(), std::move(empty)); !status.ok()) return status;
  }
  return absl::OkStatus();
}

absl::StatusOr<Json> PageWalk::NextToken(const Json& page) const {
  Json next = Json::object();
  if (config_.more_results.has_value()) {
    auto more = config_.more_results->Search(page);
    if (!more.ok()) return more.status();
    if (!PyTruthy(*more)) return next;
  }
  for (std::size_t i = 0; i < config_.input_tokens.size(); ++i) {
    auto value = config_.output_tokens[i].Search(page);
    if (!value.ok()) return value.status();
    next[config_.input_tokens[i]] = PyTruthy(*value) ? *std::move(value) : Json();
  }
  return next;
}

absl::StatusOr<PageStep> PageWalk::TakePage(Json page) {
  PageStep step;
  if (first_) {
    if (options_.starting_token.has_value()) {
      if (auto status = CutStart(page); !status.ok()) return status;
      step.changed = true;
    }
    for (const jmespath::Expression& key : config_.non_aggregate_keys) {
      auto value = key.Search(page);
      if (!value.ok()) return value.status();
      if (auto status = SetAtPath(non_aggregate_part_, key.text(), *std::move(value)); !status.ok()) return status;
    }
    first_ = false;
  } else {
    starting_truncation_ = 0;
  }
  const jmespath::Expression& primary = config_.result_keys.front();
  auto current = primary.Search(page);
  if (!current.ok()) return current.status();
  const auto count = static_cast<int64_t>(current->is_array() || current->is_string() || current->is_object()
                                              ? current->size()
                                              : (current->is_null() ? 0 : 1));
  if (options_.max_items.has_value() && total_items_ + count > *options_.max_items) {
    // _truncate_response: the resume token asks for this page again and
    // skips what was handed out.
    const int64_t keep = count - (total_items_ + count - *options_.max_items);
    Json kept = Json::array();
    if (current->is_array()) {
      for (int64_t i = 0; i < keep; ++i) kept.push_back(std::move((*current)[static_cast<std::size_t>(i)]));
    }
    if (auto status = SetAtPath(page, primary.text(), std::move(kept)); !status.ok()) return status;
    step.changed = true;
    step.last = true;
    step.resume_token = EncodeResumeToken(token_, keep + starting_truncation_);
    step.page = std::move(page);
    return step;
  }
  total_items_ += count;
  auto next = NextToken(page);
  if (!next.ok()) return next.status();
  step.page = std::move(page);
  bool any = false;
  for (const auto& value : *next) any = any || !value.is_null();
  if (!any) {
    step.last = true;
    return step;
  }
  if (options_.max_items.has_value() && total_items_ == *options_.max_items) {
    step.last = true;
    step.resume_token = EncodeResumeToken(*next, std::nullopt);
    return step;
  }
  if (previous_token_.has_value() && *previous_token_ == *next) {
    step.last = true;
    step.after = absl::FailedPreconditionError(
        absl::StrCat("Error during pagination: The same next token was received twice: ", encoding::PyStr(*next)));
    return step;
  }
  InjectToken(*next);
  previous_token_ = *next;
  token_ = *std::move(next);
  return step;
}

}  // namespace awsd::pagination
