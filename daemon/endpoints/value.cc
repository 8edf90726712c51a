#include "daemon/endpoints/value.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace awsd::endpoints {
namespace {

// Python's repr() of a str: single quotes unless the text holds a single
// quote and no double quote; backslash escapes for quotes, \\, \t, \n, \r
// and other control characters. Non-ASCII text is printable in Python 3, so
// its bytes pass through.
void AppendPythonRepr(std::string_view text, std::string* out) {
  const bool has_single = text.find('\'') != std::string_view::npos;
  const bool has_double = text.find('"') != std::string_view::npos;
  const char quote = has_single && !has_double ? '"' : '\'';
  out->push_back(quote);
  for (unsigned char c : text) {
    if (c == static_cast<unsigned char>(quote) || c == '\\') {
      out->push_back('\\');
      out->push_back(static_cast<char>(c));
    } else if (c == '\t') {
      out->append("\\t");
    } else if (c == '\n') {
      out->append("\\n");
    } else if (c == '\r') {
      out->append("\\r");
    } else if (c < 0x20 || c == 0x7f) {
      char buffer[5];
      std::snprintf(buffer, sizeof(buffer), "\\x%02x", c);
      out->append(buffer);
    } else {
      out->push_back(static_cast<char>(c));
    }
  }
  out->push_back(quote);
}

// Python's repr() of a float: the shortest text that reads back, with ".0"
// on integral values and "inf"/"nan" spelled as Python does.
void AppendPythonFloat(double number, std::string* out) {
  if (std::isnan(number)) {
    out->append("nan");
    return;
  }
  if (std::isinf(number)) {
    out->append(number < 0 ? "-inf" : "inf");
    return;
  }
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), number);
  std::string_view text(buffer, result.ptr - buffer);
  out->append(text);
  if (text.find_first_of(".eEn") == std::string_view::npos) out->append(".0");
}

void AppendNested(const Value& value, std::string* out) {
  if (value.kind == Value::Kind::kString) {
    AppendPythonRepr(value.str(), out);
  } else {
    AppendPythonStr(value, out);
  }
}

}  // namespace

const Value* Value::Find(std::string_view key) const {
  if (kind != Kind::kRecord) return nullptr;
  for (size_t i = 0; i < size; ++i) {
    if (fields[i].key == key) return &fields[i].value;
  }
  return nullptr;
}

bool PythonTruthy(const Value& value) {
  switch (value.kind) {
    case Value::Kind::kNone:
      return false;
    case Value::Kind::kBool:
      return value.boolean;
    case Value::Kind::kInt:
      return value.integer != 0;
    case Value::Kind::kFloat:
      return value.number != 0;
    case Value::Kind::kString:
      return !value.str().empty();
    case Value::Kind::kArray:
    case Value::Kind::kRecord:
      return value.size != 0;
  }
  return false;
}

void AppendPythonStr(const Value& value, std::string* out) {
  switch (value.kind) {
    case Value::Kind::kNone:
      out->append("None");
      return;
    case Value::Kind::kBool:
      out->append(value.boolean ? "True" : "False");
      return;
    case Value::Kind::kInt:
      out->append(std::to_string(value.integer));
      return;
    case Value::Kind::kFloat:
      AppendPythonFloat(value.number, out);
      return;
    case Value::Kind::kString:
      out->append(value.str());
      return;
    case Value::Kind::kArray:
      out->push_back(value.tuple ? '(' : '[');
      for (size_t i = 0; i < value.size; ++i) {
        if (i > 0) out->append(", ");
        AppendNested(value.items[i], out);
      }
      if (value.tuple && value.size == 1) out->push_back(',');
      out->push_back(value.tuple ? ')' : ']');
      return;
    case Value::Kind::kRecord:
      out->push_back('{');
      for (size_t i = 0; i < value.size; ++i) {
        if (i > 0) out->append(", ");
        AppendPythonRepr(value.fields[i].key, out);
        out->append(": ");
        AppendNested(value.fields[i].value, out);
      }
      out->push_back('}');
      return;
  }
}

std::string PythonStr(const Value& value) {
  std::string out;
  AppendPythonStr(value, &out);
  return out;
}

std::string_view PythonTypeName(const Value& value) {
  switch (value.kind) {
    case Value::Kind::kNone:
      return "<class 'NoneType'>";
    case Value::Kind::kBool:
      return "<class 'bool'>";
    case Value::Kind::kInt:
      return "<class 'int'>";
    case Value::Kind::kFloat:
      return "<class 'float'>";
    case Value::Kind::kString:
      return "<class 'str'>";
    case Value::Kind::kArray:
      return value.tuple ? "<class 'tuple'>" : "<class 'list'>";
    case Value::Kind::kRecord:
      return "<class 'dict'>";
  }
  return "<class 'object'>";
}

bool PythonEquals(const Value& a, const Value& b) {
  const auto numeric = [](const Value& v) {
    return v.kind == Value::Kind::kBool || v.kind == Value::Kind::kInt || v.kind == Value::Kind::kFloat;
  };
  const auto as_double = [](const Value& v) {
    if (v.kind == Value::Kind::kBool) return v.boolean ? 1.0 : 0.0;
    if (v.kind == Value::Kind::kInt) return static_cast<double>(v.integer);
    return v.number;
  };
  if (numeric(a) && numeric(b)) {
    if (a.kind != Value::Kind::kFloat && b.kind != Value::Kind::kFloat) {
      const int64_t x = a.kind == Value::Kind::kBool ? a.boolean : a.integer;
      const int64_t y = b.kind == Value::Kind::kBool ? b.boolean : b.integer;
      return x == y;
    }
    return as_double(a) == as_double(b);
  }
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case Value::Kind::kNone:
      return true;
    case Value::Kind::kString:
      return a.str() == b.str();
    case Value::Kind::kArray:
      if (a.tuple != b.tuple || a.size != b.size) return false;
      for (size_t i = 0; i < a.size; ++i) {
        if (!PythonEquals(a.items[i], b.items[i])) return false;
      }
      return true;
    case Value::Kind::kRecord:
      if (a.size != b.size) return false;
      for (size_t i = 0; i < a.size; ++i) {
        const Value* other = b.Find(a.fields[i].key);
        if (other == nullptr || !PythonEquals(a.fields[i].value, *other)) return false;
      }
      return true;
    default:
      return false;
  }
}

nlohmann::json ToJson(const Value& value) {
  switch (value.kind) {
    case Value::Kind::kNone:
      return nullptr;
    case Value::Kind::kBool:
      return value.boolean;
    case Value::Kind::kInt:
      return value.integer;
    case Value::Kind::kFloat:
      return value.number;
    case Value::Kind::kString:
      return std::string(value.str());
    case Value::Kind::kArray: {
      nlohmann::json array = nlohmann::json::array();
      for (size_t i = 0; i < value.size; ++i) array.push_back(ToJson(value.items[i]));
      return array;
    }
    case Value::Kind::kRecord: {
      nlohmann::json object = nlohmann::json::object();
      for (size_t i = 0; i < value.size; ++i) object[std::string(value.fields[i].key)] = ToJson(value.fields[i].value);
      return object;
    }
  }
  return nullptr;
}

std::string_view ValueArena::Store(std::string text) {
  strings_.push_back(std::move(text));
  return strings_.back();
}

Value* ValueArena::NewItems(size_t count) {
  items_.emplace_back(count);
  return items_.back().data();
}

Field* ValueArena::NewFields(size_t count) {
  fields_.emplace_back(count);
  return fields_.back().data();
}

void ValueArena::Clear() {
  strings_.clear();
  items_.clear();
  fields_.clear();
}

Value ValueArena::FromJson(const nlohmann::json& json) {
  switch (json.type()) {
    case nlohmann::json::value_t::boolean:
      return Value::Bool(json.get<bool>());
    case nlohmann::json::value_t::number_integer:
      return Value::Int(json.get<int64_t>());
    case nlohmann::json::value_t::number_unsigned: {
      const uint64_t n = json.get<uint64_t>();
      if (n > static_cast<uint64_t>(INT64_MAX)) return Value::Float(static_cast<double>(n));
      return Value::Int(static_cast<int64_t>(n));
    }
    case nlohmann::json::value_t::number_float:
      return Value::Float(json.get<double>());
    case nlohmann::json::value_t::string:
      return Value::String(Store(json.get<std::string>()));
    case nlohmann::json::value_t::array: {
      Value* items = NewItems(json.size());
      size_t i = 0;
      for (const nlohmann::json& item : json) items[i++] = FromJson(item);
      return Value::Array(items, json.size());
    }
    case nlohmann::json::value_t::object: {
      Field* fields = NewFields(json.size());
      size_t i = 0;
      for (auto it = json.begin(); it != json.end(); ++it, ++i) {
        fields[i].key = Store(it.key());
        fields[i].value = FromJson(it.value());
      }
      return Value::Record(fields, json.size());
    }
    default:
      return Value::None();
  }
}

}  // namespace awsd::endpoints
