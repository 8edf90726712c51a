// The public CBOR decoding suites (botocore's tests/unit/cbor), read in place
// from $AWSD_CONFORMANCE_DIR/cbor: each success case must decode to exactly
// the item it describes, each error case must be refused.

#include <bit>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "daemon/encoding/cbor_decoder.h"
#include "daemon/encoding/cbor_encoder.h"
#include "daemon/encoding/cbor_item.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/conformance_suite.h"
#include "tests/support/test_paths.h"

namespace awsd::encoding {
namespace {

using nlohmann::json;
using test_support::SuiteCase;

// Builds the document as nlohmann would, except that an integer neither
// int64_t nor uint64_t holds (negint goes down to -2^64) is kept as its
// decimal text instead of being rounded to a double.
class ExactIntegerSax : public nlohmann::json_sax<json> {
 public:
  explicit ExactIntegerSax(json& root) : dom_(root, /*allow_exceptions_=*/false) {}

  bool null() override { return dom_.null(); }
  bool boolean(bool value) override { return dom_.boolean(value); }
  bool number_integer(number_integer_t value) override { return dom_.number_integer(value); }
  bool number_unsigned(number_unsigned_t value) override { return dom_.number_unsigned(value); }
  bool number_float(number_float_t value, const string_t& text) override {
    if (text.find_first_of(".eE") == string_t::npos) {
      string_t copy = text;
      return dom_.string(copy);
    }
    return dom_.number_float(value, text);
  }
  bool string(string_t& value) override { return dom_.string(value); }
  bool binary(binary_t& value) override { return dom_.binary(value); }
  bool start_object(std::size_t elements) override { return dom_.start_object(elements); }
  bool key(string_t& value) override { return dom_.key(value); }
  bool end_object() override { return dom_.end_object(); }
  bool start_array(std::size_t elements) override { return dom_.start_array(elements); }
  bool end_array() override { return dom_.end_array(); }
  bool parse_error(std::size_t position, const std::string& token, const nlohmann::detail::exception& ex) override {
    return dom_.parse_error(position, token, ex);
  }

 private:
  nlohmann::detail::json_sax_dom_parser<json> dom_;
};

// These suites are top-level arrays of cases, named by "description". A
// missing, unreadable or empty suite becomes one failing case.
std::vector<SuiteCase> LoadArraySuite(const std::string& relative_path) {
  const std::string path = test_support::ConformanceDir() + "/" + relative_path;
  std::ifstream in(path);
  json suite;
  ExactIntegerSax sax(suite);
  const bool parsed = in && json::sax_parse(in, &sax);
  if (!parsed || !suite.is_array() || suite.empty()) {
    return {SuiteCase{"suite_missing", json{{"missing", path}}}};
  }
  std::vector<SuiteCase> cases;
  std::set<std::string> seen;
  for (const json& test : suite) {
    const std::string name = test_support::SanitiseCaseName(test.value("description", ""));
    std::string unique = name;
    for (int n = 2; seen.contains(unique); ++n) unique = name + "_" + std::to_string(n);
    seen.insert(unique);
    cases.push_back(SuiteCase{unique, test});
  }
  return cases;
}

std::string FromHex(const std::string& hex) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string bytes;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    const int high = nibble(hex[i]);
    const int low = nibble(hex[i + 1]);
    if (high < 0 || low < 0) ADD_FAILURE() << "bad hex input " << hex;
    bytes += static_cast<char>(high * 16 + low);
  }
  if (hex.size() % 2 != 0) ADD_FAILURE() << "odd-length hex input " << hex;
  return bytes;
}

// -1 - n in decimal, including -2^64.
std::string NegativeText(uint64_t n) {
  if (n == UINT64_MAX) return "-18446744073709551616";
  return "-" + std::to_string(n + 1);
}

std::string Describe(const CborItem& item) {
  const std::string encoded = EncodeCbor(item);
  std::string hex;
  for (unsigned char c : encoded) {
    static constexpr char kDigits[] = "0123456789abcdef";
    hex += kDigits[c >> 4];
    hex += kDigits[c & 15];
  }
  return "item encoding to " + hex;
}

// Empty when `item` is what `expect` describes, else what differs and where.
std::string Mismatch(const CborItem& item, const json& expect, const std::string& where) {
  if (!expect.is_object() || expect.size() != 1) return where + ": malformed expectation " + expect.dump();
  const std::string& kind = expect.begin().key();
  const json& value = expect.begin().value();
  const std::string got = where + ": expected " + expect.dump() + ", got " + Describe(item);
  if (kind == "uint") {
    return item.IsUnsigned() && value.is_number_integer() && item.unsigned_value() == value.get<uint64_t>() ? "" : got;
  }
  if (kind == "negint") {
    const std::string text = value.is_string() ? value.get<std::string>() : std::to_string(value.get<int64_t>());
    return item.IsNegative() && NegativeText(item.argument()) == text ? "" : got;
  }
  if (kind == "bytestring") {
    std::string bytes;
    for (const json& byte : value) bytes += static_cast<char>(byte.get<int>());
    return item.IsBytes() && item.string_value() == bytes ? "" : got;
  }
  if (kind == "string") return item.IsText() && item.string_value() == value.get<std::string>() ? "" : got;
  if (kind == "bool") return item.IsBool() && item.bool_value() == value.get<bool>() ? "" : got;
  if (kind == "null") return item.IsNull() ? "" : got;
  if (kind == "undefined") return item.IsUndefined() ? "" : got;
  if (kind == "list") {
    if (!item.IsArray() || item.array().size() != value.size()) return got;
    for (size_t i = 0; i < value.size(); ++i) {
      std::string inner = Mismatch(item.array()[i], value[i], where + "[" + std::to_string(i) + "]");
      if (!inner.empty()) return inner;
    }
    return "";
  }
  if (kind == "map") {
    if (!item.IsMap() || item.map().size() != value.size()) return got;
    for (const auto& [key, member] : value.items()) {
      const CborItem* found = item.Find(key);
      if (found == nullptr) return got + " (no key \"" + key + "\")";
      std::string inner = Mismatch(*found, member, where + "." + key);
      if (!inner.empty()) return inner;
    }
    return "";
  }
  if (kind == "tag") {
    if (!item.IsTag() || item.tag() != value.at("id").get<uint64_t>()) return got;
    return Mismatch(item.tagged(), value.at("value"), where + "<tag>");
  }
  if (kind == "float16" || kind == "float32" || kind == "float64") {
    // The expectation is the float's bits as an unsigned integer.
    const uint64_t bits = value.get<uint64_t>();
    double expected = 0;
    CborFloatWidth width = CborFloatWidth::kDouble;
    if (kind == "float16") {
      expected = HalfBitsToDouble(static_cast<uint16_t>(bits)), width = CborFloatWidth::kHalf;
    } else if (kind == "float32") {
      expected = SingleBitsToDouble(static_cast<uint32_t>(bits)), width = CborFloatWidth::kSingle;
    } else {
      expected = std::bit_cast<double>(bits);
    }
    if (!item.IsFloat() || item.float_width() != width) return got;
    if (std::isnan(expected)) return std::isnan(item.float_value()) ? "" : got;
    return std::bit_cast<uint64_t>(item.float_value()) == std::bit_cast<uint64_t>(expected) ? "" : got;
  }
  return where + ": unknown expectation kind \"" + kind + "\"";
}

class CborDecodeSuccessTest : public testing::TestWithParam<SuiteCase> {};

TEST_P(CborDecodeSuccessTest, DecodesToTheDescribedItem) {
  const json& test = GetParam().data;
  ASSERT_FALSE(test.contains("missing")) << "suite not found or empty: " << test["missing"];
  const std::string input = FromHex(test.at("input").get<std::string>());
  const absl::StatusOr<CborItem> item = DecodeCbor(input);
  ASSERT_TRUE(item.ok()) << item.status();
  EXPECT_EQ(Mismatch(*item, test.at("expect"), "$"), "");

  // What we decode we can write back and read again unchanged.
  const absl::StatusOr<CborItem> again = DecodeCbor(EncodeCbor(*item));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(*again == *item) << Describe(*again) << " vs " << Describe(*item);
}

INSTANTIATE_TEST_SUITE_P(Suite, CborDecodeSuccessTest,
                         testing::ValuesIn(LoadArraySuite("cbor/decode-success-tests.json")),
                         test_support::SuiteCaseName);

class CborDecodeErrorTest : public testing::TestWithParam<SuiteCase> {};

TEST_P(CborDecodeErrorTest, IsRefused) {
  const json& test = GetParam().data;
  ASSERT_FALSE(test.contains("missing")) << "suite not found or empty: " << test["missing"];
  ASSERT_TRUE(test.value("error", false)) << "not an error case: " << test.dump();
  const absl::StatusOr<CborItem> item = DecodeCbor(FromHex(test.at("input").get<std::string>()));
  ASSERT_FALSE(item.ok()) << "decoded to " << Describe(*item);
  EXPECT_EQ(item.status().code(), absl::StatusCode::kInvalidArgument) << item.status();
  EXPECT_NE(item.status().message().find(" at byte "), absl::string_view::npos) << item.status();
}

INSTANTIATE_TEST_SUITE_P(Suite, CborDecodeErrorTest, testing::ValuesIn(LoadArraySuite("cbor/decode-error-tests.json")),
                         test_support::SuiteCaseName);

}  // namespace
}  // namespace awsd::encoding
