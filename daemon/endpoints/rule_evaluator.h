#pragma once

// Runs a compiled rule set for one set of parameters, as botocore's
// RuleSet.evaluate does:
//
//  * parameters: each defined parameter takes its value, else its default;
//    a required one with neither is an error ("Cannot find value for
//    required parameter Region"), and a value of the wrong type too ("Value
//    (UseFIPS) is the wrong type. Must be <class 'bool'>.");
//  * rules in order; a rule applies when every condition is neither None
//    nor False; `assign` binds a condition's result for the rule and the
//    rules below it, never for its siblings, and may not rebind a name;
//  * a tree rule whose children all fail falls through to the next rule;
//  * an error rule's message, or no rule applying, is an InvalidArgument
//    status carrying botocore's message.

#include <span>
#include <string>

#include "absl/status/statusor.h"
#include "daemon/endpoints/endpoint.h"
#include "daemon/endpoints/rule_set.h"

namespace awsd::endpoints {

absl::StatusOr<ResolvedEndpoint> EvaluateRuleSet(const CompiledRuleSet& rule_set, const EndpointParams& params);
// The same for parameters by reference (a name given twice: the last wins).
absl::StatusOr<ResolvedEndpoint> EvaluateRuleSet(const CompiledRuleSet& rule_set, std::span<const ParamRef> params);

}  // namespace awsd::endpoints
