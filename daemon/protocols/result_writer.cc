#include "daemon/protocols/result_writer.h"

#include <charconv>
#include <cmath>

#include "absl/strings/escaping.h"

namespace awsd::protocols {

void ResultWriter::Write(const Value& value) {
  switch (value.type()) {
    case Value::value_t::object:
      BeginObject();
      for (auto it = value.begin(); it != value.end(); ++it) {
        Key(it.key());
        Write(*it);
      }
      EndObject();
      return;
    case Value::value_t::array:
      BeginArray();
      for (const Value& item : value) Write(item);
      EndArray();
      return;
    case Value::value_t::string:
      return String(value.get_ref<const std::string&>());
    case Value::value_t::number_integer:
      return Int(value.get<std::int64_t>());
    case Value::value_t::number_unsigned:
      return UInt(value.get<std::uint64_t>());
    case Value::value_t::number_float:
      return Double(value.get<double>());
    case Value::value_t::boolean:
      return Bool(value.get<bool>());
    case Value::value_t::binary: {
      const auto& bytes = value.get_binary();
      return Blob(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
    }
    default:
      return Null();
  }
}

// ---------------------------------------------------------------- ValueWriter

ValueWriter::ValueWriter() = default;

Value* ValueWriter::Slot() {
  if (open_.empty()) {
    root_set_ = true;
    return &root_;
  }
  Value& container = *open_.back();
  if (container.is_array()) {
    container.push_back(Value());
    return &container.back();
  }
  return &container[key_];
}

void ValueWriter::Open(Value value) {
  Value* slot = Slot();
  *slot = std::move(value);
  open_.push_back(slot);
}

void ValueWriter::BeginObject() { Open(Value::object()); }
void ValueWriter::Key(std::string_view key) { key_.assign(key); }
void ValueWriter::EndObject() { open_.pop_back(); }
void ValueWriter::BeginArray() { Open(Value::array()); }
void ValueWriter::EndArray() { open_.pop_back(); }
void ValueWriter::String(std::string_view text) { *Slot() = std::string(text); }
void ValueWriter::Int(std::int64_t value) { *Slot() = value; }
void ValueWriter::UInt(std::uint64_t value) { *Slot() = value; }
void ValueWriter::Double(double value) { *Slot() = value; }
void ValueWriter::Bool(bool value) { *Slot() = value; }
void ValueWriter::Null() { *Slot() = nullptr; }
void ValueWriter::Blob(std::string_view bytes) {
  *Slot() = Value::binary(std::vector<std::uint8_t>(bytes.begin(), bytes.end()));
}

Value ValueWriter::Take() {
  open_.clear();
  return std::move(root_);
}

// ------------------------------------------------------------- JsonTextWriter

void JsonTextWriter::Separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_.empty()) {
    if (!first_.back()) text_ += ',';
    first_.back() = false;
  }
}

namespace {

// The length of the valid UTF-8 sequence starting text[i], or 0.
std::size_t Utf8SequenceLength(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char c = byte(i);
  std::size_t length = 0;
  std::uint32_t code = 0;
  if (c >= 0xC2 && c <= 0xDF) {
    length = 2, code = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    length = 3, code = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    length = 4, code = c & 0x07;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (byte(i + k) & 0x3F);
  }
  const bool overlong = (length == 3 && code < 0x800) || (length == 4 && code < 0x10000);
  if (overlong || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
  return length;
}

}  // namespace

// Escapes what JSON requires; invalid UTF-8 becomes U+FFFD, since a reply
// that is not UTF-8 cannot travel in a protobuf string.
void JsonTextWriter::Quoted(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  text_ += '"';
  std::size_t plain = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      if (const std::size_t length = Utf8SequenceLength(text, i)) {
        i += length;
        continue;
      }
    }
    text_.append(text.substr(plain, i - plain));
    switch (c) {
      case '"':
        text_ += "\\\"";
        break;
      case '\\':
        text_ += "\\\\";
        break;
      case '\n':
        text_ += "\\n";
        break;
      case '\r':
        text_ += "\\r";
        break;
      case '\t':
        text_ += "\\t";
        break;
      case '\b':
        text_ += "\\b";
        break;
      case '\f':
        text_ += "\\f";
        break;
      default:
        if (c >= 0x80) {
          text_ += "\xEF\xBF\xBD";
        } else {
          text_ += "\\u00";
          text_ += kHex[c >> 4];
          text_ += kHex[c & 0xF];
        }
    }
    plain = ++i;
  }
  text_.append(text.substr(plain));
  text_ += '"';
}

void JsonTextWriter::BeginObject() {
  Separate();
  text_ += '{';
  first_.push_back(true);
}

void JsonTextWriter::Key(std::string_view key) {
  Separate();
  Quoted(key);
  text_ += ':';
  after_key_ = true;
}

void JsonTextWriter::EndObject() {
  text_ += '}';
  first_.pop_back();
}

void JsonTextWriter::BeginArray() {
  Separate();
  text_ += '[';
  first_.push_back(true);
}

void JsonTextWriter::EndArray() {
  text_ += ']';
  first_.pop_back();
}

void JsonTextWriter::String(std::string_view text) {
  Separate();
  Quoted(text);
}

void JsonTextWriter::Int(std::int64_t value) {
  Separate();
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  text_.append(buffer, result.ptr);
}

void JsonTextWriter::UInt(std::uint64_t value) {
  Separate();
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  text_.append(buffer, result.ptr);
}

void JsonTextWriter::Double(double value) {
  Separate();
  if (!std::isfinite(value)) {
    text_ += "null";
    return;
  }
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  text_.append(buffer, result.ptr);
  // Keep it a float for readers that tell 1.0 from 1.
  if (std::string_view(buffer, result.ptr - buffer).find_first_of(".en") == std::string_view::npos) text_ += ".0";
}

void JsonTextWriter::Bool(bool value) {
  Separate();
  text_ += value ? "true" : "false";
}

void JsonTextWriter::Null() {
  Separate();
  text_ += "null";
}

void JsonTextWriter::Blob(std::string_view bytes) {
  Separate();
  text_ += '"';
  text_ += absl::Base64Escape(absl::string_view(bytes.data(), bytes.size()));
  text_ += '"';
}

}  // namespace awsd::protocols
