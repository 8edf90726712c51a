#include "daemon/pagination/json_paths.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace awsd::pagination {

absl::Status SetAtPath(nlohmann::ordered_json& target, std::string_view dotted_path, nlohmann::ordered_json value) {
  if (dotted_path.empty() || dotted_path.front() == '.' || dotted_path.back() == '.' ||
      dotted_path.find("..") != std::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat("Invalid expression: ", std::string(dotted_path)));
  }
  nlohmann::ordered_json* node = &target;
  while (true) {
    if (!node->is_object()) *node = nlohmann::ordered_json::object();
    const std::size_t dot = dotted_path.find('.');
    const std::string key(dotted_path.substr(0, dot));
    if (dot == std::string_view::npos) {
      (*node)[key] = std::move(value);
      return absl::OkStatus();
    }
    if (!node->contains(key)) (*node)[key] = nlohmann::ordered_json::object();
    node = &(*node)[key];
    dotted_path.remove_prefix(dot + 1);
  }
}

nlohmann::ordered_json* FindAtPath(nlohmann::ordered_json& target, std::string_view dotted_path) {
  nlohmann::ordered_json* node = &target;
  for (absl::string_view key : absl::StrSplit(absl::string_view(dotted_path.data(), dotted_path.size()), '.')) {
    if (!node->is_object()) return nullptr;
    auto it = node->find(std::string(key));
    if (it == node->end()) return nullptr;
    node = &*it;
  }
  return node->is_null() ? nullptr : node;
}

void MergeObjects(nlohmann::ordered_json& target, const nlohmann::ordered_json& source) {
  if (!target.is_object()) target = nlohmann::ordered_json::object();
  for (auto it = source.begin(); it != source.end(); ++it) {
    auto existing = target.find(it.key());
    if (it.value().is_object() && existing != target.end() && existing->is_object()) {
      MergeObjects(*existing, it.value());
    } else {
      target[it.key()] = it.value();
    }
  }
}

}  // namespace awsd::pagination
