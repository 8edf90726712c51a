#include "daemon/signing/canonical_request.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace awsd::signing {
namespace {

std::string Query(std::string_view raw, std::vector<QueryParam> extra = {}) {
  std::string out;
  AppendCanonicalQuery(raw, extra, &out);
  return out;
}

std::string Path(std::string_view path, bool normalize, bool double_encode) {
  std::string out;
  AppendCanonicalPath(path, normalize, double_encode, &out);
  return out;
}

std::string Value(std::string_view value) {
  std::string out;
  AppendCanonicalHeaderValue(value, &out);
  return out;
}

TEST(CanonicalRequestTest, SkipsBotocoresUnsignedHeaders) {
  for (std::string_view name : {"Authorization", "connection", "Expect", "keep-alive", "proxy-authenticate",
                                "Proxy-Authorization", "TE", "trailer", "Transfer-Encoding", "upgrade",
                                "User-Agent", "X-Amzn-Trace-Id"}) {
    EXPECT_TRUE(IsUnsignedHeader(name)) << name;
  }
  for (std::string_view name : {"host", "content-type", "x-amz-date", "x-amz-content-sha256", "date",
                                "x-amz-security-token", "user-agentx", "range"}) {
    EXPECT_FALSE(IsUnsignedHeader(name)) << name;
  }
}

TEST(CanonicalRequestTest, TrimsAndFoldsHeaderValues) {
  EXPECT_EQ(Value("  a   b\tc  "), "a b c");
  EXPECT_EQ(Value("\"a   b   c\""), "\"a b c\"");
  EXPECT_EQ(Value(""), "");
  EXPECT_EQ(Value(" \t "), "");
  EXPECT_EQ(Value("a\x0b\x0c\x1c" "b"), "a b");
  EXPECT_EQ(Value("VALUE1"), "VALUE1");
}

TEST(CanonicalRequestTest, SortsAndMergesHeaders) {
  std::vector<HeaderRef> headers = {
      {"My-Header1", "value4"}, {"Host", "example.com"}, {"my-header1", " value1 "},
      {"X-Amz-Date", "20150830T123600Z"}, {"MY-HEADER1", "value3"}, {"a", ""},
  };
  std::string canonical, signed_headers;
  AppendCanonicalHeaders(&headers, &canonical, &signed_headers);
  EXPECT_EQ(canonical, "a:\nhost:example.com\nmy-header1:value4,value1,value3\nx-amz-date:20150830T123600Z\n");
  EXPECT_EQ(signed_headers, "a;host;my-header1;x-amz-date");
}

TEST(CanonicalRequestTest, CanonicalQuerySortsByEncodedKeyThenValue) {
  EXPECT_EQ(Query(""), "");
  EXPECT_EQ(Query("b=2&a=1&a=0"), "a=0&a=1&b=2");
  EXPECT_EQ(Query("Param2=value2&Param1=value1"), "Param1=value1&Param2=value2");
  EXPECT_EQ(Query("a&b="), "a=&b=");                // a bare key reads as "key="
  EXPECT_EQ(Query("=v&a=1"), "=v&a=1");             // an empty key sorts first
  EXPECT_EQ(Query("a=1&&b=2&"), "a=1&b=2");         // empty pieces are skipped
  EXPECT_EQ(Query("a+b=c d"), "a%2Bb=c%20d");       // '+' is a literal plus
  EXPECT_EQ(Query("%7e=%7E&x=%2f"), "x=%2F&~=~");   // escapes decoded, re-encoded
  EXPECT_EQ(Query("k=a=b"), "k=a%3Db");
  EXPECT_EQ(Query("\xe1\x88\xb4=bar"), "%E1%88%B4=bar");
  // Sorted after encoding: "%E1..." < "Param" < "Param-3" (by bytes).
  EXPECT_EQ(Query("Param-3=Value3&Param=Value2&%E1%88%B4=Value1"), "%E1%88%B4=Value1&Param=Value2&Param-3=Value3");
}

TEST(CanonicalRequestTest, CanonicalQueryAddsEncodedExtraParams) {
  EXPECT_EQ(Query("z=1", {{"X-Amz-Credential", "AKID/20150830/us-east-1/s3/aws4_request"},
                          {"X-Amz-SignedHeaders", "host;x-a"}}),
            "X-Amz-Credential=AKID%2F20150830%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-SignedHeaders=host%3Bx-a&z=1");
  // Extra values are taken as unencoded: a '%' in them is encoded.
  EXPECT_EQ(Query("", {{"X-Amz-Security-Token", "a%2Fb+c="}}), "X-Amz-Security-Token=a%252Fb%2Bc%3D");
}

TEST(CanonicalRequestTest, CanonicalPath) {
  EXPECT_EQ(Path("", true, true), "/");
  EXPECT_EQ(Path("", false, false), "/");
  EXPECT_EQ(Path("/example space/", true, true), "/example%20space/");
  EXPECT_EQ(Path("/a/%20/../b", true, true), "/a/b");
  EXPECT_EQ(Path("/a%20b", true, true), "/a%2520b");
  EXPECT_EQ(Path("/a%20b", false, false), "/a%20b");
  EXPECT_EQ(Path("//a/./b/../c", false, false), "//a/./b/../c");
  EXPECT_EQ(Path("//a/./b/../c", true, false), "/a/c");
  EXPECT_EQ(Path("/\xe1\x88\xb4", true, true), "/%E1%88%B4");
}

}  // namespace
}  // namespace awsd::signing
