#include "daemon/jmespath/jmespath.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "daemon/jmespath/ast.h"
#include "daemon/jmespath/errors.h"
#include "daemon/jmespath/evaluator.h"
#include "daemon/jmespath/parser.h"
#include "daemon/jmespath/value.h"

namespace awsd::jmespath {

absl::StatusOr<Expression> Compile(std::string_view expression) {
  absl::StatusOr<NodePtr> root = Parse(absl::string_view(expression.data(), expression.size()));
  if (!root.ok()) return root.status();
  return Expression(std::make_shared<const std::string>(expression.data(), expression.size()),
                    std::shared_ptr<const Node>(*std::move(root)));
}

absl::StatusOr<nlohmann::ordered_json> Expression::Search(const nlohmann::ordered_json& document) const {
  if (DeeperThan(document, kMaxValueDepth)) {
    return MakeError("limit",
                     absl::StrCat("JMESPath search over a document nested deeper than ", kMaxValueDepth, " levels"));
  }
  try {
    Evaluator evaluator;
    const Value result = evaluator.Visit(*root_, Value::Borrow(document));
    if (evaluator.failed()) return evaluator.status();
    // An expression reference has no JSON form.
    if (result.expref() != nullptr) return nlohmann::ordered_json(nullptr);
    return result.json();
  } catch (const nlohmann::json::exception& e) {
    // Not expected: every access is type-checked first. Kept so a missed
    // case is an error, never a crash.
    return absl::InternalError(absl::StrCat("JMESPath evaluation failed: ", e.what()));
  } catch (const std::bad_alloc&) {
    return absl::ResourceExhaustedError("JMESPath evaluation ran out of memory");
  }
}

absl::StatusOr<nlohmann::ordered_json> Search(std::string_view expression, const nlohmann::ordered_json& document) {
  absl::StatusOr<Expression> compiled = Compile(expression);
  if (!compiled.ok()) return compiled.status();
  return compiled->Search(document);
}

}  // namespace awsd::jmespath
