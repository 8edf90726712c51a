#include "daemon/signing/crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cstdint>
#include <cstring>

namespace awsd::signing {
namespace {

// Fetched once and kept for the life of the process: fetching takes a lock
// and a provider lookup, far more than hashing a canonical request.
const EVP_MD* FetchedSha256() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

constexpr size_t kSha256BlockSize = 64;

// Contexts are per thread, so concurrent signers never share mutable state
// and need no lock. They are created on first use and freed at thread exit
// (freeing a digest context wipes the state it held).
//
// HMAC is computed here from SHA-256 (RFC 2104) rather than with EVP_MAC:
// two contexts hold the hash state after the key's inner and outer pad
// blocks, and each MAC copies them. For a 32-byte signing key, reused for
// every request of a scope, that skips re-keying, and it costs about a
// fifth less per MAC than EVP_MAC's re-initialisation, which copies the
// same states plus its own bookkeeping.
class ThreadContexts {
 public:
  ThreadContexts() = default;
  ThreadContexts(const ThreadContexts&) = delete;
  ThreadContexts& operator=(const ThreadContexts&) = delete;
  ~ThreadContexts() {
    EVP_MD_CTX_free(md_ctx_);
    EVP_MD_CTX_free(inner_ctx_);
    EVP_MD_CTX_free(outer_ctx_);
  }

  EVP_MD_CTX* md_ctx() {
    if (md_ctx_ == nullptr) md_ctx_ = EVP_MD_CTX_new();
    return md_ctx_;
  }

  // HMAC-SHA256 of `data` under `key`; false on OpenSSL failure.
  bool Hmac(const unsigned char* key, size_t key_size, std::string_view data, Sha256Digest* out) {
    const EVP_MD* md = FetchedSha256();
    EVP_MD_CTX* work = md_ctx();
    if (md == nullptr || work == nullptr) return false;
    if (!KeyedWith(key, key_size)) {
      if (!SetKey(md, key, key_size)) {
        last_key_valid_ = false;
        return false;
      }
    }
    unsigned char inner[kSha256Size];
    unsigned int size = 0;
    const bool ok = EVP_MD_CTX_copy_ex(work, inner_ctx_) == 1 &&
                    EVP_DigestUpdate(work, data.data(), data.size()) == 1 &&
                    EVP_DigestFinal_ex(work, inner, &size) == 1 && size == kSha256Size &&
                    EVP_MD_CTX_copy_ex(work, outer_ctx_) == 1 && EVP_DigestUpdate(work, inner, sizeof(inner)) == 1 &&
                    EVP_DigestFinal_ex(work, out->data(), &size) == 1 && size == kSha256Size;
    OPENSSL_cleanse(inner, sizeof(inner));
    return ok;
  }

 private:
  // Whether the pad states are those of `key` already. Only 32-byte keys
  // are remembered: signing keys, reused for every request of a scope.
  bool KeyedWith(const unsigned char* key, size_t key_size) const {
    return last_key_valid_ && key_size == KeyBytes::size() &&
           ConstantTimeEquals(last_key_.data(), key, KeyBytes::size());
  }

  // Hashes the inner and outer pad blocks of `key` into inner_ctx_ and
  // outer_ctx_ (a key longer than a block is hashed first, per RFC 2104).
  bool SetKey(const EVP_MD* md, const unsigned char* key, size_t key_size) {
    if (inner_ctx_ == nullptr) inner_ctx_ = EVP_MD_CTX_new();
    if (outer_ctx_ == nullptr) outer_ctx_ = EVP_MD_CTX_new();
    if (inner_ctx_ == nullptr || outer_ctx_ == nullptr) return false;
    unsigned char block[kSha256BlockSize] = {};
    bool ok = true;
    if (key_size > kSha256BlockSize) {
      Sha256Digest hashed;
      ok = Sha256(std::string_view(reinterpret_cast<const char*>(key), key_size), &hashed);
      std::memcpy(block, hashed.data(), hashed.size());
      OPENSSL_cleanse(hashed.data(), hashed.size());
    } else if (key_size > 0) {
      std::memcpy(block, key, key_size);
    }
    for (unsigned char& b : block) b ^= 0x36;
    ok = ok && EVP_DigestInit_ex2(inner_ctx_, md, nullptr) == 1 &&
         EVP_DigestUpdate(inner_ctx_, block, sizeof(block)) == 1;
    for (unsigned char& b : block) b ^= 0x36 ^ 0x5c;
    ok = ok && EVP_DigestInit_ex2(outer_ctx_, md, nullptr) == 1 &&
         EVP_DigestUpdate(outer_ctx_, block, sizeof(block)) == 1;
    OPENSSL_cleanse(block, sizeof(block));
    if (!ok) return false;
    last_key_valid_ = key_size == KeyBytes::size();
    if (last_key_valid_) std::memcpy(last_key_.data(), key, KeyBytes::size());
    return true;
  }

  EVP_MD_CTX* md_ctx_ = nullptr;
  EVP_MD_CTX* inner_ctx_ = nullptr;
  EVP_MD_CTX* outer_ctx_ = nullptr;
  // A copy of the key the pad states were made from (which they amount to
  // anyway), wiped at thread exit by KeyBytes.
  KeyBytes last_key_;
  bool last_key_valid_ = false;
};

ThreadContexts& Contexts() {
  thread_local ThreadContexts contexts;
  return contexts;
}

}  // namespace

KeyBytes::~KeyBytes() { OPENSSL_cleanse(bytes_.data(), bytes_.size()); }

bool Sha256(std::string_view data, Sha256Digest* out) {
  const EVP_MD* md = FetchedSha256();
  EVP_MD_CTX* ctx = Contexts().md_ctx();
  if (md == nullptr || ctx == nullptr) return false;
  unsigned int size = 0;
  return EVP_DigestInit_ex2(ctx, md, nullptr) == 1 && EVP_DigestUpdate(ctx, data.data(), data.size()) == 1 &&
         EVP_DigestFinal_ex(ctx, out->data(), &size) == 1 && size == kSha256Size;
}

bool HmacSha256(const unsigned char* key, size_t key_size, std::string_view data, Sha256Digest* out) {
  return Contexts().Hmac(key, key_size, data, out);
}

bool ConstantTimeEquals(const void* a, const void* b, size_t size) {
  // Word at a time, OR-ing the differences with no early exit, so the time
  // depends on `size` only. (CRYPTO_memcmp goes a byte at a time, which
  // showed in the per-request profile: the key cache and the HMAC context
  // both compare a key on every signature.)
  const auto* pa = static_cast<const unsigned char*>(a);
  const auto* pb = static_cast<const unsigned char*>(b);
  uint64_t diff = 0;
  size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    uint64_t wa, wb;
    std::memcpy(&wa, pa + i, 8);
    std::memcpy(&wb, pb + i, 8);
    diff |= wa ^ wb;
  }
  for (; i < size; ++i) diff |= static_cast<uint64_t>(pa[i] ^ pb[i]);
  return diff == 0;
}

namespace {

// Two hex digits per byte value, so encoding is one lookup and one 2-byte
// store per byte.
struct HexPairs {
  char pairs[256][2];
};
constexpr HexPairs MakeHexPairs() {
  constexpr char kDigits[] = "0123456789abcdef";
  HexPairs table{};
  for (int i = 0; i < 256; ++i) {
    table.pairs[i][0] = kDigits[i >> 4];
    table.pairs[i][1] = kDigits[i & 0x0f];
  }
  return table;
}
constexpr HexPairs kHexPairs = MakeHexPairs();

}  // namespace

void HexEncode(const unsigned char* data, size_t size, char* out) {
  for (size_t i = 0; i < size; ++i) std::memcpy(out + 2 * i, kHexPairs.pairs[data[i]], 2);
}

void AppendHex(const unsigned char* data, size_t size, std::string* out) {
  const size_t start = out->size();
  out->resize(start + size * 2);
  HexEncode(data, size, out->data() + start);
}

bool AppendSha256Hex(std::string_view data, std::string* out) {
  if (data.empty()) {
    out->append(kEmptySha256Hex);
    return true;
  }
  Sha256Digest digest;
  if (!Sha256(data, &digest)) return false;
  AppendHex(digest.data(), digest.size(), out);
  return true;
}

bool HexDecode(std::string_view hex, std::string* out) {
  if (hex.size() % 2 != 0) return false;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  out->clear();
  out->reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int high = nibble(hex[i]);
    const int low = nibble(hex[i + 1]);
    if (high < 0 || low < 0) return false;
    out->push_back(static_cast<char>(high << 4 | low));
  }
  return true;
}

}  // namespace awsd::signing
