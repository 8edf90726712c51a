// EncodeCbor and the CborItem API: RFC 8949 Appendix A both ways, shortest
// heads at every boundary, float widths, round trips.

#include "daemon/encoding/cbor_encoder.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "absl/status/statusor.h"
#include "daemon/encoding/cbor_decoder.h"
#include "daemon/encoding/cbor_item.h"
#include "gtest/gtest.h"

namespace awsd::encoding {
namespace {

using Item = CborItem;

std::string Hex(const std::string& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : bytes) {
    hex += kDigits[c >> 4];
    hex += kDigits[c & 15];
  }
  return hex;
}

std::string Unhex(const std::string& hex) {
  std::string bytes;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) bytes += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return bytes;
}

Item Pair(Item key, Item value) { return Item::MapOf({{std::move(key), std::move(value)}}); }

struct Example {
  const char* what;
  Item item;
  const char* hex;
};

// RFC 8949 Appendix A, the examples with a definite, preferred encoding.
std::vector<Example> AppendixA() {
  std::vector<Example> examples = {
      {"0", Item::Unsigned(0), "00"},
      {"1", Item::Unsigned(1), "01"},
      {"10", Item::Unsigned(10), "0a"},
      {"23", Item::Unsigned(23), "17"},
      {"24", Item::Unsigned(24), "1818"},
      {"25", Item::Unsigned(25), "1819"},
      {"100", Item::Unsigned(100), "1864"},
      {"1000", Item::Unsigned(1000), "1903e8"},
      {"1000000", Item::Unsigned(1000000), "1a000f4240"},
      {"1000000000000", Item::Unsigned(1000000000000), "1b000000e8d4a51000"},
      {"18446744073709551615", Item::Unsigned(UINT64_MAX), "1bffffffffffffffff"},
      {"-18446744073709551616", Item::Negative(UINT64_MAX), "3bffffffffffffffff"},
      {"-1", Item::Int(-1), "20"},
      {"-10", Item::Int(-10), "29"},
      {"-100", Item::Int(-100), "3863"},
      {"-1000", Item::Int(-1000), "3903e7"},
      {"0.0", Item::ShortestFloat(0.0), "f90000"},
      {"-0.0", Item::ShortestFloat(-0.0), "f98000"},
      {"1.0", Item::ShortestFloat(1.0), "f93c00"},
      {"1.1", Item::ShortestFloat(1.1), "fb3ff199999999999a"},
      {"1.5", Item::ShortestFloat(1.5), "f93e00"},
      {"65504.0", Item::ShortestFloat(65504.0), "f97bff"},
      {"100000.0", Item::ShortestFloat(100000.0), "fa47c35000"},
      {"3.4028234663852886e+38", Item::ShortestFloat(3.4028234663852886e+38), "fa7f7fffff"},
      {"1.0e+300", Item::ShortestFloat(1.0e+300), "fb7e37e43c8800759c"},
      {"5.960464477539063e-8", Item::ShortestFloat(5.960464477539063e-8), "f90001"},
      {"0.00006103515625", Item::ShortestFloat(0.00006103515625), "f90400"},
      {"-4.0", Item::ShortestFloat(-4.0), "f9c400"},
      {"-4.1", Item::ShortestFloat(-4.1), "fbc010666666666666"},
      {"Infinity/16", Item::ShortestFloat(INFINITY), "f97c00"},
      {"NaN/16", Item::ShortestFloat(std::numeric_limits<double>::quiet_NaN()), "f97e00"},
      {"-Infinity/16", Item::ShortestFloat(-INFINITY), "f9fc00"},
      {"Infinity/32", Item::Float32(INFINITY), "fa7f800000"},
      {"NaN/32", Item::Float32(std::numeric_limits<float>::quiet_NaN()), "fa7fc00000"},
      {"-Infinity/32", Item::Float32(-INFINITY), "faff800000"},
      {"Infinity/64", Item::Float(INFINITY), "fb7ff0000000000000"},
      {"NaN/64", Item::Float(std::numeric_limits<double>::quiet_NaN()), "fb7ff8000000000000"},
      {"-Infinity/64", Item::Float(-INFINITY), "fbfff0000000000000"},
      {"false", Item::Bool(false), "f4"},
      {"true", Item::Bool(true), "f5"},
      {"null", Item::Null(), "f6"},
      {"undefined", Item::Undefined(), "f7"},
      {"simple(16)", Item::Simple(16), "f0"},
      {"simple(255)", Item::Simple(255), "f8ff"},
      {"0(\"2013-03-21T20:04:00Z\")", Item::Tagged(0, Item::Text("2013-03-21T20:04:00Z")),
       "c074323031332d30332d32315432303a30343a30305a"},
      {"1(1363896240)", Item::Tagged(1, Item::Unsigned(1363896240)), "c11a514b67b0"},
      {"1(1363896240.5)", Item::Tagged(1, Item::Float(1363896240.5)), "c1fb41d452d9ec200000"},
      {"23(h'01020304')", Item::Tagged(23, Item::Bytes(Unhex("01020304"))), "d74401020304"},
      {"24(h'6449455446')", Item::Tagged(24, Item::Bytes(Unhex("6449455446"))), "d818456449455446"},
      {"32(\"http://www.example.com\")", Item::Tagged(32, Item::Text("http://www.example.com")),
       "d82076687474703a2f2f7777772e6578616d706c652e636f6d"},
      {"h''", Item::Bytes(""), "40"},
      {"h'01020304'", Item::Bytes(Unhex("01020304")), "4401020304"},
      {"\"\"", Item::Text(""), "60"},
      {"\"a\"", Item::Text("a"), "6161"},
      {"\"IETF\"", Item::Text("IETF"), "6449455446"},
      {"\"\\\"\\\\\"", Item::Text("\"\\"), "62225c"},
      {"\"\\u00fc\"", Item::Text("\xc3\xbc"), "62c3bc"},
      {"\"\\u6c34\"", Item::Text("\xe6\xb0\xb4"), "63e6b0b4"},
      {"\"\\ud800\\udd51\"", Item::Text("\xf0\x90\x85\x91"), "64f0908591"},
      {"[]", Item::ArrayOf(), "80"},
      {"[1, 2, 3]", Item::ArrayOf({Item::Unsigned(1), Item::Unsigned(2), Item::Unsigned(3)}), "83010203"},
      {"[1, [2, 3], [4, 5]]",
       Item::ArrayOf({Item::Unsigned(1), Item::ArrayOf({Item::Unsigned(2), Item::Unsigned(3)}),
                      Item::ArrayOf({Item::Unsigned(4), Item::Unsigned(5)})}),
       "8301820203820405"},
      {"{}", Item::MapOf(), "a0"},
      {"{1: 2, 3: 4}", Item::MapOf({{Item::Unsigned(1), Item::Unsigned(2)}, {Item::Unsigned(3), Item::Unsigned(4)}}),
       "a201020304"},
      {"{\"a\": 1, \"b\": [2, 3]}",
       Item::MapOf({{Item::Text("a"), Item::Unsigned(1)},
                    {Item::Text("b"), Item::ArrayOf({Item::Unsigned(2), Item::Unsigned(3)})}}),
       "a26161016162820203"},
      {"[\"a\", {\"b\": \"c\"}]", Item::ArrayOf({Item::Text("a"), Pair(Item::Text("b"), Item::Text("c"))}),
       "826161a161626163"},
  };
  Item twenty_five = Item::ArrayOf();
  for (uint64_t i = 1; i <= 25; ++i) twenty_five.Append(Item::Unsigned(i));
  examples.push_back({"[1, ..., 25]", twenty_five, "98190102030405060708090a0b0c0d0e0f101112131415161718181819"});
  Item five = Item::MapOf();
  for (char c = 'a'; c <= 'e'; ++c) five.Add(Item::Text(std::string(1, c)), Item::Text(std::string(1, c - 32)));
  examples.push_back({"{\"a\": \"A\", ..., \"e\": \"E\"}", five, "a56161614161626142616361436164614461656145"});
  return examples;
}

TEST(CborEncoderTest, WritesTheAppendixAExamples) {
  for (const Example& example : AppendixA()) {
    EXPECT_EQ(Hex(EncodeCbor(example.item)), example.hex) << example.what;
  }
}

TEST(CborEncoderTest, ReadsTheAppendixAExamplesBack) {
  for (const Example& example : AppendixA()) {
    absl::StatusOr<Item> decoded = DecodeCbor(Unhex(example.hex));
    ASSERT_TRUE(decoded.ok()) << example.what << ": " << decoded.status();
    EXPECT_TRUE(*decoded == example.item) << example.what;
    EXPECT_EQ(decoded->float_width(), example.item.float_width()) << example.what;
    // Decoded items keep their wire form, so the bytes come back unchanged.
    EXPECT_EQ(Hex(EncodeCbor(*decoded)), example.hex) << example.what;
  }
}

TEST(CborEncoderTest, UsesTheShortestHeadAtEveryBoundary) {
  struct Boundary {
    uint64_t argument;
    const char* head;  // for major type 0
  };
  const Boundary boundaries[] = {
      {23, "17"},
      {24, "1818"},
      {255, "18ff"},
      {256, "190100"},
      {65535, "19ffff"},
      {65536, "1a00010000"},
      {4294967295, "1affffffff"},
      {4294967296, "1b0000000100000000"},
  };
  for (const Boundary& b : boundaries) {
    EXPECT_EQ(Hex(EncodeCbor(Item::Unsigned(b.argument))), b.head);
    std::string negative = b.head;
    negative[0] = static_cast<char>(negative[0] + 2);  // major 0 -> 1
    EXPECT_EQ(Hex(EncodeCbor(Item::Negative(b.argument))), negative);
    std::string tag = b.head;
    tag[0] = 'd';  // major 0 -> 6: 0x1? -> 0xd?
    EXPECT_EQ(Hex(EncodeCbor(Item::Tagged(b.argument, Item::Null()))), tag + "f6");
  }
  EXPECT_EQ(Hex(EncodeCbor(Item::Text(std::string(23, 'x')))).substr(0, 2), "77");
  EXPECT_EQ(Hex(EncodeCbor(Item::Text(std::string(24, 'x')))).substr(0, 4), "7818");
  EXPECT_EQ(Hex(EncodeCbor(Item::Bytes(std::string(256, 'x')))).substr(0, 6), "590100");
  EXPECT_EQ(Hex(EncodeCbor(Item::Bytes(std::string(65536, 'x')))).substr(0, 10), "5a00010000");
  Item array = Item::ArrayOf(Item::Array(256, Item::Null()));
  EXPECT_EQ(Hex(EncodeCbor(array)).substr(0, 6), "990100");
  Item map = Item::MapOf();
  for (uint64_t i = 0; i < 24; ++i) map.Add(Item::Unsigned(i), Item::Null());
  EXPECT_EQ(Hex(EncodeCbor(map)).substr(0, 4), "b818");
}

TEST(CborEncoderTest, WritesSignedIntegersAcrossTheRange) {
  EXPECT_EQ(Hex(EncodeCbor(Item::Int(0))), "00");
  EXPECT_EQ(Hex(EncodeCbor(Item::Int(-24))), "37");
  EXPECT_EQ(Hex(EncodeCbor(Item::Int(-25))), "3818");
  EXPECT_EQ(Hex(EncodeCbor(Item::Int(INT64_MAX))), "1b7fffffffffffffff");
  EXPECT_EQ(Hex(EncodeCbor(Item::Int(INT64_MIN))), "3b7fffffffffffffff");
  for (int64_t value : {int64_t{0}, int64_t{-1}, int64_t{42}, INT64_MIN, INT64_MAX}) {
    EXPECT_EQ(Item::Int(value).AsInt64(), value);
  }
  EXPECT_EQ(Item::Unsigned(uint64_t{1} << 63).AsInt64(), std::nullopt);
  EXPECT_EQ(Item::Negative(uint64_t{1} << 63).AsInt64(), std::nullopt);
  EXPECT_EQ(Item::Text("1").AsInt64(), std::nullopt);
}

TEST(CborEncoderTest, WritesFloatsAtTheirWidthWhenExact) {
  EXPECT_EQ(Hex(EncodeCbor(Item::Float(1.5))), "fb3ff8000000000000");
  EXPECT_EQ(Hex(EncodeCbor(Item::Float32(1.5f))), "fa3fc00000");
  EXPECT_EQ(Hex(EncodeCbor(Item::Float(1.5, CborFloatWidth::kHalf))), "f93e00");
  // Not exact in a single: written as the double it is.
  const Item inexact = Item::Float(1.1, CborFloatWidth::kSingle);
  EXPECT_EQ(inexact.float_width(), CborFloatWidth::kDouble);
  EXPECT_EQ(Hex(EncodeCbor(inexact)), "fb3ff199999999999a");
  EXPECT_EQ(Hex(EncodeCbor(Item::Float(1e300, CborFloatWidth::kSingle))), "fb7e37e43c8800759c");
  // A half's smallest subnormal, and one step below it.
  EXPECT_EQ(Hex(EncodeCbor(Item::ShortestFloat(std::ldexp(1.0, -24)))), "f90001");
  EXPECT_EQ(Hex(EncodeCbor(Item::ShortestFloat(std::ldexp(1.0, -25)))), "fa33000000");
  EXPECT_EQ(Hex(EncodeCbor(Item::ShortestFloat(65505.0))), "fa477fe100");
  // Width is how it is written, not what it is.
  EXPECT_TRUE(Item::Float32(2.0f) == Item::Float(2.0));
  EXPECT_FALSE(Item::Float(0.0) == Item::Float(-0.0));
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_TRUE(Item::Float(nan) == Item::Float(nan));
}

TEST(CborEncoderTest, KeepsNanPayloadsWhereTheWidthAllows) {
  for (uint16_t half : {uint16_t{0x7c01}, uint16_t{0x7e00}, uint16_t{0xfd55}}) {
    const double value = HalfBitsToDouble(half);
    ASSERT_TRUE(std::isnan(value));
    EXPECT_EQ(DoubleToHalfBits(value), half);
    EXPECT_TRUE(DoubleToSingleBits(value).has_value());
  }
  const double signalling = SingleBitsToDouble(0x7f800001);
  ASSERT_TRUE(std::isnan(signalling));
  EXPECT_EQ(DoubleToSingleBits(signalling), 0x7f800001u);
  EXPECT_EQ(DoubleToHalfBits(signalling), std::nullopt);
  EXPECT_EQ(Hex(EncodeCbor(Item::ShortestFloat(signalling))), "fa7f800001");
}

TEST(CborEncoderTest, EveryHalfRoundTripsThroughDouble) {
  for (uint32_t bits = 0; bits <= 0xffff; ++bits) {
    const double value = HalfBitsToDouble(static_cast<uint16_t>(bits));
    ASSERT_EQ(DoubleToHalfBits(value), bits) << std::hex << bits;
  }
}

TEST(CborEncoderTest, ItemAccessorsAreSafeOnOtherTypes) {
  const Item number = Item::Unsigned(7);
  EXPECT_EQ(number.Find("a"), nullptr);
  EXPECT_TRUE(number.tagged().IsNull());
  EXPECT_TRUE(number.array().empty());
  EXPECT_TRUE(number.map().empty());
  EXPECT_EQ(number.float_value(), 0.0);
  EXPECT_FALSE(number.bool_value());
  Item text = Item::Text("x");
  text.Append(Item::Null());
  text.Add(Item::Null(), Item::Null());
  EXPECT_TRUE(text == Item::Text("x"));
  EXPECT_TRUE(Item().IsNull());
  EXPECT_TRUE(Item::Bool(true).IsBool() && Item::Bool(true).bool_value());
  EXPECT_TRUE(Item::Simple(21) == Item::Bool(true));
}

TEST(CborEncoderTest, FindsTextKeysTheLastOneWinning) {
  Item map = Item::MapOf();
  map.Add(Item::Unsigned(1), Item::Text("number key"));
  map.Add(Item::Bytes("a"), Item::Text("byte key"));
  map.Add(Item::Text("a"), Item::Text("first"));
  map.Add(Item::Text("a"), Item::Text("second"));
  ASSERT_NE(map.Find("a"), nullptr);
  EXPECT_EQ(map.Find("a")->string_value(), "second");
  EXPECT_EQ(map.Find("1"), nullptr);
  EXPECT_EQ(Hex(EncodeCbor(map)),
            "a4016a6e756d626572206b657941616862797465206b6579616165666972737461616673656"
            "36f6e64");
  *map.Find("a") = Item::Text("third");
  EXPECT_EQ(map.map()[3].second.string_value(), "third");
}

TEST(CborEncoderTest, RoundTripsANestedDocument) {
  Item document = Item::MapOf();
  document.Add(Item::Text("__type"), Item::Text("smithy.protocoltests#Error"));
  document.Add(Item::Text("list"), Item::ArrayOf({Item::Int(-300), Item::Bytes(std::string("\0\xff", 2)),
                                                  Item::Float32(0.25f), Item::Undefined()}));
  document.Add(Item::Text("when"), Item::Tagged(1, Item::Float(1.7e9 + 0.125)));
  document.Add(Item::ArrayOf({Item::Null()}), Item::MapOf({{Item::Bool(false), Item::Text("\xe2\x82\xac")}}));
  const std::string bytes = EncodeCbor(document);
  absl::StatusOr<Item> decoded = DecodeCbor(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_TRUE(*decoded == document);
  EXPECT_EQ(EncodeCbor(*decoded), bytes);
  std::string appended = "prefix";
  AppendCbor(document, appended);
  EXPECT_EQ(appended, "prefix" + bytes);
}

TEST(CborEncoderTest, WritesIndefiniteInputAsDefinite) {
  absl::StatusOr<Item> decoded = DecodeCbor(Unhex("bf61610161629f0203ffff"));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(Hex(EncodeCbor(*decoded)), "a26161016162820203");
  decoded = DecodeCbor(Unhex("7f657374726561646d696e67ff"));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(Hex(EncodeCbor(*decoded)), "6973747265616d696e67");
}

}  // namespace
}  // namespace awsd::encoding
