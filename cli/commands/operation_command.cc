#include <cstdio>
#include <fstream>
#include <iostream>

#include "cli/arguments/operation_arguments.h"
#include "cli/commands/commands.h"
#include "cli/commands/paged_output.h"
#include "cli/commands/wait_command.h"
#include "cli/commands/upload_checksum.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "daemon/jmespath/jmespath.h"

namespace awsd::cli {
namespace {

constexpr std::size_t kUploadPiece = 1 << 20;

// The AWS CLI takes its global options after the operation too
// ("aws s3api list-buckets --region eu-west-1 --output text"): they are
// taken out here, and override what came before the command.
Arguments TakeTrailingGlobals(const Arguments& args, GlobalOptions& options) {
  static const std::pair<const char*, std::string GlobalOptions::*> kValued[] = {
      {"--region", &GlobalOptions::region},      {"--endpoint-url", &GlobalOptions::endpoint_url},
      {"--profile", &GlobalOptions::profile},    {"--output", &GlobalOptions::output},
      {"--socket", &GlobalOptions::socket_path},
  };
  Arguments rest;
  for (std::size_t i = 0; i < args.size(); ++i) {
    bool taken = false;
    for (const auto& [name, field] : kValued) {
      if (args[i] == name && i + 1 < args.size()) {
        options.*field = args[++i];
        taken = true;
        break;
      }
      const std::string prefix = std::string(name) + "=";
      if (args[i].starts_with(prefix)) {
        options.*field = args[i].substr(prefix.size());
        taken = true;
        break;
      }
    }
    if (!taken && args[i] == "--query" && i + 1 < args.size()) {
      options.query = args[++i];
      taken = true;
    }
    if (!taken && args[i] == "--debug") {
      options.debug = true;
      taken = true;
    }
    if (!taken) rest.push_back(args[i]);
  }
  return rest;
}

OperationSchema ToSchema(const std::string& service, const std::string& cli_operation,
                         const awsd::v1::ServiceDescription& description) {
  const awsd::v1::ServiceDescription::Operation& operation = description.operations(0);
  OperationSchema schema;
  schema.service = service;
  schema.endpoint_prefix = description.endpoint_prefix();
  schema.paginator_input_tokens.assign(operation.paginator_input_tokens().begin(),
                                       operation.paginator_input_tokens().end());
  schema.paginator_limit_key = operation.paginator_limit_key();
  schema.operation = operation.name();
  schema.cli_operation = cli_operation;
  for (const auto& member : operation.input()) {
    schema.input.push_back(MemberSchema{member.name(), member.type(), member.list_member_type(), member.required(),
                                        member.streaming(), member.document()});
  }
  schema.streaming_output = operation.streaming_output();
  schema.streaming_output_member = operation.streaming_output_member();
  schema.paginated = operation.paginated();
  return schema;
}

// botocore's default request checksum (CRC32) applies when the operation
// has a ChecksumCRC32 member and the caller chose no checksum of their own.
bool TakesDefaultChecksum(const OperationSchema& schema, const nlohmann::ordered_json& params) {
  bool has_crc32 = false;
  for (const MemberSchema& member : schema.input) has_crc32 |= member.name == "ChecksumCRC32";
  if (!has_crc32) return false;
  for (auto it = params.begin(); it != params.end(); ++it) {
    if (it.key().starts_with("Checksum") || it.key() == "ContentMD5") return false;
  }
  return true;
}

// What the AWS CLI prints for a command line it refuses, and its status.
int ReportArgumentError(const absl::Status& status) {
  const std::string message(status.message());
  if (message.starts_with("Error parsing parameter") || message.starts_with("Error during pagination") ||
      message.starts_with("\n")) {
    std::fprintf(stderr, "\n%s\n", message.c_str());
  } else {
    std::fprintf(stderr,
                 "usage: awsctl [options] <command> <subcommand> [<subcommand> ...] [parameters]\n"
                 "awsctl: error: %s\n",
                 message.c_str());
  }
  return kExitUsage;
}

// PaginationConfig's numbers: the CLI parsed them as the limit key's type.
int32_t PagingNumber(const std::optional<nlohmann::ordered_json>& value) {
  if (!value.has_value()) return 0;
  if (value->is_number_integer()) return value->get<int32_t>();
  if (value->is_string()) {
    try {
      return std::stoi(value->get<std::string>());
    } catch (...) {
      return 0;
    }
  }
  return 0;
}

// Streams the request body from `path` and/or the result body into
// `outfile`, as the AWS CLI does for s3api put-object --body / get-object.
Result<awsd::v1::InvokeResponse> InvokeWithFiles(const awsd::Client& client, const awsd::Session& session,
                                                 awsd::v1::InvokeRequest request,
                                                 const std::optional<std::string>& input_path,
                                                 const std::optional<std::string>& outfile, int* exit_status) {
  std::ifstream in;
  int64_t length = -1;
  std::function<std::optional<std::string>()> read_body;
  if (input_path.has_value()) {
    in.open(*input_path, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "awsctl: cannot read %s\n", input_path->c_str());
      *exit_status = kExitUsage;
      return Error{};
    }
    in.seekg(0, std::ios::end);
    length = static_cast<int64_t>(in.tellg());
    in.seekg(0);
    read_body = [&in]() -> std::optional<std::string> {
      std::string piece(kUploadPiece, '\0');
      in.read(piece.data(), static_cast<std::streamsize>(piece.size()));
      piece.resize(static_cast<std::size_t>(in.gcount()));
      if (piece.empty()) return std::nullopt;
      return piece;
    };
  }
  std::ofstream out;
  std::function<bool(std::string_view)> on_body;
  if (outfile.has_value()) {
    out.open(*outfile, std::ios::binary | std::ios::trunc);
    if (!out) {
      std::fprintf(stderr, "awsctl: cannot write %s\n", outfile->c_str());
      *exit_status = kExitOther;
      return Error{};
    }
    on_body = [&out](std::string_view piece) {
      out.write(piece.data(), static_cast<std::streamsize>(piece.size()));
      return static_cast<bool>(out);
    };
  }
  return client.InvokeStreaming(session, std::move(request), read_body, length, on_body, kLongCall);
}

}  // namespace

int RunOperationCommand(const GlobalOptions& global, const awsd::Client& client, const Arguments& command) {
  GlobalOptions options = global;
  const Arguments args = TakeTrailingGlobals(command, options);
  if (args.size() < 2) {
    std::fprintf(stderr, "awsctl: expected SERVICE OPERATION, e.g. 'awsctl sts get-caller-identity'\n");
    return kExitUsage;
  }
  const bool presign = args[0] == "presign";
  const std::size_t first = presign ? 1 : 0;
  if (args.size() < first + 2) {
    std::fprintf(stderr, "awsctl: expected presign SERVICE OPERATION\n");
    return kExitUsage;
  }
  const std::string& service = args[first];
  const std::string& cli_operation = args[first + 1];
  // SERVICE wait WAITER: the arguments are those of the operation the
  // waiter polls.
  const bool wait = !presign && cli_operation == "wait";
  if (wait && args.size() < 3) {
    std::fprintf(stderr, "awsctl: expected SERVICE wait WAITER, e.g. 'awsctl s3api wait object-exists'\n");
    return kExitUsage;
  }
  // The CLI checks the expression before it calls anything.
  std::optional<jmespath::Expression> query;
  if (options.query) {
    auto compiled = jmespath::Compile(*options.query);
    if (!compiled.ok()) {
      std::fprintf(stderr, "\nBad value for --query %s: %s\n", options.query->c_str(),
                   std::string(compiled.status().message()).c_str());
      return kExitUsage;
    }
    query = *std::move(compiled);
  }
  Arguments member_args(args.begin() + static_cast<std::ptrdiff_t>(first + (wait ? 3 : 2)), args.end());
  int64_t expires_in = 3600;
  if (presign) {
    for (std::size_t i = 0; i < member_args.size(); ++i) {
      if (member_args[i] == "--expires-in" && i + 1 < member_args.size()) {
        try {
          expires_in = std::stoll(member_args[i + 1]);
        } catch (...) {
          std::fprintf(stderr, "awsctl: error: argument --expires-in: invalid int value: '%s'\n",
                       member_args[i + 1].c_str());
          return kExitUsage;
        }
        member_args.erase(member_args.begin() + static_cast<std::ptrdiff_t>(i),
                          member_args.begin() + static_cast<std::ptrdiff_t>(i + 2));
        break;
      }
    }
  }

  awsd::v1::DescribeServiceRequest describe;
  describe.set_service(service);
  if (wait) {
    describe.set_waiter(args[2]);
  } else {
    describe.set_operation(cli_operation);
  }
  auto description = client.DescribeService(describe);
  if (!description) return ReportError(description.error(), cli_operation);
  if (description->operations_size() != 1) {
    std::fprintf(stderr, "awsctl: the daemon did not describe %s %s\n", service.c_str(), cli_operation.c_str());
    return kExitOther;
  }
  const auto& operation = description->operations(0);
  OperationSchema schema = ToSchema(service, cli_operation, *description);
  // A presigned URL is fetched by someone else: no outfile to name.
  if (presign) schema.streaming_output = false;
  if (wait) {
    schema.streaming_output = false;
    schema.paginated = false;
  }
  auto parsed = ParseOperationArguments(schema, member_args, DiskFileReader());
  if (!parsed.ok()) return ReportArgumentError(parsed.status());
  if (parsed->help) {
    std::printf("%s %s: see `aws %s %s help` for the members; awsctl takes the same.\n", service.c_str(),
                cli_operation.c_str(), service.c_str(), cli_operation.c_str());
    return kExitSuccess;
  }
  if (parsed->streaming_input_path.has_value() && TakesDefaultChecksum(schema, parsed->params)) {
    if (auto crc = FileCrc32Base64(*parsed->streaming_input_path)) {
      // As botocore announces it: the algorithm header beside the value.
      for (const MemberSchema& member : schema.input) {
        if (member.name == "ChecksumAlgorithm") parsed->params["ChecksumAlgorithm"] = "CRC32";
      }
      parsed->params["ChecksumCRC32"] = *crc;
    }
  }
  const std::string params = parsed->params.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::strict);
  const awsd::Session session = options.MakeSession();

  if (wait) return RunWaiter(client, session, service, args[2], params);
  if (presign) {
    awsd::v1::PresignRequest request;
    request.set_service(service);
    request.set_operation(operation.name());
    request.set_params_json(params);
    request.set_expires_in_seconds(expires_in);
    auto reply = client.Presign(session, request);
    if (!reply) return ReportError(reply.error(), operation.name());
    std::cout << reply->url() << "\n";
    return kExitSuccess;
  }

  if (options.debug)
    std::fprintf(stderr, "awsctl: %s.%s %s\n", service.c_str(), operation.name().c_str(), params.c_str());
  if (schema.paginated && !parsed->no_paginate) {
    awsd::v1::PaginateRequest request;
    request.set_service(service);
    request.set_operation(operation.name());
    request.set_params_json(params);
    request.set_max_items(PagingNumber(parsed->max_items));
    request.set_page_size(PagingNumber(parsed->page_size));
    request.set_starting_token(parsed->starting_token.value_or(""));
    return PrintPaginated(options, query, client, session, std::move(request), operation.name());
  }

  awsd::v1::InvokeRequest request;
  request.set_service(service);
  request.set_operation(operation.name());
  request.set_params_json(params);
  request.set_timestamp_format(awsd::v1::TIMESTAMP_FORMAT_WIRE);

  int exit_status = kExitSuccess;
  const bool streaming = parsed->streaming_input_path.has_value() || parsed->outfile.has_value();
  auto reply = streaming ? InvokeWithFiles(client, session, std::move(request), parsed->streaming_input_path,
                                           parsed->outfile, &exit_status)
                         : client.Invoke(session, std::move(request));
  if (exit_status != kExitSuccess) return exit_status;
  if (!reply) return ReportError(reply.error(), operation.name());
  return PrintOutput(options, query, reply->result_json());
}

}  // namespace awsd::cli
