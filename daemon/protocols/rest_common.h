#pragma once

// What rest-json and rest-xml share: members that travel in the URI, the
// query string, headers and the status code, as botocore's
// BaseRestSerializer and BaseRestParser handle them. The body is each
// protocol's own.

#include "absl/status/status.h"
#include "daemon/model/service_model.h"
#include "daemon/protocols/protocol.h"

namespace awsd::protocols::rest {

// Starts `request` for `operation`: method, the requestUri with its {Label}
// and {Label+} parts filled from uri members (percent-encoded; greedy labels
// keep '/'), querystring members appended to request.query (the requestUri's
// own literal query first, modelled members not overriding it), header and
// headers-map members set (timestamps rfc822 unless timestampFormat says
// otherwise, jsonvalue as base64 JSON, lists joined with ","). Members with
// location kBody are left for the caller. InvalidArgument for a missing or
// empty URI label.
absl::Status SerializeLocations(const model::Operation& operation, const Value& params, SerializedRequest& request);

// Members of `shape` that go in the body (no location), in model order; the
// caller serialises them (or the `payload` member) its own way.
bool HasBodyMembers(const model::Shape& shape);

// Fills `result` with `shape`'s header, headers-map (prefix match, prefix
// removed) and statusCode members from `response`, converted by type
// (timestamps per format, jsonvalue decoded, lists split on ","). Invalid
// values are DataLoss naming the header.
absl::Status ParseLocations(const model::Shape& shape, const http::HttpResponse& response, const ParseOptions& options,
                            Value& result);

}  // namespace awsd::protocols::rest
