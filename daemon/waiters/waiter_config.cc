#include "daemon/waiters/waiter_config.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "awsd/xform_name.h"

namespace awsd::waiters {
namespace {

absl::StatusOr<WaiterConfig> Parse(const std::string& name, const nlohmann::json& entry) {
  auto fail = [&](const std::string& why) {
    return absl::InvalidArgumentError(absl::StrCat("waiter ", name, ": ", why));
  };
  if (!entry.is_object()) return fail("not an object");
  WaiterConfig config;
  config.name = name;
  config.operation = entry.value("operation", "");
  if (config.operation.empty()) return fail("no operation");
  auto delay = entry.find("delay");
  auto attempts = entry.find("maxAttempts");
  if (delay == entry.end() || !delay->is_number() || attempts == entry.end() || !attempts->is_number()) {
    return fail("delay and maxAttempts must be numbers");
  }
  config.delay_seconds = delay->get<int>();
  config.max_attempts = attempts->get<int>();
  auto acceptors = entry.find("acceptors");
  if (acceptors == entry.end() || !acceptors->is_array()) return fail("no acceptors");
  for (const auto& item : *acceptors) {
    auto acceptor = ParseAcceptor(item);
    if (!acceptor.ok()) return fail(std::string(acceptor.status().message()));
    config.acceptors.push_back(*std::move(acceptor));
  }
  return config;
}

}  // namespace

absl::StatusOr<WaiterConfig> FindWaiter(const nlohmann::json& waiters_document, std::string_view name) {
  auto waiters = waiters_document.find("waiters");
  if (waiters == waiters_document.end() || !waiters->is_object() || waiters->empty()) {
    return absl::NotFoundError(
        absl::StrCat("Waiter does not exist: ", std::string(name), " (this service has no waiters)"));
  }
  std::vector<std::string> names;
  for (auto it = waiters->begin(); it != waiters->end(); ++it) {
    if (it.key() == name || XformName(it.key(), '-') == name) return Parse(it.key(), it.value());
    names.push_back(XformName(it.key(), '-'));
  }
  return absl::NotFoundError(absl::StrCat("Waiter does not exist: ", std::string(name),
                                          "; this service's waiters: ", absl::StrJoin(names, ", ")));
}

absl::StatusOr<WaiterConfig> FindServiceWaiter(const model::ModelRegistry& models, std::string_view service,
                                               std::string_view name) {
  auto document = models.Waiters(service);
  if (!document.ok()) return document.status();
  return FindWaiter(**document, name);
}

}  // namespace awsd::waiters
