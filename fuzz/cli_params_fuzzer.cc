// awsctl's parameter parsing (cli/arguments): `--member value` arguments
// turned into the JSON parameters of a real operation, against the schema
// the daemon's DescribeService would send (built here from the same model):
// JSON values, Python-literal blobs, file:// and fileb:// reads, lists,
// booleans, numbers, timestamps, pagination options.
//
// Input: byte 0 picks the operation (modulo the list); then one argument per
// '\n'-terminated line up to a "----" line; what follows that line is the
// content of every file an argument names (no disk is read).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "awsd/xform_name.h"
#include "cli/arguments/operation_arguments.h"
#include "fuzz/fuzz_models.h"

namespace {

struct OperationRef {
  const char* cli_service;
  const char* service;
  const char* operation;
};

constexpr OperationRef kOperations[] = {
    {"s3api", "s3", "ListObjectsV2"},
    {"s3api", "s3", "PutObject"},
    {"s3api", "s3", "GetObject"},
    {"s3api", "s3", "PutBucketLifecycleConfiguration"},
    {"dynamodb", "dynamodb", "Query"},
    {"dynamodb", "dynamodb", "PutItem"},
    {"ec2", "ec2", "RunInstances"},
    {"ec2", "ec2", "DescribeInstances"},
    {"cloudwatch", "cloudwatch", "PutMetricData"},
    {"lambda", "lambda", "Invoke"},
    {"sts", "sts", "AssumeRole"},
    {"iam", "iam", "ListRoles"},
};

// What operation_description.cc sends for the operation.
awsd::cli::OperationSchema SchemaOf(const OperationRef& ref) {
  const auto service = awsd::fuzz::RequireService(ref.service);
  const awsd::model::Operation& operation = **service->FindOperation(ref.operation);
  awsd::cli::OperationSchema schema;
  schema.service = ref.cli_service;
  schema.operation = operation.name;
  schema.cli_operation = awsd::XformName(operation.name, '-');
  schema.endpoint_prefix = service->metadata().endpoint_prefix;
  schema.streaming_output = operation.has_streaming_output();
  if (operation.output.has_value() && !operation.output->shape->payload.empty()) {
    const awsd::model::Member* payload = operation.output->shape->FindMember(operation.output->shape->payload);
    if (payload != nullptr && payload->traits.streaming) schema.streaming_output_member = payload->name;
  }
  auto paginators = awsd::fuzz::Models().Paginators(ref.service);
  if (paginators.ok() && *paginators && (*paginators)->contains("pagination") &&
      (**paginators)["pagination"].contains(operation.name)) {
    const nlohmann::json& paginator = (**paginators)["pagination"][operation.name];
    schema.paginated = true;
    if (auto tokens = paginator.find("input_token"); tokens != paginator.end()) {
      if (tokens->is_string()) schema.paginator_input_tokens.push_back(tokens->get<std::string>());
      if (tokens->is_array()) {
        for (const auto& token : *tokens) {
          if (token.is_string()) schema.paginator_input_tokens.push_back(token.get<std::string>());
        }
      }
    }
    if (auto limit = paginator.find("limit_key"); limit != paginator.end() && limit->is_string()) {
      schema.paginator_limit_key = limit->get<std::string>();
    }
  }
  if (!operation.input.has_value()) return schema;
  const awsd::model::Shape& input = *operation.input->shape;
  for (const awsd::model::Member& member : input.members) {
    awsd::cli::MemberSchema described;
    described.name = member.name;
    described.type = awsd::model::ShapeTypeName(member.shape->type);
    if (member.shape->type == awsd::model::ShapeType::kList && member.shape->member.shape != nullptr) {
      described.list_member_type = awsd::model::ShapeTypeName(member.shape->member.shape->type);
    }
    described.required = std::find(input.required.begin(), input.required.end(), member.name) != input.required.end();
    described.streaming = member.traits.streaming;
    described.document = member.shape->is_document;
    schema.input.push_back(std::move(described));
  }
  return schema;
}

const awsd::cli::OperationSchema& Schema(size_t index) {
  static const std::vector<awsd::cli::OperationSchema>* const schemas = [] {
    auto* all = new std::vector<awsd::cli::OperationSchema>();
    for (const OperationRef& ref : kOperations) all->push_back(SchemaOf(ref));
    return all;
  }();
  return (*schemas)[index];
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const awsd::cli::OperationSchema& schema = Schema(data[0] % std::size(kOperations));
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::string file_content;
  if (const size_t files = text.find("\n----\n"); files != std::string_view::npos) {
    file_content = std::string(text.substr(files + 6));
    text = text.substr(0, files + 1);
  }
  std::vector<std::string> args;
  while (!text.empty()) {
    const size_t eol = text.find('\n');
    args.emplace_back(text.substr(0, eol));
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
  }
  const awsd::cli::FileReader files = [&file_content](const std::string& path) -> absl::StatusOr<std::string> {
    if (path.find("missing") != std::string::npos) return absl::NotFoundError("no such file: " + path);
    return file_content;
  };
  const awsd::cli::FileChecker exists = [](const std::string& path) {
    return path.find("missing") == std::string::npos;
  };
  auto parsed = awsd::cli::ParseOperationArguments(schema, args, files, exists);
  // As awsctl sends them (operation_command.cc): strictly, so parameters
  // that are not UTF-8 must have been refused by the parser.
  if (parsed.ok()) (void)parsed->params.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::strict);
  return 0;
}
