#pragma once

// The rest-json protocol, as botocore 1.43's RestJSONSerializer and
// RestJSONParser speak it: members bound to the URI, query string, headers
// and status code (rest_common.h), the rest as a JSON body or the `payload`
// member as the whole body.

#include "daemon/protocols/protocol.h"

namespace awsd::protocols {

class RestJsonProtocol : public Protocol {
 public:
  // The body: a blob or string payload as its raw bytes (no Content-Type
  // added); another payload (structure, union, document) as its JSON, "{}"
  // when unset; without a payload, the unbound members as a JSON object, or
  // "{}" when there are none set but the input has unbound members; nothing
  // otherwise. A JSON body gets Content-Type: application/json unless a
  // header member set one. Content-Length is left to request preparation.
  absl::StatusOr<SerializedRequest> Serialize(const model::ServiceModel& service, const model::Operation& operation,
                                              const Value& params, const SerializeOptions& options) const override;

  // Success: ResponseMetadata (RequestId from x-amzn-requestid, else
  // x-amz-request-id with HostId from x-amz-id-2), the header and status
  // members, then the body's members (which win over headers of the same
  // name, as in botocore) or the payload member: blob payloads as binaries,
  // string payloads as text, others parsed as JSON. Scalars are converted as
  // RestJSONParser does (int(), float(), ensure_boolean()). DataLoss for a
  // body that is not JSON or values of the wrong kind; Unimplemented for
  // event-stream output. Errors: json_errors.h, with the code from
  // x-amzn-errortype or the body's `code`.
  absl::StatusOr<ParsedResponse> Parse(const model::ServiceModel& service, const model::Operation& operation,
                                       const http::HttpResponse& response, const ParseOptions& options) const override;
};

}  // namespace awsd::protocols
