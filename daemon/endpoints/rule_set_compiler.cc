#include "daemon/endpoints/rule_set_compiler.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "awsd/xform_name.h"

namespace awsd::endpoints {
namespace {

using json = nlohmann::json;

bool IsWordByte(char c) {
  const unsigned char u = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || u >= 0x80;
}

// TEMPLATE_STRING_RE = r"\{[a-zA-Z#]+\}": only such strings are templates;
// any other string is used as written, braces and all.
bool IsTemplate(std::string_view text) {
  for (size_t open = text.find('{'); open != std::string_view::npos; open = text.find('{', open + 1)) {
    size_t i = open + 1;
    while (i < text.size() &&
           ((text[i] >= 'a' && text[i] <= 'z') || (text[i] >= 'A' && text[i] <= 'Z') || text[i] == '#')) {
      ++i;
    }
    if (i > open + 1 && i < text.size() && text[i] == '}') return true;
  }
  return false;
}

struct FunctionInfo {
  std::string_view python_name;  // RuleSetStandardLibrary's method
  Function function;
  size_t arity;
};

constexpr FunctionInfo kFunctions[] = {
    {"is_set", Function::kIsSet, 1},
    {"_not", Function::kNot, 1},
    {"get_attr", Function::kGetAttr, 2},
    {"string_equals", Function::kStringEquals, 2},
    {"boolean_equals", Function::kBooleanEquals, 2},
    {"substring", Function::kSubstring, 4},
    {"uri_encode", Function::kUriEncode, 1},
    {"parse_url", Function::kParseUrl, 1},
    {"is_valid_host_label", Function::kIsValidHostLabel, 2},
    {"aws_partition", Function::kPartition, 1},
    {"aws_parse_arn", Function::kParseArn, 1},
    {"aws_is_virtual_hostable_s3_bucket", Function::kIsVirtualHostableS3Bucket, 2},
};

// RuleSetStandardLibrary.convert_func_name, then the method lookup.
const FunctionInfo* FindFunction(std::string_view name) {
  std::string python_name = XformName(name);
  if (python_name == "not") python_name = "_not";
  for (char& c : python_name) {
    if (c == '.') c = '_';
  }
  for (const FunctionInfo& info : kFunctions) {
    if (info.python_name == python_name) return &info;
  }
  return nullptr;
}

// Python's truth value of a JSON value (botocore tests `if self.required`).
bool JsonTruthy(const json& value) {
  switch (value.type()) {
    case json::value_t::null:
      return false;
    case json::value_t::boolean:
      return value.get<bool>();
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return value.get<double>() != 0;
    case json::value_t::string:
      return !value.get_ref<const std::string&>().empty();
    default:
      return !value.empty();
  }
}

bool JsonDeeperThan(const json& value, int limit) {
  if (limit < 0) return true;
  if (value.is_array() || value.is_object()) {
    for (const json& child : value) {
      if (JsonDeeperThan(child, limit - 1)) return true;
    }
  }
  return false;
}

class Compiler {
 public:
  Compiler(CompiledRuleSet* out) : out_(out) {}

  absl::Status Compile(const json& rule_set) {
    if (!rule_set.is_object()) return Error("rule set", "is not a JSON object");
    const auto parameters = rule_set.find("parameters");
    if (parameters == rule_set.end() || !parameters->is_object()) {
      return Error("rule set", "has no \"parameters\" object");
    }
    const auto rules = rule_set.find("rules");
    if (rules == rule_set.end() || !rules->is_array()) return Error("rule set", "has no \"rules\" array");
    if (absl::Status status = CompileParameters(*parameters); !status.ok()) return status;
    for (size_t i = 0; i < rules->size(); ++i) {
      absl::StatusOr<uint32_t> rule = CompileRule((*rules)[i], "rules[" + std::to_string(i) + "]", 0);
      if (!rule.ok()) return rule.status();
      out_->top_level.push_back(*rule);
    }
    return absl::OkStatus();
  }

 private:
  static absl::Status Error(const std::string& where, std::string_view what) {
    return absl::InvalidArgumentError("invalid endpoint rule set: " + where + ": " + std::string(what));
  }

  int Slot(std::string_view name) {
    const auto it = out_->slot_by_name.find(absl::string_view(name.data(), name.size()));
    if (it != out_->slot_by_name.end()) return it->second;
    const int slot = static_cast<int>(out_->slot_names.size());
    out_->slot_names.emplace_back(name);
    out_->slot_by_name.emplace(std::string(name), slot);
    return slot;
  }

  absl::Status CompileParameters(const json& parameters) {
    for (auto it = parameters.begin(); it != parameters.end(); ++it) {
      const std::string where = "parameters." + it.key();
      const json& spec = it.value();
      if (!spec.is_object()) return Error(where, "is not an object");
      const auto type = spec.find("type");
      if (type == spec.end() || !type->is_string()) return Error(where, "has no string \"type\"");
      ParameterDefinition definition;
      definition.name = it.key();
      const std::string type_name = absl::AsciiStrToLower(type->get<std::string>());
      if (type_name == "string") {
        definition.type = ParameterType::kString;
      } else if (type_name == "boolean") {
        definition.type = ParameterType::kBoolean;
      } else if (type_name == "stringarray") {
        definition.type = ParameterType::kStringArray;
      } else {
        return Error(where, "unknown parameter type \"" + type->get<std::string>() +
                                "\" (a parameter must be of type string, boolean, or stringArray)");
      }
      if (const auto builtin = spec.find("builtIn"); builtin != spec.end() && !builtin->is_null()) {
        if (!builtin->is_string()) return Error(where, "\"builtIn\" is not a string");
        definition.builtin = builtin->get<std::string>();
      }
      if (const auto required = spec.find("required"); required != spec.end()) {
        definition.required = JsonTruthy(*required);
      }
      definition.deprecated = spec.contains("deprecated") && !spec["deprecated"].is_null();
      Value default_value;
      if (const auto value = spec.find("default"); value != spec.end() && !value->is_null()) {
        if (JsonDeeperThan(*value, kMaxRuleSetDepth)) return Error(where, "default nested too deeply");
        default_value = out_->storage.FromJson(*value);
        if (value->is_string()) {
          definition.default_value = value->get<std::string>();
        } else if (value->is_boolean()) {
          definition.default_value = value->get<bool>();
        } else if (value->is_array() &&
                   std::all_of(value->begin(), value->end(), [](const json& item) { return item.is_string(); })) {
          definition.default_value = value->get<std::vector<std::string>>();
        }
      }
      const int slot = Slot(definition.name);
      if (slot != static_cast<int>(out_->parameters.size())) return Error(where, "is defined twice");
      out_->parameters.push_back(std::move(definition));
      out_->defaults.push_back(default_value);
    }
    return absl::OkStatus();
  }

  absl::StatusOr<uint32_t> CompileRule(const json& rule, const std::string& where, int depth) {
    if (depth > kMaxRuleSetDepth) return Error(where, "rules nested too deeply");
    if (!rule.is_object()) return Error(where, "is not an object");
    const auto type = rule.find("type");
    if (type == rule.end() || !type->is_string()) return Error(where, "has no string \"type\"");
    const auto conditions = rule.find("conditions");
    if (conditions == rule.end() || !conditions->is_array()) return Error(where, "has no \"conditions\" array");

    Rule compiled;
    for (size_t i = 0; i < conditions->size(); ++i) {
      const std::string condition_where = where + ".conditions[" + std::to_string(i) + "]";
      const json& condition = (*conditions)[i];
      if (!condition.is_object() || !condition.contains("fn")) {
        return Error(condition_where, "a condition must be a function call ({\"fn\": ..., \"argv\": [...]})");
      }
      absl::StatusOr<uint32_t> call = CompileCall(condition, condition_where, depth + 1);
      if (!call.ok()) return call.status();
      compiled.conditions.push_back(*call);
    }

    const std::string type_name = type->get<std::string>();
    if (type_name == "endpoint") {
      compiled.type = Rule::Type::kEndpoint;
      const auto endpoint = rule.find("endpoint");
      if (endpoint == rule.end() || !endpoint->is_object()) return Error(where, "has no \"endpoint\" object");
      absl::StatusOr<uint32_t> spec = CompileEndpoint(*endpoint, where + ".endpoint", depth + 1);
      if (!spec.ok()) return spec.status();
      compiled.endpoint = *spec;
    } else if (type_name == "error") {
      compiled.type = Rule::Type::kError;
      const auto error = rule.find("error");
      if (error == rule.end()) return Error(where, "has no \"error\"");
      absl::StatusOr<Expression> message = CompileExpression(*error, where + ".error", depth + 1);
      if (!message.ok()) return message.status();
      compiled.error = *std::move(message);
    } else if (type_name == "tree") {
      compiled.type = Rule::Type::kTree;
      const auto children = rule.find("rules");
      if (children == rule.end() || !children->is_array()) return Error(where, "has no \"rules\" array");
      for (size_t i = 0; i < children->size(); ++i) {
        absl::StatusOr<uint32_t> child =
            CompileRule((*children)[i], where + ".rules[" + std::to_string(i) + "]", depth + 1);
        if (!child.ok()) return child.status();
        compiled.children.push_back(*child);
      }
    } else {
      return Error(where, "unknown rule type \"" + type_name + "\" (a rule must be of type tree, endpoint or error)");
    }
    out_->rules.push_back(std::move(compiled));
    return static_cast<uint32_t>(out_->rules.size() - 1);
  }

  absl::StatusOr<uint32_t> CompileEndpoint(const json& endpoint, const std::string& where, int depth) {
    EndpointSpec spec;
    const auto url = endpoint.find("url");
    if (url == endpoint.end()) return Error(where, "has no \"url\"");
    absl::StatusOr<Expression> url_expression = CompileExpression(*url, where + ".url", depth + 1);
    if (!url_expression.ok()) return url_expression.status();
    spec.url = *std::move(url_expression);

    if (const auto headers = endpoint.find("headers"); headers != endpoint.end() && !headers->is_null()) {
      if (!headers->is_object()) return Error(where + ".headers", "is not an object");
      for (auto it = headers->begin(); it != headers->end(); ++it) {
        const std::string header_where = where + ".headers." + it.key();
        if (!it.value().is_array()) return Error(header_where, "is not an array of values");
        std::vector<Expression> values;
        for (size_t i = 0; i < it.value().size(); ++i) {
          absl::StatusOr<Expression> value =
              CompileExpression(it.value()[i], header_where + "[" + std::to_string(i) + "]", depth + 1);
          if (!value.ok()) return value.status();
          values.push_back(*std::move(value));
        }
        spec.headers.emplace_back(it.key(), std::move(values));
      }
    }

    json properties = json::object();
    if (const auto found = endpoint.find("properties"); found != endpoint.end()) properties = *found;
    absl::StatusOr<PropertyNode> node = CompileProperties(properties, where + ".properties", depth + 1);
    if (!node.ok()) return node.status();
    spec.properties = *std::move(node);

    out_->endpoints.push_back(std::move(spec));
    return static_cast<uint32_t>(out_->endpoints.size() - 1);
  }

  // EndpointRule.resolve_properties: lists and objects are walked, template
  // strings filled in, everything else (references and calls included) kept
  // as written.
  absl::StatusOr<PropertyNode> CompileProperties(const json& value, const std::string& where, int depth) {
    if (depth > kMaxRuleSetDepth) return Error(where, "properties nested too deeply");
    PropertyNode node;
    if (value.is_string() && IsTemplate(value.get_ref<const std::string&>())) {
      absl::StatusOr<uint32_t> index = CompileTemplate(value.get_ref<const std::string&>(), where);
      if (!index.ok()) return index.status();
      node.kind = PropertyNode::Kind::kTemplate;
      node.template_index = *index;
      return node;
    }
    if (value.is_array() || value.is_object()) {
      bool has_template = false;
      if (value.is_array()) {
        node.kind = PropertyNode::Kind::kArray;
        for (size_t i = 0; i < value.size(); ++i) {
          absl::StatusOr<PropertyNode> item =
              CompileProperties(value[i], where + "[" + std::to_string(i) + "]", depth + 1);
          if (!item.ok()) return item.status();
          has_template |= item->kind != PropertyNode::Kind::kLiteral;
          node.items.push_back(*std::move(item));
        }
      } else {
        node.kind = PropertyNode::Kind::kObject;
        for (auto it = value.begin(); it != value.end(); ++it) {
          absl::StatusOr<PropertyNode> field = CompileProperties(it.value(), where + "." + it.key(), depth + 1);
          if (!field.ok()) return field.status();
          has_template |= field->kind != PropertyNode::Kind::kLiteral;
          node.fields.push_back({it.key(), *std::move(field)});
        }
      }
      if (has_template) return node;
      // No template below: copy the subtree whole at evaluation.
      PropertyNode literal;
      literal.literal = value;
      return literal;
    }
    node.literal = value;
    return node;
  }

  absl::StatusOr<Expression> CompileExpression(const json& value, const std::string& where, int depth) {
    if (depth > kMaxRuleSetDepth) return Error(where, "expressions nested too deeply");
    Expression expression;
    if (value.is_object() && value.contains("fn")) {
      absl::StatusOr<uint32_t> call = CompileCall(value, where, depth + 1);
      if (!call.ok()) return call.status();
      expression.kind = Expression::Kind::kCall;
      expression.index = *call;
      return expression;
    }
    if (value.is_object() && value.contains("ref")) {
      const json& ref = value["ref"];
      if (!ref.is_string()) return Error(where, "\"ref\" is not a string");
      expression.kind = Expression::Kind::kReference;
      expression.slot = Slot(ref.get_ref<const std::string&>());
      return expression;
    }
    if (value.is_string() && IsTemplate(value.get_ref<const std::string&>())) {
      absl::StatusOr<uint32_t> index = CompileTemplate(value.get_ref<const std::string&>(), where);
      if (!index.ok()) return index.status();
      expression.kind = Expression::Kind::kTemplate;
      expression.index = *index;
      return expression;
    }
    if (JsonDeeperThan(value, kMaxRuleSetDepth - depth)) return Error(where, "literal nested too deeply");
    expression.kind = Expression::Kind::kLiteral;
    expression.literal = out_->storage.FromJson(value);
    return expression;
  }

  absl::StatusOr<uint32_t> CompileCall(const json& value, const std::string& where, int depth) {
    if (depth > kMaxRuleSetDepth) return Error(where, "function calls nested too deeply");
    const json& fn = value["fn"];
    if (!fn.is_string()) return Error(where, "\"fn\" is not a string");
    const auto argv = value.find("argv");
    if (argv == value.end() || !argv->is_array()) return Error(where, "has no \"argv\" array");
    const FunctionInfo* info = FindFunction(fn.get_ref<const std::string&>());
    if (info == nullptr) return Error(where, "unknown function \"" + fn.get<std::string>() + "\"");
    if (argv->size() != info->arity) {
      return Error(where, fn.get<std::string>() + " takes " + std::to_string(info->arity) + " argument" +
                              (info->arity == 1 ? "" : "s") + ", not " + std::to_string(argv->size()));
    }
    Call call;
    call.function = info->function;
    for (size_t i = 0; i < argv->size(); ++i) {
      absl::StatusOr<Expression> argument =
          CompileExpression((*argv)[i], where + ".argv[" + std::to_string(i) + "]", depth + 1);
      if (!argument.ok()) return argument.status();
      call.arguments.push_back(*std::move(argument));
    }
    if (call.function == Function::kGetAttr && call.arguments[1].kind == Expression::Kind::kLiteral &&
        call.arguments[1].literal.is_string()) {
      call.has_path = true;
      call.path = ParseAttrPath(call.arguments[1].literal.str());
    }
    const auto is_literal = [&](size_t i, Value::Kind kind) {
      return call.arguments[i].kind == Expression::Kind::kLiteral && call.arguments[i].literal.kind == kind;
    };
    switch (call.function) {
      case Function::kIsSet:
        if (call.arguments[0].kind == Expression::Kind::kReference) call.shape = Call::Shape::kIsSetRef;
        break;
      case Function::kBooleanEquals:
      case Function::kStringEquals: {
        const Value::Kind kind = call.function == Function::kBooleanEquals ? Value::Kind::kBool : Value::Kind::kString;
        const Call::Shape shape = call.function == Function::kBooleanEquals ? Call::Shape::kBooleanEqualsLiteral
                                                                            : Call::Shape::kStringEqualsLiteral;
        if (is_literal(1, kind)) {
          call.shape = shape;
          call.other = 0;
        } else if (is_literal(0, kind)) {
          call.shape = shape;
          call.other = 1;
        }
        break;
      }
      case Function::kGetAttr:
        if (call.arguments[0].kind == Expression::Kind::kReference && call.has_path && call.path.size() == 1 &&
            !call.path[0].has_index) {
          call.shape = Call::Shape::kGetAttrRefKey;
        }
        break;
      default:
        break;
    }
    if (const auto assign = value.find("assign"); assign != value.end()) {
      if (!assign->is_string()) return Error(where, "\"assign\" is not a string");
      call.assign = Slot(assign->get_ref<const std::string&>());
    }
    out_->calls.push_back(std::move(call));
    return static_cast<uint32_t>(out_->calls.size() - 1);
  }

  // string.Formatter.parse as CPython 3.11 runs it (MarkupIterator_next and
  // parse_field): "{{" and "}}" are literal braces, a field runs to its '}',
  // its name stops at ':' or '!' (skipping over "[...]"), and the format
  // spec and conversion after it are ignored, as botocore ignores them.
  absl::StatusOr<uint32_t> CompileTemplate(const std::string& text, const std::string& where) {
    Template pieces;
    std::string literal;
    size_t i = 0;
    const size_t n = text.size();
    const auto fail = [&](std::string_view what) {
      return Error(where, "template \"" + text + "\": " + std::string(what));
    };
    while (i < n) {
      const char c = text[i];
      if (c != '{' && c != '}') {
        literal.push_back(c);
        ++i;
        continue;
      }
      if (i + 1 < n && text[i + 1] == c) {
        literal.push_back(c);
        i += 2;
        continue;
      }
      if (c == '}') return fail("Single '}' encountered in format string");
      if (i + 1 >= n) return fail("Single '{' encountered in format string");
      // A field: the name runs to '}', ':' or '!'.
      size_t p = i + 1;
      char stop = 0;
      while (p < n) {
        const char d = text[p++];
        if (d == '{') return fail("unexpected '{' in field name");
        if (d == '[') {
          while (p < n && text[p] != ']') ++p;
          continue;
        }
        if (d == '}' || d == ':' || d == '!') {
          stop = d;
          break;
        }
      }
      const size_t name_end = stop == 0 ? n : p - 1;
      const std::string field_name = text.substr(i + 1, name_end - (i + 1));
      if (stop == '!' || stop == ':') {
        bool closed = false;
        if (stop == '!') {
          if (p >= n) return fail("end of string while looking for conversion specifier");
          ++p;  // the conversion character
          if (p < n) {
            const char d = text[p++];
            if (d == '}') closed = true;
            if (!closed && d != ':') return fail("expected ':' after conversion specifier");
          }
        }
        if (!closed) {
          int count = 1;
          while (p < n) {
            const char d = text[p++];
            if (d == '{') ++count;
            if (d == '}' && --count == 0) {
              closed = true;
              break;
            }
          }
          if (!closed) return fail("unmatched '{' in format spec");
        }
      } else if (stop != '}') {
        return fail("expected '}' before end of string");
      }
      TemplatePiece piece;
      piece.literal = out_->storage.Store(std::move(literal));
      literal.clear();
      // botocore: reference.split("#"), the first part a variable, the rest
      // keys into it.
      size_t start = 0;
      std::vector<std::string_view> parts;
      const std::string_view stored = out_->storage.Store(field_name);
      while (true) {
        const size_t hash = stored.find('#', start);
        parts.push_back(stored.substr(start, hash == std::string_view::npos ? std::string_view::npos : hash - start));
        if (hash == std::string_view::npos) break;
        start = hash + 1;
      }
      piece.variable = parts.front();
      piece.slot = Slot(parts.front());
      piece.keys.assign(parts.begin() + 1, parts.end());
      pieces.push_back(std::move(piece));
      i = p;
    }
    if (!literal.empty()) {
      TemplatePiece piece;
      piece.literal = out_->storage.Store(std::move(literal));
      pieces.push_back(std::move(piece));
    }
    out_->templates.push_back(std::move(pieces));
    return static_cast<uint32_t>(out_->templates.size() - 1);
  }

  CompiledRuleSet* out_;
};

}  // namespace

AttrPath ParseAttrPath(std::string_view path) {
  AttrPath steps;
  size_t start = 0;
  while (true) {
    const size_t dot = path.find('.', start);
    const std::string_view part =
        path.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    AttrStep step;
    step.name = part;
    // GET_ATTR_RE.search(part) with r"(\w*)\[(\d+)\]": the leftmost
    // word run followed by "[digits]".
    for (size_t from = 0; from < part.size();) {
      size_t q = from;
      while (q < part.size() && IsWordByte(part[q])) ++q;
      if (q < part.size() && part[q] == '[') {
        size_t d = q + 1;
        uint64_t index = 0;
        while (d < part.size() && part[d] >= '0' && part[d] <= '9') {
          index = index > (UINT64_MAX - 9) / 10 ? UINT64_MAX : index * 10 + (part[d] - '0');
          ++d;
        }
        if (d > q + 1 && d < part.size() && part[d] == ']') {
          step.name = part.substr(from, q - from);
          step.has_index = true;
          step.index = index;
          break;
        }
      }
      from = q > from ? q : from + 1;
    }
    steps.push_back(step);
    if (step.has_index || dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return steps;
}

absl::StatusOr<std::shared_ptr<const CompiledRuleSet>> CompileRuleSet(const nlohmann::json& rule_set,
                                                                      std::shared_ptr<const Partitions> partitions) {
  if (partitions == nullptr || partitions->size() == 0) {
    return absl::InvalidArgumentError("compiling an endpoint rule set needs the partitions data");
  }
  auto compiled = std::make_shared<CompiledRuleSet>();
  compiled->partitions = std::move(partitions);
  Compiler compiler(compiled.get());
  // nlohmann throws on type misuse; every access above checks types first,
  // and this keeps a missed case a clear error rather than an escape.
  try {
    if (absl::Status status = compiler.Compile(rule_set); !status.ok()) return status;
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(std::string("invalid endpoint rule set: ") + e.what());
  }
  return std::shared_ptr<const CompiledRuleSet>(std::move(compiled));
}

}  // namespace awsd::endpoints
