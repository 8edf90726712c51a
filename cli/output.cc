#include "cli/output.h"

#include <cstdio>
#include <iostream>

#include "cli/exit_codes.h"

namespace awsd::cli {
namespace {

void PrintText(const nlohmann::ordered_json& value, std::string& line) {
  if (value.is_object()) {
    for (const auto& [key, member] : value.items()) PrintText(member, line);
  } else if (value.is_array()) {
    for (const auto& element : value) PrintText(element, line);
  } else {
    if (!line.empty()) line += '\t';
    line += value.is_string() ? value.get<std::string>() : value.dump();
  }
}

}  // namespace

int ReportError(const awsd::Error& error, std::string_view operation) {
  if (error.service_error) {
    std::fprintf(stderr, "\nAn error occurred (%s) when calling the %.*s operation: %s\n",
                 error.service_error->code().c_str(), static_cast<int>(operation.size()), operation.data(),
                 error.service_error->message().c_str());
    return kExitServiceError;
  }
  if (error.daemon_unreachable) {
    std::fprintf(stderr, "awsctl: %s\n", error.message.c_str());
    return kExitOther;
  }
  std::fprintf(stderr, "awsctl: %s\n", error.ToString().c_str());
  switch (error.code) {
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::NOT_FOUND:
      return kExitUsage;
    case grpc::StatusCode::FAILED_PRECONDITION:
      return kExitNoCredentials;
    default:
      return kExitOther;
  }
}

void PrintResult(const nlohmann::ordered_json& result, std::string_view output_format) {
  if (output_format == "text") {
    std::string line;
    PrintText(result, line);
    std::cout << line << "\n";
    return;
  }
  std::cout << result.dump(4, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

}  // namespace awsd::cli
