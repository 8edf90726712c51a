#include "daemon/encoding/cbor_encoder.h"

#include <bit>
#include <cstdint>

namespace awsd::encoding {
namespace {

void AppendBigEndian(uint64_t value, int bytes, std::string& out) {
  for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) out += static_cast<char>((value >> shift) & 0xff);
}

void AppendHead(uint8_t major, uint64_t argument, std::string& out) {
  const uint8_t high = static_cast<uint8_t>(major << 5);
  if (argument < 24) {
    out += static_cast<char>(high | argument);
  } else if (argument <= 0xff) {
    out += static_cast<char>(high | 24);
    AppendBigEndian(argument, 1, out);
  } else if (argument <= 0xffff) {
    out += static_cast<char>(high | 25);
    AppendBigEndian(argument, 2, out);
  } else if (argument <= 0xffffffff) {
    out += static_cast<char>(high | 26);
    AppendBigEndian(argument, 4, out);
  } else {
    out += static_cast<char>(high | 27);
    AppendBigEndian(argument, 8, out);
  }
}

void AppendFloat(const CborItem& item, std::string& out) {
  const double value = item.float_value();
  // CborItem::Float only keeps a narrow width that holds the value exactly.
  if (item.float_width() == CborFloatWidth::kHalf) {
    if (std::optional<uint16_t> half = DoubleToHalfBits(value)) {
      out += static_cast<char>(0xf9);
      AppendBigEndian(*half, 2, out);
      return;
    }
  } else if (item.float_width() == CborFloatWidth::kSingle) {
    if (std::optional<uint32_t> single = DoubleToSingleBits(value)) {
      out += static_cast<char>(0xfa);
      AppendBigEndian(*single, 4, out);
      return;
    }
  }
  out += static_cast<char>(0xfb);
  AppendBigEndian(std::bit_cast<uint64_t>(value), 8, out);
}

}  // namespace

void AppendCbor(const CborItem& item, std::string& out) {
  switch (item.type()) {
    case CborType::kUnsigned:
      AppendHead(0, item.argument(), out);
      break;
    case CborType::kNegative:
      AppendHead(1, item.argument(), out);
      break;
    case CborType::kBytes:
    case CborType::kText:
      AppendHead(item.IsBytes() ? 2 : 3, item.string_value().size(), out);
      out += item.string_value();
      break;
    case CborType::kArray:
      AppendHead(4, item.array().size(), out);
      for (const CborItem& element : item.array()) AppendCbor(element, out);
      break;
    case CborType::kMap:
      AppendHead(5, item.map().size(), out);
      for (const auto& [key, value] : item.map()) {
        AppendCbor(key, out);
        AppendCbor(value, out);
      }
      break;
    case CborType::kTag:
      AppendHead(6, item.tag(), out);
      AppendCbor(item.tagged(), out);
      break;
    case CborType::kSimple:
      AppendHead(7, item.simple_value(), out);
      break;
    case CborType::kFloat:
      AppendFloat(item, out);
      break;
  }
}

std::string EncodeCbor(const CborItem& item) {
  std::string out;
  AppendCbor(item, out);
  return out;
}

}  // namespace awsd::encoding
