#include "daemon/signing/crypto.h"

#include <string>
#include <thread>
#include <vector>

#include "daemon/common/secret.h"
#include "daemon/signing/sigv4_signer.h"
#include "gtest/gtest.h"

namespace awsd::signing {
namespace {

std::string Hex(const Sha256Digest& digest) {
  std::string out;
  AppendHex(digest.data(), digest.size(), &out);
  return out;
}

std::string HmacHex(std::string_view key, std::string_view data) {
  Sha256Digest mac;
  EXPECT_TRUE(HmacSha256(reinterpret_cast<const unsigned char*>(key.data()), key.size(), data, &mac));
  return Hex(mac);
}

TEST(CryptoTest, Sha256KnownAnswers) {
  Sha256Digest digest;
  ASSERT_TRUE(Sha256("abc", &digest));
  EXPECT_EQ(Hex(digest), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  ASSERT_TRUE(Sha256("", &digest));
  EXPECT_EQ(Hex(digest), kEmptySha256Hex);
  std::string hex;
  ASSERT_TRUE(AppendSha256Hex("", &hex));
  EXPECT_EQ(hex, kEmptySha256Hex);
}

TEST(CryptoTest, HmacSha256Rfc4231) {
  EXPECT_EQ(HmacHex(std::string(20, '\x0b'), "Hi There"),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(HmacHex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // A key longer than the block size is hashed first (test case 6).
  EXPECT_EQ(HmacHex(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First"),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(CryptoTest, HmacReusesAndSwitchesKeys) {
  // Each thread keeps its MAC context keyed with the last 32-byte key; a
  // different key, or the same key after another, must re-key it.
  const std::string a(32, 'a'), b(32, 'b');
  const std::string mac_a = HmacHex(a, "message");
  const std::string mac_b = HmacHex(b, "message");
  EXPECT_NE(mac_a, mac_b);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(HmacHex(a, "message"), mac_a);
    EXPECT_EQ(HmacHex(a, "message"), mac_a);
    EXPECT_EQ(HmacHex(b, "message"), mac_b);
    EXPECT_EQ(HmacHex("Jefe", "what do ya want for nothing?"),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  }
  EXPECT_EQ(mac_a, "733acca21c5415bc65e619d5d00e2529789321cd32b48d4f276da58e5b8a10b6");
}

TEST(CryptoTest, DerivesTheDocumentedSigningKey) {
  // The AWS General Reference example for deriving a signing key.
  KeyBytes key;
  ASSERT_TRUE(DeriveSigningKey(Secret("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"), "20120215", "us-east-1", "iam",
                               &key));
  std::string hex;
  AppendHex(key.data(), key.size(), &hex);
  EXPECT_EQ(hex, "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
}

TEST(CryptoTest, HexRoundTrip) {
  std::string decoded;
  ASSERT_TRUE(HexDecode("00ff7fA0", &decoded));
  EXPECT_EQ(decoded, std::string("\x00\xff\x7f\xa0", 4));
  std::string hex;
  AppendHex(reinterpret_cast<const unsigned char*>(decoded.data()), decoded.size(), &hex);
  EXPECT_EQ(hex, "00ff7fa0");
  EXPECT_FALSE(HexDecode("abc", &decoded));
  EXPECT_FALSE(HexDecode("zz", &decoded));
}

TEST(CryptoTest, HexEncodesEveryByteValue) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  std::string hex;
  AppendHex(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), &hex);
  ASSERT_EQ(hex.size(), 512u);
  static constexpr char kDigits[] = "0123456789abcdef";
  for (int i = 0; i < 256; ++i) {
    EXPECT_EQ(hex[2 * i], kDigits[i >> 4]) << i;
    EXPECT_EQ(hex[2 * i + 1], kDigits[i & 15]) << i;
  }
}

TEST(CryptoTest, ConstantTimeEqualsComparesEveryByte) {
  const std::string a = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";  // 40 bytes: words and a tail
  EXPECT_TRUE(ConstantTimeEquals(a.data(), a.data(), 0));
  for (size_t size = 0; size <= a.size(); ++size) {
    std::string b = a;
    EXPECT_TRUE(ConstantTimeEquals(a.data(), b.data(), size)) << size;
    for (size_t i = 0; i < size; ++i) {
      b = a;
      b[i] ^= 0x01;
      EXPECT_FALSE(ConstantTimeEquals(a.data(), b.data(), size)) << size << " " << i;
      b[i] = static_cast<char>(a[i] ^ 0x80);
      EXPECT_FALSE(ConstantTimeEquals(a.data(), b.data(), size)) << size << " " << i;
    }
  }
}

TEST(CryptoTest, ThreadsHashIndependently) {
  std::vector<std::thread> threads;
  std::vector<std::string> results(8);
  for (size_t t = 0; t < results.size(); ++t) {
    threads.emplace_back([&results, t] {
      for (int i = 0; i < 2000; ++i) results[t] = HmacHex("Jefe", "what do ya want for nothing?");
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& result : results) {
    EXPECT_EQ(result, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  }
}

}  // namespace
}  // namespace awsd::signing
