#pragma once

#include <string_view>

#include "awsd/result.h"
#include "nlohmann/json.hpp"

namespace awsd::cli {

// Prints a failed call to stderr in the AWS CLI's words and returns the exit
// status the contract gives it. `operation` names the AWS operation for
// service errors.
int ReportError(const awsd::Error& error, std::string_view operation = {});

// Prints a command's result (--output json: indented JSON; text: the AWS
// CLI's tab-separated form of scalars and lists).
void PrintResult(const nlohmann::ordered_json& result, std::string_view output_format);

}  // namespace awsd::cli
