#include "daemon/signing/sigv4a_key_derivation.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>

#include <algorithm>
#include <memory>
#include <utility>

#include "absl/status/status.h"

namespace awsd::signing {
namespace {

constexpr char kCurveName[] = "prime256v1";
constexpr size_t kMaxCounter = 254;

// N - 2 for P-256, big-endian.
constexpr unsigned char kNMinus2[32] = {
    0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17, 0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x4F,
};

// True when the big-endian `value` > N-2, in time independent of its bytes:
// the candidate is secret key material.
bool GreaterThanNMinus2(const unsigned char* value) {
  uint32_t greater = 0;
  uint32_t equal = 1;
  for (size_t i = 0; i < 32; ++i) {
    const uint32_t a = value[i];
    const uint32_t b = kNMinus2[i];
    greater |= ((b - a) >> 31) & equal;      // a > b at the first difference
    equal &= ((a ^ b) - 1) >> 31;            // 1 while every byte so far matched
  }
  return greater != 0;
}

// Big-endian += 1, constant time.
void AddOne(unsigned char* value) {
  uint32_t carry = 1;
  for (size_t i = 32; i-- > 0;) {
    const uint32_t sum = value[i] + carry;
    value[i] = static_cast<unsigned char>(sum & 0xff);
    carry = sum >> 8;
  }
}

struct BnDeleter {
  void operator()(BIGNUM* bn) const { BN_clear_free(bn); }
};
struct GroupDeleter {
  void operator()(EC_GROUP* group) const { EC_GROUP_free(group); }
};
struct PointDeleter {
  void operator()(EC_POINT* point) const { EC_POINT_free(point); }
};
struct ParamBldDeleter {
  void operator()(OSSL_PARAM_BLD* bld) const { OSSL_PARAM_BLD_free(bld); }
};
struct ParamsDeleter {
  void operator()(OSSL_PARAM* params) const { OSSL_PARAM_free(params); }
};
struct PkeyCtxDeleter {
  void operator()(EVP_PKEY_CTX* ctx) const { EVP_PKEY_CTX_free(ctx); }
};

absl::StatusOr<EcKey> KeyFromParams(const OSSL_PARAM* params, int selection) {
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxDeleter> ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* pkey = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &pkey, selection, const_cast<OSSL_PARAM*>(params)) != 1) {
    return absl::InternalError("signing: OpenSSL could not build the EC key");
  }
  return EcKey(pkey);
}

}  // namespace

EcKey::EcKey(const EcKey& other) : pkey_(other.pkey_) {
  if (pkey_ != nullptr) EVP_PKEY_up_ref(pkey_);
}

EcKey& EcKey::operator=(const EcKey& other) {
  if (this != &other) {
    EcKey copy(other);
    *this = std::move(copy);
  }
  return *this;
}

EcKey::EcKey(EcKey&& other) noexcept : pkey_(std::exchange(other.pkey_, nullptr)) {}

EcKey& EcKey::operator=(EcKey&& other) noexcept {
  if (this != &other) {
    EVP_PKEY_free(pkey_);
    pkey_ = std::exchange(other.pkey_, nullptr);
  }
  return *this;
}

EcKey::~EcKey() { EVP_PKEY_free(pkey_); }

std::string EcKey::PublicPoint() const {
  if (pkey_ == nullptr) return {};
  unsigned char point[65];
  size_t size = 0;
  if (EVP_PKEY_get_octet_string_param(pkey_, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof(point), &size) != 1) return {};
  return std::string(reinterpret_cast<const char*>(point), size);
}

bool DeriveSigV4aPrivateKey(std::string_view access_key_id, const Secret& secret_access_key, KeyBytes* private_key) {
  // HMAC key: "AWS4A" + secret, wiped after use.
  const size_t hmac_key_size = 5 + secret_access_key.size();
  std::unique_ptr<unsigned char[]> hmac_key(new unsigned char[hmac_key_size]);
  std::copy_n("AWS4A", 5, hmac_key.get());
  std::copy_n(secret_access_key.bytes(), secret_access_key.size(), hmac_key.get() + 5);

  // 0x00000001 || label || 0x00 || access key id || counter || 0x00000100.
  std::string fixed_input("\x00\x00\x00\x01" "AWS4-ECDSA-P256-SHA256", 26);
  fixed_input.push_back('\0');
  fixed_input.append(access_key_id);
  const size_t counter_at = fixed_input.size();
  fixed_input.push_back('\0');
  fixed_input.append("\x00\x00\x01\x00", 4);

  bool found = false;
  bool ok = true;
  KeyBytes candidate;
  for (size_t counter = 1; counter <= kMaxCounter && !found && ok; ++counter) {
    fixed_input[counter_at] = static_cast<char>(counter);
    ok = HmacSha256(hmac_key.get(), hmac_key_size, fixed_input, candidate.digest());
    if (ok && !GreaterThanNMinus2(candidate.data())) {
      std::copy_n(candidate.data(), KeyBytes::size(), private_key->data());
      AddOne(private_key->data());
      found = true;
    }
  }
  OPENSSL_cleanse(hmac_key.get(), hmac_key_size);
  return found;
}

absl::StatusOr<EcKey> EcKeyFromPrivateKey(const KeyBytes& private_key) {
  const absl::Status failure = absl::InternalError("signing: OpenSSL could not build the SigV4a key");
  // The public point is computed with the (non-deprecated) EC_GROUP/EC_POINT
  // API; EVP_PKEY_fromdata does not derive it from the private scalar.
  std::unique_ptr<EC_GROUP, GroupDeleter> group(EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1));
  std::unique_ptr<BIGNUM, BnDeleter> scalar(BN_secure_new());
  if (!group || !scalar || BN_bin2bn(private_key.data(), KeyBytes::size(), scalar.get()) == nullptr) return failure;
  std::unique_ptr<EC_POINT, PointDeleter> point(EC_POINT_new(group.get()));
  unsigned char encoded_point[65];
  if (!point || EC_POINT_mul(group.get(), point.get(), scalar.get(), nullptr, nullptr, nullptr) != 1 ||
      EC_POINT_point2oct(group.get(), point.get(), POINT_CONVERSION_UNCOMPRESSED, encoded_point,
                         sizeof(encoded_point), nullptr) != sizeof(encoded_point)) {
    return failure;
  }
  std::unique_ptr<OSSL_PARAM_BLD, ParamBldDeleter> builder(OSSL_PARAM_BLD_new());
  if (!builder ||
      OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, kCurveName, 0) != 1 ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_PRIV_KEY, scalar.get()) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, encoded_point,
                                       sizeof(encoded_point)) != 1) {
    return failure;
  }
  // The private scalar went into a secure-heap block, which OSSL_PARAM_free
  // clears.
  std::unique_ptr<OSSL_PARAM, ParamsDeleter> params(OSSL_PARAM_BLD_to_param(builder.get()));
  if (!params) return failure;
  return KeyFromParams(params.get(), EVP_PKEY_KEYPAIR);
}

absl::StatusOr<EcKey> EcPublicKeyFromPoint(std::string_view uncompressed_point) {
  if (uncompressed_point.size() != 65 || uncompressed_point.front() != '\x04') {
    return absl::InvalidArgumentError("public key: want an uncompressed P-256 point (65 bytes)");
  }
  std::string point(uncompressed_point);
  char curve[] = "prime256v1";
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, curve, 0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()),
      OSSL_PARAM_construct_end(),
  };
  return KeyFromParams(params, EVP_PKEY_PUBLIC_KEY);
}

absl::StatusOr<EcKey> DeriveSigV4aKey(std::string_view access_key_id, const Secret& secret_access_key) {
  KeyBytes private_key;
  if (!DeriveSigV4aPrivateKey(access_key_id, secret_access_key, &private_key)) {
    return absl::InternalError("signing: could not derive the SigV4a key");
  }
  return EcKeyFromPrivateKey(private_key);
}

SigV4aKeyCache::SigV4aKeyCache(size_t capacity) : capacity_(std::max<size_t>(capacity, 1)) {}

absl::StatusOr<EcKey> SigV4aKeyCache::Get(std::string_view access_key_id, const Secret& secret_access_key) {
  const std::string id(access_key_id);
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(id);
    if (it != entries_.end() && it->second.secret_access_key == secret_access_key) {
      ++hits_;
      it->second.last_used = ++clock_;
      return it->second.key;
    }
    ++misses_;
  }
  absl::StatusOr<EcKey> key = DeriveSigV4aKey(access_key_id, secret_access_key);
  if (!key.ok()) return key.status();
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(id);
  if (it == entries_.end()) {
    if (entries_.size() >= capacity_) {
      auto oldest = entries_.begin();
      for (auto e = entries_.begin(); e != entries_.end(); ++e) {
        if (e->second.last_used < oldest->second.last_used) oldest = e;
      }
      entries_.erase(oldest);
    }
    it = entries_.emplace(id, Entry{secret_access_key, *key, 0}).first;
  } else {
    it->second.secret_access_key = secret_access_key;
    it->second.key = *key;
  }
  it->second.last_used = ++clock_;
  return *key;
}

void SigV4aKeyCache::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  entries_.clear();
}

size_t SigV4aKeyCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

uint64_t SigV4aKeyCache::hits() const {
  std::lock_guard<std::mutex> lock(mu_);
  return hits_;
}

uint64_t SigV4aKeyCache::misses() const {
  std::lock_guard<std::mutex> lock(mu_);
  return misses_;
}

}  // namespace awsd::signing
