#pragma once

// JSON bodies, shared by the json and rest-json protocols: the text as
// Python's json module writes and reads it, and the walk over a shape that
// botocore's JSONSerializer and BaseJSONParser/RestJSONParser do.

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "daemon/model/shape.h"
#include "daemon/protocols/timestamps.h"
#include "daemon/protocols/value.h"

namespace awsd::protocols::json {

// Deeper bodies are refused rather than walked: the parsers must survive
// arbitrary bytes, and Python itself gives up (RecursionError) near 1000.
inline constexpr int kMaxDepth = 200;

// json.dumps(value): ensure_ascii escapes, NaN/Infinity as bare words,
// floats as repr() prints them. `compact` uses separators (',', ':') (what
// botocore sends in jsonvalue headers); otherwise Python's default (', ', ': ').
// Binaries are written as their bytes in a string.
std::string Dumps(const Value& value, bool compact = false);

// json.loads(body.decode('utf-8')): NaN, Infinity and -Infinity accepted,
// duplicate keys keep the last value, integers beyond 64 bits become floats.
// DataLoss for bytes that are not UTF-8 or not one JSON value, or nesting
// beyond kMaxDepth.
absl::StatusOr<Value> Loads(std::string_view text);

// ---- Serialising parameters (botocore's JSONSerializer._serialize_type_*) ----

// The JSON value of `value` as `member`'s shape. Structures keep the
// caller's key order and use locationName; null members are left out (botocore's
// validator refuses them before its serializer would write null); timestamps
// are epoch seconds unless timestampFormat says otherwise; blobs are base64;
// NaN/Infinity floats are strings. InvalidArgument for values of the wrong
// kind (a string for a list, an unparseable timestamp, ...).
absl::StatusOr<Value> Serialize(const model::Member& member, const Value& value);

// The members of structure `shape` present in `params` as a JSON object.
// With `body_only`, members bound to a location (uri, header, ...) are
// skipped, as rest-json's partitioning does.
absl::StatusOr<Value> SerializeStructure(const model::Shape& shape, const Value& params, bool body_only = false);

// ---- Parsing responses ----

enum class Dialect {
  kJson,      // BaseJSONParser: scalars pass through as they came
  kRestJson,  // RestJSONParser: int(), float() and ensure_boolean() on scalars
};

struct ParseContext {
  Dialect dialect = Dialect::kJson;
  TimestampOutput timestamps = TimestampOutput::kIso8601;
};

// The result for `wire` (a value of a parsed body) as `member`'s shape:
// structures by member name (nulls and unknown keys dropped, unknown union
// members as SDK_UNKNOWN_MEMBER), blobs decoded to binaries, timestamps per
// context. DataLoss naming the member for values of the wrong kind.
absl::StatusOr<Value> Parse(const model::Member& member, const Value& wire, const ParseContext& context);

// Parse for a structure shape (an operation's output, an error shape).
// A null `wire` yields null, as botocore returns None for it.
absl::StatusOr<Value> ParseStructure(const model::Shape& shape, const Value& wire, const ParseContext& context);

}  // namespace awsd::protocols::json
