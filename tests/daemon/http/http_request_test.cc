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

TEST(ParseUrlTest, AppendsHostHeaderValue) {
  for (const auto& [in, host] : std::vector<std::pair<std::string, std::string>>{
           {"HTTPS://Iam.AmazonAWS.com/", "iam.amazonaws.com"},
           {"http://h:0/", "h:0"},
           {"http://h:9/", "h:9"},
           {"http://h:65535/", "h:65535"},
           {"hTtP://u@H:8080", "h:8080"}}) {
    absl::StatusOr<UrlParts> url = ParseUrl(in);
    ASSERT_TRUE(url.ok()) << in;
    std::string out = "x";
    AppendHostHeaderValue(*url, &out);
    EXPECT_EQ(out, "x" + host) << in;
    EXPECT_EQ(HostHeaderValue(*url), host) << in;
  }
}

TEST(ParseUrlTest, FindsAControlByteAnywhere) {
  // Every byte value at every offset of a URL longer than a few words (the
  // check runs eight bytes at a time).
  const std::string base = "https://h/0123456789abcdefghijklmnopqrstuvwxyz";
  for (size_t at = 10; at < base.size(); ++at) {
    for (int byte = 0; byte < 256; ++byte) {
      std::string url = base;
      url[at] = static_cast<char>(byte);
      if (byte == '?' || byte == '#') continue;  // those split the URL, still valid
      const bool control = byte < 0x20 || byte == 0x7f;
      absl::StatusOr<UrlParts> parsed = ParseUrl(url);
      ASSERT_EQ(parsed.ok(), !control) << at << " " << byte;
      if (control) {
        EXPECT_NE(parsed.status().message().find("control character"), std::string::npos);
      }
    }
  }
}

TEST(ParseUrlTest, FindsDelimitersAtEveryOffset) {
  // The delimiter searches go eight bytes at a time: put each delimiter at
  // each offset of a long authority and path, with a later one after it.
  // (UrlParts views into the URL string, so each is kept in `in`.)
  const std::string host = "abcdefghijklmnopqrstuvwxyzabcdefghij";
  std::string in;
  for (size_t at = 1; at < host.size(); ++at) {
    in = "https://" + host.substr(0, at) + ":1/p";
    absl::StatusOr<UrlParts> url = ParseUrl(in);
    ASSERT_TRUE(url.ok()) << in;
    EXPECT_EQ(url->host, host.substr(0, at)) << in;
    EXPECT_EQ(url->port, 1) << in;
    in = "https://u:p@" + host.substr(0, at) + "@" + host + "/p";
    url = ParseUrl(in);
    ASSERT_TRUE(url.ok()) << in;
    EXPECT_EQ(url->host, host) << in;
    for (char delimiter : {'/', '?', '#'}) {
      in = "https://" + host.substr(0, at) + delimiter + "x/y?z#w/?#";
      url = ParseUrl(in);
      ASSERT_TRUE(url.ok()) << in;
      EXPECT_EQ(url->host, host.substr(0, at)) << in;
      EXPECT_EQ(url->path, delimiter == '/' ? "/x/y" : "") << in;
      EXPECT_EQ(url->query.has_value(), delimiter != '#') << in;
      if (url->query.has_value()) {
        EXPECT_EQ(*url->query, delimiter == '/' ? "z" : "x/y?z") << in;
      }
    }
    for (char delimiter : {'?', '#'}) {
      in = "http://h/" + host.substr(0, at) + delimiter + host + "?#?";
      url = ParseUrl(in);
      ASSERT_TRUE(url.ok()) << in;
      EXPECT_EQ(url->path, "/" + host.substr(0, at)) << in;
      EXPECT_EQ(url->query.has_value(), delimiter == '?') << in;
      if (delimiter == '?') {
        EXPECT_EQ(*url->query, host + "?") << in;
      }
    }
  }
}

TEST(ParseUrlTest, SplitsAtTheFirstDelimiter) {
  absl::StatusOr<UrlParts> url = ParseUrl("https://a@b@h?q=/x#f?g");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->host, "h");
  EXPECT_EQ(url->path, "");
  EXPECT_EQ(url->query, "q=/x");
  url = ParseUrl("http://h#f/x?y");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->host, "h");
  EXPECT_EQ(url->path, "");
  EXPECT_FALSE(url->query.has_value());
  url = ParseUrl("http://h/p#?");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->path, "/p");
  EXPECT_FALSE(url->query.has_value());
  url = ParseUrl("http://h/p?#");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->query, "");
  for (std::string_view bad : {"https://h^/", "https://h|x/", "https://h\\x/", "https://a\"b/", "http:/h/",
                               "https:h", "xhttps://h/", "http//h/"}) {
    EXPECT_FALSE(ParseUrl(bad).ok()) << bad;
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
