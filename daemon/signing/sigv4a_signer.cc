#include "daemon/signing/sigv4a_signer.h"

#include <openssl/evp.h>

#include <memory>

#include "daemon/signing/crypto.h"

namespace awsd::signing {
namespace {

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

}  // namespace

bool AppendSigV4aSignature(const EcKey& key, std::string_view string_to_sign, std::string* out) {
  if (!key) return false;
  // A fresh context per signature: the ECDSA itself costs tens of
  // microseconds, so reusing the context would save nothing measurable.
  std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
  unsigned char der[80];  // a P-256 DER signature is at most 72 bytes
  size_t der_size = sizeof(der);
  if (!ctx || EVP_DigestSignInit_ex(ctx.get(), nullptr, "SHA256", nullptr, nullptr, key.get(), nullptr) != 1 ||
      EVP_DigestSign(ctx.get(), der, &der_size, reinterpret_cast<const unsigned char*>(string_to_sign.data()),
                     string_to_sign.size()) != 1) {
    return false;
  }
  AppendHex(der, der_size, out);
  return true;
}

bool VerifySigV4aSignature(const EcKey& public_key, std::string_view string_to_sign,
                           std::string_view signature_hex) {
  std::string der;
  if (!public_key || !HexDecode(signature_hex, &der)) return false;
  std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
  return ctx &&
         EVP_DigestVerifyInit_ex(ctx.get(), nullptr, "SHA256", nullptr, nullptr, public_key.get(), nullptr) == 1 &&
         EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(der.data()), der.size(),
                          reinterpret_cast<const unsigned char*>(string_to_sign.data()), string_to_sign.size()) == 1;
}

}  // namespace awsd::signing
