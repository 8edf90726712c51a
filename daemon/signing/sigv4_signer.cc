#include "daemon/signing/sigv4_signer.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <memory>

namespace awsd::signing {

bool DeriveSigningKey(const Secret& secret_access_key, std::string_view date, std::string_view region,
                      std::string_view service, KeyBytes* key) {
  // "AWS4" + secret, in a buffer wiped before it is freed.
  const size_t seed_size = 4 + secret_access_key.size();
  std::unique_ptr<unsigned char[]> seed(new unsigned char[seed_size]);
  std::copy_n("AWS4", 4, seed.get());
  std::copy_n(secret_access_key.bytes(), secret_access_key.size(), seed.get() + 4);

  KeyBytes date_key, region_key, service_key;
  const bool ok = HmacSha256(seed.get(), seed_size, date, date_key.digest()) &&
                  HmacSha256(date_key.data(), KeyBytes::size(), region, region_key.digest()) &&
                  HmacSha256(region_key.data(), KeyBytes::size(), service, service_key.digest()) &&
                  HmacSha256(service_key.data(), KeyBytes::size(), "aws4_request", key->digest());
  OPENSSL_cleanse(seed.get(), seed_size);
  return ok;
}

bool AppendSigV4Signature(const KeyBytes& signing_key, std::string_view string_to_sign, std::string* out) {
  Sha256Digest mac;
  if (!HmacSha256(signing_key.data(), KeyBytes::size(), string_to_sign, &mac)) return false;
  AppendHex(mac.data(), mac.size(), out);
  return true;
}

}  // namespace awsd::signing
