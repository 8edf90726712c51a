#pragma once

// How awsctl prints what it got: one result, or a paginated call run by the
// daemon's Paginate RPC (merged for JSON, page by page for text), as the
// AWS CLI's formatters print them.

#include <optional>
#include <string>

#include "awsd/client.h"
#include "cli/global_options.h"
#include "daemon/jmespath/jmespath.h"

namespace awsd::cli {

// Prints a result (--query applied, ResponseMetadata left out); returns the
// exit status.
int PrintOutput(const GlobalOptions& options, const std::optional<jmespath::Expression>& query,
                const std::string& result_json);

// Runs `request` (its view chosen here) and prints the pages; returns the
// exit status. `operation` names the operation in error messages.
int PrintPaginated(const GlobalOptions& options, const std::optional<jmespath::Expression>& query,
                   const awsd::Client& client, const awsd::Session& session, awsd::v1::PaginateRequest request,
                   const std::string& operation);

}  // namespace awsd::cli
