#include "awsd/resources/resource.h"

#include "awsd/resources/collection.h"
#include "awsd/resources/names.h"
#include "awsd/resources/params.h"
#include "awsd/resources/path_search.h"
#include "client-lib/src/resources/failure.h"

namespace awsd::resources {
namespace {

using nlohmann::json;

// boto3's s3 customisation (boto3/s3/inject.py bucket_load): a bucket's data
// is its entry in ListBuckets, as HeadBucket gives no attributes; access
// denied leaves it empty.
bool IsS3Bucket(const Resource& resource) { return resource.service() == "s3" && resource.type() == "Bucket"; }

Result<json> LoadS3Bucket(const Resource& bucket, const Caller& caller) {
  auto listed = caller.Invoke("s3", "ListBuckets", json::object());
  if (!listed.ok()) {
    if (listed.error().service_error && listed.error().service_error->code() == "AccessDenied") return json::object();
    return listed.error();
  }
  auto name = bucket.Identifier("name");
  for (const json& entry : listed->value("Buckets", json::array())) {
    if (name.ok() && entry.value("Name", json()) == *name) return entry;
  }
  return json::object();
}

}  // namespace

Resource::Resource(std::shared_ptr<const ResourceContext> context, const ResourceDefinition* definition,
                   std::vector<json> identifier_values)
    : context_(std::move(context)), definition_(definition), identifier_values_(std::move(identifier_values)) {}

std::vector<std::pair<std::string, json>> Resource::Identifiers() const {
  std::vector<std::pair<std::string, json>> out;
  for (size_t i = 0; i < definition_->identifiers.size() && i < identifier_values_.size(); ++i) {
    out.emplace_back(XformName(definition_->identifiers[i].name), identifier_values_[i]);
  }
  return out;
}

Result<json> Resource::Identifier(std::string_view name) const {
  for (size_t i = 0; i < definition_->identifiers.size() && i < identifier_values_.size(); ++i) {
    if (NameMatches(name, definition_->identifiers[i].name)) return identifier_values_[i];
  }
  return Failure(grpc::StatusCode::NOT_FOUND, type() + " has no identifier " + std::string(name));
}

bool Resource::has_load() const { return definition_->load.has_value() || IsS3Bucket(*this); }

Result<json> Resource::Attribute(std::string_view name) {
  // An identifier that is also a member (a Bucket's "Name") needs no load.
  for (size_t i = 0; i < definition_->identifiers.size() && i < identifier_values_.size(); ++i) {
    const std::string& member = definition_->identifiers[i].member_name;
    if (!member.empty() && NameMatches(name, member)) return identifier_values_[i];
  }
  const std::string member = definition_->FindMember(name);
  if (member.empty()) return Failure(grpc::StatusCode::NOT_FOUND, type() + " has no attribute " + std::string(name));
  if (!data_.has_value()) {
    if (!has_load()) return Failure(grpc::StatusCode::FAILED_PRECONDITION, type() + " has no load method");
    auto loaded = Load();
    if (!loaded.ok()) return loaded.error();
  }
  if (!data_->is_object()) return json();
  auto it = data_->find(member);
  return it == data_->end() ? json() : *it;
}

Result<Done> Resource::Load() {
  if (!definition_->load) {
    if (!IsS3Bucket(*this)) return Failure(grpc::StatusCode::FAILED_PRECONDITION, type() + " has no load method");
    auto bucket = LoadS3Bucket(*this, *context_->caller);
    if (!bucket.ok()) return bucket.error();
    data_ = std::move(*bucket);
    return Done{};
  }
  const resources::Action& load = *definition_->load;
  json params = json::object();
  if (load.request) {
    auto filled = CreateRequestParameters(*this, *load.request, params);
    if (!filled.ok()) return filled.error();
  }
  auto response = context_->caller->Invoke(service(), load.request ? load.request->operation : "", params);
  if (!response.ok()) return response.error();
  // RawHandler: "$" (or no path) keeps the whole response.
  if (load.path.empty() || load.path == "$") {
    data_ = std::move(*response);
  } else {
    auto searched = SearchPath(load.path, *response);
    if (!searched.ok()) return searched.error();
    data_ = std::move(*searched);
  }
  return Done{};
}

Result<ActionResult> Resource::Action(std::string_view name, std::string_view params_json) {
  const resources::Action* action = definition_->FindAction(name);
  if (action == nullptr || !action->request) {
    return Failure(grpc::StatusCode::NOT_FOUND, type() + " has no action " + std::string(name));
  }
  auto extra = ParseParams(params_json);
  if (!extra.ok()) return extra.error();
  json params = json::object();
  auto filled = CreateRequestParameters(*this, *action->request, params);
  if (!filled.ok()) return filled.error();
  params.update(*extra);  // Python's dict.update: top-level keys replaced
  auto response = context_->caller->Invoke(service(), action->request->operation, params);
  if (!response.ok()) return response.error();

  auto result = HandleActionResponse(*action, *this, params, *response);
  if (!result.ok()) return result.error();
  // The action may have changed the resource: its data is stale.
  if (has_load()) data_.reset();
  return result;
}

Result<awsd::v1::WaitResponse> Resource::Wait(std::string_view name, std::string_view params_json) {
  const Waiter* waiter = definition_->FindWaiter(name);
  if (waiter == nullptr) return Failure(grpc::StatusCode::NOT_FOUND, type() + " has no waiter " + std::string(name));
  auto extra = ParseParams(params_json);
  if (!extra.ok()) return extra.error();
  json params = json::object();
  auto filled = CreateRequestParameters(*this, Request{waiter->waiter_name, waiter->params}, params);
  if (!filled.ok()) return filled.error();
  params.update(*extra);
  return context_->caller->Wait(service(), waiter->waiter_name, params);
}

Result<Resource> Resource::SubResource(std::string_view name, std::vector<json> identifiers) {
  const resources::Action* has = definition_->FindHas(name);
  if (has == nullptr || !has->resource || IsReference(*has)) {
    return Failure(grpc::StatusCode::NOT_FOUND, type() + " has no sub-resource " + std::string(name));
  }
  const ResourceDefinition* target = context_->model->FindResource(has->resource->type);
  if (target == nullptr) {
    return Failure(grpc::StatusCode::NOT_FOUND, "the resource model has no resource " + has->resource->type);
  }
  // Positional: what this resource supplies first, then the caller's.
  auto supplied = BuildIdentifiers(has->resource->identifiers, this, json::object(), json());
  if (!supplied.ok()) return supplied.error();
  std::vector<json> values;
  for (auto& [id_name, value] : *supplied) values.push_back(std::move(value));
  for (json& value : identifiers) values.push_back(std::move(value));
  if (values.size() != target->identifiers.size()) {
    return Failure(grpc::StatusCode::INVALID_ARGUMENT, target->name + " takes " +
                                                           std::to_string(target->identifiers.size()) +
                                                           " identifiers, " + std::to_string(values.size()) + " given");
  }
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i].is_null()) {
      return Failure(grpc::StatusCode::INVALID_ARGUMENT,
                     "Required parameter " + XformName(target->identifiers[i].name) + " not set");
    }
  }
  return resources::Resource(context_, target, std::move(values));
}

Result<std::vector<Resource>> Resource::Reference(std::string_view name) {
  const resources::Action* has = definition_->FindHas(name);
  if (has == nullptr || !has->resource || !IsReference(*has)) {
    return Failure(grpc::StatusCode::NOT_FOUND, type() + " has no reference " + std::string(name));
  }
  if (!data_.has_value() && has_load()) {
    auto loaded = Load();
    if (!loaded.ok()) return loaded.error();
  }
  return HandleResourceResponse(*has->resource, *this, json::object(), data_.value_or(json()));
}

Result<Collection> Resource::Collection(std::string_view name) const {
  const resources::Action* collection = definition_->FindCollection(name);
  if (collection == nullptr || !collection->request || !collection->resource) {
    return Failure(grpc::StatusCode::NOT_FOUND, type() + " has no collection " + std::string(name));
  }
  return resources::Collection(*this, collection);
}

}  // namespace awsd::resources
