#include "daemon/signing/crypto.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <cstring>

namespace awsd::signing {
namespace {

// Fetched once and kept for the life of the process: fetching takes a lock
// and a provider lookup, far more than hashing a canonical request.
const EVP_MD* FetchedSha256() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

EVP_MAC* FetchedHmac() {
  static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  return mac;
}

// Contexts are per thread, so concurrent signers never share mutable state
// and need no lock. They are created on first use and freed at thread exit.
class ThreadContexts {
 public:
  ThreadContexts() = default;
  ThreadContexts(const ThreadContexts&) = delete;
  ThreadContexts& operator=(const ThreadContexts&) = delete;
  ~ThreadContexts() {
    EVP_MD_CTX_free(md_ctx_);
    // Freeing a MAC context cleanses the keyed state it held.
    EVP_MAC_CTX_free(mac_ctx_);
  }

  EVP_MD_CTX* md_ctx() {
    if (md_ctx_ == nullptr) md_ctx_ = EVP_MD_CTX_new();
    return md_ctx_;
  }

  // Whether the MAC context is keyed with `key` already (then EVP_MAC_init
  // can skip re-keying, two SHA-256 blocks and a context copy). Only 32-byte
  // keys are tracked: signing keys, reused for every request of a scope.
  bool KeyedWith(const unsigned char* key, size_t key_size) const {
    return last_key_valid_ && key_size == KeyBytes::size() &&
           CRYPTO_memcmp(last_key_.data(), key, KeyBytes::size()) == 0;
  }
  void SetKeyedWith(const unsigned char* key, size_t key_size) {
    last_key_valid_ = key_size == KeyBytes::size();
    if (last_key_valid_) std::memcpy(last_key_.data(), key, KeyBytes::size());
  }
  void ForgetKey() { last_key_valid_ = false; }

  EVP_MAC_CTX* mac_ctx() {
    if (mac_ctx_ == nullptr && FetchedHmac() != nullptr) {
      EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(FetchedHmac());
      if (ctx == nullptr) return nullptr;
      // The digest is set once; EVP_MAC_init then only re-keys.
      char digest_name[] = "SHA256";
      const OSSL_PARAM params[] = {
          OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
          OSSL_PARAM_construct_end(),
      };
      if (EVP_MAC_CTX_set_params(ctx, params) != 1) {
        EVP_MAC_CTX_free(ctx);
        return nullptr;
      }
      mac_ctx_ = ctx;
    }
    return mac_ctx_;
  }

 private:
  EVP_MD_CTX* md_ctx_ = nullptr;
  EVP_MAC_CTX* mac_ctx_ = nullptr;
  // A copy of the key mac_ctx_ holds (which it holds anyway), wiped at
  // thread exit by KeyBytes.
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
  ThreadContexts& contexts = Contexts();
  EVP_MAC_CTX* ctx = contexts.mac_ctx();
  if (ctx == nullptr) return false;
  bool ok;
  if (contexts.KeyedWith(key, key_size)) {
    ok = EVP_MAC_init(ctx, nullptr, 0, nullptr) == 1;
  } else {
    ok = EVP_MAC_init(ctx, key, key_size, nullptr) == 1;
    if (ok) {
      contexts.SetKeyedWith(key, key_size);
    } else {
      contexts.ForgetKey();
    }
  }
  size_t size = 0;
  return ok && EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1 &&
         EVP_MAC_final(ctx, out->data(), &size, out->size()) == 1 && size == kSha256Size;
}

void HexEncode(const unsigned char* data, size_t size, char* out) {
  static constexpr char kDigits[] = "0123456789abcdef";
  for (size_t i = 0; i < size; ++i) {
    out[2 * i] = kDigits[data[i] >> 4];
    out[2 * i + 1] = kDigits[data[i] & 0x0f];
  }
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
