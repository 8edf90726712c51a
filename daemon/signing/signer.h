#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "daemon/credentials/credentials.h"
#include "daemon/http/http_request.h"
#include "daemon/signing/signing_key_cache.h"
#include "daemon/signing/sigv4a_key_derivation.h"

// The signing facade: what the Sign and SignChunk RPCs call. Everything in
// daemon/signing/ behind this header is an implementation detail, exposed
// for tests and benchmarks.
namespace awsd::signing {

enum class Algorithm {
  kSigV4,   // AWS4-HMAC-SHA256, one region.
  kSigV4a,  // AWS4-ECDSA-P256-SHA256, a region set.
};

enum class SignatureLocation {
  kHeaders,      // Authorization header.
  kQueryString,  // Presigned URL (X-Amz-Signature in the query).
};

enum class PayloadSigning {
  // The body's SHA-256 (or, as botocore does, the value of an
  // X-Amz-Content-SHA256 header the caller already set).
  kSigned,
  // "UNSIGNED-PAYLOAD" (S3 presigned URLs, S3 over TLS).
  kUnsigned,
  // "STREAMING-AWS4-HMAC-SHA256-PAYLOAD" (or the ECDSA one): S3
  // aws-chunked uploads; chunks are then signed with SignChunk. Header
  // signing only.
  kStreaming,
};

struct SigningParams {
  Algorithm algorithm = Algorithm::kSigV4;
  // Signing name of the service ("s3", "execute-api"). Required.
  std::string service;
  // Region, or for SigV4a a region set ("us-east-1,us-west-2", "*").
  // Required.
  std::string region;
  // The signing instant (X-Amz-Date), to the second.
  std::chrono::system_clock::time_point time;
  SignatureLocation location = SignatureLocation::kHeaders;
  // X-Amz-Expires of a presigned URL: 1 to 604800 (7 days). Presign only.
  int64_t expires_seconds = 3600;
  PayloadSigning payload = PayloadSigning::kSigned;
  // Add (and sign) x-amz-content-sha256 with the payload hash, as S3 wants.
  // Header signing only: a presigned URL carries no such header. Unsigned
  // and streaming payloads always get the header, as botocore does.
  bool content_sha256_header = false;
  // Remove "." / ".." segments and repeated slashes from the canonical path.
  // False for S3, where "a//b" and "a/./b" are different keys.
  bool normalize_path = true;
  // Encode the (already encoded) path once more in the canonical request, as
  // every service but S3 expects.
  bool double_encode_path = true;
};

// Something the caller should know about a signature that still succeeded.
struct Warning {
  // "PRESIGN_OUTLIVES_CREDENTIALS": the URL's expiry reaches past the
  //   credentials' (the URL stops working early);
  // "CREDENTIALS_EXPIRED": the credentials had expired at the signing time.
  std::string code;
  std::string message;
};

struct SigningResult {
  // The request to send: the input with Host (when it was absent) and the
  // signing headers added (X-Amz-Date, X-Amz-Security-Token,
  // X-Amz-Content-SHA256, X-Amz-Region-Set, Authorization), or, presigned,
  // the URL with the signing query parameters appended. Any Authorization
  // header the caller sent is dropped.
  http::HttpRequest request;
  // Every step, so a SignatureDoesNotMatch can be compared with what AWS
  // says it computed.
  std::string canonical_request;
  std::string string_to_sign;
  // Hex: HMAC-SHA256 for SigV4, DER ECDSA signature for SigV4a.
  std::string signature;
  std::vector<Warning> warnings;
};

// Signs requests with SigV4 and SigV4a exactly as botocore (SigV4Auth,
// S3SigV4Auth, SigV4QueryAuth, S3SigV4QueryAuth) and aws-c-auth do.
//
// Thread-safe: one Signer serves every RPC thread. It caches SigV4 signing
// keys per (access key id + secret, date, region, service) and SigV4a key
// pairs per (access key id + secret); cached key material is wiped when
// evicted. Errors are InvalidArgument (message starting with the SignRequest
// field at fault: "request.url: ...", "region: ...") or FailedPrecondition
// for unusable credentials ("credentials: ..."). No secret, session token or
// key ever appears in an error or a warning.
class Signer {
 public:
  explicit Signer(size_t key_cache_capacity = SigningKeyCache::kDefaultCapacity,
                  size_t sigv4a_key_cache_capacity = SigV4aKeyCache::kDefaultCapacity);
  Signer(const Signer&) = delete;
  Signer& operator=(const Signer&) = delete;

  // Signs `request` with `credentials` as `params` say. The request is not
  // modified; the result carries the signed copy and every step.
  absl::StatusOr<SigningResult> Sign(const http::HttpRequest& request, const credentials::Credentials& credentials,
                                     const SigningParams& params);

  // Signs one chunk of an S3 aws-chunked upload whose seed request was signed
  // with PayloadSigning::kStreaming: chained from `previous_signature` (the
  // seed's signature for the first chunk, then the previous chunk's), ending
  // with an empty chunk. Uses the seed's algorithm, service, region and time
  // from `params`. Returns the hex signature; `string_to_sign`, when given,
  // receives the string that was signed. For SigV4a, a previous signature
  // padded with '*' (as it appears in the chunk header) is accepted.
  absl::StatusOr<std::string> SignChunk(std::string_view previous_signature, std::string_view chunk,
                                        const credentials::Credentials& credentials, const SigningParams& params,
                                        std::string* string_to_sign = nullptr);

  // The key caches, for their counters.
  const SigningKeyCache& key_cache() const { return keys_; }
  const SigV4aKeyCache& sigv4a_key_cache() const { return sigv4a_keys_; }

 private:
  SigningKeyCache keys_;
  SigV4aKeyCache sigv4a_keys_;
};

}  // namespace awsd::signing
