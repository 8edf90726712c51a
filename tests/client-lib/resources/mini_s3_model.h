#pragma once

// A cut-down copy of boto3's s3 resources-1.json: enough for every kind of
// relation (actions, load, has, hasMany, batch actions, waiters).

#include "tests/client-lib/resources/fake_caller.h"

namespace awsd::resources::testing {

inline constexpr const char* kMiniS3Resources = R"json({
  "service": {
    "actions": {
      "CreateBucket": {
        "request": {"operation": "CreateBucket"},
        "resource": {"type": "Bucket", "identifiers": [{"target": "Name", "source": "requestParameter", "path": "Bucket"}]}
      }
    },
    "hasMany": {
      "Buckets": {
        "request": {"operation": "ListBuckets"},
        "resource": {"type": "Bucket", "identifiers": [{"target": "Name", "source": "response", "path": "Buckets[].Name"}],
                     "path": "Buckets[]"}
      }
    }
  },
  "resources": {
    "Bucket": {
      "identifiers": [{"name": "Name", "memberName": "Name"}],
      "shape": "Bucket",
      "actions": {
        "Delete": {"request": {"operation": "DeleteBucket",
                               "params": [{"target": "Bucket", "source": "identifier", "name": "Name"}]}}
      },
      "waiters": {
        "Exists": {"waiterName": "BucketExists", "params": [{"target": "Bucket", "source": "identifier", "name": "Name"}]}
      },
      "has": {
        "Object": {"resource": {"type": "Object", "identifiers": [
          {"target": "BucketName", "source": "identifier", "name": "Name"}, {"target": "Key", "source": "input"}]}}
      },
      "hasMany": {
        "Objects": {
          "request": {"operation": "ListObjects", "params": [{"target": "Bucket", "source": "identifier", "name": "Name"}]},
          "resource": {"type": "ObjectSummary", "identifiers": [
            {"target": "BucketName", "source": "requestParameter", "path": "Bucket"},
            {"target": "Key", "source": "response", "path": "Contents[].Key"}], "path": "Contents[]"}
        }
      }
    },
    "Object": {
      "identifiers": [{"name": "BucketName"}, {"name": "Key"}],
      "shape": "HeadObjectOutput",
      "load": {"request": {"operation": "HeadObject", "params": [
        {"target": "Bucket", "source": "identifier", "name": "BucketName"},
        {"target": "Key", "source": "identifier", "name": "Key"}]}, "path": "$"},
      "actions": {
        "Delete": {"request": {"operation": "DeleteObject", "params": [
          {"target": "Bucket", "source": "identifier", "name": "BucketName"},
          {"target": "Key", "source": "identifier", "name": "Key"}]}}
      }
    },
    "ObjectSummary": {
      "identifiers": [{"name": "BucketName"}, {"name": "Key"}],
      "shape": "Object",
      "batchActions": {
        "Delete": {"request": {"operation": "DeleteObjects", "params": [
          {"target": "Bucket", "source": "identifier", "name": "BucketName"},
          {"target": "Delete.Objects[*].Key", "source": "identifier", "name": "Key"}]}}
      }
    },
    "Instance": {
      "identifiers": [{"name": "Id"}],
      "shape": "Instance",
      "load": {"request": {"operation": "DescribeInstances", "params": [
        {"target": "InstanceIds[0]", "source": "identifier", "name": "Id"}]}, "path": "Reservations[0].Instances[0]"},
      "has": {
        "Vpc": {"resource": {"type": "Vpc", "identifiers": [{"target": "Id", "source": "data", "path": "VpcId"}]}}
      }
    },
    "Vpc": {"identifiers": [{"name": "Id"}], "shape": "Vpc"}
  }
})json";

inline std::shared_ptr<const ServiceResourceModel> MiniS3Model() {
  return ModelFrom("s3", kMiniS3Resources,
                   {{"Bucket", {"Name", "CreationDate"}},
                    {"HeadObjectOutput", {"ContentLength", "ETag", "LastModified"}},
                    {"Object", {"Key", "LastModified", "ETag", "Size", "StorageClass"}},
                    {"Instance", {"InstanceId", "VpcId", "State"}},
                    {"Vpc", {"VpcId", "CidrBlock"}}},
                   {"ListObjects"});
}

}  // namespace awsd::resources::testing
