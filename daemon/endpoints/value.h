#pragma once

// The values a rule set computes with, and the storage they live in.
//
// A Value never owns what it points at: strings, arrays and records borrow
// from the compiled rule set (literals), the caller's parameters, the
// partitions table, or the ValueArena of one evaluation. All of these outlive
// the evaluation, so evaluating a condition copies a few words and allocates
// nothing unless a function builds a new string.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "nlohmann/json.hpp"

namespace awsd::endpoints {

struct Field;

struct Value {
  // botocore's Python types: None, bool, int, float, str, list/tuple, dict.
  enum class Kind : uint8_t { kNone, kBool, kInt, kFloat, kString, kArray, kRecord };

  Kind kind = Kind::kNone;
  bool boolean = false;
  // A stringArray parameter is a Python tuple; other arrays are lists. Only
  // printing and type names differ.
  bool tuple = false;
  // 24 bytes in all: values are copied at every condition.
  union {
    int64_t integer = 0;
    double number;
    const char* chars;    // kString
    const Value* items;   // kArray
    const Field* fields;  // kRecord
  };
  size_t size = 0;  // string length, items or fields

  static Value None() { return Value(); }
  static Value Bool(bool b) {
    Value v;
    v.kind = Kind::kBool;
    v.boolean = b;
    return v;
  }
  static Value Int(int64_t i) {
    Value v;
    v.kind = Kind::kInt;
    v.integer = i;
    return v;
  }
  static Value Float(double d) {
    Value v;
    v.kind = Kind::kFloat;
    v.number = d;
    return v;
  }
  static Value String(std::string_view s) {
    Value v;
    v.kind = Kind::kString;
    v.chars = s.data();
    v.size = s.size();
    return v;
  }
  static Value Array(const Value* items, size_t size, bool tuple = false) {
    Value v;
    v.kind = Kind::kArray;
    v.items = items;
    v.size = size;
    v.tuple = tuple;
    return v;
  }
  static Value Record(const Field* fields, size_t size) {
    Value v;
    v.kind = Kind::kRecord;
    v.fields = fields;
    v.size = size;
    return v;
  }

  bool is_none() const { return kind == Kind::kNone; }
  bool is_string() const { return kind == Kind::kString; }
  bool is_bool() const { return kind == Kind::kBool; }
  // The text of a kString (empty for any other kind).
  std::string_view str() const { return kind == Kind::kString ? std::string_view(chars, size) : std::string_view(); }

  // A record's field, or nullptr (also for non-records).
  const Value* Find(std::string_view key) const;
};

struct Field {
  std::string_view key;
  Value value;
};

// Python's truth value (`not value` in botocore's `not`).
bool PythonTruthy(const Value& value);

// Python's str(value): what botocore's f-strings print into a template or a
// message ("True", "None", "['a', 'b']", "{'k': 'v'}").
void AppendPythonStr(const Value& value, std::string* out);
std::string PythonStr(const Value& value);

// type(value) as Python prints it in botocore's messages: "<class 'str'>".
std::string_view PythonTypeName(const Value& value);

// Equality of two values as Python's == sees them (bool and int compare by
// number, lists and tuples never equal each other).
bool PythonEquals(const Value& a, const Value& b);

// The value as JSON (records are objects, arrays are arrays).
nlohmann::json ToJson(const Value& value);

// Owns strings, arrays and records made at run time (or, for a compiled rule
// set, at compile time). Addresses stay valid until Clear() or destruction.
class ValueArena {
 public:
  ValueArena() = default;
  ValueArena(const ValueArena&) = delete;
  ValueArena& operator=(const ValueArena&) = delete;

  std::string_view Store(std::string text);
  Value* NewItems(size_t count);
  Field* NewFields(size_t count);
  void Clear();

  // A copy of a JSON value. Object keys keep nlohmann's (sorted) order.
  Value FromJson(const nlohmann::json& json);

 private:
  std::deque<std::string> strings_;
  std::deque<std::vector<Value>> items_;
  std::deque<std::vector<Field>> fields_;
};

}  // namespace awsd::endpoints
