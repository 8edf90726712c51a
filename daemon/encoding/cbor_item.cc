#include "daemon/encoding/cbor_item.h"

#include <bit>
#include <cfloat>
#include <cmath>
#include <limits>

namespace awsd::encoding {
namespace {

constexpr uint64_t kDoubleSign = uint64_t{1} << 63;
constexpr uint64_t kDoubleExponent = uint64_t{0x7ff} << 52;
constexpr uint64_t kDoubleMantissa = (uint64_t{1} << 52) - 1;

uint64_t Bits(double value) { return std::bit_cast<uint64_t>(value); }

}  // namespace

double HalfBitsToDouble(uint16_t bits) {
  const bool negative = (bits & 0x8000) != 0;
  const int exponent = (bits >> 10) & 0x1f;
  const int mantissa = bits & 0x3ff;
  if (exponent == 0x1f) {
    // Built from bits so that a NaN's payload survives.
    return std::bit_cast<double>((negative ? kDoubleSign : 0) | kDoubleExponent | (uint64_t(mantissa) << 42));
  }
  const double magnitude = exponent == 0 ? std::ldexp(mantissa, -24) : std::ldexp(mantissa + 1024, exponent - 25);
  return negative ? -magnitude : magnitude;
}

double SingleBitsToDouble(uint32_t bits) {
  if (((bits >> 23) & 0xff) == 0xff) {
    // A float-to-double cast may quiet a signalling NaN; bits keep it as sent.
    const uint64_t sign = (bits & 0x80000000u) != 0 ? kDoubleSign : 0;
    return std::bit_cast<double>(sign | kDoubleExponent | (uint64_t(bits & 0x7fffff) << 29));
  }
  return static_cast<double>(std::bit_cast<float>(bits));
}

std::optional<uint32_t> DoubleToSingleBits(double value) {
  const uint64_t bits = Bits(value);
  const uint32_t sign = (bits & kDoubleSign) != 0 ? 0x80000000u : 0;
  if (std::isnan(value)) {
    const uint64_t mantissa = bits & kDoubleMantissa;
    if ((mantissa & ((uint64_t{1} << 29) - 1)) != 0) return std::nullopt;
    return sign | 0x7f800000u | static_cast<uint32_t>(mantissa >> 29);
  }
  // Narrowing a finite double beyond float's range is undefined behaviour.
  if (std::isfinite(value) && std::fabs(value) > FLT_MAX) return std::nullopt;
  const float narrowed = static_cast<float>(value);
  if (Bits(static_cast<double>(narrowed)) != bits) return std::nullopt;
  return std::bit_cast<uint32_t>(narrowed);
}

std::optional<uint16_t> DoubleToHalfBits(double value) {
  const uint64_t bits = Bits(value);
  const uint16_t sign = (bits & kDoubleSign) != 0 ? 0x8000 : 0;
  if (std::isnan(value)) {
    const uint64_t mantissa = bits & kDoubleMantissa;
    if ((mantissa & ((uint64_t{1} << 42) - 1)) != 0) return std::nullopt;
    return static_cast<uint16_t>(sign | 0x7c00 | (mantissa >> 42));
  }
  if (std::isinf(value)) return static_cast<uint16_t>(sign | 0x7c00);
  if (value == 0) return sign;
  const double magnitude = std::fabs(value);
  if (magnitude > 65504.0 || magnitude < std::ldexp(1.0, -24)) return std::nullopt;
  int exponent = 0;
  const double fraction = std::frexp(magnitude, &exponent);  // in [0.5, 1)
  const int biased = exponent + 14;
  uint16_t half = 0;
  if (biased >= 1) {
    const double significand = std::ldexp(fraction, 11);  // in [1024, 2048)
    if (significand != std::floor(significand)) return std::nullopt;
    half = static_cast<uint16_t>(sign | (biased << 10) | (static_cast<int>(significand) - 1024));
  } else {
    const double subnormal = std::ldexp(magnitude, 24);  // below 1024
    if (subnormal != std::floor(subnormal)) return std::nullopt;
    half = static_cast<uint16_t>(sign | static_cast<int>(subnormal));
  }
  // The arithmetic above is exact, but the round trip is the definition.
  if (Bits(HalfBitsToDouble(half)) != bits) return std::nullopt;
  return half;
}

CborItem CborItem::Int(int64_t value) {
  if (value >= 0) return Unsigned(static_cast<uint64_t>(value));
  // -(value + 1) cannot overflow, even for INT64_MIN.
  return Negative(static_cast<uint64_t>(-(value + 1)));
}

CborItem CborItem::Bytes(std::string bytes) {
  CborItem item(CborType::kBytes, 0);
  item.string_ = std::move(bytes);
  return item;
}

CborItem CborItem::Text(std::string text) {
  CborItem item(CborType::kText, 0);
  item.string_ = std::move(text);
  return item;
}

CborItem CborItem::ArrayOf(Array items) {
  CborItem item(CborType::kArray, 0);
  item.items_ = std::move(items);
  return item;
}

CborItem CborItem::MapOf(Map entries) {
  CborItem item(CborType::kMap, 0);
  item.entries_ = std::move(entries);
  return item;
}

CborItem CborItem::Tagged(uint64_t tag, CborItem tagged) {
  CborItem item(CborType::kTag, tag);
  item.tagged_.push_back(std::move(tagged));
  return item;
}

CborItem CborItem::Float(double value, CborFloatWidth width) {
  CborItem item(CborType::kFloat, Bits(value));
  // Keep the width only when it is lossless, so float_width() is always what
  // the encoder will write.
  const bool fits = (width == CborFloatWidth::kHalf && DoubleToHalfBits(value).has_value()) ||
                    (width == CborFloatWidth::kSingle && DoubleToSingleBits(value).has_value());
  item.float_width_ = fits ? width : CborFloatWidth::kDouble;
  return item;
}

CborItem CborItem::ShortestFloat(double value) {
  if (DoubleToHalfBits(value)) return Float(value, CborFloatWidth::kHalf);
  if (DoubleToSingleBits(value)) return Float(value, CborFloatWidth::kSingle);
  return Float(value);
}

std::optional<int64_t> CborItem::AsInt64() const {
  constexpr uint64_t kMax = std::numeric_limits<int64_t>::max();
  if (!IsInteger() || number_ > kMax) return std::nullopt;
  const int64_t n = static_cast<int64_t>(number_);
  return IsUnsigned() ? n : -1 - n;
}

double CborItem::float_value() const { return IsFloat() ? std::bit_cast<double>(number_) : 0.0; }

const CborItem& CborItem::tagged() const {
  static const CborItem* const kNull = new CborItem();
  return tagged_.empty() ? *kNull : tagged_.front();
}

void CborItem::Append(CborItem item) {
  if (IsArray()) items_.push_back(std::move(item));
}

void CborItem::Add(CborItem key, CborItem value) {
  if (IsMap()) entries_.emplace_back(std::move(key), std::move(value));
}

const CborItem* CborItem::Find(std::string_view key) const {
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
    if (it->first.IsText() && it->first.string_ == key) return &it->second;
  }
  return nullptr;
}

CborItem* CborItem::Find(std::string_view key) {
  return const_cast<CborItem*>(static_cast<const CborItem&>(*this).Find(key));
}

bool operator==(const CborItem& a, const CborItem& b) {
  return a.type_ == b.type_ && a.number_ == b.number_ && a.string_ == b.string_ && a.items_ == b.items_ &&
         a.entries_ == b.entries_ && a.tagged_ == b.tagged_;
}

}  // namespace awsd::encoding
