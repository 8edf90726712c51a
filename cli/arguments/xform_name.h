#pragma once

// botocore.xform_name, ported: the AWS CLI's kebab-case names for operations
// and members ("ListObjectsV2" -> "list-objects-v2", "SSEKMSKeyId" ->
// "ssekms-key-id").

#include <string>
#include <string_view>

namespace awsd::cli {

// As botocore.xform_name(name, sep): returns `name` unchanged when it already
// holds `sep`; otherwise applies botocore's special cases, its "ARNs"-like
// plural rule and its two camel-case regular expressions, then lower-cases.
std::string XformName(std::string_view name, char sep = '-');

}  // namespace awsd::cli
