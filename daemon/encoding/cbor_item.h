#pragma once

// One CBOR data item (RFC 8949) as a tree: what DecodeCbor produces and
// EncodeCbor consumes. The smithy-rpc-v2-cbor serializer and parser build and
// walk these; nothing here knows about service models.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace awsd::encoding {

enum class CborType {
  kUnsigned,  // major type 0
  kNegative,  // major type 1: the value is -1 - argument
  kBytes,     // major type 2
  kText,      // major type 3
  kArray,     // major type 4
  kMap,       // major type 5
  kTag,       // major type 6
  kSimple,    // major type 7: false, true, null, undefined and the rest
  kFloat,     // major type 7: half, single or double
};

// How wide a float is (or was) on the wire. Not part of the value: two floats
// of the same double compare equal whatever their widths.
enum class CborFloatWidth { kHalf, kSingle, kDouble };

class CborItem {
 public:
  using Array = std::vector<CborItem>;
  // In wire order; keys may be any item and may repeat (well-formed CBOR
  // allows both, and a decoder that dropped either could not round-trip).
  using Map = std::vector<std::pair<CborItem, CborItem>>;

  static constexpr uint8_t kFalse = 20;
  static constexpr uint8_t kTrue = 21;
  static constexpr uint8_t kNull = 22;
  static constexpr uint8_t kUndefined = 23;

  // null, so that a default-constructed item is a valid one.
  CborItem() : CborItem(CborType::kSimple, kNull) {}

  static CborItem Unsigned(uint64_t value) { return CborItem(CborType::kUnsigned, value); }
  // -1 - `argument`: the whole of major type 1, down to -2^64, which no
  // int64_t holds.
  static CborItem Negative(uint64_t argument) { return CborItem(CborType::kNegative, argument); }
  static CborItem Int(int64_t value);
  static CborItem Bytes(std::string bytes);
  // `text` should be UTF-8; the encoder writes it as given.
  static CborItem Text(std::string text);
  static CborItem ArrayOf(Array items = {});
  static CborItem MapOf(Map entries = {});
  static CborItem Tagged(uint64_t tag, CborItem item);
  static CborItem Bool(bool value) { return CborItem(CborType::kSimple, value ? kTrue : kFalse); }
  static CborItem Null() { return CborItem(CborType::kSimple, kNull); }
  static CborItem Undefined() { return CborItem(CborType::kSimple, kUndefined); }
  // Simple values 24..31 are reserved: RFC 8949 has no well-formed encoding
  // for them, so they must not be passed here.
  static CborItem Simple(uint8_t value) { return CborItem(CborType::kSimple, value); }
  // Written as a double (0xfb) unless `width` is narrower and holds `value`
  // exactly; NaN payloads are kept as far as the width allows.
  static CborItem Float(double value, CborFloatWidth width = CborFloatWidth::kDouble);
  // A single (0xfa), as smithy's Float shapes are written.
  static CborItem Float32(float value) { return Float(value, CborFloatWidth::kSingle); }
  // The narrowest width that holds `value` exactly.
  static CborItem ShortestFloat(double value);

  CborType type() const { return type_; }
  bool IsUnsigned() const { return type_ == CborType::kUnsigned; }
  bool IsNegative() const { return type_ == CborType::kNegative; }
  bool IsInteger() const { return IsUnsigned() || IsNegative(); }
  bool IsBytes() const { return type_ == CborType::kBytes; }
  bool IsText() const { return type_ == CborType::kText; }
  bool IsArray() const { return type_ == CborType::kArray; }
  bool IsMap() const { return type_ == CborType::kMap; }
  bool IsTag() const { return type_ == CborType::kTag; }
  bool IsSimple() const { return type_ == CborType::kSimple; }
  bool IsBool() const { return IsSimple() && (number_ == kFalse || number_ == kTrue); }
  bool IsNull() const { return IsSimple() && number_ == kNull; }
  bool IsUndefined() const { return IsSimple() && number_ == kUndefined; }
  bool IsFloat() const { return type_ == CborType::kFloat; }

  // Each accessor is meaningful only for the type it names; on another type it
  // returns a harmless value (0, false, empty) rather than failing.

  // The head's argument: the unsigned value, the negative's n, the tag number,
  // the simple value.
  uint64_t argument() const { return type_ == CborType::kFloat ? 0 : number_; }
  uint64_t unsigned_value() const { return IsUnsigned() ? number_ : 0; }
  // An integer's value when an int64_t holds it.
  std::optional<int64_t> AsInt64() const;
  bool bool_value() const { return IsSimple() && number_ == kTrue; }
  uint8_t simple_value() const { return IsSimple() ? static_cast<uint8_t>(number_) : 0; }
  double float_value() const;
  CborFloatWidth float_width() const { return float_width_; }
  // A byte or text string's content.
  const std::string& string_value() const { return string_; }
  // The mutable forms are for arrays and maps only (to move items out).
  const Array& array() const { return items_; }
  Array& mutable_array() { return items_; }
  const Map& map() const { return entries_; }
  Map& mutable_map() { return entries_; }
  uint64_t tag() const { return IsTag() ? number_ : 0; }
  // The tagged item (null when this is not a tag).
  const CborItem& tagged() const;

  // Appends to an array / a map; ignored on other types.
  void Append(CborItem item);
  void Add(CborItem key, CborItem value);
  // The value under text key `key` in a map, the last one when the key
  // repeats (what botocore's dict keeps); nullptr when absent or not a map.
  const CborItem* Find(std::string_view key) const;
  CborItem* Find(std::string_view key);

  // Structural equality, map entries in order, floats bitwise (so NaN equals
  // the same NaN); float width is ignored.
  friend bool operator==(const CborItem& a, const CborItem& b);

 private:
  CborItem(CborType type, uint64_t number) : type_(type), number_(number) {}

  CborType type_;
  // The argument, or for a float the bits of its double.
  uint64_t number_ = 0;
  CborFloatWidth float_width_ = CborFloatWidth::kDouble;
  std::string string_;
  Array items_;
  Map entries_;
  // A tag's one item (a vector so that CborItem stays copyable by default).
  Array tagged_;
};

// Half and single floats' bits to a double and back, NaN payloads kept (the
// top bits of the mantissa). The narrowing ones give nullopt when the double
// is not exactly representable.
double HalfBitsToDouble(uint16_t bits);
double SingleBitsToDouble(uint32_t bits);
std::optional<uint16_t> DoubleToHalfBits(double value);
std::optional<uint32_t> DoubleToSingleBits(double value);

}  // namespace awsd::encoding
