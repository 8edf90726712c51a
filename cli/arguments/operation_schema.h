#pragma once

// What awsctl knows of an operation's input: the daemon's DescribeService
// answer for one operation (awsctl loads no models), enough to apply the
// AWS CLI's grammar for its low-level commands.

#include <string>
#include <vector>

namespace awsd::cli {

// One member of the input shape.
struct MemberSchema {
  std::string name;  // model name: "Bucket", "MaxKeys"
  // botocore type: string, integer, long, boolean, double, float, timestamp,
  // blob, structure, list, map.
  std::string type;
  // For a list: its member's type (a list of scalars takes several values,
  // "--attribute-names A B").
  std::string list_member_type;
  bool required = false;
  // A streaming blob (S3 PutObject's Body): the value is a file path.
  bool streaming = false;
  // A document type (free-form JSON).
  bool document = false;
};

struct OperationSchema {
  std::string service;        // the CLI's name, as typed: "s3api"
  std::string operation;      // model name: "ListObjectsV2"
  std::string cli_operation;  // as typed: "list-objects-v2"
  // The model's metadata.endpointPrefix ("s3", "apigateway"): the AWS CLI
  // names parameters "<endpoint_prefix>.<cli_operation>.<member>" in its list
  // of parameters that never read file:// (awscli/paramfile.py); empty means
  // `service`.
  std::string endpoint_prefix;
  std::vector<MemberSchema> input;
  // The output has a streaming member (S3 GetObject's Body): the AWS CLI
  // then takes a positional outfile argument.
  bool streaming_output = false;
  std::string streaming_output_member;
  // The operation has a paginator (--no-paginate, --max-items,
  // --starting-token, --page-size are accepted; issue 8 merges pages).
  bool paginated = false;
  // The paginator's input_token members and limit_key member (model names:
  // "ContinuationToken", "MaxKeys"). Giving one of them on the command line
  // turns pagination off, as in the AWS CLI; --page-size exists only with a
  // limit key and takes its type.
  std::vector<std::string> paginator_input_tokens;
  std::string paginator_limit_key;
};

}  // namespace awsd::cli
