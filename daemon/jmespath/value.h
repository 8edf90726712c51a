#pragma once

// What the evaluator passes around: a JSON value that is either borrowed
// from the searched document or owned by the evaluation, plus the one
// JMESPath value JSON cannot hold, an expression reference. Borrowing keeps
// field and index steps free of copies; the shared owner keeps a borrowed
// child of an owned value alive.

#include <compare>
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "daemon/jmespath/ast.h"
#include "nlohmann/json.hpp"

namespace awsd::jmespath {

using Json = nlohmann::ordered_json;

// Deepest searched document (and literal) accepted: copying, comparing and
// printing values recurse once per level.
inline constexpr int kMaxValueDepth = 1000;

class Value {
 public:
  Value() = default;
  static Value Borrow(const Json& json) {
    Value value;
    value.json_ = &json;
    return value;
  }
  static Value Own(Json json) {
    Value value;
    value.owner_ = std::make_shared<const Json>(std::move(json));
    value.json_ = value.owner_.get();
    return value;
  }
  static Value Expref(const Node* expression) {
    Value value;
    value.expref_ = expression;
    return value;
  }
  // A part of this value, kept alive by this value's owner.
  Value Child(const Json& part) const {
    Value value = *this;
    value.json_ = &part;
    value.expref_ = nullptr;
    return value;
  }

  // An expression reference reads as null JSON.
  const Json& json() const { return json_ != nullptr ? *json_ : NullJson(); }
  const Node* expref() const { return expref_; }
  bool is_null() const { return expref_ == nullptr && json().is_null(); }

 private:
  static const Json& NullJson();

  const Json* json_ = nullptr;
  std::shared_ptr<const Json> owner_;
  const Node* expref_ = nullptr;
};

// The JMESPath type name: "number", "string", ..., "expref".
absl::string_view TypeName(const Value& value);

// JMESPath falsiness: "", [], {}, null and false.
bool IsFalse(const Value& value);

// jmespath.py's `==`: numbers by value (1 == 1.0), objects ignoring key
// order, and a number never equal to a boolean at the top level (nested,
// Python's True == 1 holds). nullopt when nested beyond kMaxValueDepth.
std::optional<bool> Equal(const Json& a, const Json& b);

// Order of two numbers, or two strings by code point; unordered otherwise.
std::partial_ordering Compare(const Json& a, const Json& b);

// Whether `json` nests deeper than `limit` levels.
bool DeeperThan(const Json& json, int limit);

// Python's str() of the value, as jmespath.py puts it in messages.
std::string PythonStr(const Json& json);

}  // namespace awsd::jmespath
