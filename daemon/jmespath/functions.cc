#include "daemon/jmespath/functions.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "daemon/jmespath/errors.h"

namespace awsd::jmespath {
namespace {

using Args = std::vector<Value>;
using Impl = std::function<Value(const Args&, Evaluator&)>;

struct Function {
  // Per parameter, the accepted types as jmespath.py spells them ("number",
  // "array-string"); empty accepts anything.
  std::vector<std::vector<std::string>> parameters;
  bool variadic = false;
  Impl impl;
};

std::string TypesList(const std::vector<std::string>& types) {
  return absl::StrCat(
      "[",
      absl::StrJoin(types, ", ", [](std::string* out, const std::string& t) { absl::StrAppend(out, "'", t, "'"); }),
      "]");
}

absl::Status TypeError(absl::string_view function, const Value& value, absl::string_view actual,
                       const std::vector<std::string>& expected) {
  return MakeError("invalid-type",
                   absl::StrCat("In function ", function, "(), invalid type for value: ", PythonStr(value.json()),
                                ", expected one of: ", TypesList(expected), ", received: \"", actual, "\""));
}

// jmespath.py's _type_check_single: the top-level type, then for typed
// arrays every element against the element type the first one selects.
absl::Status CheckType(absl::string_view function, const Value& value, const std::vector<std::string>& types) {
  if (types.empty()) return absl::OkStatus();
  const absl::string_view actual = TypeName(value);
  std::vector<absl::string_view> subtypes;
  bool allowed = false;
  for (const std::string& type : types) {
    const size_t dash = type.find('-');
    const absl::string_view top = absl::string_view(type).substr(0, dash);
    if (dash != std::string::npos) subtypes.push_back(absl::string_view(type).substr(dash + 1));
    if (top == actual) allowed = true;
  }
  if (!allowed) return TypeError(function, value, actual, types);
  if (subtypes.empty() || value.json().empty()) return absl::OkStatus();
  absl::string_view element_type;
  if (subtypes.size() == 1) {
    element_type = subtypes[0];
  } else {
    const absl::string_view first = TypeName(value.Child(value.json()[0]));
    if (std::find(subtypes.begin(), subtypes.end(), first) == subtypes.end()) {
      return TypeError(function, value.Child(value.json()[0]), first, types);
    }
    element_type = first;
  }
  for (const Json& element : value.json()) {
    const Value item = value.Child(element);
    if (TypeName(item) != element_type) return TypeError(function, item, TypeName(item), types);
  }
  return absl::OkStatus();
}

std::string Plural(size_t count) { return count == 1 ? "argument" : "arguments"; }

Value Null() { return Value(); }
Value Own(Json json) { return Value::Own(std::move(json)); }

// Python's int for an integral double when it fits, else the double.
Json IntegralNumber(double value) {
  if (value >= -9.2e18 && value <= 9.2e18) return Json(static_cast<int64_t>(value));
  return Json(value);
}

size_t CodePoints(const std::string& text) {
  size_t count = 0;
  for (char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

std::string ReverseCodePoints(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  size_t end = text.size();
  while (end > 0) {
    size_t start = end - 1;
    while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
    out.append(text, start, end - start);
    end = start;
  }
  return out;
}

// Python's int(text) then float(text) for to_number().
std::optional<Json> ParseNumber(const std::string& raw) {
  std::string text(absl::StripAsciiWhitespace(raw));
  if (text.empty()) return std::nullopt;
  // int(): optional sign, digits with single underscores between them.
  {
    std::string digits;
    size_t i = (text[0] == '+' || text[0] == '-') ? 1 : 0;
    bool ok = i < text.size();
    bool last_underscore = true;
    for (; ok && i < text.size(); ++i) {
      const char c = text[i];
      if (absl::ascii_isdigit(static_cast<unsigned char>(c))) {
        digits += c;
        last_underscore = false;
      } else if (c == '_' && !last_underscore) {
        last_underscore = true;
      } else {
        ok = false;
      }
    }
    if (ok && !last_underscore) {
      errno = 0;
      const std::string literal = (text[0] == '-' ? "-" : "") + digits;
      char* end = nullptr;
      const long long value = std::strtoll(literal.c_str(), &end, 10);
      if (errno == 0) return Json(static_cast<int64_t>(value));
      return Json(std::strtod(literal.c_str(), nullptr));
    }
  }
  // float(): decimal forms, plus inf and nan; no hex.
  std::string lowered = absl::AsciiStrToLower(text);
  const size_t sign = (lowered[0] == '+' || lowered[0] == '-') ? 1 : 0;
  const std::string body = lowered.substr(sign);
  if (body == "inf" || body == "infinity" || body == "nan") {
    return std::nullopt;  // JSON cannot carry these; null as for a bad number.
  }
  if (body.empty() || body.find_first_not_of("0123456789.e+-") != std::string::npos) return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return std::nullopt;
  return Json(value);
}

// Evaluates an expref over each element, requiring the key types of
// jmespath.py's _create_key_func.
std::optional<std::vector<Json>> Keys(absl::string_view function, const Value& array, const Value& expref,
                                      const std::vector<std::string>& allowed, Evaluator& evaluator) {
  std::vector<Json> keys;
  for (const Json& element : array.json()) {
    const Value key = evaluator.Visit(*expref.expref(), array.Child(element));
    if (evaluator.failed()) return std::nullopt;
    const std::string type(TypeName(key));
    if (std::find(allowed.begin(), allowed.end(), type) == allowed.end()) {
      evaluator.Fail(TypeError(function, key, type, allowed));
      return std::nullopt;
    }
    keys.push_back(key.json());
  }
  return keys;
}

// min_by / max_by: Python's min() and max() keep the first extreme.
Value ExtremeBy(absl::string_view function, const Args& args, Evaluator& evaluator, bool want_max) {
  std::optional<std::vector<Json>> keys = Keys(function, args[0], args[1], {"number", "string"}, evaluator);
  if (!keys.has_value() || keys->empty()) return Null();
  size_t best = 0;
  for (size_t i = 1; i < keys->size(); ++i) {
    const std::partial_ordering order = Compare((*keys)[i], (*keys)[best]);
    if (order == std::partial_ordering::unordered && (*keys)[i].type() != (*keys)[best].type()) {
      evaluator.Fail(TypeError(function, args[0].Child(args[0].json()[i]), TypeName(Value::Borrow((*keys)[i])),
                               {"number", "string"}));
      return Null();
    }
    if (want_max ? order > 0 : order < 0) best = i;
  }
  return args[0].Child(args[0].json()[best]);
}

Value Extreme(const Args& args, bool want_max) {
  const Json& array = args[0].json();
  if (array.empty()) return Null();
  size_t best = 0;
  for (size_t i = 1; i < array.size(); ++i) {
    const std::partial_ordering order = Compare(array[i], array[best]);
    if (want_max ? order > 0 : order < 0) best = i;
  }
  return args[0].Child(array[best]);
}

const absl::flat_hash_map<std::string, Function>& Registry() {
  static const auto* const kFunctions = new absl::flat_hash_map<std::string, Function>{
      {"abs",
       {{{"number"}},
        false,
        [](const Args& a, Evaluator&) {
          const Json& n = a[0].json();
          if (n.is_number_unsigned()) return a[0];
          if (n.is_number_integer()) {
            const int64_t v = n.get<int64_t>();
            if (v == std::numeric_limits<int64_t>::min()) return Own(Json(-static_cast<double>(v)));
            return Own(Json(v < 0 ? -v : v));
          }
          return Own(Json(std::fabs(n.get<double>())));
        }}},
      {"avg",
       {{{"array-number"}},
        false,
        [](const Args& a, Evaluator&) {
          const Json& array = a[0].json();
          if (array.empty()) return Null();
          double sum = 0;
          for (const Json& n : array) sum += n.get<double>();
          return Own(Json(sum / static_cast<double>(array.size())));
        }}},
      {"ceil",
       {{{"number"}},
        false,
        [](const Args& a, Evaluator&) {
          if (a[0].json().is_number_integer()) return a[0];
          return Own(IntegralNumber(std::ceil(a[0].json().get<double>())));
        }}},
      {"floor",
       {{{"number"}},
        false,
        [](const Args& a, Evaluator&) {
          if (a[0].json().is_number_integer()) return a[0];
          return Own(IntegralNumber(std::floor(a[0].json().get<double>())));
        }}},
      {"contains",
       {{{"array", "string"}, {}},
        false,
        [](const Args& a, Evaluator& e) {
          const Json& subject = a[0].json();
          const Json& search = a[1].json();
          if (subject.is_string()) {
            // Python raises TypeError for a non-string needle; no match here.
            if (!search.is_string()) return Own(Json(false));
            return Own(Json(subject.get_ref<const std::string&>().find(search.get_ref<const std::string&>()) !=
                            std::string::npos));
          }
          for (const Json& element : subject) {
            std::optional<bool> equal = Equal(element, search);
            if (!equal.has_value()) {
              e.Fail(MakeError("limit", "JMESPath comparison of values nested too deeply"));
              return Null();
            }
            // Python's `in` compares with ==, where 1 == True.
            if (*equal || (element.is_boolean() != search.is_boolean() &&
                           Equal(Json::array({element}), Json::array({search})).value_or(false))) {
              return Own(Json(true));
            }
          }
          return Own(Json(false));
        }}},
      {"ends_with",
       {{{"string"}, {"string"}},
        false,
        [](const Args& a, Evaluator&) {
          const std::string& s = a[0].json().get_ref<const std::string&>();
          const std::string& suffix = a[1].json().get_ref<const std::string&>();
          return Own(
              Json(s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0));
        }}},
      {"starts_with",
       {{{"string"}, {"string"}},
        false,
        [](const Args& a, Evaluator&) {
          const std::string& s = a[0].json().get_ref<const std::string&>();
          const std::string& prefix = a[1].json().get_ref<const std::string&>();
          return Own(Json(s.compare(0, prefix.size(), prefix) == 0));
        }}},
      {"join",
       {{{"string"}, {"array-string"}},
        false,
        [](const Args& a, Evaluator&) {
          std::string out;
          const std::string& separator = a[0].json().get_ref<const std::string&>();
          bool first = true;
          for (const Json& s : a[1].json()) {
            absl::StrAppend(&out, first ? "" : separator, s.get_ref<const std::string&>());
            first = false;
          }
          return Own(Json(std::move(out)));
        }}},
      {"keys",
       {{{"object"}},
        false,
        [](const Args& a, Evaluator&) {
          Json out = Json::array();
          for (const auto& [key, unused] : a[0].json().items()) out.push_back(key);
          return Own(std::move(out));
        }}},
      {"values",
       {{{"object"}},
        false,
        [](const Args& a, Evaluator&) {
          Json out = Json::array();
          for (const Json& item : a[0].json()) out.push_back(item);
          return Own(std::move(out));
        }}},
      {"length",
       {{{"string", "array", "object"}},
        false,
        [](const Args& a, Evaluator&) {
          const Json& v = a[0].json();
          return Own(
              Json(static_cast<int64_t>(v.is_string() ? CodePoints(v.get_ref<const std::string&>()) : v.size())));
        }}},
      {"map",
       {{{"expref"}, {"array"}},
        false,
        [](const Args& a, Evaluator& e) {
          Json out = Json::array();
          for (const Json& element : a[1].json()) {
            const Value item = e.Visit(*a[0].expref(), a[1].Child(element));
            if (e.failed()) return Null();
            out.push_back(item.expref() != nullptr ? Json(nullptr) : item.json());
          }
          return Own(std::move(out));
        }}},
      {"max", {{{"array-number", "array-string"}}, false, [](const Args& a, Evaluator&) { return Extreme(a, true); }}},
      {"min", {{{"array-number", "array-string"}}, false, [](const Args& a, Evaluator&) { return Extreme(a, false); }}},
      {"max_by",
       {{{"array"}, {"expref"}}, false, [](const Args& a, Evaluator& e) { return ExtremeBy("max_by", a, e, true); }}},
      {"min_by",
       {{{"array"}, {"expref"}}, false, [](const Args& a, Evaluator& e) { return ExtremeBy("min_by", a, e, false); }}},
      {"merge",
       {{{"object"}},
        true,
        [](const Args& a, Evaluator&) {
          Json merged = Json::object();
          for (const Value& object : a) {
            for (const auto& [key, item] : object.json().items()) merged[key] = item;
          }
          return Own(std::move(merged));
        }}},
      {"not_null",
       {{{}},
        true,
        [](const Args& a, Evaluator&) {
          for (const Value& v : a) {
            if (!v.is_null()) return v;
          }
          return Null();
        }}},
      {"reverse",
       {{{"array", "string"}},
        false,
        [](const Args& a, Evaluator&) {
          const Json& v = a[0].json();
          if (v.is_string()) return Own(Json(ReverseCodePoints(v.get_ref<const std::string&>())));
          Json out = Json::array();
          for (auto it = v.rbegin(); it != v.rend(); ++it) out.push_back(*it);
          return Own(std::move(out));
        }}},
      {"sort",
       {{{"array-string", "array-number"}},
        false,
        [](const Args& a, Evaluator&) {
          Json out = a[0].json();
          std::stable_sort(out.begin(), out.end(), [](const Json& x, const Json& y) { return Compare(x, y) < 0; });
          return Own(std::move(out));
        }}},
      {"sort_by",
       {{{"array"}, {"expref"}},
        false,
        [](const Args& a, Evaluator& e) {
          const Json& array = a[0].json();
          if (array.empty()) return a[0];
          // The first element's key type is the one every key must have.
          const Value first = e.Visit(*a[1].expref(), a[0].Child(array[0]));
          if (e.failed()) return Null();
          const std::string type(TypeName(first));
          if (type != "number" && type != "string") {
            e.Fail(TypeError("sort_by", a[0].Child(array[0]), type, {"string", "number"}));
            return Null();
          }
          std::optional<std::vector<Json>> keys = Keys("sort_by", a[0], a[1], {type}, e);
          if (!keys.has_value()) return Null();
          std::vector<size_t> order(array.size());
          for (size_t i = 0; i < order.size(); ++i) order[i] = i;
          std::stable_sort(order.begin(), order.end(),
                           [&](size_t x, size_t y) { return Compare((*keys)[x], (*keys)[y]) < 0; });
          Json out = Json::array();
          for (size_t i : order) out.push_back(array[i]);
          return Own(std::move(out));
        }}},
      {"sum",
       {{{"array-number"}},
        false,
        [](const Args& a, Evaluator&) {
          // Integers stay integers until a float joins, as in Python.
          int64_t integer_sum = 0;
          double float_sum = 0;
          bool is_float = false;
          for (const Json& n : a[0].json()) {
            const bool fits = n.is_number_integer() && (!n.is_number_unsigned() || n.get<uint64_t>() <= INT64_MAX);
            if (!is_float && fits) {
              int64_t next;
              if (!__builtin_add_overflow(integer_sum, n.get<int64_t>(), &next)) {
                integer_sum = next;
                continue;
              }
            }
            if (!is_float) {
              is_float = true;
              float_sum = static_cast<double>(integer_sum);
            }
            float_sum += n.get<double>();
          }
          return is_float ? Own(Json(float_sum)) : Own(Json(integer_sum));
        }}},
      {"to_array",
       {{{}},
        false,
        [](const Args& a, Evaluator&) {
          if (a[0].json().is_array()) return a[0];
          return Own(Json::array({a[0].json()}));
        }}},
      {"to_string",
       {{{}},
        false,
        [](const Args& a, Evaluator&) {
          if (a[0].json().is_string()) return a[0];
          // json.dumps(separators=(',', ':')) escapes non-ASCII by default.
          return Own(Json(a[0].json().dump(-1, ' ', true, Json::error_handler_t::replace)));
        }}},
      {"to_number",
       {{{}},
        false,
        [](const Args& a, Evaluator&) {
          const Json& v = a[0].json();
          if (v.is_number()) return a[0];
          if (!v.is_string()) return Null();
          std::optional<Json> number = ParseNumber(v.get_ref<const std::string&>());
          return number.has_value() ? Own(*std::move(number)) : Null();
        }}},
      {"type", {{{}}, false, [](const Args& a, Evaluator&) { return Own(Json(std::string(TypeName(a[0])))); }}},
  };
  return *kFunctions;
}

}  // namespace

Value CallFunction(absl::string_view name, const std::vector<Value>& arguments, Evaluator& evaluator) {
  const auto& registry = Registry();
  auto found = registry.find(name);
  if (found == registry.end()) {
    evaluator.Fail(MakeError("unknown-function", absl::StrCat("Unknown function: ", name, "()")));
    return Null();
  }
  const Function& function = found->second;
  const size_t expected = function.parameters.size();
  if (function.variadic ? arguments.size() < expected : arguments.size() != expected) {
    evaluator.Fail(MakeError(
        "invalid-arity", absl::StrCat("Expected ", function.variadic ? "at least " : "", expected, " ",
                                      Plural(expected), " for function ", name, "(), received ", arguments.size())));
    return Null();
  }
  // Like jmespath.py, a variadic function checks only its declared
  // parameters' types.
  for (size_t i = 0; i < expected; ++i) {
    absl::Status status = CheckType(name, arguments[i], function.parameters[i]);
    if (!status.ok()) {
      evaluator.Fail(std::move(status));
      return Null();
    }
  }
  return function.impl(arguments, evaluator);
}

}  // namespace awsd::jmespath
