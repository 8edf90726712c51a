#pragma once

// The smithy-rpc-v2-cbor body as botocore 1.43 handles it: parameters to a
// CBOR item as its CBORSerializer writes them, and a decoded response item
// to a result as its BaseCBORParser / BaseRpcV2Parser read it. HTTP framing
// (paths, headers, errors) is rpc_v2_cbor_protocol's.

#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "daemon/encoding/cbor_item.h"
#include "daemon/model/shape.h"
#include "daemon/protocols/timestamps.h"
#include "daemon/protocols/value.h"

namespace awsd::protocols::cbor {

// How deeply parameters may nest (results are bounded by the decoder's own
// limit): recursive shapes would otherwise let a caller recurse without end.
inline constexpr int kMaxParamDepth = 256;

// `params` as the item botocore writes for `shape`: structures as maps of
// their non-null members under their wire names (in parameter order),
// integers at their shortest width, float shapes as singles and doubles as
// doubles (NaN and the infinities as halves), timestamps as tag 1 over whole
// epoch seconds, blobs (a json binary or a string's bytes) as byte strings.
// InvalidArgument for a value the shape cannot carry, an unknown member, a
// null list element or map value, or nesting beyond kMaxParamDepth.
absl::StatusOr<encoding::CborItem> ParamsToCbor(const Value& params, const model::Shape& shape);

// OK when botocore's decoder would accept `item`: no tag but 1 (epoch
// seconds, an integer or float within Python datetime's range), no simple
// value but false/true/null/undefined, no array or map as the key of a
// non-null map value (Python cannot hash them). botocore
// decodes a whole body before looking at it, so this holds for every part,
// read or not. DataLoss otherwise.
absl::Status CheckBotocoreDecodable(const encoding::CborItem& item);

// `item` read as `shape`, as botocore's parser walks it: a structure keeps
// its modelled members (looked up by member name) that are not null; a union
// must have exactly one non-null entry besides "__type" (an unknown one
// gives {}); a list converts each element by its member shape (null kept);
// maps and scalars come back as decoded, whatever the shape says (botocore's
// default handler): byte strings as json binaries, tag 1 through
// TimestampResult, null map values dropped. DataLoss for a structure or list
// that is not a map or array, or a map key that is not text. The item must
// have passed CheckBotocoreDecodable.
absl::StatusOr<Value> CborToResult(const encoding::CborItem& item, const model::Shape& shape,
                                   TimestampOutput timestamps);

// `item` as botocore's decoder returns it, with no shape to direct it.
absl::StatusOr<Value> UntypedCborToValue(const encoding::CborItem& item, TimestampOutput timestamps);

// The part of `body` botocore's decoder reads: its first data item. botocore
// ignores whatever follows, so a body with trailing bytes still parses. The
// whole body when no first item can be delimited (DecodeCbor then says why).
// Delimiting follows botocore's reader and goes no deeper than `max_depth`.
std::string_view BotocoreFirstItem(std::string_view body, int max_depth = 256);

// The value a Python dict decoded from map `map` holds under text key `key`:
// the last non-null one (the decoder never stores a null). nullptr if none.
const encoding::CborItem* FindEntry(const encoding::CborItem& map, std::string_view key);

}  // namespace awsd::protocols::cbor
