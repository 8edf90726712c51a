#pragma once

// What botocore does around its serializer, outside any one protocol:
// idempotency tokens and the checksum validation mode filled into the
// parameters before serialising; gzip request compression, then flexible
// request checksums (or Content-MD5), on the serialised request; and
// response checksum validation afterwards.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "daemon/http/http_client.h"
#include "daemon/model/service_model.h"
#include "daemon/protocols/checksums.h"
#include "daemon/protocols/protocol.h"

namespace awsd::protocols {

// The client configuration these steps read (botocore's Config and its
// config-file / environment settings), with botocore 1.43's defaults.
struct FinishingSettings {
  bool request_checksum_when_supported = true;   // request_checksum_calculation
  bool response_checksum_when_supported = true;  // response_checksum_validation
  bool disable_request_compression = false;
  std::size_t request_min_compression_size_bytes = 10240;
  bool presign = false;           // presigned URLs get no default checksum
  bool https = true;              // streaming input sends its checksum in a trailer over TLS only
  std::string signature_version;  // "s3" keeps checksums in headers
};

// botocore's before-parameter-build handlers: every top-level
// idempotencyToken member left out gets `uuid()`, and the
// requestValidationModeMember gets "ENABLED" when validation is
// when_supported.
void PrepareParams(const model::Operation& operation, const FinishingSettings& settings,
                   const std::function<std::string()>& uuid, Value& params);

// A random version-4 UUID, as Python's str(uuid.uuid4()).
std::string RandomUuid();

// What the request's checksums will be: the algorithm and where it goes, and
// which response checksums to validate.
struct ChecksumPlan {
  std::optional<ChecksumAlgorithm> request_algorithm;
  bool in_trailer = false;                             // aws-chunked body with a trailing checksum
  std::string request_algorithm_header;                // e.g. x-amz-sdk-checksum-algorithm, set to "CRC32"
  std::vector<ChecksumAlgorithm> response_algorithms;  // validated in this order
};

// botocore's resolve_request_checksum_algorithm and
// resolve_response_checksum_algorithms. InvalidArgument for an algorithm
// member naming an unsupported algorithm ("Unsupported checksum algorithm: x").
absl::StatusOr<ChecksumPlan> PlanChecksums(const model::Operation& operation, const Value& params,
                                           const FinishingSettings& settings);

// maybe_compress_request: gzip the body when the operation allows it and the
// body is at least the minimum size; Content-Encoding gains "gzip".
void MaybeCompressRequest(const model::Operation& operation, const FinishingSettings& settings,
                          SerializedRequest& request);

// apply_request_checksum: the checksum header (unless one x-amz-checksum-*
// header is already present), or the aws-chunked body with the checksum in
// its trailer and the headers that announce it.
void ApplyRequestChecksum(const ChecksumPlan& plan, SerializedRequest& request);

// The aws-chunked encoding of `body` (1 MiB chunks) ending with
// "0\r\n<name>:<checksum>\r\n\r\n".
std::string AwsChunkedBody(std::string_view body, ChecksumAlgorithm algorithm);

// handle_checksum_body for a whole response: the first of the plan's
// algorithms whose x-amz-checksum-* header is present (and not a composite
// "...-N" checksum) must match the body. DataLoss "Expected checksum X did
// not match calculated checksum: Y" otherwise.
absl::Status ValidateResponseChecksum(const ChecksumPlan& plan, const http::HttpResponse& response);

}  // namespace awsd::protocols
