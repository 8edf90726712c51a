#include "daemon/model/resource_models.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace awsd::model {

std::vector<std::string> ResourceSearchPath(std::vector<std::string> model_search_path, const config::EnvLookup& env) {
  // boto3 ships s3's model in every release; its presence marks the folder.
  if (auto boto3 = FindInstalledPackageData(env, "boto3", "s3/2006-03-01/resources-1.json")) {
    model_search_path.push_back(*boto3);
  }
  return model_search_path;
}

absl::StatusOr<ResourceDocument> ResourceModels::Load(std::string_view service) const {
  absl::StatusOr<std::string> version = files_.LatestApiVersion(service, kType);
  if (!version.ok()) {
    return absl::NotFoundError(absl::StrCat("no resource model (resources-1.json) for service '", std::string(service),
                                            "'; services with one: ", absl::StrJoin(AvailableServices(), ", ")));
  }
  absl::StatusOr<ModelFiles::Document> document = files_.LoadServiceDocument(service, kType);
  if (!document.ok()) return document.status();
  return ResourceDocument{*std::move(version), std::move(document->text)};
}

}  // namespace awsd::model
