#pragma once

// The syntax tree of a compiled JMESPath expression. Its shape follows
// jmespath.py's ast module node for node, so the evaluator can mirror
// jmespath.py's TreeInterpreter visit for visit. Trees are immutable once
// parsed, which is what lets one compiled expression serve many threads.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "nlohmann/json.hpp"

namespace awsd::jmespath {

enum class NodeType {
  kField,             // name
  kSubexpression,     // children, applied left to right
  kIndexExpression,   // children, applied left to right
  kIndex,             // index
  kSlice,             // slice
  kProjection,        // children: [base, each]
  kValueProjection,   // children: [base, each]
  kFilterProjection,  // children: [base, each, condition]
  kFlatten,           // children: [base]
  kIdentity,
  kCurrent,
  kLiteral,          // literal
  kMultiSelectList,  // children
  kMultiSelectHash,  // keys[i] -> children[i]
  kOr,               // children: [left, right]
  kAnd,              // children: [left, right]
  kNot,              // children: [operand]
  kComparator,       // comparator, children: [left, right]
  kPipe,             // children: [left, right]
  kFunction,         // name, children: arguments
  kExpref,           // children: [expression]
};

enum class Comparator { kEq, kNe, kLt, kLte, kGt, kGte };

struct Node {
  NodeType type = NodeType::kIdentity;
  std::string name;
  Comparator comparator = Comparator::kEq;
  int64_t index = 0;
  std::optional<int64_t> slice[3];
  nlohmann::ordered_json literal;
  std::vector<std::string> keys;
  std::vector<std::unique_ptr<const Node>> children;
  // Longest path to a leaf, counting this node: what evaluating it costs in
  // stack frames, bounded at parse time.
  int depth = 1;
};

using NodePtr = std::unique_ptr<const Node>;

}  // namespace awsd::jmespath
