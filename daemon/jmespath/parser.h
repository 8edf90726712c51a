#pragma once

// jmespath.py's Pratt parser: same binding powers, same nud/led rules, same
// error messages, so the same expressions are accepted and rejected.

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "daemon/jmespath/ast.h"

namespace awsd::jmespath {

// Deepest syntax tree (and parser recursion) accepted: far beyond any real
// expression, well within a thread's stack.
inline constexpr int kMaxExpressionDepth = 256;

// The tree, or InvalidArgument (class "syntax", or "limit" past the depth).
absl::StatusOr<NodePtr> Parse(absl::string_view expression);

}  // namespace awsd::jmespath
