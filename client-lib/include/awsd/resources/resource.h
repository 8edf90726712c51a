#pragma once

// boto3's resources (boto3/resources/base.py, factory.py): a resource is a
// type from the service's resource model plus its identifiers, with data
// (its attributes) loaded lazily. Names are accepted in the model's form
// ("BucketName", "Delete", "Objects") and in boto3's snake_case form
// ("bucket_name", "delete", "objects").
//
// A Resource is a value: copies share the model and the daemon connection
// but each holds its own data. Not safe for concurrent use of one object.

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "awsd/resources/caller.h"
#include "awsd/resources/model.h"
#include "awsd/result.h"

namespace awsd::resources {

class Collection;
class Resource;

// What resources share: the model and the way to the daemon.
struct ResourceContext {
  std::shared_ptr<const Caller> caller;
  std::shared_ptr<const ServiceResourceModel> model;
};

// What an action gives back: the resources it names (boto3 returns those)
// when the model says it makes resources, else the response at the action's
// path (boto3's return value). `response` is the whole response either way.
struct ActionResult {
  bool makes_resources = false;
  std::vector<Resource> resources;
  nlohmann::json value;
  nlohmann::json response;
};

class Resource {
 public:
  // A resource of type `definition` with identifier values in the
  // definition's order. Prefer ServiceResource::Resource, which checks them.
  Resource(std::shared_ptr<const ResourceContext> context, const ResourceDefinition* definition,
           std::vector<nlohmann::json> identifier_values);

  const std::string& type() const { return definition_->name; }
  const std::string& service() const { return context_->model->service(); }
  const ResourceDefinition& definition() const { return *definition_; }

  // (snake_case name, value) of each identifier, in the model's order.
  std::vector<std::pair<std::string, nlohmann::json>> Identifiers() const;
  // An identifier's value ("key" or "Key"); NOT_FOUND when it has none such.
  Result<nlohmann::json> Identifier(std::string_view name) const;

  // An attribute (a member of the resource's shape: "size" or "Size"),
  // loading the resource first when it has no data yet; null when the data
  // lacks it. NOT_FOUND for a name that is no attribute; FAILED_PRECONDITION
  // when data is needed and the resource has no load action.
  Result<nlohmann::json> Attribute(std::string_view name);
  // The loaded data (boto3's meta.data), if any.
  const std::optional<nlohmann::json>& data() const { return data_; }
  void set_data(nlohmann::json data) { data_ = std::move(data); }
  bool has_load() const;

  // Calls the load action and keeps its result as the data. Reload is the
  // same (boto3 aliases them).
  Result<Done> Load();
  Result<Done> Reload() { return Load(); }

  // Calls an action; `params_json` (a JSON object) is added to the
  // parameters the model fills in. Forgets the loaded data, as boto3 does.
  Result<ActionResult> Action(std::string_view name, std::string_view params_json = "{}");
  // Waits with one of the resource's waiters ("exists" / "Exists" /
  // "wait_until_exists"); a failed or timed-out wait is an Error.
  Result<awsd::v1::WaitResponse> Wait(std::string_view name, std::string_view params_json = "{}");

  // A sub-resource ("Object" of a Bucket): identifiers from this resource
  // followed by `identifiers` from the caller.
  // (boto3: bucket.Object("key"); a member cannot share the class's name.)
  Result<resources::Resource> SubResource(std::string_view name, std::vector<nlohmann::json> identifiers = {});
  // A reference (an Instance's "vpc"): built from this resource's data
  // (loaded first if needed); empty when the data names none.
  Result<std::vector<resources::Resource>> Reference(std::string_view name);
  // A collection ("objects"); iterate it, or narrow it with All, Filter,
  // Limit, PageSize.
  Result<resources::Collection> Collection(std::string_view name) const;

  std::shared_ptr<const ResourceContext> context() const { return context_; }

 private:
  std::shared_ptr<const ResourceContext> context_;
  const ResourceDefinition* definition_;
  std::vector<nlohmann::json> identifier_values_;
  std::optional<nlohmann::json> data_;
};

}  // namespace awsd::resources
