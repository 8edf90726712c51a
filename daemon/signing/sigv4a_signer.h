#pragma once

#include <string>
#include <string_view>

#include "daemon/signing/sigv4a_key_derivation.h"

namespace awsd::signing {

// SigV4a (AWS4-ECDSA-P256-SHA256) signature primitives.

inline constexpr std::string_view kSigV4aAlgorithm = "AWS4-ECDSA-P256-SHA256";

// Appends the hex of the DER-encoded ECDSA signature over SHA-256 of
// `string_to_sign`. ECDSA is randomised: two calls give different, equally
// valid signatures. False on OpenSSL failure.
bool AppendSigV4aSignature(const EcKey& key, std::string_view string_to_sign, std::string* out);

// True when `signature_hex` (hex DER) is a valid signature of
// `string_to_sign` under `public_key`.
bool VerifySigV4aSignature(const EcKey& public_key, std::string_view string_to_sign, std::string_view signature_hex);

}  // namespace awsd::signing
