// XML responses: rest-xml (S3), query (STS, SQS-era query services) and ec2,
// which share the XML body reader and the error documents.

#include <cstddef>
#include <cstdint>

#include "fuzz/response_fuzzer.h"

namespace {

constexpr awsd::fuzz::OperationRef kOperations[] = {
    {"s3", "ListObjectsV2"},
    {"s3", "GetObjectAcl"},
    {"s3", "ListBuckets"},
    {"s3", "GetBucketLocation"},
    {"s3", "HeadObject"},
    {"s3", "GetObject"},
    {"s3", "ListMultipartUploads"},
    {"s3", "GetBucketLifecycleConfiguration"},
    {"s3", "CompleteMultipartUpload"},
    {"sts", "AssumeRole"},
    {"sts", "GetCallerIdentity"},
    {"ec2", "DescribeInstances"},
    {"ec2", "DescribeRegions"},
    {"iam", "ListRoles"},
    {"cloudformation", "DescribeStacks"},
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return awsd::fuzz::ParseResponse(kOperations, data, size);
}
