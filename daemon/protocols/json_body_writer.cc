#include "daemon/protocols/json_body_writer.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "daemon/protocols/python_compat.h"
#include "simdjson.h"

namespace awsd::protocols::json {
namespace {

using model::Member;
using model::Shape;
using model::ShapeType;
using Element = simdjson::dom::element;
using Type = simdjson::dom::element_type;

// Where a value sits, for error messages only: built as the walk descends,
// turned into text only when something is wrong.
struct PathNode {
  const PathNode* parent;
  std::string_view name;  // a member or map key; empty for a list index
  std::size_t index;
};

std::string PathText(const PathNode* node) {
  std::vector<const PathNode*> nodes;
  for (; node != nullptr; node = node->parent) nodes.push_back(node);
  std::string out;
  for (auto it = nodes.rbegin(); it != nodes.rend(); ++it) {
    if ((*it)->name.empty()) {
      absl::StrAppend(&out, "[", (*it)->index, "]");
    } else {
      absl::StrAppend(&out, out.empty() ? "" : ".", std::string((*it)->name));
    }
  }
  return out;
}

const char* TypeName(Element e) {
  switch (e.type()) {
    case Type::OBJECT:
      return "object";
    case Type::ARRAY:
      return "array";
    case Type::STRING:
      return "string";
    case Type::BOOL:
      return "boolean";
    case Type::NULL_VALUE:
      return "null";
    default:
      return "number";
  }
}

absl::Status BadWire(const PathNode* path, absl::string_view what) {
  const std::string where = PathText(path);
  return absl::DataLossError(
      absl::StrCat("unexpected response value for ", where.empty() ? "the output" : where, ": ", std::string(what)));
}

// A scalar as a Value, for the conversions botocore's parsers apply to them.
Value ScalarValue(Element e) {
  switch (e.type()) {
    case Type::STRING:
      return std::string(e.get_string().value_unsafe());
    case Type::INT64:
      return e.get_int64().value_unsafe();
    case Type::UINT64:
      return e.get_uint64().value_unsafe();
    case Type::DOUBLE:
      return e.get_double().value_unsafe();
    case Type::BOOL:
      return e.get_bool().value_unsafe();
    default:
      return nullptr;
  }
}

class Walker {
 public:
  Walker(const ParseContext& context, ResultWriter& writer)
      : context_(context), writer_(writer), rest_(context.dialect == Dialect::kRestJson) {}

  absl::Status Members(const Shape& shape, simdjson::dom::object object, int depth, const PathNode* path) {
    // A Python dict keeps the last of repeated keys.
    std::vector<Element> values(shape.members.size());
    std::vector<bool> present(shape.members.size(), false);
    for (auto field : object) {
      for (std::size_t i = 0; i < shape.members.size(); ++i) {
        if (shape.members[i].wire_name() == field.key) {
          values[i] = field.value;
          present[i] = true;
          break;
        }
      }
    }
    for (std::size_t i = 0; i < shape.members.size(); ++i) {
      if (!present[i] || values[i].is_null()) continue;
      const Member& member = shape.members[i];
      const PathNode node{path, member.name, 0};
      writer_.Key(member.name);
      if (absl::Status s = Shape_(*member.shape, values[i], depth + 1, &node); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

  absl::Status Structure(const Shape& shape, Element wire, int depth, const PathNode* path) {
    if (shape.is_document) return Document(wire, depth, path);
    if (wire.is_null()) {
      writer_.Null();
      return absl::OkStatus();
    }
    simdjson::dom::object object;
    if (wire.get_object().get(object) != simdjson::SUCCESS) {
      return BadWire(path, absl::StrCat("expected an object, got ", TypeName(wire)));
    }
    if (shape.is_union) {
      // botocore's _has_unknown_tagged_union_member.
      int set = 0;
      std::string_view tag;
      std::string_view first;
      bool have_first = false;
      for (auto field : object) {
        if (!have_first) first = field.key, have_first = true;
        if (field.key == "__type" || field.value.is_null()) continue;
        if (set == 0) tag = field.key;
        ++set;
      }
      if (set != 1) {
        return BadWire(
            path, absl::StrCat("Invalid service response: ", shape.name, " must have one and only one member set."));
      }
      bool known = false;
      for (const Member& m : shape.members) known = known || m.wire_name() == tag;
      if (!known) {
        writer_.BeginObject();
        writer_.Key("SDK_UNKNOWN_MEMBER");
        writer_.BeginObject();
        writer_.Key("name");
        writer_.String(first);
        writer_.EndObject();
        writer_.EndObject();
        return absl::OkStatus();
      }
    }
    writer_.BeginObject();
    if (absl::Status s = Members(shape, object, depth, path); !s.ok()) return s;
    writer_.EndObject();
    return absl::OkStatus();
  }

  absl::Status Shape_(const Shape& shape, Element wire, int depth, const PathNode* path) {
    if (depth > kMaxDepth) return BadWire(path, "nested too deeply");
    switch (shape.type) {
      case ShapeType::kStructure:
        return Structure(shape, wire, depth, path);
      case ShapeType::kList: {
        simdjson::dom::array items;
        if (wire.get_array().get(items) != simdjson::SUCCESS) {
          return BadWire(path, absl::StrCat("expected a list, got ", TypeName(wire)));
        }
        writer_.BeginArray();
        std::size_t i = 0;
        for (Element item : items) {
          const PathNode node{path, {}, i++};
          if (item.is_null()) {
            writer_.Null();  // lists are sparse: a null element stays
            continue;
          }
          if (absl::Status s = Shape_(*shape.member.shape, item, depth + 1, &node); !s.ok()) return s;
        }
        writer_.EndArray();
        return absl::OkStatus();
      }
      case ShapeType::kMap:
        return Map(shape, wire, depth, path);
      case ShapeType::kBlob: {
        std::string_view text;
        if (wire.get_string().get(text) != simdjson::SUCCESS) {
          return BadWire(path, absl::StrCat("expected base64 text, got ", TypeName(wire)));
        }
        for (const char c : text) {
          if (static_cast<unsigned char>(c) >= 0x80) return BadWire(path, "base64 text must be ASCII");
        }
        absl::StatusOr<std::string> bytes = py::B64Decode(text);
        if (!bytes.ok()) return BadWire(path, bytes.status().message());
        writer_.Blob(*bytes);
        return absl::OkStatus();
      }
      case ShapeType::kTimestamp: {
        const Value scalar = ScalarValue(wire);
        const Value number = scalar.is_boolean() ? Value(scalar.get<bool>() ? 1 : 0) : scalar;
        absl::StatusOr<Timestamp> t = TimestampFromJson(number);
        if (!t.ok()) return BadWire(path, t.status().message());
        writer_.Write(TimestampResult(*t, scalar, context_.timestamps));
        return absl::OkStatus();
      }
      case ShapeType::kBoolean:
        if (!rest_ || wire.is_bool()) return Scalar(wire);
        if (wire.is_string()) {
          writer_.Bool(absl::AsciiStrToLower(std::string(wire.get_string().value_unsafe())) == "true");
        } else {
          writer_.Bool(false);
        }
        return absl::OkStatus();
      case ShapeType::kInteger:
      case ShapeType::kLong: {
        if (!rest_) return Scalar(wire);
        absl::StatusOr<Value> v = py::Int(ScalarValue(wire));
        if (!v.ok()) return BadWire(path, v.status().message());
        writer_.Write(*v);
        return absl::OkStatus();
      }
      case ShapeType::kFloat:
      case ShapeType::kDouble: {
        if (!rest_) return Scalar(wire);
        absl::StatusOr<double> v = py::Float(ScalarValue(wire));
        if (!v.ok()) return BadWire(path, v.status().message());
        writer_.Double(*v);
        return absl::OkStatus();
      }
      default:
        return Scalar(wire);
    }
  }

 private:
  // botocore's null map values (json_body.cc's NullMapValue): kept as null
  // or False where its handlers return something, dropped where they fail.
  bool KeepsNullMapValue(const Shape& value_shape) const {
    switch (value_shape.type) {
      case ShapeType::kList:
      case ShapeType::kMap:
      case ShapeType::kBlob:
      case ShapeType::kTimestamp:
        return false;
      case ShapeType::kInteger:
      case ShapeType::kLong:
      case ShapeType::kFloat:
      case ShapeType::kDouble:
        return !rest_;
      default:
        return true;
    }
  }

  absl::Status Map(const Shape& shape, Element wire, int depth, const PathNode* path) {
    simdjson::dom::object object;
    if (wire.get_object().get(object) != simdjson::SUCCESS) {
      return BadWire(path, absl::StrCat("expected an object, got ", TypeName(wire)));
    }
    // Repeated keys: Python keeps the first position and the last value.
    // Rare enough to hand to the reference path.
    if (object.size() > 1) {
      std::vector<std::string_view> keys;
      keys.reserve(object.size());
      for (auto field : object) keys.push_back(field.key);
      std::sort(keys.begin(), keys.end());
      if (std::adjacent_find(keys.begin(), keys.end()) != keys.end()) {
        return absl::UnimplementedError("repeated map keys");
      }
    }
    writer_.BeginObject();
    for (auto field : object) {
      const PathNode node{path, field.key, 0};
      if (field.value.is_null()) {
        if (!KeepsNullMapValue(*shape.value.shape)) continue;
        writer_.Key(field.key);
        if (rest_ && shape.value.shape->type == ShapeType::kBoolean) {
          writer_.Bool(false);
        } else {
          writer_.Null();
        }
        continue;
      }
      writer_.Key(field.key);
      if (absl::Status s = Shape_(*shape.value.shape, field.value, depth + 1, &node); !s.ok()) return s;
    }
    writer_.EndObject();
    return absl::OkStatus();
  }

  absl::Status Document(Element wire, int depth, const PathNode* path) {
    if (depth > kMaxDepth) return BadWire(path, "nested too deeply");
    switch (wire.type()) {
      case Type::OBJECT: {
        writer_.BeginObject();
        const simdjson::dom::object object = wire.get_object().value_unsafe();
        for (auto field : object) {
          writer_.Key(field.key);
          if (absl::Status s = Document(field.value, depth + 1, path); !s.ok()) return s;
        }
        writer_.EndObject();
        return absl::OkStatus();
      }
      case Type::ARRAY: {
        writer_.BeginArray();
        simdjson::dom::array items = wire.get_array().value_unsafe();
        for (Element item : items) {
          if (absl::Status s = Document(item, depth + 1, path); !s.ok()) return s;
        }
        writer_.EndArray();
        return absl::OkStatus();
      }
      default:
        return Scalar(wire);
    }
  }

  absl::Status Scalar(Element wire) {
    switch (wire.type()) {
      case Type::STRING:
        writer_.String(wire.get_string().value_unsafe());
        break;
      case Type::INT64:
        writer_.Int(wire.get_int64().value_unsafe());
        break;
      case Type::UINT64:
        writer_.UInt(wire.get_uint64().value_unsafe());
        break;
      case Type::DOUBLE:
        writer_.Double(wire.get_double().value_unsafe());
        break;
      case Type::BOOL:
        writer_.Bool(wire.get_bool().value_unsafe());
        break;
      case Type::NULL_VALUE:
        writer_.Null();
        break;
      default:
        return Document(wire, 0, nullptr);  // a container where a scalar was modelled: as it came
    }
    return absl::OkStatus();
  }

  const ParseContext& context_;
  ResultWriter& writer_;
  const bool rest_;
};

}  // namespace

absl::Status WriteStructureMembers(const Shape& shape, std::string_view body, const ParseContext& context,
                                   ResultWriter& writer) {
  if (body.empty()) return absl::OkStatus();
  thread_local simdjson::dom::parser parser;
  Element root;
  if (parser.parse(body.data(), body.size()).get(root) != simdjson::SUCCESS) {
    return absl::UnimplementedError("not a document simdjson takes");  // the reference parser decides
  }
  simdjson::dom::object object;
  if (root.get_object().get(object) != simdjson::SUCCESS) {
    return absl::UnimplementedError("not an object");  // the reference parser words the error
  }
  return Walker(context, writer).Members(shape, object, 0, nullptr);
}

}  // namespace awsd::protocols::json
