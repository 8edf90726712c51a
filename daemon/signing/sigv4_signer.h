#pragma once

#include <string>
#include <string_view>

#include "daemon/common/secret.h"
#include "daemon/signing/crypto.h"

namespace awsd::signing {

// SigV4 (AWS4-HMAC-SHA256) primitives. The request-level flow (canonical
// request, where the signature goes) lives in Signer; these are the steps
// that touch the secret.

inline constexpr std::string_view kSigV4Algorithm = "AWS4-HMAC-SHA256";

// Derives the signing key: HMAC-SHA256 chained over "AWS4" + secret, the
// date (YYYYMMDD), region, service and "aws4_request". False on OpenSSL
// failure. Intermediate keys are wiped.
bool DeriveSigningKey(const Secret& secret_access_key, std::string_view date, std::string_view region,
                      std::string_view service, KeyBytes* key);

// Appends the hex HMAC-SHA256 of `string_to_sign` under `signing_key`.
bool AppendSigV4Signature(const KeyBytes& signing_key, std::string_view string_to_sign, std::string* out);

}  // namespace awsd::signing
