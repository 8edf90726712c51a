#pragma once

// boto3's resource model (resources-1.json, see boto3/resources/model.py),
// parsed from what the daemon's DescribeResources returns.

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "awsd/result.h"
#include "awsd/v1/resources.pb.h"

namespace awsd::resources {

// Where a request parameter or an identifier comes from: `source` is
// "identifier" (`name`), "data" (`path` in the resource's data), "string" /
// "integer" / "boolean" (`value`), "input" (the caller), "response" (`path`
// in the response) or "requestParameter" (`path` in the request).
struct Parameter {
  std::string target;
  std::string source;
  std::string name;
  std::string path;
  nlohmann::json value;
};

// The operation an action calls and the parameters it fills in.
struct Request {
  std::string operation;
  std::vector<Parameter> params;
};

// The resource(s) an action, reference or collection gives back.
struct ResponseResource {
  std::string type;
  std::string path;
  std::vector<Parameter> identifiers;
};

// An action, load, batch action, collection or "has" relation: what it calls
// (absent for "has") and what it gives back (a resource, or the response at
// `path`).
struct Action {
  std::string name;
  std::optional<Request> request;
  std::optional<ResponseResource> resource;
  std::string path;
};

struct Waiter {
  std::string name;         // "Exists" (boto3: wait_until_exists)
  std::string waiter_name;  // the service's waiter ("ObjectExists")
  std::vector<Parameter> params;
};

struct Identifier {
  std::string name;
  // The shape member that holds the identifier too ("Name" of a Bucket), or
  // empty.
  std::string member_name;
};

// One resource type ("Bucket"), or the service resource itself.
struct ResourceDefinition {
  std::string name;
  std::vector<Identifier> identifiers;
  std::string shape;
  // The shape's members: the resource's attributes.
  std::vector<std::string> shape_members;
  std::optional<Action> load;
  std::vector<Action> actions;
  std::vector<Action> batch_actions;
  // "has": sub-resources (identifiers from this resource or the caller) and
  // references (some identifier from this resource's data).
  std::vector<Action> has;
  std::vector<Action> collections;  // "hasMany"
  std::vector<Waiter> waiters;

  // By model or snake_case name; null when there is none.
  const Action* FindAction(std::string_view name) const;
  const Action* FindBatchAction(std::string_view name) const;
  const Action* FindHas(std::string_view name) const;
  const Action* FindCollection(std::string_view name) const;
  const Waiter* FindWaiter(std::string_view name) const;
  // A shape member by model or snake_case name; empty when none.
  std::string FindMember(std::string_view name) const;
};

// True when one of the relation's identifiers comes from data (boto3 then
// calls it a reference, not a sub-resource).
bool IsReference(const Action& has);

// A service's resource model. Immutable once parsed; shared by every
// resource and collection made from it.
class ServiceResourceModel {
 public:
  // INVALID_ARGUMENT when the JSON is not a resource model.
  static Result<std::shared_ptr<const ServiceResourceModel>> Parse(const awsd::v1::ResourceModel& described);

  const std::string& service() const { return service_; }
  const ResourceDefinition& service_resource() const { return service_resource_; }
  // A resource type by model or snake_case name; null when unknown.
  const ResourceDefinition* FindResource(std::string_view name) const;
  const std::map<std::string, ResourceDefinition>& resources() const { return resources_; }
  // boto3's client.can_paginate.
  bool CanPaginate(std::string_view operation) const { return paginated_.count(std::string(operation)) > 0; }

 private:
  std::string service_;
  ResourceDefinition service_resource_;
  std::map<std::string, ResourceDefinition> resources_;
  std::set<std::string> paginated_;
};

}  // namespace awsd::resources
