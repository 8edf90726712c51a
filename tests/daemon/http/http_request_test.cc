#include "daemon/http/http_request.h"

#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace awsd::http {
namespace {

TEST(ParseUrlTest, SplitsAbsoluteUrls) {
  absl::StatusOr<UrlParts> url = ParseUrl("HTTPS://user:pw@Example.COM:8443/a/b%20c?x=1&y#frag");
  ASSERT_TRUE(url.ok()) << url.status();
  EXPECT_TRUE(url->https);
  EXPECT_EQ(url->host, "Example.COM");
  EXPECT_EQ(url->port, 8443);
  EXPECT_EQ(url->path, "/a/b%20c");
  EXPECT_EQ(url->query, "x=1&y");
  EXPECT_EQ(HostHeaderValue(*url), "example.com:8443");
}

TEST(ParseUrlTest, PathAndQueryMayBeAbsentOrEmpty) {
  absl::StatusOr<UrlParts> url = ParseUrl("http://example.com");
  ASSERT_TRUE(url.ok());
  EXPECT_FALSE(url->https);
  EXPECT_EQ(url->path, "");
  EXPECT_FALSE(url->query.has_value());
  url = ParseUrl("http://example.com?");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->path, "");
  ASSERT_TRUE(url->query.has_value());
  EXPECT_EQ(*url->query, "");
  url = ParseUrl("http://example.com#x?y");
  ASSERT_TRUE(url.ok());
  EXPECT_FALSE(url->query.has_value());
  url = ParseUrl("https://example.com/a b/\xe1\x88\xb4");  // raw bytes are the signer's business
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->path, "/a b/\xe1\x88\xb4");
}

TEST(ParseUrlTest, HostHeaderDropsDefaultPorts) {
  for (const auto& [in, host] : std::vector<std::pair<std::string, std::string>>{
           {"https://h:443/", "h"},
           {"http://h:80/", "h"},
           {"https://h:80/", "h:80"},
           {"http://h:443/", "h:443"},
           {"https://h:/", "h"},
           {"https://h:0443/", "h"},
           {"https://[2001:DB8::1]/", "[2001:db8::1]"},
           {"https://[::1]:8080/", "[::1]:8080"}}) {
    absl::StatusOr<UrlParts> url = ParseUrl(in);
    ASSERT_TRUE(url.ok()) << in;
    EXPECT_EQ(HostHeaderValue(*url), host) << in;
  }
}

TEST(ParseUrlTest, RejectsWhatCannotBeSent) {
  for (std::string_view bad : {"", "foo", "example.com/path", "//example.com/", "https://", "https:///x",
                               "https://@/x", "mailto://x", "https://[::1", "https://[::1]x/", "https://h:65536/",
                               "https://h:-1/", "https://h:8o/", "https://ex ample.com/", "https://h/\r\nX: y",
                               "https://h/\x7f", "https://h/\t"}) {
    absl::StatusOr<UrlParts> url = ParseUrl(bad);
    EXPECT_FALSE(url.ok()) << bad;
    EXPECT_EQ(url.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

TEST(ParseUrlTest, ErrorsQuoteTheUrlWithoutSecrets) {
  absl::StatusOr<UrlParts> url = ParseUrl("ftp://AKID:secret@host/p?X-Amz-Security-Token=tok#f");
  ASSERT_FALSE(url.ok());
  const std::string message(url.status().message());
  EXPECT_EQ(message, "scheme is not http or https in 'ftp://host/p'");
  EXPECT_EQ(RedactUrl("foo"), "foo");
  EXPECT_EQ(RedactUrl("https://h/" + std::string(200, 'a')).size(), 123u);
  EXPECT_EQ(RedactUrl("https://h/\x01"), "https://h/?");
}

TEST(EqualsIgnoreCaseTest, ComparesAsciiCaseInsensitively) {
  EXPECT_TRUE(EqualsIgnoreCase("X-Amz-Date", "x-amz-date"));
  EXPECT_FALSE(EqualsIgnoreCase("x-amz-date", "x-amz-dat"));
  EXPECT_FALSE(EqualsIgnoreCase("a", "b"));
}

}  // namespace
}  // namespace awsd::http
