#pragma once

// One waiter of waiters-2.json (botocore's SingleWaiterConfig).

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "daemon/model/model_registry.h"
#include "daemon/waiters/acceptor.h"
#include "nlohmann/json.hpp"

namespace awsd::waiters {

struct WaiterConfig {
  std::string name;       // "ObjectExists"
  std::string operation;  // "HeadObject"
  int delay_seconds = 0;
  int max_attempts = 0;
  std::vector<Acceptor> acceptors;
};

// The waiter `name` ("ObjectExists", or the AWS CLI's "object-exists") of a
// waiters-2.json document. NotFound lists the waiters there are;
// InvalidArgument when the entry is malformed.
absl::StatusOr<WaiterConfig> FindWaiter(const nlohmann::json& waiters_document, std::string_view name);

// The same in the waiters-2.json of `service` (a data-folder or AWS CLI name)
// among the host's models; NotFound for an unknown service.
absl::StatusOr<WaiterConfig> FindServiceWaiter(const model::ModelRegistry& models, std::string_view service,
                                               std::string_view name);

}  // namespace awsd::waiters
