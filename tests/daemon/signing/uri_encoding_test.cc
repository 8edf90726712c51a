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
}

TEST(UriEncodingTest, EncodesPathsOnceCanonically) {
  EXPECT_EQ(EncodedOnce("/a%2fb/c%2Fd"), "/a%2Fb/c%2Fd");  // an escaped '/' stays escaped
  EXPECT_EQ(EncodedOnce("/%41%7e"), "/A~");                // escaped unreserved bytes are decoded
  EXPECT_EQ(EncodedOnce("/a b/\xc3\xa9"), "/a%20b/%C3%A9");
  EXPECT_EQ(EncodedOnce("/100%/%zz/%4"), "/100%25/%25zz/%254");
  EXPECT_EQ(EncodedOnce("/already%20encoded%E1%88%B4"), "/already%20encoded%E1%88%B4");
  EXPECT_EQ(EncodedOnce("/!$&'()*+,;=:@"), "/%21%24%26%27%28%29%2A%2B%2C%3B%3D%3A%40");
}

TEST(UriEncodingTest, DecodesOnlyValidEscapes) {
  EXPECT_EQ(Decoded("%41%42c"), "ABc");
  EXPECT_EQ(Decoded("a+b"), "a+b");
  EXPECT_EQ(Decoded("%"), "%");
  EXPECT_EQ(Decoded("%4"), "%4");
  EXPECT_EQ(Decoded("%zz%2"), "%zz%2");
  EXPECT_EQ(Decoded("%e1%88%B4"), "\xe1\x88\xb4");
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
