#pragma once

// The large-response path of the json and rest-json parsers: the body parsed
// with simdjson and walked by shape straight into a ResultWriter, with no
// tree of the wire document and none of the result when the writer produces
// text. Same results as json::Loads + json::ParseStructure (json_body.h),
// which remain the reference and the fallback.

#include <string_view>

#include "absl/status/status.h"
#include "daemon/model/shape.h"
#include "daemon/protocols/json_body.h"
#include "daemon/protocols/result_writer.h"

namespace awsd::protocols::json {

// Writes the members of `shape` found in the JSON object `body` as Key/value
// pairs into an object the caller has begun (so that it can add header
// members and ResponseMetadata after them). An empty body writes nothing.
// DataLoss for a body that is not a JSON object or holds a value of the
// wrong kind; Unimplemented for documents this path leaves to the reference
// one (NaN literals, integers beyond 64 bits, repeated map keys): the caller
// then discards what was written and parses the reference way.
absl::Status WriteStructureMembers(const model::Shape& shape, std::string_view body, const ParseContext& context,
                                   ResultWriter& writer);

}  // namespace awsd::protocols::json
