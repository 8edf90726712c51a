#pragma once

// Error responses of the json and rest-json protocols, as botocore reads
// them: the code from `__type` (json) or x-amzn-errortype / `code` (rest-json),
// namespaces and URIs stripped ("aws.protocoltests#FooError:http://..." →
// "FooError"), the message from `message` / `Message`, the awsQueryCompatible
// x-amzn-query-error header, and the error shape's modelled members merged in
// as botocore's endpoint does (_add_modeled_error_fields).

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "daemon/http/http_client.h"
#include "daemon/model/service_model.h"
#include "daemon/protocols/json_body.h"
#include "daemon/protocols/protocol.h"

namespace awsd::protocols::json {

// A response header as botocore's HTTPHeaders gives it (case-insensitive,
// repeats joined with ", "), or nullopt.
std::optional<std::string> ResponseHeader(const http::HttpResponse& response, std::string_view name);

// Whether botocore parses `response` as an error (status >= 301).
inline bool IsErrorStatus(int status) { return status >= 301; }

// The body as botocore's _parse_body_as_json returns it: {} when empty, the
// parsed JSON object, else {"message": <the body's text>}. nullopt when the
// body is not UTF-8 (botocore fails there; callers fall back to the generic
// error).
std::optional<Value> ErrorBodyObject(const http::HttpResponse& response);

// Parses the error shape's modelled members out of the response (without
// ResponseMetadata), as the protocol's parser does for an exception shape.
using ModeledErrorParser =
    std::function<absl::StatusOr<Value>(const model::Shape& error_shape, const http::HttpResponse& response)>;

// The whole error result for an error status: {"Error": {"Message", "Code",
// ...}, "ResponseMetadata": {...}} with the modelled members of the error
// shape for the code merged in. Never fails: bodies that cannot be read give
// botocore's generic error (Code = the status, Message = its reason phrase),
// and modelled members that do not parse are left out.
ParsedResponse ParseErrorResponse(const model::ServiceModel& service, const http::HttpResponse& response,
                                  Dialect dialect, const ModeledErrorParser& modeled);

}  // namespace awsd::protocols::json
