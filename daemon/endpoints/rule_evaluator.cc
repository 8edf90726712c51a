#include "daemon/endpoints/rule_evaluator.h"

#include <span>
#include <utility>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"
#include "daemon/endpoints/auth_schemes.h"
#include "daemon/endpoints/standard_functions.h"

namespace awsd::endpoints {
namespace {

// The type botocore checks a parameter's value against, as it prints it.
std::string_view ExpectedTypeName(ParameterType type) {
  switch (type) {
    case ParameterType::kString:
      return "<class 'str'>";
    case ParameterType::kBoolean:
      return "<class 'bool'>";
    case ParameterType::kStringArray:
      return "<class 'tuple'>";
  }
  return "<class 'object'>";
}

bool HasType(const ParamValue& value, ParameterType type) {
  switch (type) {
    case ParameterType::kString:
      return std::holds_alternative<std::string>(value);
    case ParameterType::kBoolean:
      return std::holds_alternative<bool>(value);
    case ParameterType::kStringArray:
      return std::holds_alternative<std::vector<std::string>>(value);
  }
  return false;
}

// Storage an evaluation needs, kept per thread so that a resolution
// allocates only for what it builds (strings, the result).
struct Scratch {
  std::vector<Value> scope;
  std::vector<uint8_t> present;  // botocore's "name in scope_vars"
  std::vector<int> assigned;     // slots assigned, innermost last
  ValueArena arena;
  bool busy = false;
};

class Evaluation {
 public:
  Evaluation(const CompiledRuleSet& rule_set, Scratch& scratch)
      : rule_set_(rule_set),
        scope_(scratch.scope),
        present_(scratch.present),
        assigned_(scratch.assigned),
        arena_(scratch.arena),
        context_{rule_set.partitions.get(), &scratch.arena} {
    scope_.assign(rule_set.slot_names.size(), Value());
    present_.assign(rule_set.slot_names.size(), 0);
    assigned_.clear();
    arena_.Clear();
  }

  absl::StatusOr<ResolvedEndpoint> Run(std::span<const ParamRef> params) {
    if (absl::Status status = Bind(params); !status.ok()) return status;
    for (uint32_t rule : rule_set_.top_level) {
      switch (EvaluateRule(rule)) {
        case Outcome::kNoMatch:
          continue;
        case Outcome::kEndpoint:
          return std::move(result_);
        case Outcome::kError:
        case Outcome::kFailed:
          return absl::InvalidArgumentError(message_);
      }
    }
    return absl::InvalidArgumentError(NoEndpointMessage());
  }

 private:
  enum class Outcome { kNoMatch, kEndpoint, kError, kFailed };
  // present_ of a parameter given with the wrong type, reported in
  // definition order as botocore does.
  static constexpr uint8_t kMistyped = 2;

  Value FromParam(const ParamValue& value) {
    if (const std::string* text = std::get_if<std::string>(&value)) return Value::String(*text);
    if (const bool* flag = std::get_if<bool>(&value)) return Value::Bool(*flag);
    const auto& strings = std::get<std::vector<std::string>>(value);
    Value* items = arena_.NewItems(strings.size());
    for (size_t i = 0; i < strings.size(); ++i) items[i] = Value::String(strings[i]);
    return Value::Array(items, strings.size(), /*tuple=*/true);
  }

  // botocore's process_input_parameters: every input is in scope (names the
  // rules never mention do not matter), then defaults and required checks
  // in definition order.
  absl::Status Bind(std::span<const ParamRef> params) {
    const size_t defined = rule_set_.parameters.size();
    for (const ParamRef& param : params) {
      const auto slot = rule_set_.slot_by_name.find(absl::string_view(param.name.data(), param.name.size()));
      if (slot == rule_set_.slot_by_name.end()) continue;
      const int index = slot->second;
      const bool mistyped =
          index < static_cast<int>(defined) && !HasType(*param.value, rule_set_.parameters[index].type);
      scope_[index] = FromParam(*param.value);
      present_[index] = mistyped ? kMistyped : 1;
    }
    for (size_t i = 0; i < defined; ++i) {
      const ParameterDefinition& definition = rule_set_.parameters[i];
      if (present_[i] == kMistyped) {
        return absl::InvalidArgumentError("Value (" + definition.name + ") is the wrong type. Must be " +
                                          std::string(ExpectedTypeName(definition.type)) + ".");
      }
      if (present_[i]) continue;
      if (!rule_set_.defaults[i].is_none()) {
        scope_[i] = rule_set_.defaults[i];
        present_[i] = 1;
      } else if (definition.required) {
        return absl::InvalidArgumentError("Cannot find value for required parameter " + definition.name);
      }
    }
    params_ = params;
    return absl::OkStatus();
  }

  std::string NoEndpointMessage() const {
    std::string message = "No endpoint found for parameters:";
    for (const ParameterDefinition& definition : rule_set_.parameters) {
      for (const ParamRef& param : params_) {
        if (param.name != definition.name) continue;
        message += "\n" + definition.name + ": ";
        if (const std::string* text = std::get_if<std::string>(param.value)) {
          message += *text;
        } else if (const bool* flag = std::get_if<bool>(param.value)) {
          message += *flag ? "True" : "False";
        } else {
          const auto& strings = std::get<std::vector<std::string>>(*param.value);
          std::vector<Value> items;
          for (const std::string& s : strings) items.push_back(Value::String(s));
          message += PythonStr(Value::Array(items.data(), items.size(), /*tuple=*/true));
        }
        break;
      }
    }
    return message;
  }

  bool Fail(std::string message) {
    message_ = std::move(message);
    return false;
  }

  Outcome EvaluateRule(uint32_t index) {
    const Rule& rule = rule_set_.rules[index];
    const size_t assigned_before = assigned_.size();
    // Assignments made by this rule (and below it) end with it.
    const auto unwind = [&] {
      while (assigned_.size() > assigned_before) {
        const int slot = assigned_.back();
        assigned_.pop_back();
        scope_[slot] = Value::None();
        present_[slot] = 0;
      }
    };
    for (uint32_t condition : rule.conditions) {
      Value result;
      if (!EvaluateCall(condition, &result)) return Outcome::kFailed;
      if (result.is_none() || (result.is_bool() && !result.boolean)) {
        unwind();
        return Outcome::kNoMatch;
      }
    }
    switch (rule.type) {
      case Rule::Type::kEndpoint:
        return BuildEndpoint(rule_set_.endpoints[rule.endpoint]) ? Outcome::kEndpoint : Outcome::kFailed;
      case Rule::Type::kError: {
        Value message;
        if (!EvaluateExpression(rule.error, &message)) return Outcome::kFailed;
        message_ = PythonStr(message);
        return Outcome::kError;
      }
      case Rule::Type::kTree:
        for (uint32_t child : rule.children) {
          const Outcome outcome = EvaluateRule(child);
          if (outcome != Outcome::kNoMatch) return outcome;
        }
        unwind();
        return Outcome::kNoMatch;
    }
    return Outcome::kNoMatch;
  }

  // The common forms of rule_set.h's Call::Shape, with botocore's messages
  // when an argument has the wrong type.
  bool EvaluateShaped(const Call& call, Value* out) {
    switch (call.shape) {
      case Call::Shape::kIsSetRef:
        *out = Value::Bool(!scope_[call.arguments[0].slot].is_none());
        return true;
      case Call::Shape::kBooleanEqualsLiteral:
      case Call::Shape::kStringEqualsLiteral: {
        Value other;
        if (!EvaluateExpression(call.arguments[call.other], &other)) return false;
        const Value& literal = call.arguments[1 - call.other].literal;
        if (call.shape == Call::Shape::kBooleanEqualsLiteral) {
          if (other.is_bool()) {
            *out = Value::Bool(other.boolean == literal.boolean);
            return true;
          }
          return Fail("Both arguments must be bools, not " +
                      std::string(PythonTypeName(call.other == 0 ? other : literal)) + " and " +
                      std::string(PythonTypeName(call.other == 0 ? literal : other)) + ".");
        }
        if (other.is_string()) {
          *out = Value::Bool(other.str() == literal.str());
          return true;
        }
        return Fail("Both values must be strings, not " +
                    std::string(PythonTypeName(call.other == 0 ? other : literal)) + " and " +
                    std::string(PythonTypeName(call.other == 0 ? literal : other)) + ".");
      }
      case Call::Shape::kGetAttrRefKey: {
        const Value& record = scope_[call.arguments[0].slot];
        if (const Value* field = record.Find(call.path[0].name)) {
          *out = *field;
          return true;
        }
        // Missing key or not a record: the general path words the error.
        std::string error;
        Value arguments[2] = {record, call.arguments[1].literal};
        CallStandardFunction(call.function, arguments, &call.path, context_, out, &error);
        return Fail(std::move(error));
      }
      case Call::Shape::kGeneral:
        break;
    }
    return false;
  }

  bool EvaluateCall(uint32_t index, Value* out) {
    const Call& call = rule_set_.calls[index];
    if (call.shape != Call::Shape::kGeneral) {
      if (!EvaluateShaped(call, out)) return false;
    } else {
      Value arguments[4];
      for (size_t i = 0; i < call.arguments.size(); ++i) {
        if (!EvaluateExpression(call.arguments[i], &arguments[i])) return false;
      }
      std::string error;
      if (!CallStandardFunction(call.function, arguments, call.has_path ? &call.path : nullptr, context_, out,
                                &error)) {
        return Fail(std::move(error));
      }
    }
    if (call.assign >= 0) {
      if (present_[call.assign]) {
        return Fail("Assignment " + rule_set_.slot_names[call.assign] +
                    " already exists in scoped variables and cannot be overwritten");
      }
      scope_[call.assign] = *out;
      present_[call.assign] = 1;
      assigned_.push_back(call.assign);
    }
    return true;
  }

  bool EvaluateExpression(const Expression& expression, Value* out) {
    switch (expression.kind) {
      case Expression::Kind::kLiteral:
        *out = expression.literal;
        return true;
      case Expression::Kind::kReference:
        *out = scope_[expression.slot];
        return true;
      case Expression::Kind::kCall:
        return EvaluateCall(expression.index, out);
      case Expression::Kind::kTemplate: {
        std::string text;
        if (!RenderTemplate(expression.index, &text)) return false;
        *out = Value::String(arena_.Store(std::move(text)));
        return true;
      }
    }
    return false;
  }

  bool RenderTemplate(uint32_t index, std::string* out) {
    for (const TemplatePiece& piece : rule_set_.templates[index]) {
      out->append(piece.literal);
      if (piece.slot < 0) continue;
      if (!present_[piece.slot]) {
        return Fail("template variable \"" + std::string(piece.variable) + "\" is not set");
      }
      Value value = scope_[piece.slot];
      for (std::string_view key : piece.keys) {
        const Value* field = value.Find(key);
        if (field == nullptr) {
          return Fail("template variable \"" + std::string(piece.variable) + "\" has no attribute \"" +
                      std::string(key) + "\"");
        }
        value = *field;
      }
      AppendPythonStr(value, out);
    }
    return true;
  }

  bool BuildProperties(const PropertyNode& node, nlohmann::json* out) {
    switch (node.kind) {
      case PropertyNode::Kind::kLiteral:
        *out = node.literal;
        return true;
      case PropertyNode::Kind::kTemplate: {
        std::string text;
        if (!RenderTemplate(node.template_index, &text)) return false;
        *out = std::move(text);
        return true;
      }
      case PropertyNode::Kind::kArray:
        *out = nlohmann::json::array();
        for (const PropertyNode& item : node.items) {
          nlohmann::json built;
          if (!BuildProperties(item, &built)) return false;
          out->push_back(std::move(built));
        }
        return true;
      case PropertyNode::Kind::kObject:
        *out = nlohmann::json::object();
        for (const auto& [key, field] : node.fields) {
          if (!BuildProperties(field, &(*out)[key])) return false;
        }
        return true;
    }
    return false;
  }

  bool BuildEndpoint(const EndpointSpec& spec) {
    Value url;
    if (!EvaluateExpression(spec.url, &url)) return false;
    if (!url.is_string()) return Fail("the endpoint URL is " + PythonStr(url) + ", not a string");
    result_.url = std::string(url.str());
    for (const auto& [name, expressions] : spec.headers) {
      std::vector<std::string> values;
      for (const Expression& expression : expressions) {
        Value value;
        if (!EvaluateExpression(expression, &value)) return false;
        values.push_back(PythonStr(value));
      }
      result_.headers.emplace_back(name, std::move(values));
    }
    if (!BuildProperties(spec.properties, &result_.properties)) return false;
    result_.auth_schemes = ParseAuthSchemes(result_.properties);
    return true;
  }

  const CompiledRuleSet& rule_set_;
  std::vector<Value>& scope_;
  std::vector<uint8_t>& present_;
  std::vector<int>& assigned_;
  ValueArena& arena_;
  FunctionContext context_;
  std::span<const ParamRef> params_;
  std::string message_;
  ResolvedEndpoint result_;
};

absl::StatusOr<ResolvedEndpoint> Evaluate(const CompiledRuleSet& rule_set, std::span<const ParamRef> params) {
  thread_local Scratch scratch;
  if (scratch.busy) {
    // Only a resolver called from inside a resolution would get here; it
    // gets storage of its own.
    Scratch own;
    own.busy = true;
    return Evaluation(rule_set, own).Run(params);
  }
  scratch.busy = true;
  absl::StatusOr<ResolvedEndpoint> result = Evaluation(rule_set, scratch).Run(params);
  scratch.busy = false;
  return result;
}

}  // namespace

absl::StatusOr<ResolvedEndpoint> EvaluateRuleSet(const CompiledRuleSet& rule_set, std::span<const ParamRef> params) {
  return Evaluate(rule_set, params);
}

absl::StatusOr<ResolvedEndpoint> EvaluateRuleSet(const CompiledRuleSet& rule_set, const EndpointParams& params) {
  absl::InlinedVector<ParamRef, 16> refs;
  for (const auto& [name, value] : params) refs.push_back(ParamRef{name, &value});
  return Evaluate(rule_set, refs);
}

}  // namespace awsd::endpoints
