#pragma once

#include <string>
#include <string_view>

namespace awsd::signing {

// S3 aws-chunked uploads ("Transferring Payload in Multiple Chunks"): the
// seed request is signed with one of these as its payload hash, then every
// chunk's signature chains from the previous one.
inline constexpr std::string_view kSigV4StreamingPayload = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
inline constexpr std::string_view kSigV4aStreamingPayload = "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD";

// Appends a chunk's string to sign:
//   <algorithm>-PAYLOAD \n <X-Amz-Date> \n <credential scope> \n
//   <previous signature> \n <hex SHA-256 of ""> \n <hex SHA-256 of chunk>
// where <algorithm> is AWS4-HMAC-SHA256 or AWS4-ECDSA-P256-SHA256. False on
// OpenSSL failure.
bool AppendChunkStringToSign(std::string_view algorithm, std::string_view amz_date, std::string_view scope,
                             std::string_view previous_signature, std::string_view chunk, std::string* out);

}  // namespace awsd::signing
