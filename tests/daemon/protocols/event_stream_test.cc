#include "daemon/protocols/event_stream.h"

#include <zlib.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace awsd::protocols::event_stream {
namespace {

void PutU32(std::string& out, std::size_t offset, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out[offset + i] = static_cast<char>((v >> (24 - 8 * i)) & 0xff);
}

std::uint32_t Crc(const std::string& s, std::size_t begin, std::size_t end, std::uint32_t crc = 0) {
  return static_cast<std::uint32_t>(
      crc32(crc, reinterpret_cast<const Bytef*>(s.data() + begin), static_cast<uInt>(end - begin)));
}

// Fixes both CRCs after the test edits the lengths.
void Reseal(std::string& m) {
  PutU32(m, 8, Crc(m, 0, 8));
  PutU32(m, m.size() - 4, Crc(m, 0, m.size() - 4));
}

Value Headers() {
  Value h = Value::object();
  h[":message-type"] = "event";
  h[":event-type"] = "TypeA";
  h["flag"] = true;
  h["off"] = false;
  h["n"] = -123456789012;
  h["blob"] = Value::binary({0, 1, 2, 255});
  return h;
}

TEST(EventStreamTest, RoundTrip) {
  const std::string one = Encode(Headers(), "payload bytes");
  const std::string two = Encode(Value::object(), "");
  absl::StatusOr<std::vector<Message>> messages = Decode(one + two);
  ASSERT_TRUE(messages.ok()) << messages.status();
  ASSERT_EQ(messages->size(), 2u);
  EXPECT_EQ((*messages)[0].headers, Headers());
  EXPECT_EQ((*messages)[0].payload, "payload bytes");
  EXPECT_TRUE((*messages)[1].headers.empty());
  EXPECT_EQ((*messages)[1].payload, "");
  EXPECT_TRUE(Decode("").ok());
  EXPECT_TRUE(Decode("")->empty());
}

TEST(EventStreamTest, HeaderTypes) {
  // byte, short, integer, timestamp, uuid and string, hand-encoded.
  std::string h;
  auto name = [&h](const std::string& n, int type) {
    h.push_back(static_cast<char>(n.size()));
    h += n;
    h.push_back(static_cast<char>(type));
  };
  name("b", 2);
  h.push_back(static_cast<char>(0xff));
  name("s", 3);
  h += std::string("\x80\x00", 2);
  name("i", 4);
  h += std::string("\x00\x00\x00\x7b", 4);
  name("t", 8);
  h += std::string("\x00\x00\x01\x4b\x20\x1a\xc4\x00", 8);
  name("u", 9);
  h += std::string(16, 'u');
  name("str", 7);
  h += std::string("\x00\x02hi", 4);
  std::string m(12, '\0');
  m += h;
  m += "x";
  m += std::string(4, '\0');
  PutU32(m, 0, static_cast<std::uint32_t>(m.size()));
  PutU32(m, 4, static_cast<std::uint32_t>(h.size()));
  Reseal(m);
  absl::StatusOr<std::vector<Message>> messages = Decode(m);
  ASSERT_TRUE(messages.ok()) << messages.status();
  const Value& got = (*messages)[0].headers;
  EXPECT_EQ(got["b"], -1);
  EXPECT_EQ(got["s"], -32768);
  EXPECT_EQ(got["i"], 123);
  EXPECT_EQ(got["t"], 1422172800000);
  EXPECT_TRUE(got["u"].is_binary());
  EXPECT_EQ(got["u"].get_binary().size(), 16u);
  EXPECT_EQ(got["str"], "hi");
  EXPECT_EQ((*messages)[0].payload, "x");
}

TEST(EventStreamTest, Truncated) {
  const std::string m = Encode(Headers(), "payload");
  for (std::size_t n = 1; n < m.size(); ++n) {
    absl::StatusOr<std::vector<Message>> r = Decode(m.substr(0, n));
    EXPECT_EQ(r.status().code(), absl::StatusCode::kDataLoss) << n;
  }
}

TEST(EventStreamTest, BadCrc) {
  std::string m = Encode(Headers(), "payload");
  std::string prelude = m;
  prelude[9] ^= 1;
  EXPECT_EQ(Decode(prelude).status().code(), absl::StatusCode::kDataLoss);
  std::string body = m;
  body[m.size() - 6] ^= 1;
  EXPECT_EQ(Decode(body).status().code(), absl::StatusCode::kDataLoss);
  std::string crc = m;
  crc.back() ^= 1;
  EXPECT_EQ(Decode(crc).status().code(), absl::StatusCode::kDataLoss);
}

TEST(EventStreamTest, BadLengths) {
  const std::string good = Encode(Headers(), "payload");
  // Headers longer than the message, beyond the maximum, and inside a header.
  for (std::uint32_t headers_length :
       {std::uint32_t{1} << 31, kMaxHeadersLength + 1, static_cast<std::uint32_t>(good.size()), std::uint32_t{3}}) {
    std::string m = good;
    PutU32(m, 4, headers_length);
    Reseal(m);
    EXPECT_EQ(Decode(m).status().code(), absl::StatusCode::kDataLoss) << headers_length;
  }
  // Total length too small for the framing, and a huge payload.
  for (std::uint32_t total : {std::uint32_t{0}, std::uint32_t{15}, kMaxPayloadLength + 1000, ~std::uint32_t{0}}) {
    std::string m = good;
    PutU32(m, 0, total);
    PutU32(m, 4, 0);
    PutU32(m, 8, Crc(m, 0, 8));
    EXPECT_EQ(Decode(m).status().code(), absl::StatusCode::kDataLoss) << total;
  }
}

TEST(EventStreamTest, BadHeaders) {
  auto with_headers = [](const std::string& h) {
    std::string m(12, '\0');
    m += h;
    m += std::string(4, '\0');
    PutU32(m, 0, static_cast<std::uint32_t>(m.size()));
    PutU32(m, 4, static_cast<std::uint32_t>(h.size()));
    Reseal(m);
    return m;
  };
  EXPECT_EQ(Decode(with_headers(std::string("\x01"
                                            "a\x0a",
                                            3)))
                .status()
                .code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(Decode(with_headers(std::string("\x01"
                                            "a\x00\x01"
                                            "a\x01",
                                            6)))
                .status()
                .code(),
            absl::StatusCode::kDataLoss);  // duplicate
  EXPECT_EQ(Decode(with_headers(std::string("\x01"
                                            "a\x07\x00\x02\xff\xfe",
                                            7)))
                .status()
                .code(),
            absl::StatusCode::kDataLoss);  // not UTF-8
  EXPECT_EQ(Decode(with_headers(std::string("\x01"
                                            "a\x07\x00\x09xy",
                                            6)))
                .status()
                .code(),
            absl::StatusCode::kDataLoss);  // string past the end
  EXPECT_EQ(Decode(with_headers(std::string("\x05"
                                            "a",
                                            2)))
                .status()
                .code(),
            absl::StatusCode::kDataLoss);
  EXPECT_TRUE(Decode(with_headers(std::string("\x01"
                                              "a\x00",
                                              3)))
                  .ok());
}

TEST(EventStreamTest, RandomBytesNeverCrash) {
  std::mt19937 rng(12345);
  const std::string good = Encode(Headers(), "payload") + Encode(Value::object(), "x");
  for (int round = 0; round < 20000; ++round) {
    std::string m;
    if (round % 2 == 0) {
      m.resize(rng() % 64);
      for (char& c : m) c = static_cast<char>(rng());
    } else {
      m = good;
      for (int k = 0; k < 3; ++k) m[rng() % m.size()] = static_cast<char>(rng());
      if (rng() % 2) Reseal(m);
    }
    absl::StatusOr<std::vector<Message>> r = Decode(m);
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), absl::StatusCode::kDataLoss);
    }
  }
}

}  // namespace
}  // namespace awsd::protocols::event_stream
