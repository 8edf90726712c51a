#pragma once

// Strict CBOR decoding (RFC 8949) of response bodies from smithy-rpc-v2-cbor
// services. The input is untrusted: every failure is an error value, never a
// crash, and nothing is allocated that the remaining input cannot back.

#include <string_view>

#include "absl/status/statusor.h"
#include "daemon/encoding/cbor_item.h"

namespace awsd::encoding {

struct CborLimits {
  // How deeply arrays, maps and tags may nest; 0 allows only a lone scalar or
  // string. Bounds the decoder's recursion.
  int max_depth = 256;
  // Text strings (each chunk of an indefinite one) must be UTF-8, as botocore's
  // decoder requires; off only to inspect a malformed body.
  bool require_utf8 = true;
};

// The one data item that `bytes` holds. InvalidArgument, naming the problem
// and its byte offset, for anything not well-formed: truncation, additional
// information 28-30, a misplaced or missing break, an indefinite string chunk
// of another type or itself indefinite, a two-byte simple value below 32,
// nesting beyond the limit, invalid UTF-8 in text, and bytes after the item.
absl::StatusOr<CborItem> DecodeCbor(std::string_view bytes, const CborLimits& limits = {});

}  // namespace awsd::encoding
