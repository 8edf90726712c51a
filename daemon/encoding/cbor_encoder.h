#pragma once

// CBOR encoding (RFC 8949) of request bodies for smithy-rpc-v2-cbor services.

#include <string>

#include "daemon/encoding/cbor_item.h"

namespace awsd::encoding {

// `item` in preferred serialization: definite lengths, every argument in its
// shortest form. Floats are written at the item's float_width() (a double
// unless it was built or decoded narrower); map entries keep their order.
std::string EncodeCbor(const CborItem& item);

// The same, appended to `out`.
void AppendCbor(const CborItem& item, std::string& out);

}  // namespace awsd::encoding
