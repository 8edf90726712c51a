#pragma once

// JMESPath (https://jmespath.org/specification.html), behaving as Python's
// jmespath package does: what waiters, paginators' output tokens and
// `awsctl --query` evaluate.
//
//   absl::StatusOr<Expression> e = Compile("Reservations[].Instances[].InstanceId");
//   absl::StatusOr<nlohmann::ordered_json> ids = e->Search(response);
//
// Errors are InvalidArgument statuses whose message is jmespath.py's; the
// compliance suite's error class ("syntax", "invalid-type", "invalid-arity",
// "unknown-function", "invalid-value", or "limit" for the depth bounds) is
// available through ErrorClass().

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"

namespace awsd::jmespath {

struct Node;

// A compiled expression: immutable, cheap to copy, and safe to search from
// many threads at once.
class Expression {
 public:
  // The value the expression selects from `document`; object key order is
  // kept. InvalidArgument for run-time errors (a function's arity or argument
  // types, an unknown function, a zero slice step) and for a document nested
  // deeper than 1000 levels.
  absl::StatusOr<nlohmann::ordered_json> Search(const nlohmann::ordered_json& document) const;

  // The source text it was compiled from.
  const std::string& text() const { return *text_; }

 private:
  friend absl::StatusOr<Expression> Compile(std::string_view expression);
  Expression(std::shared_ptr<const std::string> text, std::shared_ptr<const Node> root)
      : text_(std::move(text)), root_(std::move(root)) {}

  std::shared_ptr<const std::string> text_;
  std::shared_ptr<const Node> root_;
};

// Parses `expression`. InvalidArgument (class "syntax") with jmespath.py's
// lexer or parser message, or (class "limit") when nested deeper than 256.
absl::StatusOr<Expression> Compile(std::string_view expression);

// One-shot Compile + Search.
absl::StatusOr<nlohmann::ordered_json> Search(std::string_view expression, const nlohmann::ordered_json& document);

// The compliance-suite error class of a status this library returned.
std::optional<std::string> ErrorClass(const absl::Status& status);

}  // namespace awsd::jmespath
