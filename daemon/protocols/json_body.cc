#include "daemon/protocols/json_body.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "daemon/encoding/utf8.h"
#include "daemon/protocols/python_compat.h"

namespace awsd::protocols::json {
namespace {

// ---------------------------------------------------------------- Dumps ----

// Decodes one UTF-8 sequence at `i` (advancing it); U+FFFD for bad bytes, so
// that text which never was UTF-8 still produces valid JSON.
char32_t NextCodepoint(std::string_view s, std::size_t& i) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  int extra = 0;
  char32_t cp = 0;
  if (c < 0x80) {
    ++i;
    return c;
  } else if ((c & 0xE0) == 0xC0) {
    extra = 1;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    extra = 2;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    extra = 3;
    cp = c & 0x07;
  } else {
    ++i;
    return 0xFFFD;
  }
  if (!py::IsUtf8(s.substr(i, static_cast<std::size_t>(extra) + 1))) {
    ++i;
    return 0xFFFD;
  }
  for (int k = 1; k <= extra; ++k)
    cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]) & 0x3F);
  i += static_cast<std::size_t>(extra) + 1;
  return cp;
}

void AppendU16Escape(unsigned unit, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(unit >> shift) & 0xF];
}

void DumpString(std::string_view s, std::string& out) {
  out += '"';
  std::size_t i = 0;
  while (i < s.size()) {
    const char32_t cp = NextCodepoint(s, i);
    switch (cp) {
      case '"':
        out += "\\\"";
        continue;
      case '\\':
        out += "\\\\";
        continue;
      case '\n':
        out += "\\n";
        continue;
      case '\r':
        out += "\\r";
        continue;
      case '\t':
        out += "\\t";
        continue;
      case '\b':
        out += "\\b";
        continue;
      case '\f':
        out += "\\f";
        continue;
      default:
        break;
    }
    if (cp >= 0x20 && cp < 0x7F) {
      out += static_cast<char>(cp);
    } else if (cp < 0x10000) {
      AppendU16Escape(static_cast<unsigned>(cp), out);
    } else {
      const unsigned v = static_cast<unsigned>(cp) - 0x10000;
      AppendU16Escape(0xD800 | (v >> 10), out);
      AppendU16Escape(0xDC00 | (v & 0x3FF), out);
    }
  }
  out += '"';
}

void DumpValue(const Value& value, bool compact, int depth, std::string& out) {
  if (depth > 4 * kMaxDepth) {  // unreachable for values this module built; never blow the stack
    out += "null";
    return;
  }
  const char* item_sep = compact ? "," : ", ";
  const char* key_sep = compact ? ":" : ": ";
  switch (value.type()) {
    case Value::value_t::object: {
      out += '{';
      bool first = true;
      for (auto it = value.begin(); it != value.end(); ++it) {
        if (!first) out += item_sep;
        first = false;
        DumpString(it.key(), out);
        out += key_sep;
        DumpValue(it.value(), compact, depth + 1, out);
      }
      out += '}';
      return;
    }
    case Value::value_t::array: {
      out += '[';
      bool first = true;
      for (const Value& item : value) {
        if (!first) out += item_sep;
        first = false;
        DumpValue(item, compact, depth + 1, out);
      }
      out += ']';
      return;
    }
    case Value::value_t::string:
      DumpString(value.get_ref<const std::string&>(), out);
      return;
    case Value::value_t::binary: {
      const auto& bytes = value.get_binary();
      DumpString(std::string(bytes.begin(), bytes.end()), out);
      return;
    }
    case Value::value_t::boolean:
      out += value.get<bool>() ? "true" : "false";
      return;
    case Value::value_t::number_integer:
      out += std::to_string(value.get<std::int64_t>());
      return;
    case Value::value_t::number_unsigned:
      out += std::to_string(value.get<std::uint64_t>());
      return;
    case Value::value_t::number_float: {
      const double d = value.get<double>();
      if (std::isnan(d)) {
        out += "NaN";
      } else if (std::isinf(d)) {
        out += d < 0 ? "-Infinity" : "Infinity";
      } else {
        out += py::FloatRepr(d);
      }
      return;
    }
    default:
      out += "null";
      return;
  }
}

// ---------------------------------------------------------------- Loads ----

class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  absl::StatusOr<Value> Document() {
    SkipSpace();
    absl::StatusOr<Value> value = ParseValue(0);
    if (!value.ok()) return value;
    SkipSpace();
    if (pos_ != text_.size()) return Error("extra data");
    return value;
  }

 private:
  absl::Status Error(std::string_view what) const {
    return absl::DataLossError(absl::StrCat("malformed JSON body: ", std::string(what), " at offset ", pos_));
  }

  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }
  void SkipSpace() {
    while (!AtEnd() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r'))
      ++pos_;
  }
  bool TakeWord(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  absl::StatusOr<Value> ParseValue(int depth) {
    if (depth > kMaxDepth) return Error("nesting too deep");
    switch (Peek()) {
      case '{':
        return ParseObject(depth);
      case '[':
        return ParseArray(depth);
      case '"': {
        absl::StatusOr<std::string> s = ParseString();
        if (!s.ok()) return s.status();
        return Value(*std::move(s));
      }
      case 't':
        if (TakeWord("true")) return Value(true);
        break;
      case 'f':
        if (TakeWord("false")) return Value(false);
        break;
      case 'n':
        if (TakeWord("null")) return Value(nullptr);
        break;
      case 'N':
        if (TakeWord("NaN")) return Value(std::numeric_limits<double>::quiet_NaN());
        break;
      case 'I':
        if (TakeWord("Infinity")) return Value(std::numeric_limits<double>::infinity());
        break;
      case '-':
        if (TakeWord("-Infinity")) return Value(-std::numeric_limits<double>::infinity());
        return ParseNumber();
      default:
        if (Peek() >= '0' && Peek() <= '9') return ParseNumber();
        break;
    }
    return Error("expecting value");
  }

  absl::StatusOr<Value> ParseObject(int depth) {
    ++pos_;  // '{'
    Value object = Value::object();
    auto& entries = object.get_ref<Value::object_t&>();
    bool large = false;
    SkipSpace();
    if (Peek() == '}') {
      ++pos_;
      return object;
    }
    while (true) {
      SkipSpace();
      if (Peek() != '"') return Error("expecting property name enclosed in double quotes");
      absl::StatusOr<std::string> key = ParseString();
      if (!key.ok()) return key.status();
      SkipSpace();
      if (Peek() != ':') return Error("expecting ':' delimiter");
      ++pos_;
      SkipSpace();
      absl::StatusOr<Value> value = ParseValue(depth + 1);
      if (!value.ok()) return value.status();
      // Python's dict: a repeated key keeps its first place and the last value.
      // Objects are searched only when small; large ones are checked once below.
      bool replaced = false;
      if (entries.size() < 64) {
        for (auto& entry : entries) {
          if (entry.first == *key) {
            entry.second = *std::move(value);
            replaced = true;
            break;
          }
        }
      } else {
        large = true;
      }
      if (!replaced) entries.Container::emplace_back(*std::move(key), *std::move(value));
      SkipSpace();
      if (Peek() == ',') {
        ++pos_;
        continue;
      }
      if (Peek() == '}') {
        ++pos_;
        break;
      }
      return Error("expecting ',' delimiter");
    }
    if (large) Deduplicate(entries);
    return object;
  }

  // Repeated keys past the small-object scan: last value, first place.
  static void Deduplicate(Value::object_t& object) {
    auto& entries = static_cast<Value::object_t::Container&>(object);
    std::vector<std::pair<std::string_view, std::size_t>> index;
    index.reserve(entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i) index.emplace_back(entries[i].first, i);
    std::stable_sort(index.begin(), index.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    bool any = false;
    for (std::size_t i = 1; i < index.size(); ++i) any = any || index[i].first == index[i - 1].first;
    if (!any) return;
    std::vector<bool> drop(entries.size(), false);
    std::vector<std::pair<std::size_t, std::size_t>> moves;  // (first place, last value)
    for (std::size_t i = 0; i < index.size();) {
      std::size_t j = i;
      while (j + 1 < index.size() && index[j + 1].first == index[i].first) ++j;
      if (j > i) {
        moves.emplace_back(index[i].second, index[j].second);
        for (std::size_t k = i + 1; k <= j; ++k) drop[index[k].second] = true;
      }
      i = j + 1;
    }
    for (const auto& [first, last] : moves) entries[first].second = std::move(entries[last].second);
    Value::object_t::Container kept;
    kept.reserve(entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i) {
      if (!drop[i]) kept.emplace_back(entries[i].first, std::move(entries[i].second));
    }
    entries.swap(kept);
  }

  absl::StatusOr<Value> ParseArray(int depth) {
    ++pos_;  // '['
    Value array = Value::array();
    SkipSpace();
    if (Peek() == ']') {
      ++pos_;
      return array;
    }
    while (true) {
      SkipSpace();
      absl::StatusOr<Value> value = ParseValue(depth + 1);
      if (!value.ok()) return value.status();
      array.push_back(*std::move(value));
      SkipSpace();
      if (Peek() == ',') {
        ++pos_;
        continue;
      }
      if (Peek() == ']') {
        ++pos_;
        return array;
      }
      return Error("expecting ',' delimiter");
    }
  }

  absl::StatusOr<Value> ParseNumber() {
    const std::size_t start = pos_;
    if (Peek() == '-') ++pos_;
    if (Peek() == '0') {
      ++pos_;
    } else if (Peek() >= '1' && Peek() <= '9') {
      while (Peek() >= '0' && Peek() <= '9') ++pos_;
    } else {
      return Error("expecting value");
    }
    bool is_float = false;
    if (Peek() == '.' && pos_ + 1 < text_.size() && text_[pos_ + 1] >= '0' && text_[pos_ + 1] <= '9') {
      is_float = true;
      ++pos_;
      while (Peek() >= '0' && Peek() <= '9') ++pos_;
    }
    if ((Peek() == 'e' || Peek() == 'E')) {
      std::size_t p = pos_ + 1;
      if (p < text_.size() && (text_[p] == '+' || text_[p] == '-')) ++p;
      if (p < text_.size() && text_[p] >= '0' && text_[p] <= '9') {
        is_float = true;
        pos_ = p;
        while (Peek() >= '0' && Peek() <= '9') ++pos_;
      }
    }
    const std::string_view literal = text_.substr(start, pos_ - start);
    if (!is_float) {
      if (literal.front() == '-') {
        std::int64_t v = 0;
        const auto [end, ec] = std::from_chars(literal.data(), literal.data() + literal.size(), v);
        if (ec == std::errc() && end == literal.data() + literal.size()) return Value(v);
      } else {
        std::uint64_t v = 0;
        const auto [end, ec] = std::from_chars(literal.data(), literal.data() + literal.size(), v);
        if (ec == std::errc() && end == literal.data() + literal.size()) {
          if (v <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
            return Value(static_cast<std::int64_t>(v));
          }
          return Value(v);
        }
      }
      // Beyond 64 bits: Python keeps an exact int; a float is the nearest we carry.
    }
    absl::StatusOr<double> d = py::ParseFloat(literal);
    if (!d.ok()) return Error("bad number");
    return Value(*d);
  }

  bool Hex4(unsigned& out) {
    if (pos_ + 4 > text_.size()) return false;
    out = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[pos_ + static_cast<std::size_t>(i)];
      unsigned digit = 0;
      if (c >= '0' && c <= '9') {
        digit = static_cast<unsigned>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        digit = static_cast<unsigned>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        digit = static_cast<unsigned>(c - 'A' + 10);
      } else {
        return false;
      }
      out = out * 16 + digit;
    }
    pos_ += 4;
    return true;
  }

  absl::StatusOr<std::string> ParseString() {
    ++pos_;  // '"'
    std::string out;
    while (true) {
      if (AtEnd()) return Error("unterminated string");
      const char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return out;
      }
      if (static_cast<unsigned char>(c) < 0x20) return Error("invalid control character");
      if (c != '\\') {
        // Runs of plain bytes are copied whole; the body was checked as UTF-8 up front.
        const std::size_t start = pos_;
        while (!AtEnd() && text_[pos_] != '"' && text_[pos_] != '\\' &&
               static_cast<unsigned char>(text_[pos_]) >= 0x20) {
          ++pos_;
        }
        out.append(text_.substr(start, pos_ - start));
        continue;
      }
      ++pos_;
      if (AtEnd()) return Error("unterminated string");
      const char e = text_[pos_++];
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          unsigned unit = 0;
          if (!Hex4(unit)) return Error("invalid \\uXXXX escape");
          char32_t cp = unit;
          if (unit >= 0xD800 && unit <= 0xDBFF && text_.substr(pos_, 2) == "\\u") {
            const std::size_t save = pos_;
            pos_ += 2;
            unsigned low = 0;
            if (Hex4(low) && low >= 0xDC00 && low <= 0xDFFF) {
              cp = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
            } else {
              pos_ = save;
            }
          }
          // A lone surrogate is valid to Python but not UTF-8: replace it.
          if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
          encoding::AppendUtf8(out, cp);
          break;
        }
        default:
          --pos_;
          return Error("invalid \\escape");
      }
    }
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

// --------------------------------------------------------- Serialising ----

using model::Member;
using model::Shape;
using model::ShapeType;

int Depth(const Value& value, int limit) {
  if (limit < 0) return 1;
  if (!value.is_structured()) return 0;
  int deepest = 0;
  for (const Value& item : value) {
    deepest = std::max(deepest, Depth(item, limit - 1));
    if (deepest > limit) break;
  }
  return deepest + 1;
}

absl::Status BadParam(std::string_view path, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("Invalid value for parameter ", std::string(path), ": ", what));
}

absl::StatusOr<std::string> BlobBytes(const Value& value, std::string_view path) {
  if (value.is_binary()) {
    const auto& bytes = value.get_binary();
    return std::string(bytes.begin(), bytes.end());
  }
  if (value.is_string()) return value.get<std::string>();
  return BadParam(path, absl::StrCat("expected bytes or a string, got ", value.type_name()));
}

absl::StatusOr<Value> SerializeShape(const Shape& shape, const model::Traits& traits, const Value& value, int depth,
                                     const std::string& path);

absl::StatusOr<Value> SerializeMembers(const Shape& shape, const Value& params, bool body_only, int depth,
                                       const std::string& path) {
  if (!params.is_object()) return BadParam(path, absl::StrCat("expected a structure, got ", params.type_name()));
  Value out = Value::object();
  for (auto it = params.begin(); it != params.end(); ++it) {
    if (it.value().is_null()) continue;
    const Member* member = shape.FindMember(it.key());
    if (member == nullptr) continue;  // the validator reports unknown parameters
    if (body_only && member->traits.location != model::Location::kBody) continue;
    const std::string member_path = path.empty() ? it.key() : absl::StrCat(path, ".", it.key());
    absl::StatusOr<Value> v = SerializeShape(*member->shape, member->traits, it.value(), depth + 1, member_path);
    if (!v.ok()) return v.status();
    out[member->wire_name()] = *std::move(v);
  }
  return out;
}

absl::StatusOr<Value> SerializeShape(const Shape& shape, const model::Traits& traits, const Value& value, int depth,
                                     const std::string& path) {
  if (depth > kMaxDepth) return BadParam(path, "nested too deeply");
  switch (shape.type) {
    case ShapeType::kStructure:
      if (shape.is_document) {
        if (Depth(value, kMaxDepth - depth) > kMaxDepth - depth) return BadParam(path, "document nested too deeply");
        return value;
      }
      return SerializeMembers(shape, value, /*body_only=*/false, depth, path);
    case ShapeType::kList: {
      if (!value.is_array()) return BadParam(path, absl::StrCat("expected a list, got ", value.type_name()));
      Value out = Value::array();
      for (std::size_t i = 0; i < value.size(); ++i) {
        if (value[i].is_null()) {
          out.push_back(nullptr);
          continue;
        }
        absl::StatusOr<Value> v = SerializeShape(*shape.member.shape, shape.member.traits, value[i], depth + 1,
                                                 absl::StrCat(path, "[", i, "]"));
        if (!v.ok()) return v.status();
        out.push_back(*std::move(v));
      }
      return out;
    }
    case ShapeType::kMap: {
      if (!value.is_object()) return BadParam(path, absl::StrCat("expected a map, got ", value.type_name()));
      Value out = Value::object();
      for (auto it = value.begin(); it != value.end(); ++it) {
        if (it.value().is_null()) {
          out[it.key()] = nullptr;
          continue;
        }
        absl::StatusOr<Value> v = SerializeShape(*shape.value.shape, shape.value.traits, it.value(), depth + 1,
                                                 absl::StrCat(path, ".", it.key()));
        if (!v.ok()) return v.status();
        out[it.key()] = *std::move(v);
      }
      return out;
    }
    case ShapeType::kTimestamp: {
      const Value* wire = &value;
      absl::StatusOr<Timestamp> t = TimestampFromJson(*wire);
      if (!t.ok()) return BadParam(path, t.status().message());
      const std::string format = absl::AsciiStrToLower(traits.timestamp_format);
      if (format == "iso8601") return Value(FormatIso8601(*t));
      if (format == "rfc822") return Value(FormatRfc822(*t));
      return FormatEpochSeconds(*t);
    }
    case ShapeType::kBlob: {
      absl::StatusOr<std::string> bytes = BlobBytes(value, path);
      if (!bytes.ok()) return bytes.status();
      return Value(py::B64Encode(*bytes));
    }
    case ShapeType::kFloat:
    case ShapeType::kDouble:
      if (py::IsSpecialFloatName(value)) return value;
      if (value.is_number_float()) {
        const double d = value.get<double>();
        if (std::isnan(d)) return Value("NaN");
        if (std::isinf(d)) return Value(d < 0 ? "-Infinity" : "Infinity");
        return value;
      }
      if (value.is_number()) return value;
      return BadParam(path, absl::StrCat("expected a number, got ", value.type_name()));
    default:
      if (value.is_structured() && Depth(value, kMaxDepth - depth) > kMaxDepth - depth) {
        return BadParam(path, "nested too deeply");
      }
      return value;
  }
}

// ------------------------------------------------------------- Parsing ----

absl::Status BadWire(std::string_view path, absl::string_view what) {
  return absl::DataLossError(
      absl::StrCat("unexpected response value for ", path.empty() ? "the output" : std::string(path), ": ", what));
}

absl::StatusOr<Value> ParseShape(const Shape& shape, const model::Traits& traits, const Value& wire,
                                 const ParseContext& context, int depth, const std::string& path);

// A map's null value: what botocore's handler returns for None where it
// returns something (None, or False from ensure_boolean); nullopt, the entry
// dropped as a dense map's should be, where botocore's handler would fail.
std::optional<Value> NullMapValue(const Shape& value_shape, bool rest) {
  switch (value_shape.type) {
    case ShapeType::kList:
    case ShapeType::kMap:
    case ShapeType::kBlob:
    case ShapeType::kTimestamp:
      return std::nullopt;
    case ShapeType::kInteger:
    case ShapeType::kLong:
    case ShapeType::kFloat:
    case ShapeType::kDouble:
      if (rest) return std::nullopt;
      return Value(nullptr);
    case ShapeType::kBoolean:
      return rest ? Value(false) : Value(nullptr);
    default:
      return Value(nullptr);
  }
}

absl::StatusOr<Value> ParseStructureAt(const Shape& shape, const Value& wire, const ParseContext& context, int depth,
                                       const std::string& path) {
  if (shape.is_document) return wire;  // Loads bounded its depth
  if (wire.is_null()) return Value(nullptr);
  if (!wire.is_object()) return BadWire(path, absl::StrCat("expected an object, got ", wire.type_name()));
  if (shape.is_union) {
    // botocore's _has_unknown_tagged_union_member.
    int set = 0;
    const std::string* tag = nullptr;
    for (auto it = wire.begin(); it != wire.end(); ++it) {
      if (it.key() == "__type" || it.value().is_null()) continue;
      if (tag == nullptr) tag = &it.key();
      ++set;
    }
    if (set != 1) {
      return BadWire(path,
                     absl::StrCat("Invalid service response: ", shape.name, " must have one and only one member set."));
    }
    bool known = false;
    for (const Member& m : shape.members) known = known || m.wire_name() == *tag;
    if (!known) {
      // botocore reports the first key as sent, __type included.
      return Value{{"SDK_UNKNOWN_MEMBER", {{"name", wire.begin().key()}}}};
    }
  }
  Value out = Value::object();
  for (const Member& member : shape.members) {
    const auto it = wire.find(member.wire_name());
    if (it == wire.end() || it->is_null()) continue;
    const std::string member_path = path.empty() ? member.name : absl::StrCat(path, ".", member.name);
    absl::StatusOr<Value> v = ParseShape(*member.shape, member.traits, *it, context, depth + 1, member_path);
    if (!v.ok()) return v.status();
    out[member.name] = *std::move(v);
  }
  return out;
}

absl::StatusOr<Value> ParseShape(const Shape& shape, const model::Traits& traits, const Value& wire,
                                 const ParseContext& context, int depth, const std::string& path) {
  if (depth > kMaxDepth) return BadWire(path, "nested too deeply");
  const bool rest = context.dialect == Dialect::kRestJson;
  switch (shape.type) {
    case ShapeType::kStructure:
      return ParseStructureAt(shape, wire, context, depth, path);
    case ShapeType::kList: {
      const Value* items = &wire;
      Value split;
      if (rest && traits.location == model::Location::kHeader && wire.is_string()) {
        // BaseRestParser._handle_list: a header list that arrived as "a, b".
        split = Value::array();
        const std::string& s = wire.get_ref<const std::string&>();
        std::size_t start = 0;
        while (true) {
          const std::size_t comma = s.find(',', start);
          split.push_back(std::string(absl::StripAsciiWhitespace(s.substr(start, comma - start))));
          if (comma == std::string::npos) break;
          start = comma + 1;
        }
        items = &split;
      }
      if (!items->is_array()) return BadWire(path, absl::StrCat("expected a list, got ", wire.type_name()));
      Value out = Value::array();
      for (std::size_t i = 0; i < items->size(); ++i) {
        const Value& item = (*items)[i];
        // Lists are treated as sparse: a null element stays null.
        if (item.is_null()) {
          out.push_back(nullptr);
          continue;
        }
        absl::StatusOr<Value> v = ParseShape(*shape.member.shape, shape.member.traits, item, context, depth + 1,
                                             absl::StrCat(path, "[", i, "]"));
        if (!v.ok()) return v.status();
        out.push_back(*std::move(v));
      }
      return out;
    }
    case ShapeType::kMap: {
      if (!wire.is_object()) return BadWire(path, absl::StrCat("expected an object, got ", wire.type_name()));
      Value out = Value::object();
      auto& entries = out.get_ref<Value::object_t&>();
      for (auto it = wire.begin(); it != wire.end(); ++it) {
        Value v = nullptr;
        if (it.value().is_null()) {
          const std::optional<Value> kept = NullMapValue(*shape.value.shape, rest);
          if (!kept) continue;
          v = *kept;
        } else {
          absl::StatusOr<Value> parsed = ParseShape(*shape.value.shape, shape.value.traits, it.value(), context,
                                                    depth + 1, absl::StrCat(path, ".", it.key()));
          if (!parsed.ok()) return parsed.status();
          v = *std::move(parsed);
        }
        // Keys are unique already (Loads kept one of each).
        entries.Container::emplace_back(it.key(), std::move(v));
      }
      return out;
    }
    case ShapeType::kBlob: {
      if (!wire.is_string()) return BadWire(path, absl::StrCat("expected base64 text, got ", wire.type_name()));
      const std::string& text = wire.get_ref<const std::string&>();
      for (const char c : text) {
        if (static_cast<unsigned char>(c) >= 0x80) return BadWire(path, "base64 text must be ASCII");
      }
      absl::StatusOr<std::string> bytes = py::B64Decode(text);
      if (!bytes.ok()) return BadWire(path, bytes.status().message());
      return Value::binary(std::vector<std::uint8_t>(bytes->begin(), bytes->end()));
    }
    case ShapeType::kTimestamp: {
      // Python's parse_timestamp takes a bool as the number it is.
      const Value number = wire.is_boolean() ? Value(wire.get<bool>() ? 1 : 0) : wire;
      absl::StatusOr<Timestamp> t = TimestampFromJson(number);
      if (!t.ok()) return BadWire(path, t.status().message());
      return TimestampResult(*t, wire, context.timestamps);
    }
    case ShapeType::kBoolean:
      if (!rest) return wire;
      // ensure_boolean: bools as they are, strings by "true", anything else False.
      if (wire.is_boolean()) return wire;
      if (wire.is_string()) return Value(absl::AsciiStrToLower(wire.get<std::string>()) == "true");
      return Value(false);
    case ShapeType::kInteger:
    case ShapeType::kLong: {
      if (!rest) return wire;
      absl::StatusOr<Value> v = py::Int(wire);
      if (!v.ok()) return BadWire(path, v.status().message());
      return v;
    }
    case ShapeType::kFloat:
    case ShapeType::kDouble: {
      if (!rest) return wire;
      absl::StatusOr<double> v = py::Float(wire);
      if (!v.ok()) return BadWire(path, v.status().message());
      return Value(*v);
    }
    default:
      return wire;
  }
}

}  // namespace

std::string Dumps(const Value& value, bool compact) {
  std::string out;
  DumpValue(value, compact, 0, out);
  return out;
}

absl::StatusOr<Value> Loads(std::string_view text) {
  if (!py::IsUtf8(text)) return absl::DataLossError("response body is not valid UTF-8");
  return Reader(text).Document();
}

absl::StatusOr<Value> Serialize(const model::Member& member, const Value& value) {
  return SerializeShape(*member.shape, member.traits, value, 0, member.name);
}

absl::StatusOr<Value> SerializeStructure(const model::Shape& shape, const Value& params, bool body_only) {
  return SerializeMembers(shape, params, body_only, 0, "");
}

absl::StatusOr<Value> Parse(const model::Member& member, const Value& wire, const ParseContext& context) {
  return ParseShape(*member.shape, member.traits, wire, context, 0, member.name);
}

absl::StatusOr<Value> ParseStructure(const model::Shape& shape, const Value& wire, const ParseContext& context) {
  return ParseStructureAt(shape, wire, context, 0, "");
}

}  // namespace awsd::protocols::json
