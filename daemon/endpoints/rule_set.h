#pragma once

// The compiled form of an endpoint rule set, as rule_set_compiler builds it
// and rule_evaluator runs it. Names are resolved to slots, function names to
// an enum, templates and getAttr paths are split once, and literals are
// Values, so evaluation never looks at JSON or compares a name.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "daemon/endpoints/endpoint.h"
#include "daemon/endpoints/partitions.h"
#include "daemon/endpoints/value.h"
#include "nlohmann/json.hpp"

namespace awsd::endpoints {

enum class Function : uint8_t {
  kIsSet,
  kNot,
  kGetAttr,
  kStringEquals,
  kBooleanEquals,
  kSubstring,
  kUriEncode,
  kParseUrl,
  kIsValidHostLabel,
  kPartition,
  kParseArn,
  kIsVirtualHostableS3Bucket,
};

// A getAttr path, split as botocore splits it: "a.b[2]" is {a}, {b, index 2}.
// A step with an index ends the walk (botocore returns there).
struct AttrStep {
  std::string_view name;  // may be empty before an index ("[0]")
  bool has_index = false;
  uint64_t index = 0;  // saturated: larger than any length
};
using AttrPath = std::vector<AttrStep>;

// "{Region}.{url#authority}": literal text and references. A reference is a
// variable slot and the record keys to follow ("url" then "authority").
struct TemplatePiece {
  std::string_view literal;
  int slot = -1;  // -1: literal only
  std::string_view variable;
  std::vector<std::string_view> keys;
};
using Template = std::vector<TemplatePiece>;

struct Expression {
  enum class Kind : uint8_t { kLiteral, kReference, kCall, kTemplate };
  Kind kind = Kind::kLiteral;
  Value literal;       // kLiteral
  int slot = -1;       // kReference
  uint32_t index = 0;  // kCall: into calls; kTemplate: into templates
};

struct Call {
  // Forms common enough to be run without the general argument handling:
  // isSet(ref), booleanEquals(x, true|false), stringEquals(x, "literal"),
  // getAttr(ref, "key"). Most conditions of the real rule sets are one.
  enum class Shape : uint8_t { kGeneral, kIsSetRef, kBooleanEqualsLiteral, kStringEqualsLiteral, kGetAttrRefKey };

  Function function = Function::kIsSet;
  std::vector<Expression> arguments;
  int assign = -1;  // slot, or -1
  Shape shape = Shape::kGeneral;
  uint8_t other = 0;  // kBooleanEquals/kStringEqualsLiteral: the argument that is not the literal
  // getAttr with a literal path: split at compile time.
  bool has_path = false;
  AttrPath path;
};

struct PropertyField;

// Endpoint properties: JSON in which string values may be templates.
struct PropertyNode {
  enum class Kind : uint8_t { kLiteral, kTemplate, kArray, kObject };
  Kind kind = Kind::kLiteral;
  nlohmann::json literal;  // kLiteral: a subtree without templates
  uint32_t template_index = 0;
  std::vector<PropertyNode> items;
  std::vector<PropertyField> fields;
};

// One member of a kObject node. A struct, not a std::pair: clang 14 refuses a
// pair of the still incomplete PropertyNode inside PropertyNode.
struct PropertyField {
  std::string key;
  PropertyNode node;
};

struct EndpointSpec {
  Expression url;
  std::vector<std::pair<std::string, std::vector<Expression>>> headers;
  PropertyNode properties;
};

struct Rule {
  enum class Type : uint8_t { kEndpoint, kError, kTree };
  Type type = Type::kError;
  std::vector<uint32_t> conditions;  // into calls
  std::vector<uint32_t> children;    // kTree: into rules
  uint32_t endpoint = 0;             // kEndpoint: into endpoints
  Expression error;                  // kError
};

struct CompiledRuleSet {
  std::shared_ptr<const Partitions> partitions;
  std::vector<ParameterDefinition> parameters;
  // Slot i < parameters.size() is parameters[i]; later slots are names only
  // referenced or assigned.
  std::vector<std::string> slot_names;
  absl::flat_hash_map<std::string, int> slot_by_name;
  // Parameter defaults as Values (None when there is none).
  std::vector<Value> defaults;
  std::vector<Call> calls;
  std::vector<Template> templates;
  std::vector<EndpointSpec> endpoints;
  std::vector<Rule> rules;
  std::vector<uint32_t> top_level;  // into rules
  ValueArena storage;               // literal strings, arrays, records
};

}  // namespace awsd::endpoints
