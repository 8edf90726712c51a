// DecodeCbor's edges: indefinite lengths (RFC 8949 Appendix A), the depth
// limit, length prefixes the input cannot back, trailing bytes, reserved and
// misplaced codes, UTF-8, and arbitrary input never crashing.

#include "daemon/encoding/cbor_decoder.h"

#include <cmath>
#include <cstdint>
#include <random>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "daemon/encoding/cbor_encoder.h"
#include "daemon/encoding/cbor_item.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace awsd::encoding {
namespace {

using Item = CborItem;
using testing::HasSubstr;

std::string Unhex(const std::string& hex) {
  std::string bytes;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) bytes += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return bytes;
}

Item U(uint64_t value) { return Item::Unsigned(value); }

// The decode error message for `hex` ("" if it decoded).
std::string ErrorFor(const std::string& hex, const CborLimits& limits = {}) {
  absl::StatusOr<Item> item = DecodeCbor(Unhex(hex), limits);
  if (item.ok()) return "";
  EXPECT_EQ(item.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(item.status().message());
}

Item Decoded(const std::string& hex, const CborLimits& limits = {}) {
  absl::StatusOr<Item> item = DecodeCbor(Unhex(hex), limits);
  EXPECT_TRUE(item.ok()) << hex << ": " << item.status();
  return item.ok() ? *std::move(item) : Item::Undefined();
}

TEST(CborDecoderTest, ReadsTheAppendixAIndefiniteExamples) {
  EXPECT_TRUE(Decoded("5f42010243030405ff") == Item::Bytes(Unhex("0102030405")));
  EXPECT_TRUE(Decoded("7f657374726561646d696e67ff") == Item::Text("streaming"));
  EXPECT_TRUE(Decoded("9fff") == Item::ArrayOf());
  const Item nested = Item::ArrayOf({U(1), Item::ArrayOf({U(2), U(3)}), Item::ArrayOf({U(4), U(5)})});
  for (const char* hex : {"9f018202039f0405ffff", "9f01820203820405ff", "83018202039f0405ff", "83019f0203ff820405"}) {
    EXPECT_TRUE(Decoded(hex) == nested) << hex;
  }
  Item twenty_five = Item::ArrayOf();
  for (uint64_t i = 1; i <= 25; ++i) twenty_five.Append(U(i));
  EXPECT_TRUE(Decoded("9f0102030405060708090a0b0c0d0e0f101112131415161718181819ff") == twenty_five);
  EXPECT_TRUE(Decoded("bf61610161629f0203ffff") ==
              Item::MapOf({{Item::Text("a"), U(1)}, {Item::Text("b"), Item::ArrayOf({U(2), U(3)})}}));
  EXPECT_TRUE(Decoded("826161bf61626163ff") ==
              Item::ArrayOf({Item::Text("a"), Item::MapOf({{Item::Text("b"), Item::Text("c")}})}));
  const Item fun = Decoded("bf6346756ef563416d7421ff");
  ASSERT_TRUE(fun.IsMap());
  ASSERT_NE(fun.Find("Fun"), nullptr);
  EXPECT_TRUE(fun.Find("Fun")->bool_value());
  ASSERT_NE(fun.Find("Amt"), nullptr);
  EXPECT_EQ(fun.Find("Amt")->AsInt64(), -2);
}

TEST(CborDecoderTest, ReadsEveryHalfFloatShape) {
  EXPECT_EQ(Decoded("f90050").float_value(), std::ldexp(80.0, -24));  // subnormal
  EXPECT_EQ(Decoded("f97c00").float_value(), INFINITY);
  EXPECT_EQ(Decoded("f9fc00").float_value(), -INFINITY);
  EXPECT_TRUE(std::isnan(Decoded("f97c01").float_value()));
  EXPECT_TRUE(std::isnan(Decoded("f97e00").float_value()));
  EXPECT_TRUE(std::signbit(Decoded("f98000").float_value()));
  EXPECT_EQ(Decoded("f97c01").float_width(), CborFloatWidth::kHalf);
  // The payload survives to the encoder.
  EXPECT_EQ(EncodeCbor(Decoded("f97c01")), Unhex("f97c01"));
  EXPECT_EQ(EncodeCbor(Decoded("fa7f800001")), Unhex("fa7f800001"));
}

TEST(CborDecoderTest, ReadsSimpleValuesAndTheFullNegativeRange) {
  for (uint8_t value = 0; value < 24; ++value) {
    const Item item = Decoded(std::string(1, "0123456789abcdef"[(0xe0 + value) >> 4]) + "0123456789abcdef"[value & 15]);
    EXPECT_TRUE(item.IsSimple());
    EXPECT_EQ(item.simple_value(), value);
  }
  EXPECT_EQ(Decoded("f820").simple_value(), 32);
  EXPECT_EQ(Decoded("f8ff").simple_value(), 255);
  const Item lowest = Decoded("3bffffffffffffffff");
  EXPECT_TRUE(lowest.IsNegative());
  EXPECT_EQ(lowest.argument(), UINT64_MAX);
  EXPECT_EQ(lowest.AsInt64(), std::nullopt);
  EXPECT_EQ(Decoded("3b7fffffffffffffff").AsInt64(), INT64_MIN);
}

TEST(CborDecoderTest, ReadsMapsWithAnyKeysInOrder) {
  const Item map = Decoded("a3f6016161024102a0");
  ASSERT_TRUE(map.IsMap());
  ASSERT_EQ(map.map().size(), 3u);
  EXPECT_TRUE(map.map()[0].first.IsNull());
  EXPECT_TRUE(map.map()[1].first == Item::Text("a"));
  EXPECT_TRUE(map.map()[2].first == Item::Bytes("\x02"));
  EXPECT_TRUE(map.map()[2].second == Item::MapOf());
}

std::string Nested(const std::string& open, int depth, const std::string& inner, const std::string& close = "") {
  std::string hex;
  for (int i = 0; i < depth; ++i) hex += open;
  hex += inner;
  for (int i = 0; i < depth; ++i) hex += close;
  return hex;
}

TEST(CborDecoderTest, EnforcesTheDepthLimit) {
  EXPECT_EQ(ErrorFor(Nested("81", 256, "00")), "");
  EXPECT_THAT(ErrorFor(Nested("81", 257, "00")), HasSubstr("nesting deeper than the limit of 256 at byte 256"));
  EXPECT_EQ(ErrorFor(Nested("9f", 256, "", "ff")), "");
  EXPECT_THAT(ErrorFor(Nested("9f", 257, "", "ff")), HasSubstr("nesting"));
  EXPECT_THAT(ErrorFor(Nested("a1", 300, "00", "")), HasSubstr("nesting"));
  // Tags nest too, and would otherwise recurse without bound.
  EXPECT_THAT(ErrorFor(Nested("c1", 100000, "00")), HasSubstr("nesting"));
  CborLimits shallow;
  shallow.max_depth = 1;
  EXPECT_EQ(ErrorFor("8100", shallow), "");
  EXPECT_THAT(ErrorFor("818100", shallow), HasSubstr("at byte 1"));
  shallow.max_depth = 0;
  EXPECT_EQ(ErrorFor("6161", shallow), "");
  EXPECT_THAT(ErrorFor("80", shallow), HasSubstr("nesting"));
}

TEST(CborDecoderTest, RefusesLengthsTheInputCannotBack) {
  // Each would be a multi-exabyte allocation if believed.
  EXPECT_THAT(ErrorFor("5b800000000000000000"), HasSubstr("byte string of 9223372036854775808 byte(s)"));
  EXPECT_THAT(ErrorFor("7bffffffffffffffff00"), HasSubstr("text string of 18446744073709551615"));
  EXPECT_THAT(ErrorFor("9b800000000000000000"), HasSubstr("array of 9223372036854775808 item(s)"));
  EXPECT_THAT(ErrorFor("bbffffffffffffffff0000"), HasSubstr("map of 18446744073709551615 pair(s)"));
  EXPECT_THAT(ErrorFor("5f5bffffffffffffffff00ff"), HasSubstr("at byte 1"));
  // Exactly enough input is fine; one item short is not.
  EXPECT_EQ(ErrorFor("8a" + std::string(20, '0')), "");
  EXPECT_THAT(ErrorFor("8a" + std::string(18, '0')), HasSubstr("array of 10 item(s) but only 9"));
  EXPECT_EQ(ErrorFor("a2" + std::string(8, '0')), "");
  EXPECT_THAT(ErrorFor("a2" + std::string(6, '0')), HasSubstr("map of 2 pair(s)"));
  EXPECT_THAT(ErrorFor("4301"), HasSubstr("byte string of 3 byte(s) but only 1 remain at byte 0"));
}

TEST(CborDecoderTest, RefusesTrailingBytes) {
  EXPECT_THAT(ErrorFor("0000"), HasSubstr("1 trailing byte(s) after the top-level item at byte 1"));
  EXPECT_THAT(ErrorFor("8001ff"), HasSubstr("2 trailing byte(s)"));
  EXPECT_THAT(ErrorFor("9fffff"), HasSubstr("trailing"));
}

TEST(CborDecoderTest, RefusesTruncatedInput) {
  EXPECT_THAT(ErrorFor(""), HasSubstr("unexpected end of input, expected a data item at byte 0"));
  EXPECT_THAT(ErrorFor("8201"), HasSubstr("an array of 2 item(s) but only 1 byte(s) remain at byte 0"));
  EXPECT_THAT(ErrorFor("a16161"), HasSubstr("unexpected end of input, expected a data item at byte 3"));
  EXPECT_THAT(ErrorFor("9f01"), HasSubstr("expected a break to close the indefinite array at byte 0"));
  EXPECT_THAT(ErrorFor("bf0102"), HasSubstr("expected a break to close the indefinite map"));
  EXPECT_THAT(ErrorFor("7f6161"), HasSubstr("expected a break to close the indefinite text string"));
  EXPECT_THAT(ErrorFor("f9ff"), HasSubstr("a 2-byte argument but only 1 byte(s) remain at byte 0"));
  // Every proper prefix of a document fails, and none crashes.
  const std::string whole = Unhex("bf6346756ef563416d74397fff627878c11b0000000100000000fb3ff199999999999a5f4100ffff");
  ASSERT_TRUE(DecodeCbor(whole).ok());
  for (size_t n = 0; n < whole.size(); ++n) EXPECT_FALSE(DecodeCbor(whole.substr(0, n)).ok()) << n;
}

TEST(CborDecoderTest, RefusesReservedAndMisplacedCodes) {
  for (int major = 0; major < 8; ++major) {
    for (int info = 28; info <= 30; ++info) {
      const int initial = major << 5 | info;
      const std::string hex = {"0123456789abcdef"[initial >> 4], "0123456789abcdef"[initial & 15]};
      EXPECT_THAT(ErrorFor(hex + "00000000"), HasSubstr("reserved additional information")) << hex;
    }
  }
  EXPECT_THAT(ErrorFor("1f"), HasSubstr("indefinite length on a unsigned integer"));
  EXPECT_THAT(ErrorFor("3f"), HasSubstr("negative integer"));
  EXPECT_THAT(ErrorFor("df00"), HasSubstr("tag"));
  EXPECT_THAT(ErrorFor("ff"), HasSubstr("a break (0xff) where a data item was expected at byte 0"));
  EXPECT_THAT(ErrorFor("8200ff"), HasSubstr("break"));
  EXPECT_THAT(ErrorFor("a1ff00"), HasSubstr("break"));
  EXPECT_THAT(ErrorFor("bf00ff"), HasSubstr("a break between a map key and its value at byte 2"));
  EXPECT_THAT(ErrorFor("c1ff"), HasSubstr("break"));
  EXPECT_THAT(ErrorFor("f818"), HasSubstr("simple value 24 in two bytes"));
  EXPECT_THAT(ErrorFor("f800"), HasSubstr("simple value 0"));
}

TEST(CborDecoderTest, RefusesBadIndefiniteStringChunks) {
  EXPECT_THAT(ErrorFor("5f6161ff"), HasSubstr("a text string inside an indefinite byte string"));
  EXPECT_THAT(ErrorFor("7f4161ff"), HasSubstr("a byte string inside an indefinite text string"));
  EXPECT_THAT(ErrorFor("5f00ff"), HasSubstr("unsigned integer inside"));
  EXPECT_THAT(ErrorFor("5f5fffff"), HasSubstr("an indefinite chunk nested"));
  EXPECT_THAT(ErrorFor("7f7fffff"), HasSubstr("an indefinite chunk nested"));
  EXPECT_THAT(ErrorFor("7f6161"), HasSubstr("expected a break"));
}

TEST(CborDecoderTest, RequiresUtf8Text) {
  EXPECT_THAT(ErrorFor("62c328"), HasSubstr("not valid UTF-8 at byte 1"));
  EXPECT_THAT(ErrorFor("62c0af"), HasSubstr("UTF-8"));        // overlong '/'
  EXPECT_THAT(ErrorFor("63eda080"), HasSubstr("UTF-8"));      // a surrogate
  EXPECT_THAT(ErrorFor("64f4900000"), HasSubstr("UTF-8"));    // above U+10FFFF
  EXPECT_THAT(ErrorFor("7f61c361bcff"), HasSubstr("UTF-8"));  // a character split over chunks
  EXPECT_EQ(ErrorFor("7f62c3bcff"), "");
  CborLimits lax;
  lax.require_utf8 = false;
  EXPECT_TRUE(Decoded("62c328", lax) == Item::Text("\xc3("));
  EXPECT_EQ(ErrorFor("42c328"), "");  // byte strings are bytes
}

TEST(CborDecoderTest, NeverCrashesOnArbitraryInput) {
  for (int a = 0; a < 256; ++a) {
    for (int b = 0; b < 256; ++b) {
      const std::string two = {static_cast<char>(a), static_cast<char>(b)};
      (void)DecodeCbor(two.substr(0, 1));
      (void)DecodeCbor(two);
    }
  }
  std::mt19937 random(20240601);
  // Biased towards heads, breaks and small arguments so that structure forms.
  const uint8_t alphabet[] = {0x00, 0x18, 0x1b, 0x3b, 0x41, 0x5f, 0x61, 0x7f, 0x81, 0x9f, 0xa1, 0xbf,
                              0xc1, 0xd8, 0xf9, 0xfa, 0xfb, 0xf6, 0xf8, 0xff, 0xc3, 0xbc, 0xff, 0x80};
  size_t decoded = 0;
  for (int round = 0; round < 200000; ++round) {
    std::string input(random() % 24, '\0');
    for (char& c : input) {
      c = static_cast<char>(random() % 3 == 0 ? random() % 256 : alphabet[random() % sizeof(alphabet)]);
    }
    absl::StatusOr<Item> item = DecodeCbor(input);
    if (item.ok()) {
      ++decoded;
      // Anything accepted re-encodes to something that decodes to the same.
      absl::StatusOr<Item> again = DecodeCbor(EncodeCbor(*item));
      ASSERT_TRUE(again.ok()) << again.status();
      ASSERT_TRUE(*again == *item);
    } else {
      ASSERT_EQ(item.status().code(), absl::StatusCode::kInvalidArgument);
    }
  }
  EXPECT_GT(decoded, 0u);
}

}  // namespace
}  // namespace awsd::encoding
