#pragma once

// The rest-xml protocol (S3, Route 53, CloudFront): members in the URI, the
// query string and headers (rest_common.h), the rest as an XML document named
// by the input's locationName, or the `payload` member alone. Mirrors
// botocore's RestXMLSerializer and RestXMLParser, including S3's bare <Error>
// documents and, for S3, its errors inside 200 responses (handlers.py's
// _handle_200_error).

#include "daemon/protocols/protocol.h"

namespace awsd::protocols {

class RestXmlProtocol final : public Protocol {
 public:
  // Body: the `payload` member alone (a blob or string as its bytes, a
  // structure as a document named by its locationName), else the body
  // members as a document named by the input's locationName, else nothing.
  // No Content-Type, as botocore sends none. S3's DeleteObjects and
  // PutBucketLifecycleConfiguration get escape_xml_payload's &#xD;/&#xA;.
  absl::StatusOr<SerializedRequest> Serialize(const model::ServiceModel& service, const model::Operation& operation,
                                              const Value& params, const SerializeOptions& options) const override;

  // Success: ResponseMetadata (RequestId from x-amzn-requestid, else
  // x-amz-request-id with HostId from x-amz-id-2), header and status-code
  // members, then the body: the payload member (a blob payload as a json
  // binary, a string as text) or the output's members read from the root
  // element. Unimplemented for event-stream output. Errors: xml_errors.h,
  // with the error shape's header and body members beside "Error".
  absl::StatusOr<ParsedResponse> Parse(const model::ServiceModel& service, const model::Operation& operation,
                                       const http::HttpResponse& response, const ParseOptions& options) const override;
};

}  // namespace awsd::protocols
