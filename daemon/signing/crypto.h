#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace awsd::signing {

inline constexpr size_t kSha256Size = 32;
using Sha256Digest = std::array<unsigned char, kSha256Size>;

// Hex SHA-256 of the empty string: the payload hash of every bodiless request.
inline constexpr std::string_view kEmptySha256Hex =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// SHA-256 and HMAC-SHA256 on OpenSSL 3's EVP digests. SHA-256 is fetched
// once per process and each thread keeps its own digest contexts, so a call
// costs no provider lookup and no context set-up (one-shot SHA256()/HMAC()
// re-fetch and re-allocate every time, which is most of their cost on small
// inputs). HMAC is built on the digest (RFC 2104), each thread keeping the
// pad states of the last 32-byte key it used. Each returns false only if
// OpenSSL fails (out of memory, or a FIPS provider refusing SHA-256).
bool Sha256(std::string_view data, Sha256Digest* out);
bool HmacSha256(const unsigned char* key, size_t key_size, std::string_view data, Sha256Digest* out);

// Compares `size` bytes in time that depends only on `size` (for secrets
// and keys).
bool ConstantTimeEquals(const void* a, const void* b, size_t size);

// Appends lower-case hex of `size` bytes.
void AppendHex(const unsigned char* data, size_t size, std::string* out);

// Writes lower-case hex of `size` bytes to out[0 .. 2 * size).
void HexEncode(const unsigned char* data, size_t size, char* out);

// Appends the lower-case hex SHA-256 of `data`; false on OpenSSL failure.
bool AppendSha256Hex(std::string_view data, std::string* out);

// Decodes lower- or upper-case hex; false when `hex` is not even-length hex.
bool HexDecode(std::string_view hex, std::string* out);

// A 32-byte key (SigV4 signing key, HMAC intermediate) on the stack, wiped
// when it goes out of scope so it does not linger in reused stack memory.
class KeyBytes {
 public:
  KeyBytes() = default;
  KeyBytes(const KeyBytes&) = delete;
  KeyBytes& operator=(const KeyBytes&) = delete;
  ~KeyBytes();

  unsigned char* data() { return bytes_.data(); }
  const unsigned char* data() const { return bytes_.data(); }
  static constexpr size_t size() { return kSha256Size; }
  Sha256Digest* digest() { return &bytes_; }

 private:
  Sha256Digest bytes_{};
};

}  // namespace awsd::signing
