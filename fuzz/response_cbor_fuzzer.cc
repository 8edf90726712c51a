// smithy-rpc-v2-cbor responses (CloudWatch): the CBOR decoder, the shapes it
// fills, and the protocol's error documents.

#include <cstddef>
#include <cstdint>

#include "fuzz/response_fuzzer.h"

namespace {

constexpr awsd::fuzz::OperationRef kOperations[] = {
    {"cloudwatch", "GetMetricData"},       {"cloudwatch", "DescribeAlarms"},       {"cloudwatch", "ListMetrics"},
    {"cloudwatch", "GetMetricStatistics"}, {"cloudwatch", "DescribeAlarmHistory"}, {"cloudwatch", "PutMetricData"},
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return awsd::fuzz::ParseResponse(kOperations, data, size);
}
