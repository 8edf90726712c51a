#pragma once

// Error responses of the XML protocols, read the way botocore's parsers
// read them before the client raises ClientError: the generic 5xx error,
// query's <ErrorResponse><Error>, ec2's <Response><Errors><Error>, rest-xml's
// <ErrorResponse> and S3's bare <Error>. The modelled members of the error
// shape are each protocol's own second pass (endpoint.py's
// _add_modeled_error_fields); this file only finds the code.

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "daemon/http/http_client.h"
#include "daemon/protocols/protocol.h"
#include "daemon/protocols/value.h"

namespace awsd::protocols::xml {

// botocore's parse() takes the error path from 301 up.
inline bool IsErrorStatus(int status) { return status >= 301; }

// _is_generic_error_response: a 5xx whose body is empty or an HTML page
// (a proxy's, say) rather than the protocol's error document.
bool IsGenericErrorResponse(const http::HttpResponse& response);

// {"Error": {"Code": "<status>", "Message": "<reason phrase>"}, "ResponseMetadata": {}}
Value GenericError(int status);

// QueryParser._do_error_parse (`ec2`: EC2QueryParser's, which also reads
// <RequestID>): the root's children as a dict, <Errors> unwrapped, the
// request id moved into ResponseMetadata. DataLoss when the body is not XML.
absl::StatusOr<Value> ParseQueryError(std::string_view body, bool ec2);

// RestXMLParser._do_error_parse: S3's <Error> (request id and host id from
// the headers), or <ErrorResponse><Error> with Code and Message defaulting
// to "", or — when the body is empty or not XML — the status as the code and
// x-amz-request-id / x-amz-id-2 as metadata. Never fails.
Value ParseRestXmlError(const http::HttpResponse& response);

// botocore's ResponseMetadata for S3-style responses (BaseRestParser's
// _populate_response_metadata): x-amzn-requestid, else x-amz-request-id
// with HostId = x-amz-id-2.
Value RestResponseMetadata(const http::HttpResponse& response);

// The result's Error.Code, or "" when there is none.
std::string ErrorCode(const Value& result);

// parse()'s last step: ResponseMetadata (kept when present) gains
// HTTPStatusCode and HTTPHeaders.
void AddResponseMetadata(const http::HttpResponse& response, Value& result);

// dict.update(): `fields`' keys replace or join `result`'s.
void MergeFields(Value fields, Value& result);

}  // namespace awsd::protocols::xml
