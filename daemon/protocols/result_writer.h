#pragma once

// Where a response parser puts its result, one event per value: into a
// Value tree (for tests, JMESPath, waiters), or straight into the JSON text a
// client receives, which skips building a tree for large responses.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/protocols/value.h"

namespace awsd::protocols {

class ResultWriter {
 public:
  virtual ~ResultWriter() = default;

  virtual void BeginObject() = 0;
  virtual void Key(std::string_view key) = 0;  // inside an object, before each value
  virtual void EndObject() = 0;
  virtual void BeginArray() = 0;
  virtual void EndArray() = 0;
  virtual void String(std::string_view text) = 0;
  virtual void Int(std::int64_t value) = 0;
  virtual void UInt(std::uint64_t value) = 0;
  virtual void Double(double value) = 0;
  virtual void Bool(bool value) = 0;
  virtual void Null() = 0;
  // A binary in a Value; base64 text in JSON.
  virtual void Blob(std::string_view bytes) = 0;

  // A whole value (parts built as Values, such as ResponseMetadata).
  void Write(const Value& value);
};

// Builds a Value. Keys repeated in one object keep the last value, as a
// Python dict does.
class ValueWriter final : public ResultWriter {
 public:
  ValueWriter();
  void BeginObject() override;
  void Key(std::string_view key) override;
  void EndObject() override;
  void BeginArray() override;
  void EndArray() override;
  void String(std::string_view text) override;
  void Int(std::int64_t value) override;
  void UInt(std::uint64_t value) override;
  void Double(double value) override;
  void Bool(bool value) override;
  void Null() override;
  void Blob(std::string_view bytes) override;

  // The finished value (null if nothing was written).
  Value Take();

 private:
  Value* Slot();  // where the next value goes
  void Open(Value value);

  Value root_;
  bool root_set_ = false;
  std::vector<Value*> open_;
  std::string key_;
};

// Writes compact JSON (blobs as base64; NaN and infinities as null, which
// JSON cannot carry).
class JsonTextWriter final : public ResultWriter {
 public:
  void BeginObject() override;
  void Key(std::string_view key) override;
  void EndObject() override;
  void BeginArray() override;
  void EndArray() override;
  void String(std::string_view text) override;
  void Int(std::int64_t value) override;
  void UInt(std::uint64_t value) override;
  void Double(double value) override;
  void Bool(bool value) override;
  void Null() override;
  void Blob(std::string_view bytes) override;

  const std::string& text() const { return text_; }
  std::string Take() { return std::move(text_); }

 private:
  void Separate();  // a comma before every value but the first of a container
  void Quoted(std::string_view text);

  std::string text_;
  std::vector<bool> first_;  // per open container: no value written yet
  bool after_key_ = false;
};

}  // namespace awsd::protocols
