#include "daemon/signing/uri_encoding.h"

#include <string>

#include "gtest/gtest.h"

namespace awsd::signing {
namespace {

std::string Encoded(std::string_view in, bool keep_slash) {
  std::string out;
  AppendUriEncoded(in, keep_slash, &out);
  return out;
}

std::string EncodedOnce(std::string_view path) {
  std::string out;
  AppendPathEncodedOnce(path, &out);
  return out;
}

std::string Decoded(std::string_view in) {
  std::string out;
  AppendPercentDecoded(in, &out);
  return out;
}

TEST(UriEncodingTest, LeavesOnlyUnreservedBytes) {
  EXPECT_EQ(Encoded("AZaz09-._~", false), "AZaz09-._~");
  EXPECT_EQ(Encoded("a b+c*d", false), "a%20b%2Bc%2Ad");
  EXPECT_EQ(Encoded("/x/", false), "%2Fx%2F");
  EXPECT_EQ(Encoded("/x/", true), "/x/");
  EXPECT_EQ(Encoded("100%", true), "100%25");
  EXPECT_EQ(Encoded("%20", true), "%2520");  // the non-S3 double encoding
  EXPECT_EQ(Encoded("\xe1\x88\xb4", false), "%E1%88%B4");
  EXPECT_EQ(Encoded(std::string_view("\0\xff", 2), false), "%00%FF");
  EXPECT_EQ(Encoded("", false), "");
  // Runs kept whole around escapes, at either end and back to back.
  EXPECT_EQ(Encoded(" abc/def ", false), "%20abc%2Fdef%20");
  EXPECT_EQ(Encoded(" abc/def ", true), "%20abc/def%20");
  EXPECT_EQ(Encoded("  ", true), "%20%20");
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  std::string expected;
  for (int i = 0; i < 256; ++i) {
    const char c = static_cast<char>(i);
    if (IsUnreserved(static_cast<unsigned char>(i)) || c == '/') {
      expected.push_back(c);
    } else {
      static constexpr char kHex[] = "0123456789ABCDEF";
      expected += {'%', kHex[i >> 4], kHex[i & 15]};
    }
  }
  EXPECT_EQ(Encoded(all, true), expected);
}

TEST(UriEncodingTest, EncodesPathsOnceCanonically) {
  EXPECT_EQ(EncodedOnce("/a%2fb/c%2Fd"), "/a%2Fb/c%2Fd");  // an escaped '/' stays escaped
  EXPECT_EQ(EncodedOnce("/%41%7e"), "/A~");                // escaped unreserved bytes are decoded
  EXPECT_EQ(EncodedOnce("/a b/\xc3\xa9"), "/a%20b/%C3%A9");
  EXPECT_EQ(EncodedOnce("/100%/%zz/%4"), "/100%25/%25zz/%254");
  EXPECT_EQ(EncodedOnce("/already%20encoded%E1%88%B4"), "/already%20encoded%E1%88%B4");
  EXPECT_EQ(EncodedOnce("/!$&'()*+,;=:@"), "/%21%24%26%27%28%29%2A%2B%2C%3B%3D%3A%40");
  EXPECT_EQ(EncodedOnce("%41"), "A");  // an escape at either end
  EXPECT_EQ(EncodedOnce("a%2"), "a%252");
  EXPECT_EQ(EncodedOnce(" "), "%20");
  EXPECT_EQ(EncodedOnce(""), "");
}

TEST(UriEncodingTest, DecodesOnlyValidEscapes) {
  EXPECT_EQ(Decoded("%41%42c"), "ABc");
  EXPECT_EQ(Decoded("a+b"), "a+b");
  EXPECT_EQ(Decoded("%"), "%");
  EXPECT_EQ(Decoded("%4"), "%4");
  EXPECT_EQ(Decoded("%zz%2"), "%zz%2");
  EXPECT_EQ(Decoded("%e1%88%B4"), "\xe1\x88\xb4");
}

TEST(UriEncodingTest, DecodesThenEncodesInOnePass) {
  std::string out;
  AppendDecodedThenEncoded("%7e%2f a+%41%%2541%4", &out);
  EXPECT_EQ(out, "~%2F%20a%2BA%25%2541%254");
  // Exhaustively against the two-step definition, on short strings over an
  // alphabet that makes escapes (valid, invalid, cut short) likely.
  constexpr std::string_view kAlphabet = "%2fF7eA/ z";
  std::string in;
  for (int length = 0; length <= 5; ++length) {
    int total = 1;
    for (int i = 0; i < length; ++i) total *= static_cast<int>(kAlphabet.size());
    for (int n = 0; n < total; ++n) {
      in.clear();
      for (int i = 0, rest = n; i < length; ++i, rest /= static_cast<int>(kAlphabet.size())) {
        in.push_back(kAlphabet[static_cast<size_t>(rest) % kAlphabet.size()]);
      }
      out = "prefix";
      AppendDecodedThenEncoded(in, &out);
      ASSERT_EQ(out, "prefix" + Encoded(Decoded(in), false)) << in;
    }
  }
}

TEST(UriEncodingTest, NormalizesPathsAsBotocore) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"", "/"},           {"/", "/"},           {"//", "/"},          {"/./", "/"},
      {"/..", "/"},        {"/../a", "/a"},      {"/a/..", "/"},       {"/a/../b", "/b"},
      {"/a/./b/", "/a/b/"}, {"/a//b//", "/a/b/"}, {"/a/.", "/a"},       {"/a/b/../..", "/"},
      {"/a/b/../../", "/"}, {"/.../a", "/.../a"}, {"/a/%2E%2E", "/a/%2E%2E"},
  };
  for (const auto& [in, want] : cases) EXPECT_EQ(NormalizePath(in), want) << in;
}

}  // namespace
}  // namespace awsd::signing
