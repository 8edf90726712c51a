#include "cli/formatting/text_output.h"

#include <algorithm>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "daemon/encoding/python_repr.h"

namespace awsd::cli {
using encoding::PyStr;
namespace {

using Json = nlohmann::ordered_json;

bool IsContainer(const Json& value) { return value.is_object() || value.is_array(); }

std::string Upper(const std::string& s) {
  std::string out = s;
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += '\t';
    out += items[i];
  }
  return out;
}

// The keys of a dict in Python's sorted() order (code points, which UTF-8
// byte order preserves).
std::vector<std::string> SortedKeys(const Json& dict) {
  std::vector<std::string> keys;
  for (const auto& [key, value] : dict.items()) keys.push_back(key);
  std::sort(keys.begin(), keys.end());
  return keys;
}

void FormatText(const Json& item, std::string& out, const std::optional<std::string>& identifier,
                const std::vector<std::string>* scalar_keys);

void FormatScalarList(const std::vector<const Json*>& elements, const std::optional<std::string>& identifier,
                      std::string& out) {
  if (identifier) {
    for (const Json* element : elements) out += Upper(*identifier) + '\t' + PyStr(*element) + '\n';
  } else {
    std::vector<std::string> items;
    for (const Json* element : elements) items.push_back(PyStr(*element));
    out += Join(items) + '\n';
  }
}

void FormatList(const Json& item, const std::optional<std::string>& identifier, std::string& out) {
  if (item.empty()) return;
  if (std::any_of(item.begin(), item.end(), [](const Json& el) { return el.is_object(); })) {
    std::set<std::string> keys_seen;
    for (const Json& element : item) {
      if (!element.is_object()) continue;
      for (const auto& [key, value] : element.items()) {
        if (!IsContainer(value)) keys_seen.insert(key);
      }
    }
    std::vector<std::string> all_keys(keys_seen.begin(), keys_seen.end());
    for (const Json& element : item) FormatText(element, out, identifier, &all_keys);
  } else if (std::any_of(item.begin(), item.end(), [](const Json& el) { return el.is_array(); })) {
    std::vector<const Json*> scalars;
    std::vector<const Json*> non_scalars;
    for (const Json& element : item) (IsContainer(element) ? non_scalars : scalars).push_back(&element);
    if (!scalars.empty()) FormatScalarList(scalars, identifier, out);
    for (const Json* non_scalar : non_scalars) FormatText(*non_scalar, out, identifier, nullptr);
  } else {
    std::vector<const Json*> elements;
    for (const Json& element : item) elements.push_back(&element);
    FormatScalarList(elements, identifier, out);
  }
}

void FormatDict(const std::vector<std::string>* scalar_keys, const Json& item,
                const std::optional<std::string>& identifier, std::string& out) {
  std::vector<std::string> scalars;
  std::vector<std::pair<std::string, const Json*>> non_scalars;
  if (scalar_keys == nullptr) {
    for (const std::string& key : SortedKeys(item)) {
      const Json& value = item.at(key);
      if (IsContainer(value)) {
        non_scalars.emplace_back(key, &value);
      } else {
        scalars.push_back(PyStr(value));
      }
    }
  } else {
    for (const std::string& key : *scalar_keys) {
      auto it = item.find(key);
      scalars.push_back(it == item.end() ? "" : PyStr(*it));
    }
    for (const std::string& key : SortedKeys(item)) {
      if (std::find(scalar_keys->begin(), scalar_keys->end(), key) == scalar_keys->end()) {
        non_scalars.emplace_back(key, &item.at(key));
      }
    }
  }
  if (!scalars.empty()) {
    if (identifier) scalars.insert(scalars.begin(), Upper(*identifier));
    out += Join(scalars) + '\n';
  }
  for (const auto& [new_identifier, non_scalar] : non_scalars) FormatText(*non_scalar, out, new_identifier, nullptr);
}

void FormatText(const Json& item, std::string& out, const std::optional<std::string>& identifier,
                const std::vector<std::string>* scalar_keys) {
  if (item.is_object()) {
    FormatDict(scalar_keys, item, identifier, out);
  } else if (item.is_array()) {
    FormatList(item, identifier, out);
  } else {
    out += PyStr(item) + '\n';
  }
}

}  // namespace

std::string FormatTextOutput(const nlohmann::ordered_json& response) {
  std::string out;
  if (response.is_object() && response.contains("ResponseMetadata")) {
    Json copy = response;
    copy.erase("ResponseMetadata");
    FormatText(copy, out, std::nullopt, nullptr);
  } else {
    FormatText(response, out, std::nullopt, nullptr);
  }
  return out;
}

}  // namespace awsd::cli
