#include "daemon/jmespath/value.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"

namespace awsd::jmespath {
namespace {

bool IsNumber(const Json& json) { return json.is_number(); }

// Python counts booleans as the integers 0 and 1.
bool IsNumeric(const Json& json) { return json.is_number() || json.is_boolean(); }

bool IsIntegral(const Json& json) { return json.is_boolean() || json.is_number_integer(); }

// Integral values as int64, except an unsigned beyond int64's range.
std::partial_ordering CompareIntegral(const Json& a, const Json& b) {
  auto as_signed = [](const Json& json) -> int64_t {
    if (json.is_boolean()) return json.get<bool>() ? 1 : 0;
    return json.get<int64_t>();
  };
  const bool a_big = a.is_number_unsigned() && a.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX);
  const bool b_big = b.is_number_unsigned() && b.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX);
  if (a_big || b_big) {
    if (!b_big) return std::partial_ordering::greater;
    if (!a_big) return std::partial_ordering::less;
    return a.get<uint64_t>() <=> b.get<uint64_t>();
  }
  return as_signed(a) <=> as_signed(b);
}

double AsDouble(const Json& json) {
  if (json.is_boolean()) return json.get<bool>() ? 1.0 : 0.0;
  return json.get<double>();
}

std::partial_ordering CompareNumeric(const Json& a, const Json& b) {
  if (IsIntegral(a) && IsIntegral(b)) return CompareIntegral(a, b);
  return AsDouble(a) <=> AsDouble(b);
}

std::optional<bool> EqualNested(const Json& a, const Json& b, int depth) {
  if (depth > kMaxValueDepth) return std::nullopt;
  if (IsNumeric(a) && IsNumeric(b)) return CompareNumeric(a, b) == std::partial_ordering::equivalent;
  if (a.type() != b.type()) return false;
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      std::optional<bool> equal = EqualNested(a[i], b[i], depth + 1);
      if (!equal.has_value() || !*equal) return equal;
    }
    return true;
  }
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (const auto& [key, item] : a.items()) {
      auto other = b.find(key);
      if (other == b.end()) return false;
      std::optional<bool> equal = EqualNested(item, *other, depth + 1);
      if (!equal.has_value() || !*equal) return equal;
    }
    return true;
  }
  return a == b;
}

std::string PythonRepr(const Json& json) {
  switch (json.type()) {
    case Json::value_t::null:
      return "None";
    case Json::value_t::boolean:
      return json.get<bool>() ? "True" : "False";
    case Json::value_t::string: {
      // Python prefers single quotes unless the text holds one.
      const std::string& text = json.get_ref<const std::string&>();
      const char quote = text.find('\'') != std::string::npos && text.find('"') == std::string::npos ? '"' : '\'';
      std::string out(1, quote);
      for (char c : text) {
        if (c == quote || c == '\\') out += '\\';
        out += c;
      }
      out += quote;
      return out;
    }
    case Json::value_t::array: {
      std::string out = "[";
      for (size_t i = 0; i < json.size(); ++i) absl::StrAppend(&out, i == 0 ? "" : ", ", PythonRepr(json[i]));
      return out + "]";
    }
    case Json::value_t::object: {
      std::string out = "{";
      bool first = true;
      for (const auto& [key, item] : json.items()) {
        absl::StrAppend(&out, first ? "" : ", ", PythonRepr(Json(key)), ": ", PythonRepr(item));
        first = false;
      }
      return out + "}";
    }
    default:
      return json.dump();
  }
}

}  // namespace

const Json& Value::NullJson() {
  static const Json* const kNull = new Json(nullptr);
  return *kNull;
}

absl::string_view TypeName(const Value& value) {
  if (value.expref() != nullptr) return "expref";
  switch (value.json().type()) {
    case Json::value_t::string:
      return "string";
    case Json::value_t::boolean:
      return "boolean";
    case Json::value_t::array:
      return "array";
    case Json::value_t::object:
      return "object";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      return "number";
    default:
      return "null";
  }
}

bool IsFalse(const Value& value) {
  if (value.expref() != nullptr) return false;
  const Json& json = value.json();
  if (json.is_null()) return true;
  if (json.is_boolean()) return !json.get<bool>();
  // nlohmann's empty() counts a string as one value, never empty.
  if (json.is_string()) return json.get_ref<const std::string&>().empty();
  if (json.is_array() || json.is_object()) return json.empty();
  return false;
}

std::optional<bool> Equal(const Json& a, const Json& b) {
  if ((IsNumber(a) && b.is_boolean()) || (a.is_boolean() && IsNumber(b))) return false;
  return EqualNested(a, b, 0);
}

std::partial_ordering Compare(const Json& a, const Json& b) {
  if (IsNumber(a) && IsNumber(b)) return CompareNumeric(a, b);
  if (a.is_string() && b.is_string()) {
    const int order = a.get_ref<const std::string&>().compare(b.get_ref<const std::string&>());
    return order <=> 0;
  }
  return std::partial_ordering::unordered;
}

bool DeeperThan(const Json& json, int limit) {
  if (!json.is_structured()) return false;
  if (limit <= 0) return true;
  for (const Json& item : json) {
    if (DeeperThan(item, limit - 1)) return true;
  }
  return false;
}

std::string PythonStr(const Json& json) {
  if (json.is_string()) return json.get<std::string>();
  return PythonRepr(json);
}

}  // namespace awsd::jmespath
