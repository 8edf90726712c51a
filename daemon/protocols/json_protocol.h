#pragma once

// The json protocol (awsJson 1.0 and 1.1), as botocore 1.43's JSONSerializer
// and JSONParser speak it: every operation is a POST of a JSON document to
// "/", named by X-Amz-Target.

#include "daemon/protocols/protocol.h"

namespace awsd::protocols {

class JsonProtocol : public Protocol {
 public:
  // Method from the model (POST by default), path "/", headers X-Amz-Target
  // "<targetPrefix>.<Operation>", Content-Type
  // application/x-amz-json-<jsonVersion> and, for awsQueryCompatible
  // services, x-amzn-query-mode: true. The body is json.dumps of the input
  // ("{}" without one): timestamps epoch seconds unless timestampFormat says
  // otherwise, blobs base64, NaN/Infinity floats as strings. Content-Length
  // is left to request preparation.
  absl::StatusOr<SerializedRequest> Serialize(const model::ServiceModel& service, const model::Operation& operation,
                                              const Value& params, const SerializeOptions& options) const override;

  // Success: the output members as they came (scalars unconverted, as
  // botocore leaves them), blobs decoded, timestamps per options; then
  // ResponseMetadata (RequestId from x-amzn-requestid). An empty body is {};
  // one that is not a JSON object is DataLoss. Unimplemented for event-stream
  // output. Errors: json_errors.h.
  absl::StatusOr<ParsedResponse> Parse(const model::ServiceModel& service, const model::Operation& operation,
                                       const http::HttpResponse& response, const ParseOptions& options) const override;

  // Success bodies go straight from simdjson to the client's JSON text
  // (json_body_writer.h); errors and the rest as Parse does.
  absl::StatusOr<ClientReply> ParseToClientJson(const model::ServiceModel& service, const model::Operation& operation,
                                                const http::HttpResponse& response, const ParseOptions& options,
                                                int retry_attempts) const override;
};

}  // namespace awsd::protocols
