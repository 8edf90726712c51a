#pragma once

// smithy-rpc-v2-cbor, as botocore 1.43's RpcV2CBORSerializer and
// RpcV2CBORParser speak it: every operation is a POST to
// /service/{targetPrefix}/operation/{Operation} with a CBOR body (none when
// the operation has no input), and errors name themselves in "__type".

#include "daemon/protocols/protocol.h"

namespace awsd::protocols {

class RpcV2CborProtocol : public Protocol {
 public:
  // Headers: smithy-protocol: rpc-v2-cbor, x-amzn-query-mode: true for
  // awsQueryCompatible services, Accept (and Content-Type when there is a
  // body) application/cbor, or application/vnd.amazon.eventstream for an
  // event-stream output. Content-Length is left to request preparation.
  // InvalidArgument when the model has no targetPrefix or a parameter cannot
  // be carried (cbor_body.h).
  absl::StatusOr<SerializedRequest> Serialize(const model::ServiceModel& service, const model::Operation& operation,
                                              const Value& params, const SerializeOptions& options) const override;

  // Success: the output members and ResponseMetadata (RequestId from
  // x-amzn-requestid when the operation has an output). An empty body reads
  // as an empty map. Unimplemented for event-stream output.
  //
  // Error (status >= 301): Error {Message, Code from "__type" without its
  // namespace or ":..." suffix (else the status), and for an
  // x-amzn-query-error "Code;Type" header QueryErrorCode and Type with Code
  // replaced}, ResponseMetadata, then the error shape's members. A 5xx with
  // an empty or HTML body, and any body that is not a CBOR map botocore
  // could read, give the generic error.
  absl::StatusOr<ParsedResponse> Parse(const model::ServiceModel& service, const model::Operation& operation,
                                       const http::HttpResponse& response, const ParseOptions& options) const override;
};

}  // namespace awsd::protocols
