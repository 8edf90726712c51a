// The seed's comparison: every object under images/ of a bucket, listed with
// a client paginator (Client::Paginate, one message per page) and with a
// resource collection (bucket.objects.filter(Prefix="images/")), checked to
// be the same keys; then a wait until an object arrives (the ObjectExists
// waiter, run by the daemon).
//
//   images_listing BUCKET [KEY_TO_WAIT_FOR [PREFIX]]     (PREFIX: images/)
//
// Exits 0 when both listings agree (and the object arrived), 1 otherwise.
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "awsd/client.h"
#include "awsd/resources/service_resource.h"

namespace {

// Keys through the client paginator: the daemon runs ListObjectsV2's
// paginator, and the pages arrive as a lazy range.
awsd::Result<std::set<std::string>> KeysByPaginator(const awsd::Client& client, const std::string& bucket,
                                                    const std::string& prefix) {
  awsd::v1::PaginateRequest request;
  request.set_service("s3");
  request.set_operation("ListObjectsV2");
  request.set_params_json(nlohmann::json{{"Bucket", bucket}, {"Prefix", prefix}}.dump());
  std::set<std::string> keys;
  awsd::PageRange pages = client.Pages(awsd::Session::Default(), request);
  for (const awsd::v1::Page& page : pages) {
    if (page.has_error()) return awsd::Error{grpc::StatusCode::OK, page.error().message(), page.error(), false};
    const nlohmann::json result = nlohmann::json::parse(page.result_json());
    for (const auto& object : result.value("Contents", nlohmann::json::array())) keys.insert(object["Key"]);
  }
  if (!pages.status().ok()) return pages.status().error();
  return keys;
}

// Keys through the resource collection: boto3's
// s3.Bucket(bucket).objects.filter(Prefix="images/").
awsd::Result<std::set<std::string>> KeysByCollection(const awsd::Client& client, const std::string& bucket,
                                                     const std::string& prefix) {
  awsd::resources::ServiceResource s3(client, awsd::Session::Default(), "s3");
  auto resource = s3.Resource("Bucket", {bucket});
  if (!resource.ok()) return resource.error();
  auto objects = resource->Collection("objects");
  if (!objects.ok()) return objects.error();
  std::set<std::string> keys;
  for (const auto& object : objects->Filter(nlohmann::json{{"Prefix", prefix}}.dump())) {
    if (!object.ok()) return object.error();
    keys.insert(object->Identifier("key")->get<std::string>());
  }
  return keys;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: images_listing BUCKET [KEY_TO_WAIT_FOR [PREFIX]]\n";
    return 2;
  }
  const std::string bucket = argv[1];
  const std::string prefix = argc > 3 ? argv[3] : "images/";
  awsd::Client client;

  auto by_paginator = KeysByPaginator(client, bucket, prefix);
  if (!by_paginator.ok()) {
    std::cerr << "paginator: " << by_paginator.error().ToString() << "\n";
    return 1;
  }
  auto by_collection = KeysByCollection(client, bucket, prefix);
  if (!by_collection.ok()) {
    std::cerr << "collection: " << by_collection.error().ToString() << "\n";
    return 1;
  }
  std::cout << by_paginator->size() << " keys by paginator, " << by_collection->size() << " by collection\n";
  if (*by_paginator != *by_collection) {
    std::cerr << "the two listings differ\n";
    return 1;
  }

  if (argc > 2) {
    awsd::v1::WaitRequest wait;
    wait.set_service("s3");
    wait.set_waiter("ObjectExists");
    wait.set_params_json(nlohmann::json{{"Bucket", bucket}, {"Key", argv[2]}}.dump());
    wait.set_delay_seconds(1);
    wait.set_max_attempts(30);
    awsd::CallSettings settings;
    settings.timeout = std::chrono::seconds(60);
    auto waited = client.Wait(awsd::Session::Default(), wait, settings);
    if (!waited.ok()) {
      std::cerr << "wait: " << waited.error().ToString() << "\n";
      return 1;
    }
    if (waited->state() != awsd::v1::WaitResponse::STATE_SUCCESS) {
      std::cerr << "Waiter ObjectExists failed: " << waited->reason() << "\n";
      return 1;
    }
    std::cout << argv[2] << " arrived after " << waited->attempts() << " attempts\n";
  }
  return 0;
}
