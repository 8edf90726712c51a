#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "daemon/model/model_files.h"
#include "daemon/model/service_model.h"

namespace awsd::model {

// The data folder's name for a service as the AWS CLI names it ("s3api" →
// "s3", "configservice" → "config", "deploy" → "codedeploy"); other names
// are returned unchanged.
std::string ServiceNameFromCliName(std::string_view cli_name);
// The reverse: what the AWS CLI calls a data folder's service.
std::string CliNameOfService(std::string_view service_name);

// Every service model of the host, each loaded on first use and then shared
// read-only by all sessions and calls. Thread-safe.
class ModelRegistry {
 public:
  explicit ModelRegistry(ModelFiles files);

  // `name` is the data folder's name or the AWS CLI's. NotFound lists the
  // closest service names; a corrupt model file is InvalidArgument/DataLoss
  // naming the file, and is tried again on the next call.
  absl::StatusOr<std::shared_ptr<const ServiceModel>> Service(std::string_view name) const;

  // paginators-1 / waiters-2 of the same API version as the service model,
  // or an empty object when the service has none.
  absl::StatusOr<std::shared_ptr<const nlohmann::json>> Paginators(std::string_view name) const;
  absl::StatusOr<std::shared_ptr<const nlohmann::json>> Waiters(std::string_view name) const;

  std::vector<std::string> AvailableServices() const;
  const ModelFiles& files() const { return files_; }

 private:
  absl::StatusOr<std::string> Canonical(std::string_view name) const;
  absl::StatusOr<std::shared_ptr<const nlohmann::json>> Companion(std::string_view name, std::string_view type) const;

  // One per file: its own lock, so that loading ec2 does not hold up calls
  // to services already loaded, and two first calls parse it once.
  struct Slot {
    std::mutex mutex;
    std::shared_ptr<const ServiceModel> service;
    std::shared_ptr<const nlohmann::json> json;
  };
  std::shared_ptr<Slot> SlotFor(const std::string& key) const;

  ModelFiles files_;
  mutable std::mutex mutex_;
  mutable std::vector<std::string> available_;  // filled on first need
  mutable std::map<std::string, std::shared_ptr<Slot>, std::less<>> slots_;
};

}  // namespace awsd::model
