#pragma once

// The rules engine's standard library, as botocore 1.43's
// RuleSetStandardLibrary computes it: isSet, not, getAttr, stringEquals,
// booleanEquals, substring, uriEncode, parseURL, isValidHostLabel,
// aws.partition, aws.parseArn, aws.isVirtualHostableS3Bucket.
//
// Where botocore raises (stringEquals on a None, getAttr of a missing key,
// parseURL of "https://" whose host is empty), the call fails with a message
// instead; where botocore returns None, so does the call.

#include <string>
#include <string_view>

#include "daemon/endpoints/partitions.h"
#include "daemon/endpoints/rule_set.h"
#include "daemon/endpoints/value.h"

namespace awsd::endpoints {

struct FunctionContext {
  const Partitions* partitions = nullptr;
  ValueArena* arena = nullptr;  // holds strings and records the call makes
};

// `args` has the function's arity (checked when compiling). `path` is
// getAttr's pre-split path, or nullptr to split args[1] now. Returns false
// and sets *error when botocore would raise.
bool CallStandardFunction(Function function, const Value* args, const AttrPath* path, const FunctionContext& context,
                          Value* out, std::string* error);

// The value tests and the S3 helpers share.

// isValidHostLabel(value, allow_subdomains) on a string: 1-63 ASCII letters,
// digits and '-', not starting or ending with '-' (Python's `$` lets a final
// "\n" follow); with subdomains, each '.'-separated label so.
bool IsValidHostLabel(std::string_view value, bool allow_subdomains);

// aws.isVirtualHostableS3Bucket on a string.
bool IsVirtualHostableS3Bucket(std::string_view value, bool allow_subdomains);

}  // namespace awsd::endpoints
