#include "daemon/signing/canonical_request.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "daemon/signing/uri_encoding.h"
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

TEST(CanonicalRequestTest, LowerCasesOnlyAsciiLettersOfNames) {
  // Every byte value at every offset of a long name (lower-casing goes eight
  // bytes at a time).
  std::string name;
  for (int i = 0; i < 300; ++i) name.push_back(static_cast<char>((i * 7 + 3) % 256));
  std::string expected;
  for (char c : name) expected.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c);
  for (size_t start = 0; start < 16; ++start) {
    const std::string_view piece = std::string_view(name).substr(start);
    std::vector<HeaderRef> headers = {{piece, "v"}};
    std::string signed_headers;
    AppendSignedHeaders(headers, &signed_headers);
    EXPECT_EQ(signed_headers, expected.substr(start)) << start;
  }
}

TEST(CanonicalRequestTest, SortIsStableForManyHeadersToo) {
  // Small lists take an insertion sort, large ones std::stable_sort: both
  // must order by lower-case name and keep a repeated header's order.
  for (size_t count : std::vector<size_t>{0, 1, 2, 7, 32, 33, 100}) {
    std::vector<std::string> names, values;
    for (size_t i = 0; i < count; ++i) {
      names.push_back((i % 3 == 0 ? "X-Dup" : "h") + std::to_string((count - i) % 10));
      values.push_back(std::to_string(i));
    }
    std::vector<HeaderRef> headers;
    for (size_t i = 0; i < count; ++i) headers.push_back({names[i], values[i]});
    SortHeaders(&headers);
    ASSERT_EQ(headers.size(), count);
    for (size_t i = 1; i < count; ++i) {
      std::string a(headers[i - 1].name), b(headers[i].name);
      for (char& c : a) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      for (char& c : b) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      ASSERT_LE(a, b) << count;
      if (a == b) {
        EXPECT_LT(std::stoi(std::string(headers[i - 1].value)), std::stoi(std::string(headers[i].value))) << count;
      }
    }
  }
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
  // Components with and without escapes side by side (only the former are
  // decoded first).
  EXPECT_EQ(Query("b=%41%&a=x y&c=%zz"), "a=x%20y&b=A%25&c=%25zz");
  // Sorted after encoding: "%E1..." < "Param" < "Param-3" (by bytes).
  EXPECT_EQ(Query("Param-3=Value3&Param=Value2&%E1%88%B4=Value1"), "%E1%88%B4=Value1&Param=Value2&Param-3=Value3");
}

// The canonical query by its definition: pieces split on '&' (empty ones
// skipped), each split at its first '=', decoded, encoded, sorted.
std::string ReferenceQuery(std::string_view raw) {
  std::vector<std::pair<std::string, std::string>> params;
  size_t start = 0;
  while (start <= raw.size()) {
    size_t end = raw.find('&', start);
    if (end == std::string_view::npos) end = raw.size();
    const std::string_view pair = raw.substr(start, end - start);
    if (!pair.empty()) {
      const size_t eq = pair.find('=');
      std::string key_decoded, value_decoded, key, value;
      AppendPercentDecoded(pair.substr(0, eq), &key_decoded);
      if (eq != std::string_view::npos) AppendPercentDecoded(pair.substr(eq + 1), &value_decoded);
      AppendUriEncoded(key_decoded, /*keep_slash=*/false, &key);
      AppendUriEncoded(value_decoded, /*keep_slash=*/false, &value);
      params.emplace_back(key, value);
    }
    start = end + 1;
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (size_t i = 0; i < params.size(); ++i) {
    if (i > 0) out += '&';
    out += params[i].first + "=" + params[i].second;
  }
  return out;
}

TEST(CanonicalRequestTest, CanonicalQueryMatchesItsDefinition) {
  // Every query up to six bytes over an alphabet that makes already
  // canonical queries (copied as they are) and every kind of near miss.
  constexpr std::string_view kAlphabet = "ab=&%1";
  std::string raw;
  for (int length = 1; length <= 6; ++length) {
    int total = 1;
    for (int i = 0; i < length; ++i) total *= static_cast<int>(kAlphabet.size());
    for (int n = 0; n < total; ++n) {
      raw.clear();
      for (int i = 0, rest = n; i < length; ++i, rest /= static_cast<int>(kAlphabet.size())) {
        raw.push_back(kAlphabet[static_cast<size_t>(rest) % kAlphabet.size()]);
      }
      ASSERT_EQ(Query(raw), ReferenceQuery(raw)) << raw;
    }
  }
  for (int byte = 0; byte < 256; ++byte) {
    for (std::string one : {std::string("k=v"), std::string("k=v&l=w")}) {
      one[2] = static_cast<char>(byte);
      ASSERT_EQ(Query(one), ReferenceQuery(one)) << byte;
    }
  }
  EXPECT_EQ(Query("Action=ListUsers&Version=2010-05-08"), "Action=ListUsers&Version=2010-05-08");
  EXPECT_EQ(Query("Version=2010-05-08&Action=ListUsers"), "Action=ListUsers&Version=2010-05-08");
  EXPECT_EQ(Query("a=1&a=1&a=0"), "a=0&a=1&a=1");
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
