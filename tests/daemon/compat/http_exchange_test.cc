#include "daemon/compat/http_exchange.h"

#include <gtest/gtest.h>

namespace awsd::compat {
namespace {

TEST(HttpExchangeTest, FindsTheEndOfTheHead) {
  EXPECT_FALSE(FindEndOfHead("GET / HTTP/1.1\r\nHost: x\r\n"));
  EXPECT_EQ(FindEndOfHead("GET / HTTP/1.1\r\n\r\nbody"), 18u);
  EXPECT_EQ(FindEndOfHead("GET / HTTP/1.1\n\n"), 16u);
}

TEST(HttpExchangeTest, ParsesMethodPathAndLowerCasedHeaders) {
  auto request = ParseRequestHead(
      "GET /creds?x=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization:  tok en \r\nX-A: 1\r\nx-a: 2\r\n\r\n");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->method, "GET");
  EXPECT_EQ(request->path, "/creds");
  ASSERT_NE(request->Header("authorization"), nullptr);
  EXPECT_EQ(*request->Header("authorization"), "tok en");
  EXPECT_EQ(*request->Header("x-a"), "1") << "a repeated header keeps its first value";
  EXPECT_EQ(request->Header("missing"), nullptr);
}

TEST(HttpExchangeTest, RefusesMalformedHeads) {
  EXPECT_FALSE(ParseRequestHead("").ok());
  EXPECT_FALSE(ParseRequestHead("GET /\r\n\r\n").ok());
  EXPECT_FALSE(ParseRequestHead("GET / HTTP/1.1\r\nno colon\r\n\r\n").ok());
  EXPECT_FALSE(ParseRequestHead("GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n").ok());
  EXPECT_FALSE(ParseRequestHead("GET / HTTP/1.1\r\nBad Name: b\r\n\r\n").ok());
}

TEST(HttpExchangeTest, SerializesWithLengthAndClose) {
  HttpResponse response = JsonError(401, "MissingToken", "no token");
  response.headers.emplace_back("X-Extra", "1");
  EXPECT_EQ(SerializeResponse(response),
            "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: 44\r\n"
            "Connection: close\r\nX-Extra: 1\r\n\r\n{\"code\":\"MissingToken\",\"message\":\"no token\"}");
}

}  // namespace
}  // namespace awsd::compat
