#pragma once

// boto3.resource("s3"): the entry point to a service's resources, driven by
// the resource model the daemon serves (ResourceModelService).
//
//   awsd::resources::ServiceResource s3(client, awsd::Session::Default(), "s3");
//   auto bucket = s3.Resource("Bucket", {"my-bucket"});
//   auto objects = bucket->Collection("objects");
//   for (const auto& object : objects->Filter(R"({"Prefix": "images/"})")) {
//     if (!object.ok()) { /* object.error() */ break; }
//     std::cout << object->Identifier("key")->get<std::string>() << "\n";
//   }

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "awsd/client.h"
#include "awsd/resources/caller.h"
#include "awsd/resources/collection.h"
#include "awsd/resources/resource.h"
#include "awsd/result.h"

namespace awsd::resources {

class ServiceResource {
 public:
  // The model is fetched from the daemon on first use (Client::
  // DescribeResources); a failure is returned by every call after.
  ServiceResource(Client client, Session session, std::string service);
  // With a Caller of the caller's choice and a model already at hand.
  ServiceResource(std::shared_ptr<const Caller> caller, std::shared_ptr<const ServiceResourceModel> model);

  // The service resource itself (it has actions and collections too).
  Result<resources::Resource> Self();
  // A resource by type and identifiers, in the model's order:
  // Resource("Object", {"bucket", "key"}). INVALID_ARGUMENT when the count
  // is wrong, NOT_FOUND for an unknown type.
  Result<resources::Resource> Resource(std::string_view type, std::vector<nlohmann::json> identifiers);
  // A service-level collection ("buckets").
  Result<resources::Collection> Collection(std::string_view name);
  // A service-level action ("create_bucket").
  Result<ActionResult> Action(std::string_view name, std::string_view params_json = "{}");

  // The model, fetched if not yet.
  Result<std::shared_ptr<const ServiceResourceModel>> Model();

 private:
  // Fetches the model (Client::DescribeResources); null when given.
  std::function<Result<awsd::v1::ResourceModel>()> describe_;
  std::shared_ptr<const Caller> caller_;
  std::shared_ptr<const ResourceContext> context_;
  std::optional<Error> error_;
};

}  // namespace awsd::resources
