#include "daemon/jmespath/evaluator.h"

#include <cstdint>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "daemon/jmespath/errors.h"
#include "daemon/jmespath/functions.h"
#include "daemon/jmespath/parser.h"

namespace awsd::jmespath {
namespace {

// An expression reference has no JSON form; inside a built value it becomes
// null (jmespath.py would keep a Python object there).
Json ToJson(const Value& value) { return value.expref() != nullptr ? Json(nullptr) : value.json(); }

}  // namespace

Value Evaluator::Visit(const Node& node, const Value& current) {
  if (failed()) return Value();
  // The tree depth is bounded at parse time; this also bounds the visits that
  // functions such as map() and sort_by() start from inside a visit.
  if (depth_ > 2 * kMaxExpressionDepth) {
    Fail(MakeError("limit", "JMESPath evaluation nested too deeply"));
    return Value();
  }
  ++depth_;
  Value result;
  switch (node.type) {
    case NodeType::kField:
      if (current.expref() == nullptr && current.json().is_object()) {
        auto found = current.json().find(node.name);
        if (found != current.json().end()) result = current.Child(*found);
      }
      break;
    case NodeType::kSubexpression:
    case NodeType::kIndexExpression:
    case NodeType::kPipe:
      result = current;
      for (const NodePtr& child : node.children) result = Visit(*child, result);
      break;
    case NodeType::kIndex:
      result = Index(node, current);
      break;
    case NodeType::kSlice:
      result = Slice(node, current);
      break;
    case NodeType::kProjection:
      result = Projection(node, current);
      break;
    case NodeType::kValueProjection:
      result = ValueProjection(node, current);
      break;
    case NodeType::kFilterProjection:
      result = FilterProjection(node, current);
      break;
    case NodeType::kFlatten:
      result = Flatten(node, current);
      break;
    case NodeType::kIdentity:
    case NodeType::kCurrent:
      result = current;
      break;
    case NodeType::kLiteral:
      result = Value::Borrow(node.literal);
      break;
    case NodeType::kMultiSelectList:
      result = MultiSelectList(node, current);
      break;
    case NodeType::kMultiSelectHash:
      result = MultiSelectHash(node, current);
      break;
    case NodeType::kOr:
      result = Visit(*node.children[0], current);
      if (IsFalse(result)) result = Visit(*node.children[1], current);
      break;
    case NodeType::kAnd:
      result = Visit(*node.children[0], current);
      if (!IsFalse(result)) result = Visit(*node.children[1], current);
      break;
    case NodeType::kNot: {
      const Value operand = Visit(*node.children[0], current);
      // Unlike Python's `not`, JMESPath treats 0 as true.
      const bool negated = operand.expref() == nullptr && operand.json().is_number() ? false : IsFalse(operand);
      result = Value::Own(Json(negated));
      break;
    }
    case NodeType::kComparator:
      result = Comparison(node, current);
      break;
    case NodeType::kFunction:
      result = FunctionCall(node, current);
      break;
    case NodeType::kExpref:
      result = Value::Expref(node.children[0].get());
      break;
  }
  --depth_;
  return failed() ? Value() : result;
}

Value Evaluator::Projection(const Node& node, const Value& current) {
  const Value base = Visit(*node.children[0], current);
  if (base.expref() != nullptr || !base.json().is_array()) return Value();
  return Project(*node.children[1], base, nullptr);
}

Value Evaluator::ValueProjection(const Node& node, const Value& current) {
  const Value base = Visit(*node.children[0], current);
  if (base.expref() != nullptr || !base.json().is_object()) return Value();
  return Project(*node.children[1], base, nullptr);
}

Value Evaluator::FilterProjection(const Node& node, const Value& current) {
  const Value base = Visit(*node.children[0], current);
  if (base.expref() != nullptr || !base.json().is_array()) return Value();
  return Project(*node.children[1], base, node.children[2].get());
}

Value Evaluator::Project(const Node& right, const Value& base, const Node* filter) {
  Json collected = Json::array();
  for (const Json& element : base.json()) {
    const Value subject = base.Child(element);
    if (filter != nullptr && IsFalse(Visit(*filter, subject))) continue;
    const Value item = Visit(right, subject);
    if (failed()) return Value();
    if (!item.is_null()) collected.push_back(ToJson(item));
  }
  return Value::Own(std::move(collected));
}

Value Evaluator::Flatten(const Node& node, const Value& current) {
  const Value base = Visit(*node.children[0], current);
  if (base.expref() != nullptr || !base.json().is_array()) return Value();
  Json merged = Json::array();
  for (const Json& element : base.json()) {
    if (element.is_array()) {
      for (const Json& inner : element) merged.push_back(inner);
    } else {
      merged.push_back(element);
    }
  }
  return Value::Own(std::move(merged));
}

Value Evaluator::Index(const Node& node, const Value& current) {
  if (current.expref() != nullptr || !current.json().is_array()) return Value();
  const int64_t size = static_cast<int64_t>(current.json().size());
  const int64_t index = node.index < 0 ? node.index + size : node.index;
  if (index < 0 || index >= size) return Value();
  return current.Child(current.json()[static_cast<size_t>(index)]);
}

// Python's list slicing (PySlice_AdjustIndices).
Value Evaluator::Slice(const Node& node, const Value& current) {
  if (current.expref() != nullptr || !current.json().is_array()) return Value();
  const int64_t step = node.slice[2].value_or(1);
  if (step == 0) {
    Fail(MakeError("invalid-value", "slice step cannot be zero"));
    return Value();
  }
  const int64_t size = static_cast<int64_t>(current.json().size());
  const int64_t lower = step > 0 ? 0 : -1;
  const int64_t upper = step > 0 ? size : size - 1;
  auto adjust = [&](const std::optional<int64_t>& bound, int64_t fallback) {
    if (!bound.has_value()) return fallback;
    int64_t value = *bound < 0 ? *bound + size : *bound;
    if (value < lower) value = lower;
    if (value > upper) value = upper;
    return value;
  };
  const int64_t start = adjust(node.slice[0], step > 0 ? 0 : size - 1);
  const int64_t stop = adjust(node.slice[1], step > 0 ? size : -1);
  Json sliced = Json::array();
  for (int64_t i = start; step > 0 ? i < stop : i > stop; i += step) {
    sliced.push_back(current.json()[static_cast<size_t>(i)]);
  }
  return Value::Own(std::move(sliced));
}

Value Evaluator::Comparison(const Node& node, const Value& current) {
  const Value left = Visit(*node.children[0], current);
  const Value right = Visit(*node.children[1], current);
  if (failed()) return Value();
  const Json& a = left.json();
  const Json& b = right.json();
  if (node.comparator == Comparator::kEq || node.comparator == Comparator::kNe) {
    bool equal;
    if (left.expref() != nullptr || right.expref() != nullptr) {
      equal = left.expref() == right.expref();
    } else {
      std::optional<bool> result = Equal(a, b);
      if (!result.has_value()) {
        Fail(MakeError("limit", "JMESPath comparison of values nested too deeply"));
        return Value();
      }
      equal = *result;
    }
    return Value::Own(Json(node.comparator == Comparator::kEq ? equal : !equal));
  }
  // Ordering holds between two numbers or two strings (jmespath.py added
  // strings back); anything else yields null.
  if (left.expref() != nullptr || right.expref() != nullptr) return Value();
  const std::partial_ordering order = Compare(a, b);
  if (order == std::partial_ordering::unordered) {
    // Two NaNs or a NaN and a number: Python's comparisons are all false.
    if (a.is_number() && b.is_number()) return Value::Own(Json(false));
    return Value();
  }
  bool holds = false;
  switch (node.comparator) {
    case Comparator::kLt:
      holds = order < 0;
      break;
    case Comparator::kLte:
      holds = order <= 0;
      break;
    case Comparator::kGt:
      holds = order > 0;
      break;
    case Comparator::kGte:
      holds = order >= 0;
      break;
    default:
      break;
  }
  return Value::Own(Json(holds));
}

Value Evaluator::MultiSelectList(const Node& node, const Value& current) {
  if (current.is_null()) return Value();
  Json collected = Json::array();
  for (const NodePtr& child : node.children) {
    const Value item = Visit(*child, current);
    if (failed()) return Value();
    collected.push_back(ToJson(item));
  }
  return Value::Own(std::move(collected));
}

Value Evaluator::MultiSelectHash(const Node& node, const Value& current) {
  if (current.is_null()) return Value();
  Json collected = Json::object();
  for (size_t i = 0; i < node.children.size(); ++i) {
    const Value item = Visit(*node.children[i], current);
    if (failed()) return Value();
    collected[node.keys[i]] = ToJson(item);
  }
  return Value::Own(std::move(collected));
}

Value Evaluator::FunctionCall(const Node& node, const Value& current) {
  std::vector<Value> arguments;
  arguments.reserve(node.children.size());
  for (const NodePtr& child : node.children) {
    arguments.push_back(Visit(*child, current));
    if (failed()) return Value();
  }
  return CallFunction(node.name, arguments, *this);
}

}  // namespace awsd::jmespath
