#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "daemon/config/file_locations.h"
#include "nlohmann/json.hpp"

namespace awsd::model {

// Where model folders come from, highest priority first. Each folder has
// botocore's data/ layout: <service>/<api-version>/<type>.json[.gz], plus
// top-level files such as partitions.json.
struct ModelSearchOptions {
  std::vector<std::string> configured_dirs;  // --models-dir / the daemon config
};

// The search path: configured folders, $AWSD_MODELS_DIR, $AWS_DATA_PATH (both
// ':'-separated, '~' expanded), ~/.aws/models, then the data/ folder of an
// installed botocore package, found on disk without starting Python.
std::vector<std::string> ModelSearchPath(const ModelSearchOptions& options, const config::EnvLookup& env);

// The installed botocore package's data/ folder, if one is found.
std::optional<std::string> FindInstalledBotocoreData(const config::EnvLookup& env);
// The data/ folder of an installed Python package (botocore, boto3) that has
// `marker` (a path inside data/), looked for where botocore's is.
std::optional<std::string> FindInstalledPackageData(const config::EnvLookup& env, std::string_view package,
                                                    std::string_view marker);

// A JSON file, read whole; "<path>.json.gz" is inflated. Errors name the path.
absl::StatusOr<nlohmann::json> ReadJsonFile(const std::string& path);
// The same, as text (not parsed).
absl::StatusOr<std::string> ReadModelText(const std::string& path);

// The files of the search path, looked up as botocore's Loader does: the
// newest API version across all folders, loaded from the first folder that
// has it, with `<type>.sdk-extras.json` merged in.
class ModelFiles {
 public:
  explicit ModelFiles(std::vector<std::string> search_path);

  const std::vector<std::string>& search_path() const { return search_path_; }

  // Services that have a `type` file ("service-2") in some folder, sorted.
  std::vector<std::string> AvailableServices(std::string_view type = "service-2") const;

  // The newest API version of `service` with a `type` file.
  absl::StatusOr<std::string> LatestApiVersion(std::string_view service, std::string_view type) const;

  // "<service>/<version>/<type>.json[.gz]" for the newest version (or the
  // given one), extras merged. NotFound names the service and type.
  absl::StatusOr<nlohmann::json> LoadServiceFile(std::string_view service, std::string_view type,
                                                 std::optional<std::string> api_version = std::nullopt) const;

  // The newest service-2 (or other `type`) document as text, for the
  // model builder to parse in document order, with the "merge" object of
  // its sdk-extras file (null when there is none).
  struct Document {
    std::string text;
    nlohmann::ordered_json extras_merge;
  };
  absl::StatusOr<Document> LoadServiceDocument(std::string_view service, std::string_view type) const;

  // A top-level data file by name without extension ("partitions"), parsed
  // or as its text.
  absl::StatusOr<nlohmann::json> LoadDataFile(std::string_view name) const;
  absl::StatusOr<std::string> LoadDataFileText(std::string_view name) const;

 private:
  // The first "<folder>/<relative>.json" or ".json.gz" that exists.
  std::optional<std::string> FindFile(const std::string& relative) const;
  // The path of a top-level data file, or NotFound naming it.
  absl::StatusOr<std::string> DataFilePath(std::string_view name) const;

  std::vector<std::string> search_path_;
};

}  // namespace awsd::model
