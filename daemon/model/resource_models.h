#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "daemon/config/file_locations.h"
#include "daemon/model/model_files.h"

namespace awsd::model {

// boto3's search path for resource models: botocore's (`model_search_path`,
// the configured folders first) with the installed boto3 package's data/
// folder appended, as boto3.Session adds it to botocore's loader.
std::vector<std::string> ResourceSearchPath(std::vector<std::string> model_search_path, const config::EnvLookup& env);

// One service's resources-1.json.
struct ResourceDocument {
  std::string api_version;
  std::string text;
};

// boto3's resource models (`<service>/<api-version>/resources-1.json`) in a
// search path, the newest API version across all folders. Thread-safe
// (holds nothing but the path).
class ResourceModels {
 public:
  explicit ResourceModels(std::vector<std::string> search_path) : files_(std::move(search_path)) {}

  // `service` is the data folder's name. NotFound names the service and the
  // services that have a resource model; a corrupt file is DataLoss.
  absl::StatusOr<ResourceDocument> Load(std::string_view service) const;
  std::vector<std::string> AvailableServices() const { return files_.AvailableServices(kType); }

 private:
  static constexpr std::string_view kType = "resources-1";
  ModelFiles files_;
};

}  // namespace awsd::model
