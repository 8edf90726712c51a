#include "daemon/protocols/param_validator.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "daemon/protocols/python_compat.h"
#include "daemon/protocols/timestamps.h"

namespace awsd::protocols {
namespace {

using model::Member;
using model::Shape;
using model::ShapeType;

// Python's type names, as botocore's messages print them.
std::string PythonType(const Value& v) {
  switch (v.type()) {
    case Value::value_t::null:
      return "<class 'NoneType'>";
    case Value::value_t::boolean:
      return "<class 'bool'>";
    case Value::value_t::number_integer:
    case Value::value_t::number_unsigned:
      return "<class 'int'>";
    case Value::value_t::number_float:
      return "<class 'float'>";
    case Value::value_t::string:
      return "<class 'str'>";
    case Value::value_t::binary:
      return "<class 'bytes'>";
    case Value::value_t::array:
      return "<class 'list'>";
    default:
      return "<class 'dict'>";
  }
}

// str(value) in Python: strings bare, containers as their repr. Nesting
// past kMaxReprDepth prints as "[...]" / "{...}", so that a hostile
// parameter cannot run the stack out through an error message.
constexpr int kMaxReprDepth = 64;

std::string PythonRepr(const Value& v, bool top, int depth = 0) {
  switch (v.type()) {
    case Value::value_t::null:
      return "None";
    case Value::value_t::boolean:
      return v.get<bool>() ? "True" : "False";
    case Value::value_t::string: {
      const std::string& s = v.get_ref<const std::string&>();
      return top ? s : "'" + s + "'";
    }
    case Value::value_t::binary:
      return "b'...'";
    case Value::value_t::array: {
      if (depth >= kMaxReprDepth) return "[...]";
      std::vector<std::string> items;
      for (const Value& item : v) items.push_back(PythonRepr(item, false, depth + 1));
      return "[" + absl::StrJoin(items, ", ") + "]";
    }
    case Value::value_t::object: {
      if (depth >= kMaxReprDepth) return "{...}";
      std::vector<std::string> items;
      for (auto it = v.begin(); it != v.end(); ++it) {
        items.push_back("'" + it.key() + "': " + PythonRepr(*it, false, depth + 1));
      }
      return "{" + absl::StrJoin(items, ", ") + "}";
    }
    default:
      return v.dump();
  }
}

// str() of a Python number: ints bare, floats as Python's repr ("3.0").
std::string NumberText(double value, bool is_float) {
  return is_float ? py::FloatRepr(value) : std::to_string(static_cast<long long>(value));
}

class Validator {
 public:
  std::vector<std::string> problems;

  void Validate(const Value& v, const Member& ref, const std::string& name) {
    if (!Enter(name)) return;
    ValidateShape(v, ref, name);
    --depth_;
  }

 private:
  // Recursive shapes and documents would otherwise let a caller's nesting
  // run the daemon's stack out.
  static constexpr int kMaxDepth = 128;
  int depth_ = 0;

  bool Enter(const std::string& name) {
    if (depth_ >= kMaxDepth) {
      if (problems.empty() || problems.back().rfind("Parameter nesting", 0) != 0) {
        problems.push_back(absl::StrCat("Parameter nesting deeper than ", kMaxDepth, " levels at ", Display(name)));
      }
      return false;
    }
    ++depth_;
    return true;
  }

  void ValidateShape(const Value& v, const Member& ref, const std::string& name) {
    const Shape& shape = *ref.shape;
    if (ref.traits.jsonvalue && ref.traits.location == model::Location::kHeader) return;  // any JSON value encodes
    if (shape.type == ShapeType::kStructure && shape.is_document) return ValidateDocument(v, name);
    switch (shape.type) {
      case ShapeType::kStructure:
        return ValidateStructure(v, shape, name);
      case ShapeType::kList:
        return ValidateList(v, ref, name);
      case ShapeType::kMap:
        return ValidateMap(v, shape, name);
      case ShapeType::kString:
        if (!TypeCheck(v, name, v.is_string(), "<class 'str'>")) return;
        return RangeCheck(name, static_cast<double>(Utf8Length(v.get_ref<const std::string&>())), false, ref,
                          "Invalid length", "valid min length");
      case ShapeType::kInteger:
      case ShapeType::kLong:
      case ShapeType::kShort:
      case ShapeType::kByte:
      case ShapeType::kBigInteger:
        // bool is an int in Python, so botocore lets it through.
        if (!TypeCheck(v, name, v.is_number_integer() || v.is_boolean(), "<class 'int'>")) return;
        return RangeCheck(name, v.get<double>(), false, ref, "Invalid value", "valid min value");
      case ShapeType::kFloat:
      case ShapeType::kDouble:
      case ShapeType::kBigDecimal:
        if (!TypeCheck(v, name, v.is_number() || v.is_boolean(),
                       "<class 'float'>, <class 'decimal.Decimal'>, <class 'int'>")) {
          return;
        }
        return RangeCheck(name, v.get<double>(), v.is_number_float(), ref, "Invalid value", "valid min value");
      case ShapeType::kBoolean:
        TypeCheck(v, name, v.is_boolean(), "<class 'bool'>");
        return;
      case ShapeType::kBlob:
        TypeCheck(v, name, v.is_binary() || v.is_string(), "<class 'bytes'>, <class 'bytearray'>, file-like object");
        return;
      case ShapeType::kTimestamp:
        TypeCheck(v, name, (v.is_number() || v.is_string()) && TimestampFromJson(v).ok(),
                  "<class 'datetime.datetime'>, timestamp-string");
        return;
    }
  }

  static std::string Display(const std::string& name) {
    if (name.empty()) return "input";
    return name[0] == '.' ? name.substr(1) : name;
  }

  static std::size_t Utf8Length(const std::string& s) {
    std::size_t n = 0;
    for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;  // code points, as len(str)
    return n;
  }

  bool TypeCheck(const Value& v, const std::string& name, bool ok, const char* valid) {
    if (!ok) {
      problems.push_back(absl::StrCat("Invalid type for parameter ", Display(name), ", value: ", PythonRepr(v, true),
                                      ", type: ", PythonType(v), ", valid types: ", valid));
    }
    return ok;
  }

  void RangeCheck(const std::string& name, double value, bool is_float, const Member& ref, const char* what,
                  const char* bound) {
    double min = -INFINITY;
    if (ref.shape->min) {
      min = *ref.shape->min;
    } else if (ref.traits.host_label) {
      min = 1;
    }
    if (value < min) {
      problems.push_back(absl::StrCat(what, " for parameter ", Display(name), ", value: ", NumberText(value, is_float),
                                      ", ", bound, ": ", NumberText(min, false)));
    }
  }

  void ValidateStructure(const Value& v, const Shape& shape, const std::string& name) {
    if (!TypeCheck(v, name, v.is_object(), "<class 'dict'>")) return;
    std::vector<std::string> member_names;
    for (const Member& m : shape.members) member_names.push_back(m.name);
    if (shape.is_union && v.size() != 1) {
      if (v.empty()) {
        problems.push_back(absl::StrCat("Must set one of the following keys for tagged union", "structure ",
                                        Display(name), ": ", absl::StrJoin(member_names, ", "), "."));
      } else {
        problems.push_back(absl::StrCat("Invalid number of parameters set for tagged union structure ", Display(name),
                                        ". Can only set one of the following keys: ", absl::StrJoin(member_names, ", "),
                                        "."));
      }
    }
    for (const std::string& required : shape.required) {
      if (!v.contains(required)) {
        problems.push_back(absl::StrCat("Missing required parameter in ", Display(name), ": \"", required, "\""));
      }
    }
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (shape.FindMember(it.key()) == nullptr) {
        problems.push_back(absl::StrCat("Unknown parameter in ", Display(name), ": \"", it.key(),
                                        "\", must be one of: ", absl::StrJoin(member_names, ", ")));
      }
    }
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (const Member* member = shape.FindMember(it.key())) Validate(*it, *member, name + "." + it.key());
    }
  }

  void ValidateList(const Value& v, const Member& ref, const std::string& name) {
    if (!TypeCheck(v, name, v.is_array(), "<class 'list'>, <class 'tuple'>")) return;
    RangeCheck(name, static_cast<double>(v.size()), false, ref, "Invalid length", "valid min length");
    for (std::size_t i = 0; i < v.size(); ++i) Validate(v[i], ref.shape->member, absl::StrCat(name, "[", i, "]"));
  }

  void ValidateMap(const Value& v, const Shape& shape, const std::string& name) {
    if (!TypeCheck(v, name, v.is_object(), "<class 'dict'>")) return;
    for (auto it = v.begin(); it != v.end(); ++it) {
      Validate(Value(it.key()), shape.key, absl::StrCat(name, " (key: ", it.key(), ")"));
      Validate(*it, shape.value, name + "." + it.key());
    }
  }

  void ValidateDocument(const Value& v, const std::string& name) {
    if (!Enter(name)) return;
    ValidateDocumentValue(v, name);
    --depth_;
  }

  void ValidateDocumentValue(const Value& v, const std::string& name) {
    if (v.is_object()) {
      for (auto it = v.begin(); it != v.end(); ++it) ValidateDocument(*it, it.key());
    } else if (v.is_array()) {
      for (std::size_t i = 0; i < v.size(); ++i) ValidateDocument(v[i], absl::StrCat(name, "[", i, "]"));
    } else if (v.is_binary()) {
      problems.push_back(absl::StrCat("Invalid type for document parameter ", Display(name),
                                      ", value: ", PythonRepr(v, true), ", type: ", PythonType(v),
                                      ", valid types: <class 'str'>, <class 'int'>, <class 'bool'>, <class "
                                      "'float'>, <class 'list'>, <class 'dict'>"));
    }
  }
};

}  // namespace

std::vector<std::string> ValidationProblems(const Value& params, const model::Member& input) {
  Validator validator;
  validator.Validate(params, input, "");
  return std::move(validator.problems);
}

absl::Status ValidateParameters(const Value& params, const model::Member& input) {
  const std::vector<std::string> problems = ValidationProblems(params, input);
  if (problems.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError("Parameter validation failed:\n" + absl::StrJoin(problems, "\n"));
}

}  // namespace awsd::protocols
