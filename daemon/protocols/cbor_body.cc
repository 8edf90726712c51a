#include "daemon/protocols/cbor_body.h"

#include <cfloat>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "absl/strings/str_cat.h"

namespace awsd::protocols::cbor {
namespace {

using encoding::CborItem;
using model::Shape;
using model::ShapeType;

// Python datetime's range (years 1 to 9999): fromtimestamp fails outside it,
// and botocore with it.
constexpr std::int64_t kMinEpochSeconds = -62135596800;
constexpr std::int64_t kMaxEpochSeconds = 253402300799;
constexpr std::int64_t kMicrosPerSecond = 1000000;

// Results never nest deeper than the decoder allows; this only guards items
// built by hand.
constexpr int kMaxResultDepth = 1024;

absl::Status ParamError(const std::string& path, const std::string& problem) {
  return absl::InvalidArgumentError(
      absl::StrCat("cannot serialize parameter ", path.empty() ? "input" : path, " as smithy-rpc-v2-cbor: ", problem));
}

std::string Join(const std::string& path, const std::string& name) { return path.empty() ? name : path + "." + name; }

// struct.pack(">f", value): rounds to the nearest single, and a finite value
// that rounds beyond FLT_MAX is Python's OverflowError.
absl::StatusOr<CborItem> SingleFloat(double value, const std::string& path) {
  // FLT_MAX plus half an ulp: ties round to even, which is away from FLT_MAX.
  static const double kOverflow = std::ldexp(1.0, 128) - std::ldexp(1.0, 103);
  if (std::fabs(value) >= kOverflow) return ParamError(path, "float too large to pack with f format");
  const float narrowed =
      std::fabs(value) > FLT_MAX ? std::copysign(FLT_MAX, static_cast<float>(value)) : static_cast<float>(value);
  return CborItem::Float32(narrowed);
}

// botocore writes NaN and the infinities as halves (NaN always 0x7e00,
// whatever its sign or payload).
CborItem SpecialFloat(double value) {
  const double special = std::isnan(value) ? std::numeric_limits<double>::quiet_NaN() : value;
  return CborItem::Float(special, encoding::CborFloatWidth::kHalf);
}

absl::StatusOr<CborItem> WriteParam(const Value& value, const Shape& shape, const std::string& path, int depth);

absl::StatusOr<CborItem> WriteStructure(const Value& value, const Shape& shape, const std::string& path, int depth) {
  if (!value.is_object()) return ParamError(path, "a structure must be an object");
  CborItem map = CborItem::MapOf();
  for (const auto& [name, member_value] : value.items()) {
    if (member_value.is_null()) continue;  // botocore drops None members
    const model::Member* member = shape.FindMember(name);
    if (member == nullptr || member->shape == nullptr) return ParamError(Join(path, name), "unknown member");
    absl::StatusOr<CborItem> item = WriteParam(member_value, *member->shape, Join(path, name), depth + 1);
    if (!item.ok()) return item.status();
    map.Add(CborItem::Text(member->wire_name()), *std::move(item));
  }
  return map;
}

absl::StatusOr<CborItem> WriteList(const Value& value, const Shape& shape, const std::string& path, int depth) {
  if (!value.is_array()) return ParamError(path, "a list must be an array");
  if (shape.member.shape == nullptr) return ParamError(path, "the list has no member shape");
  CborItem array = CborItem::ArrayOf();
  std::size_t index = 0;
  for (const Value& element : value) {
    const std::string element_path = absl::StrCat(path, "[", index++, "]");
    // botocore has no encoding for None here (it fails), nor does the model
    // allow one past validation.
    if (element.is_null()) return ParamError(element_path, "null list elements cannot be sent");
    absl::StatusOr<CborItem> item = WriteParam(element, *shape.member.shape, element_path, depth + 1);
    if (!item.ok()) return item.status();
    array.Append(*std::move(item));
  }
  return array;
}

absl::StatusOr<CborItem> WriteMap(const Value& value, const Shape& shape, const std::string& path, int depth) {
  if (!value.is_object()) return ParamError(path, "a map must be an object");
  if (shape.value.shape == nullptr) return ParamError(path, "the map has no value shape");
  CborItem map = CborItem::MapOf();
  for (const auto& [key, entry] : value.items()) {
    const std::string entry_path = Join(path, key);
    if (entry.is_null()) return ParamError(entry_path, "null map values cannot be sent");
    absl::StatusOr<CborItem> item = WriteParam(entry, *shape.value.shape, entry_path, depth + 1);
    if (!item.ok()) return item.status();
    map.Add(CborItem::Text(key), *std::move(item));
  }
  return map;
}

absl::StatusOr<CborItem> WriteParam(const Value& value, const Shape& shape, const std::string& path, int depth) {
  if (depth > kMaxParamDepth) return ParamError(path, "nested too deeply");
  switch (shape.type) {
    case ShapeType::kStructure:
      return WriteStructure(value, shape, path, depth);
    case ShapeType::kList:
      return WriteList(value, shape, path, depth);
    case ShapeType::kMap:
      return WriteMap(value, shape, path, depth);
    case ShapeType::kString:
      if (!value.is_string()) return ParamError(path, "expected a string");
      return CborItem::Text(value.get<std::string>());
    case ShapeType::kInteger:
    case ShapeType::kLong:
    case ShapeType::kShort:
    case ShapeType::kByte:
    case ShapeType::kBigInteger:
      // A Python bool is an int: botocore writes it as 0 or 1.
      if (value.is_boolean()) return CborItem::Unsigned(value.get<bool>() ? 1 : 0);
      if (value.is_number_unsigned()) return CborItem::Unsigned(value.get<std::uint64_t>());
      if (value.is_number_integer()) return CborItem::Int(value.get<std::int64_t>());
      return ParamError(path, "expected an integer");
    case ShapeType::kFloat:
    case ShapeType::kDouble:
    case ShapeType::kBigDecimal: {
      if (!value.is_number() && !value.is_boolean()) return ParamError(path, "expected a number");
      const double number = value.is_boolean() ? (value.get<bool>() ? 1.0 : 0.0) : value.get<double>();
      if (!std::isfinite(number)) return SpecialFloat(number);
      if (shape.type == ShapeType::kFloat) return SingleFloat(number, path);
      return CborItem::Float(number);
    }
    case ShapeType::kBoolean:
      if (!value.is_boolean()) return ParamError(path, "expected a boolean");
      return CborItem::Bool(value.get<bool>());
    case ShapeType::kTimestamp: {
      absl::StatusOr<Timestamp> t = TimestampFromJson(value);
      if (!t.ok()) return ParamError(path, std::string(t.status().message()));
      // int(calendar.timegm(...)): whole seconds, the fraction dropped.
      return CborItem::Tagged(1, CborItem::Int(t->seconds()));
    }
    case ShapeType::kBlob:
      if (value.is_binary()) {
        const std::vector<std::uint8_t>& bytes = value.get_binary();
        return CborItem::Bytes(std::string(bytes.begin(), bytes.end()));
      }
      if (value.is_string()) return CborItem::Bytes(value.get<std::string>());
      return ParamError(path, "expected bytes or a string");
  }
  return ParamError(path, "unsupported shape type");
}

bool IsNone(const CborItem& item) { return item.IsNull() || item.IsUndefined(); }

absl::Status DataLoss(const std::string& problem) {
  return absl::DataLossError(absl::StrCat("invalid smithy-rpc-v2-cbor response: ", problem));
}

// datetime.fromtimestamp(value, tzutc()): microseconds rounded half to even
// from the fraction, within datetime's range.
absl::StatusOr<Timestamp> EpochTimestamp(const CborItem& item) {
  std::int64_t seconds = 0;
  std::int64_t micros = 0;
  if (item.IsBool()) {
    seconds = item.bool_value() ? 1 : 0;
  } else if (item.IsUnsigned()) {
    if (item.unsigned_value() > static_cast<std::uint64_t>(kMaxEpochSeconds)) return DataLoss("timestamp out of range");
    seconds = static_cast<std::int64_t>(item.unsigned_value());
  } else if (item.IsNegative()) {
    if (item.argument() >= static_cast<std::uint64_t>(-kMinEpochSeconds)) return DataLoss("timestamp out of range");
    seconds = -1 - static_cast<std::int64_t>(item.argument());
  } else if (item.IsFloat()) {
    const double value = item.float_value();
    if (!std::isfinite(value) || std::fabs(value) > 1e12) return DataLoss("timestamp out of range");
    double whole = 0;
    const double fraction = std::modf(value, &whole);
    micros = static_cast<std::int64_t>(std::nearbyint(fraction * 1e6));  // the default mode: half to even
    seconds = static_cast<std::int64_t>(whole);
    if (micros >= kMicrosPerSecond) {
      seconds += 1;
      micros -= kMicrosPerSecond;
    } else if (micros < 0) {
      seconds -= 1;
      micros += kMicrosPerSecond;
    }
  } else {
    return DataLoss("a timestamp (tag 1) must hold a number");
  }
  if (seconds < kMinEpochSeconds || seconds > kMaxEpochSeconds) return DataLoss("timestamp out of range");
  return Timestamp{seconds * kMicrosPerSecond + micros};
}

// The epoch number as it came, for TimestampOutput::kWire.
Value WireNumber(const CborItem& item) {
  if (item.IsBool()) return item.bool_value() ? 1 : 0;
  if (item.IsUnsigned()) return item.unsigned_value();
  if (item.IsNegative()) return -1 - static_cast<std::int64_t>(item.argument());  // range-checked before
  return item.float_value();
}

absl::Status CheckDecodable(const CborItem& item, int depth) {
  if (depth > kMaxResultDepth) return DataLoss("nested too deeply");
  switch (item.type()) {
    case encoding::CborType::kTag:
      if (item.tag() != 1) return DataLoss(absl::StrCat("Found CBOR tag not supported by botocore: ", item.tag()));
      return EpochTimestamp(item.tagged()).status();
    case encoding::CborType::kSimple:
      if (!item.IsBool() && !item.IsNull() && !item.IsUndefined()) {
        return DataLoss(absl::StrCat("unsupported simple value ", item.simple_value()));
      }
      return absl::OkStatus();
    case encoding::CborType::kArray:
      for (const CborItem& element : item.array()) {
        if (absl::Status s = CheckDecodable(element, depth + 1); !s.ok()) return s;
      }
      return absl::OkStatus();
    case encoding::CborType::kMap:
      for (const auto& [key, value] : item.map()) {
        // A Python dict key must be hashable, lists and dicts are not; but an
        // entry whose value is None is never stored, so its key never hashed.
        if ((key.IsArray() || key.IsMap()) && !IsNone(value)) return DataLoss("a map key is an array or a map");
        if (absl::Status s = CheckDecodable(key, depth + 1); !s.ok()) return s;
        if (absl::Status s = CheckDecodable(value, depth + 1); !s.ok()) return s;
      }
      return absl::OkStatus();
    default:
      return absl::OkStatus();
  }
}

absl::StatusOr<Value> Untyped(const CborItem& item, TimestampOutput timestamps, int depth) {
  if (depth > kMaxResultDepth) return DataLoss("nested too deeply");
  switch (item.type()) {
    case encoding::CborType::kUnsigned:
      return Value(item.unsigned_value());
    case encoding::CborType::kNegative:
      if (std::optional<std::int64_t> n = item.AsInt64()) return Value(*n);
      // Beyond int64_t (down to -2^64): the nearest double.
      return Value(-1.0 - static_cast<double>(item.argument()));
    case encoding::CborType::kBytes: {
      const std::string& bytes = item.string_value();
      return Value::binary(std::vector<std::uint8_t>(bytes.begin(), bytes.end()));
    }
    case encoding::CborType::kText:
      return Value(item.string_value());
    case encoding::CborType::kArray: {
      Value array = Value::array();
      for (const CborItem& element : item.array()) {
        absl::StatusOr<Value> converted = Untyped(element, timestamps, depth + 1);
        if (!converted.ok()) return converted.status();
        array.push_back(*std::move(converted));
      }
      return array;
    }
    case encoding::CborType::kMap: {
      Value object = Value::object();
      // ordered_json finds keys by a linear scan; an index keeps a hostile
      // map of many keys linear.
      Value::object_t& fields = object.get_ref<Value::object_t&>();
      std::unordered_map<std::string_view, std::size_t> positions;
      for (const auto& [key, value] : item.map()) {
        if (IsNone(value)) continue;  // botocore's decoder never stores a None value
        if (!key.IsText()) return DataLoss("a map key is not a text string");
        absl::StatusOr<Value> converted = Untyped(value, timestamps, depth + 1);
        if (!converted.ok()) return converted.status();
        // A repeated key keeps its first position and its last value, as a dict does.
        const auto [at, added] = positions.try_emplace(key.string_value(), fields.size());
        if (added) {
          fields.emplace_back(key.string_value(), *std::move(converted));
        } else {
          (fields.begin() + static_cast<std::ptrdiff_t>(at->second))->second = *std::move(converted);
        }
      }
      return object;
    }
    case encoding::CborType::kTag: {
      if (item.tag() != 1) return DataLoss(absl::StrCat("Found CBOR tag not supported by botocore: ", item.tag()));
      absl::StatusOr<Timestamp> t = EpochTimestamp(item.tagged());
      if (!t.ok()) return t.status();
      return TimestampResult(*t, WireNumber(item.tagged()), timestamps);
    }
    case encoding::CborType::kSimple:
      if (item.IsBool()) return Value(item.bool_value());
      if (IsNone(item)) return Value(nullptr);
      return DataLoss(absl::StrCat("unsupported simple value ", item.simple_value()));
    case encoding::CborType::kFloat:
      return Value(item.float_value());
  }
  return DataLoss("unknown item");
}

// Whether a dict decoded from `map` has exactly one key besides "__type".
// Stops at the second distinct key: a hostile union cannot make this
// quadratic.
bool HasOneUnionMember(const CborItem& map) {
  const CborItem* first = nullptr;
  for (const auto& [key, value] : map.map()) {
    if (IsNone(value) || (key.IsText() && key.string_value() == "__type")) continue;
    if (first == nullptr) {
      first = &key;
    } else if (!(*first == key)) {
      return false;
    }
  }
  return first != nullptr;
}

// A structure's entries by text key, as FindEntry finds them; indexed once
// for large maps so that a structure with many members does not rescan a
// large body for each.
class Entries {
 public:
  explicit Entries(const CborItem& map) : map_(map) {
    if (map.map().size() <= kIndexAbove) return;
    for (const auto& [key, value] : map.map()) {
      if (key.IsText() && !IsNone(value)) index_[key.string_value()] = &value;
    }
  }

  const CborItem* Find(std::string_view key) const {
    if (map_.map().size() <= kIndexAbove) return FindEntry(map_, key);
    const auto it = index_.find(key);
    return it == index_.end() ? nullptr : it->second;
  }

 private:
  static constexpr std::size_t kIndexAbove = 16;
  const CborItem& map_;
  std::unordered_map<std::string_view, const CborItem*> index_;
};

absl::StatusOr<Value> Read(const CborItem& item, const Shape& shape, TimestampOutput timestamps, int depth) {
  if (depth > kMaxResultDepth) return DataLoss("nested too deeply");
  if (shape.type == ShapeType::kStructure) {
    if (!item.IsMap()) {
      // botocore only looks into the node for members: with none, anything reads as {}.
      if (shape.members.empty() && !shape.is_union) return Value::object();
      return DataLoss(absl::StrCat("structure ", shape.name, " is not a map"));
    }
    if (shape.is_union && !HasOneUnionMember(item)) {
      return DataLoss(
          absl::StrCat("Invalid service response: ", shape.name, " must have one and only one member set."));
    }
    const Entries entries(item);
    Value result = Value::object();
    for (const model::Member& member : shape.members) {
      const CborItem* entry = entries.Find(member.name);
      if (entry == nullptr || member.shape == nullptr) continue;
      absl::StatusOr<Value> converted = Read(*entry, *member.shape, timestamps, depth + 1);
      if (!converted.ok()) return converted.status();
      result[member.name] = *std::move(converted);
    }
    return result;
  }
  if (shape.type == ShapeType::kList) {
    if (!item.IsArray()) return DataLoss(absl::StrCat("list ", shape.name, " is not an array"));
    Value array = Value::array();
    for (const CborItem& element : item.array()) {
      if (IsNone(element) || shape.member.shape == nullptr) {
        array.push_back(nullptr);  // botocore reads every list as sparse
        continue;
      }
      absl::StatusOr<Value> converted = Read(element, *shape.member.shape, timestamps, depth + 1);
      if (!converted.ok()) return converted.status();
      array.push_back(*std::move(converted));
    }
    return array;
  }
  return Untyped(item, timestamps, depth);
}

// Walks one data item as BaseCBORParser.parse_data_item reads it, moving
// `pos` past it; false where botocore would raise (or nesting runs out).
class ItemScanner {
 public:
  explicit ItemScanner(std::string_view bytes) : bytes_(bytes) {}

  bool Item(int depth_left) {
    if (depth_left < 0 || pos_ >= bytes_.size()) return false;
    const auto initial = static_cast<std::uint8_t>(bytes_[pos_++]);
    const int major = initial >> 5;
    const int info = initial & 0x1f;
    std::uint64_t n = 0;
    switch (major) {
      case 0:
      case 1:
        return Argument(info, n);
      case 2:
      case 3:
        if (info != 31) return Argument(info, n) && Skip(n);
        // Chunks of any major type are read for their length alone.
        while (!Break()) {
          if (pos_ >= bytes_.size()) return false;
          if (!Argument(static_cast<std::uint8_t>(bytes_[pos_++]) & 0x1f, n) || !Skip(n)) return false;
        }
        return true;
      case 4:
      case 5: {
        const int per_entry = major == 4 ? 1 : 2;
        if (info == 31) {
          while (!Break()) {
            for (int i = 0; i < per_entry; ++i) {
              if (!Item(depth_left - 1)) return false;
            }
          }
          return true;
        }
        if (!Argument(info, n)) return false;
        for (std::uint64_t i = 0; i < n; ++i) {
          for (int j = 0; j < per_entry; ++j) {
            if (!Item(depth_left - 1)) return false;  // fails at the end of input, however large n is
          }
        }
        return true;
      }
      case 6:
        return Argument(info, n) && Item(depth_left - 1);
      default:
        if (info >= 20 && info <= 23) return true;
        if (info == 25) return Skip(2);
        if (info == 26) return Skip(4);
        if (info == 27) return Skip(8);
        return false;
    }
  }

  std::size_t pos() const { return pos_; }

 private:
  bool Argument(int info, std::uint64_t& n) {
    if (info < 24) {
      n = static_cast<std::uint64_t>(info);
      return true;
    }
    if (info > 27) return false;
    const std::size_t size = std::size_t{1} << (info - 24);
    if (bytes_.size() - pos_ < size) return false;
    n = 0;
    for (std::size_t i = 0; i < size; ++i) n = (n << 8) | static_cast<std::uint8_t>(bytes_[pos_++]);
    return true;
  }

  bool Skip(std::uint64_t n) {
    if (bytes_.size() - pos_ < n) return false;
    pos_ += static_cast<std::size_t>(n);
    return true;
  }

  // _handle_break_code: consumes a 0xff if it is next.
  bool Break() {
    if (pos_ < bytes_.size() && static_cast<std::uint8_t>(bytes_[pos_]) == 0xff) {
      ++pos_;
      return true;
    }
    return false;
  }

  std::string_view bytes_;
  std::size_t pos_ = 0;
};

}  // namespace

std::string_view BotocoreFirstItem(std::string_view body, int max_depth) {
  ItemScanner scanner(body);
  if (!scanner.Item(max_depth)) return body;
  return body.substr(0, scanner.pos());
}

absl::StatusOr<CborItem> ParamsToCbor(const Value& params, const Shape& shape) {
  return WriteParam(params, shape, "", 0);
}

absl::Status CheckBotocoreDecodable(const CborItem& item) { return CheckDecodable(item, 0); }

absl::StatusOr<Value> CborToResult(const CborItem& item, const Shape& shape, TimestampOutput timestamps) {
  return Read(item, shape, timestamps, 0);
}

absl::StatusOr<Value> UntypedCborToValue(const CborItem& item, TimestampOutput timestamps) {
  return Untyped(item, timestamps, 0);
}

const CborItem* FindEntry(const CborItem& map, std::string_view key) {
  const CborItem::Map& entries = map.map();
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    if (it->first.IsText() && it->first.string_value() == key && !IsNone(it->second)) return &it->second;
  }
  return nullptr;
}

}  // namespace awsd::protocols::cbor
