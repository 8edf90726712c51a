#pragma once

// `awsctl SERVICE wait WAITER ...`: the daemon polls; awsctl waits quietly
// and exits 0 on success, or prints botocore's WaiterError and exits 255,
// as the AWS CLI does.

#include <string>

#include "awsd/client.h"

namespace awsd::cli {

int RunWaiter(const awsd::Client& client, const awsd::Session& session, const std::string& service,
              const std::string& waiter, const std::string& params_json);

}  // namespace awsd::cli
