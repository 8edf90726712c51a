// JSON responses: the json protocol (DynamoDB, its AttributeValue unions and
// error types) and rest-json (Lambda: header- and status-bound members).

#include <cstddef>
#include <cstdint>

#include "fuzz/response_fuzzer.h"

namespace {

constexpr awsd::fuzz::OperationRef kOperations[] = {
    {"dynamodb", "Query"},         {"dynamodb", "GetItem"},
    {"dynamodb", "DescribeTable"}, {"dynamodb", "BatchGetItem"},
    {"lambda", "ListFunctions"},   {"lambda", "Invoke"},
    {"lambda", "GetFunction"},     {"kms", "Decrypt"},
    {"logs", "FilterLogEvents"},   {"secretsmanager", "GetSecretValue"},
    {"apigateway", "GetRestApis"}, {"ecs", "DescribeTasks"},
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return awsd::fuzz::ParseResponse(kOperations, data, size);
}
