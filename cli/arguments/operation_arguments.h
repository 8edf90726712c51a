#pragma once

// The AWS CLI v1's grammar for a low-level operation command (awscli
// clidriver.py, arguments.py, argprocess.py, paramfile.py and the
// cli-input-json, paginate and streaming-output customizations), as a pure
// function: awsctl's arguments after "SERVICE OPERATION" in, the operation's
// input out.

#include <absl/status/statusor.h>

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>

#include "cli/arguments/operation_schema.h"

namespace awsd::cli {

// Reads a whole file (file://, fileb://, --cli-input-json file://). An error's
// message is what Python's OSError prints, as the CLI quotes it:
// "[Errno 2] No such file or directory: 'PATH'".
using FileReader = std::function<absl::StatusOr<std::string>(const std::string& path)>;
// Whether PATH is a regular file (the check for a streaming blob's path).
using FileChecker = std::function<bool(const std::string& path)>;

// A reader and a checker on the real file system.
FileReader DiskFileReader();
FileChecker DiskFileChecker();

struct ParsedArguments {
  // The operation's input in botocore's shapes, as JSON: blobs as base64
  // (fileb://) or as the text given, timestamps as given, numbers as numbers.
  // A streaming blob member is left out: see streaming_input_path.
  nlohmann::ordered_json params = nlohmann::ordered_json::object();
  // The positional outfile of an operation with streaming output.
  std::optional<std::string> outfile;
  // The file named for the streaming blob input member (s3api put-object
  // --body), "~" and $VARS expanded; awsctl sends its bytes as that member.
  std::optional<std::string> streaming_input_member;
  std::optional<std::string> streaming_input_path;
  // Pagination: no_paginate is set by --no-paginate or, as in the AWS CLI,
  // when a paginator input token or limit key is given explicitly. The rest
  // is the CLI's PaginationConfig (max_items and page_size are numbers, or
  // strings for a string-typed limit key).
  bool no_paginate = false;
  std::optional<nlohmann::ordered_json> max_items;
  std::optional<nlohmann::ordered_json> page_size;
  std::optional<std::string> starting_token;
  // "awsctl SERVICE OPERATION help": print the operation's help instead.
  bool help = false;
};

// Parses `args` (what follows OPERATION on the command line) as the AWS CLI
// does for `schema`. `--no-paginate` is accepted anywhere among them (a
// global option of the CLI). Errors are InvalidArgument carrying the text the
// AWS CLI prints after "aws: error: " (argparse's errors) or on its own line
// (parameter errors): "the following arguments are required: --bucket,
// --key", "Unknown options: --foo", "argument --bucket: expected one
// argument", "Error parsing parameter '--key': Invalid JSON: ...".
absl::StatusOr<ParsedArguments> ParseOperationArguments(const OperationSchema& schema,
                                                        std::span<const std::string> args, const FileReader& files,
                                                        const FileChecker& is_file = DiskFileChecker());

}  // namespace awsd::cli
