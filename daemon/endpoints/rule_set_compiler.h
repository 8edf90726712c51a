#pragma once

// Turns an endpoint rule set (endpoint-rule-set-1.json) into the compiled
// form of rule_set.h, once per service.
//
// Everything botocore would reject while building or running the rule set is
// rejected here, with InvalidArgument naming the place ("rules[2].rules[0]
// .conditions[1]: unknown function \"fooBar\""): an unknown rule type,
// parameter type or function, a wrong argument count, a condition that is
// not a function call, a malformed template string. Nothing in the input can
// crash the compiler; nesting deeper than kMaxRuleSetDepth is refused.

#include <memory>

#include "absl/status/statusor.h"
#include "daemon/endpoints/partitions.h"
#include "daemon/endpoints/rule_set.h"
#include "nlohmann/json.hpp"

namespace awsd::endpoints {

inline constexpr int kMaxRuleSetDepth = 256;

absl::StatusOr<std::shared_ptr<const CompiledRuleSet>> CompileRuleSet(const nlohmann::json& rule_set,
                                                                      std::shared_ptr<const Partitions> partitions);

// getAttr's path, split as botocore's get_attr walks it.
AttrPath ParseAttrPath(std::string_view path);

}  // namespace awsd::endpoints
