#pragma once

// Walks a syntax tree over a document as jmespath.py's TreeInterpreter does.
// One Evaluator per search: it holds the search's first error, after which
// every visit returns null at once so the failure unwinds without exceptions.

#include "absl/status/status.h"
#include "daemon/jmespath/ast.h"
#include "daemon/jmespath/value.h"

namespace awsd::jmespath {

class Evaluator {
 public:
  Value Visit(const Node& node, const Value& current);

  // Records the search's first failure.
  void Fail(absl::Status status) {
    if (status_.ok()) status_ = std::move(status);
  }
  bool failed() const { return !status_.ok(); }
  const absl::Status& status() const { return status_; }

 private:
  Value Projection(const Node& node, const Value& current);
  Value ValueProjection(const Node& node, const Value& current);
  Value FilterProjection(const Node& node, const Value& current);
  // `right` applied to each element of `base` (an array's items, an object's
  // values) that `filter` (when given) lets through; nulls are dropped.
  Value Project(const Node& right, const Value& base, const Node* filter);
  Value Flatten(const Node& node, const Value& current);
  Value Index(const Node& node, const Value& current);
  Value Slice(const Node& node, const Value& current);
  Value Comparison(const Node& node, const Value& current);
  Value MultiSelectList(const Node& node, const Value& current);
  Value MultiSelectHash(const Node& node, const Value& current);
  Value FunctionCall(const Node& node, const Value& current);

  absl::Status status_;
  int depth_ = 0;
};

}  // namespace awsd::jmespath
