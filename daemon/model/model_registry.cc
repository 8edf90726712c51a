#include "daemon/model/model_registry.h"

#include <algorithm>
#include <array>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "daemon/common/heap.h"
#include "daemon/model/close_matches.h"

namespace awsd::model {
namespace {

// The AWS CLI renames these commands (awscli/customizations/*/rename_cmd).
constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kCliNames{{
    {"s3api", "s3"},
    {"configservice", "config"},
    {"deploy", "codedeploy"},
    {"runtime.sagemaker", "sagemaker-runtime"},  // botocore's SERVICE_NAME_ALIASES
}};

}  // namespace

std::string ServiceNameFromCliName(std::string_view cli_name) {
  for (const auto& [cli, service] : kCliNames) {
    if (cli == cli_name) return std::string(service);
  }
  return std::string(cli_name);
}

std::string CliNameOfService(std::string_view service_name) {
  for (const auto& [cli, service] : kCliNames) {
    if (service == service_name && cli != "runtime.sagemaker") return std::string(cli);
  }
  return std::string(service_name);
}

ModelRegistry::ModelRegistry(ModelFiles files) : files_(std::move(files)) {}

std::vector<std::string> ModelRegistry::AvailableServices() const {
  std::lock_guard lock(mutex_);
  if (available_.empty()) available_ = files_.AvailableServices();
  return available_;
}

absl::StatusOr<std::string> ModelRegistry::Canonical(std::string_view name) const {
  const std::string service = ServiceNameFromCliName(name);
  const std::vector<std::string> available = AvailableServices();
  if (std::binary_search(available.begin(), available.end(), service)) return service;
  std::string message = absl::StrCat("unknown service '", std::string(name), "'");
  if (available.empty()) {
    absl::StrAppend(&message, ": no service models found in [", absl::StrJoin(files_.search_path(), ", "),
                    "] (set --models-dir or AWSD_MODELS_DIR to botocore's data folder)");
    return absl::NotFoundError(message);
  }
  std::vector<std::string> cli_names;
  cli_names.reserve(available.size());
  for (const std::string& s : available) cli_names.push_back(CliNameOfService(s));
  const std::vector<std::string> close = CloseMatches(name, cli_names);
  if (!close.empty()) absl::StrAppend(&message, "; did you mean: ", absl::StrJoin(close, ", "), "?");
  return absl::NotFoundError(message);
}

std::shared_ptr<ModelRegistry::Slot> ModelRegistry::SlotFor(const std::string& key) const {
  std::lock_guard lock(mutex_);
  std::shared_ptr<Slot>& slot = slots_[key];
  if (!slot) slot = std::make_shared<Slot>();
  return slot;
}

absl::StatusOr<std::shared_ptr<const ServiceModel>> ModelRegistry::Service(std::string_view name) const {
  absl::StatusOr<std::string> service = Canonical(name);
  if (!service.ok()) return service.status();
  const std::shared_ptr<Slot> slot = SlotFor(*service + "/service-2");
  std::lock_guard lock(slot->mutex);
  if (slot->service) return slot->service;
  absl::StatusOr<std::shared_ptr<const ServiceModel>> model = [&]() -> decltype(model) {
    absl::StatusOr<ModelFiles::Document> document = files_.LoadServiceDocument(*service, "service-2");
    if (!document.ok()) return document.status();
    return ServiceModel::Parse(document->text, *service,
                               document->extras_merge.is_null() ? nullptr : &document->extras_merge);
  }();
  common::ReturnFreedHeapToSystem();  // the model's text and its parse
  if (!model.ok()) return model.status();
  slot->service = *model;
  return slot->service;
}

absl::StatusOr<std::shared_ptr<const nlohmann::json>> ModelRegistry::Companion(std::string_view name,
                                                                               std::string_view type) const {
  absl::StatusOr<std::shared_ptr<const ServiceModel>> service = Service(name);
  if (!service.ok()) return service.status();
  const std::string& service_name = (*service)->service_name();
  const std::shared_ptr<Slot> slot = SlotFor(absl::StrCat(service_name, "/", std::string(type)));
  std::lock_guard lock(slot->mutex);
  if (slot->json) return slot->json;
  absl::StatusOr<nlohmann::json> json = files_.LoadServiceFile(service_name, type, (*service)->metadata().api_version);
  if (absl::IsNotFound(json.status())) json = nlohmann::json::object();
  if (!json.ok()) return json.status();
  slot->json = std::make_shared<const nlohmann::json>(*std::move(json));
  return slot->json;
}

absl::StatusOr<std::shared_ptr<const nlohmann::json>> ModelRegistry::Paginators(std::string_view name) const {
  return Companion(name, "paginators-1");
}

absl::StatusOr<std::shared_ptr<const nlohmann::json>> ModelRegistry::Waiters(std::string_view name) const {
  return Companion(name, "waiters-2");
}

}  // namespace awsd::model
