#pragma once

// The first stages of a call, plain values in and out: operation lookup,
// botocore's parameter handlers and validation, endpoint resolution,
// serialisation, compression and checksums, and the signing parameters the
// endpoint and model call for. What comes out is the request as it will be
// signed (without the signing time, which each attempt sets).

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "daemon/http/http_request.h"
#include "daemon/invoke/service_client.h"
#include "daemon/protocols/request_finishing.h"
#include "daemon/signing/signer.h"

namespace awsd::invoke {

// The operation `name` names: the model's name ("ListObjectsV2"), or its
// kebab-case or snake_case form ("list-objects-v2", "list_objects_v2").
absl::StatusOr<const model::Operation*> FindOperation(const model::ServiceModel& model, std::string_view name);

struct PrepareOptions {
  // For a presigned URL: no default checksums, S3's presign endpoint rules.
  bool presign = false;
  // The streaming input member is sent from a client stream rather than
  // given in the parameters; its length when known.
  bool streamed_body = false;
  std::optional<uint64_t> streamed_body_length;
  std::string user_agent;
};

struct PreparedRequest {
  const model::Operation* operation = nullptr;
  // Absolute URL, headers (User-Agent, endpoint headers, checksums), body.
  http::HttpRequest request;
  // False for operations botocore sends unsigned (auth "none").
  bool sign = true;
  // Everything but `time`.
  signing::SigningParams signing;
  protocols::ChecksumPlan checksums;
  // Ask for "Expect: 100-continue" (S3 uploads of 1 MiB or more, and streams).
  bool expect_continue = false;
  // EncodingType=url was set for the caller: decode the listing's keys.
  bool decode_list_keys = false;
  // The endpoint's host, for the clock-skew table.
  std::string host;
};

// InvalidArgument for parameters botocore refuses ("Parameter validation
// failed:\n..."), for a request the endpoint rules refuse (their message),
// or an unsupported signature version; NotFound for an unknown operation.
absl::StatusOr<PreparedRequest> PrepareRequest(const ServiceClient& client, const model::Operation& operation,
                                               protocols::Value params, const PrepareOptions& options);

}  // namespace awsd::invoke
