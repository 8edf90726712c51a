#pragma once

// botocore's set_list_objects_encoding_type_url and decode_list_object*:
// S3 listings are asked for with EncodingType=url (so keys with characters
// XML cannot carry survive), and the keys are decoded again in the result.
// Only when the caller did not ask for an encoding type of their own.

#include <string>
#include <string_view>

#include "daemon/protocols/value.h"

namespace awsd::invoke {

// Sets EncodingType=url for ListObjects, ListObjectsV2 and
// ListObjectVersions when the caller left it out; true when it did.
bool SetListObjectsEncodingType(std::string_view operation, protocols::Value& params);

// Decodes (as Python's unquote_plus) the keys of a listing result given as
// client JSON, when its EncodingType is "url". `json` is rewritten in place.
void DecodeListObjectKeys(std::string_view operation, std::string& json);

}  // namespace awsd::invoke
