#pragma once

#include <string>
#include <vector>

#include "awsd/client.h"
#include "cli/global_options.h"

namespace awsd::cli {

// Each command takes its own arguments (after the command word) and returns
// the process exit status; errors are printed by the command.
using Arguments = std::vector<std::string>;

// Calls that may rightly take hours (gigabytes streamed, a listing of many
// pages, a waiter's attempts): no deadline but the user's patience. The
// daemon stops the work should awsctl be interrupted.
inline constexpr awsd::CallSettings kLongCall{.timeout = std::chrono::hours(12)};

int RunHealthCommand(const GlobalOptions& options, const awsd::Client& client, const Arguments& args);
int RunCredentialsCommand(const GlobalOptions& options, const awsd::Client& client, const Arguments& args);
int RunCredentialProcessCommand(const GlobalOptions& options, const awsd::Client& client, const Arguments& args);
int RunSignCommand(const GlobalOptions& options, const awsd::Client& client, const Arguments& args);
// SERVICE OPERATION ..., SERVICE wait WAITER ..., presign SERVICE OPERATION ...
int RunOperationCommand(const GlobalOptions& options, const awsd::Client& client, const Arguments& args);

}  // namespace awsd::cli
