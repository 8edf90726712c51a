#include "cli/commands/paged_output.h"

#include <cstdio>
#include <iostream>

#include "cli/commands/commands.h"
#include "cli/exit_codes.h"
#include "cli/formatting/json_output.h"
#include "cli/formatting/text_output.h"
#include "cli/output.h"

namespace awsd::cli {
namespace {

using Json = nlohmann::ordered_json;

// --query (if any) then the text form; false when the query fails.
bool PrintText(const std::optional<jmespath::Expression>& query, Json value) {
  if (query.has_value()) {
    auto found = query->Search(value);
    if (!found.ok()) {
      std::fprintf(stderr, "\n%s\n", std::string(found.status().message()).c_str());
      return false;
    }
    value = *std::move(found);
  }
  std::cout << FormatTextOutput(value);
  return true;
}

}  // namespace

int PrintOutput(const GlobalOptions& options, const std::optional<jmespath::Expression>& query,
                const std::string& result_json) {
  if (options.output != "text" && !query.has_value()) {
    std::cout << FormatJsonOutput(result_json);
    std::cout.flush();
    return kExitSuccess;
  }
  auto result = Json::parse(result_json, nullptr, /*allow_exceptions=*/false);
  if (result.is_discarded()) {
    std::fprintf(stderr, "awsctl: the daemon answered with a result that is not JSON\n");
    return kExitOther;
  }
  if (result.is_object()) result.erase("ResponseMetadata");
  if (options.output == "text") {
    const bool printed = PrintText(query, std::move(result));
    std::cout.flush();
    return printed ? kExitSuccess : kExitOther;
  }
  auto found = query->Search(result);
  if (!found.ok()) {
    std::fprintf(stderr, "\n%s\n", std::string(found.status().message()).c_str());
    return kExitOther;
  }
  std::cout << FormatJsonOutput(found->dump(-1, ' ', false, Json::error_handler_t::replace));
  std::cout.flush();
  return kExitSuccess;
}

int PrintPaginated(const GlobalOptions& options, const std::optional<jmespath::Expression>& query,
                   const awsd::Client& client, const awsd::Session& session, awsd::v1::PaginateRequest request,
                   const std::string& operation) {
  const bool text = options.output == "text";
  // JSON output is botocore's build_full_result; text output prints each
  // page's result keys as it comes (awscli/formatter.py).
  request.set_view(text ? awsd::v1::PAGE_VIEW_RESULT_KEYS : awsd::v1::PAGE_VIEW_MERGED);
  request.set_timestamp_format(awsd::v1::TIMESTAMP_FORMAT_WIRE);
  std::string merged;
  std::string next_token;
  awsd::PageRange pages = client.Pages(session, std::move(request), kLongCall);
  for (const awsd::v1::Page& page : pages) {
    if (page.has_error()) {
      std::cout.flush();
      awsd::Error error;
      error.code = grpc::StatusCode::OK;
      error.service_error = page.error();
      return ReportError(error, operation);
    }
    if (!page.next_token().empty()) next_token = page.next_token();
    if (!text) {
      merged += page.result_json();  // a long merged result comes in pieces
      continue;
    }
    auto value = Json::parse(page.result_json(), nullptr, /*allow_exceptions=*/false);
    if (value.is_discarded() || !PrintText(query, std::move(value))) return kExitOther;
  }
  std::cout.flush();
  if (!pages.status()) return ReportError(pages.status().error(), operation);
  if (!text) return PrintOutput(options, query, merged);
  // The CLI tells text readers where to resume, through --query as well.
  if (!next_token.empty() && !PrintText(query, Json{{"NextToken", {{"NextToken", next_token}}}})) return kExitOther;
  std::cout.flush();
  return kExitSuccess;
}

}  // namespace awsd::cli
