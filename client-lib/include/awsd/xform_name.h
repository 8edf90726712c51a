#pragma once

// botocore.xform_name, ported: boto3's snake_case names ("ListObjectsV2" ->
// "list_objects_v2") and the AWS CLI's kebab-case ones ("SSEKMSKeyId" ->
// "ssekms-key-id"). One copy for the daemon (python names, rule functions,
// waiters), awsctl (commands and members) and the client library's
// resources.

#include <string>
#include <string_view>

namespace awsd {

// As botocore.xform_name(name, sep): returns `name` unchanged when it already
// holds `sep`; otherwise applies botocore's special cases, its "ARNs"-like
// plural rule and its two camel-case regular expressions, then lower-cases.
std::string XformName(std::string_view name, char sep = '_');

}  // namespace awsd
