// Runs boto3-style resource commands through a running awsd, one per JSON
// line, for the end-to-end test that compares them with boto3's resource
// API on the same server.
//
//   awsd_resource_lines SOCKET < commands.jsonl
//
// A command names its target, then what to do with it:
//   {"service": "s3", "resource": ["Object", ["b", "k"]], "sub": [["Name", [ids]]...],
//    "op": "collection" | "attributes" | "load" | "reload" | "action" | "batch" | "reference" | "wait",
//    "name": ..., "params": {...}, "filter": {...}, "limit": N, "page_size": N, "attributes": [...]}
// "resource" (absent: the service resource) and "sub" (sub-resources) are
// optional. Each output line is {"result": ...} or {"error": {"code",
// "message", "service_code"}}, flushed at once.
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "awsd/client.h"
#include "awsd/resources/service_resource.h"

namespace {

using awsd::resources::Resource;
using nlohmann::json;

json ErrorJson(const awsd::Error& error) {
  return {{"error",
           {{"code", static_cast<int>(error.code)},
            {"message", error.ToString()},
            {"service_code", error.service_error ? error.service_error->code() : ""}}}};
}

json Describe(Resource& resource, const json& attributes) {
  json ids = json::object();
  for (const auto& [name, value] : resource.Identifiers()) ids[name] = value;
  json out = {{"type", resource.type()}, {"ids", ids}};
  if (attributes.is_array() && !attributes.empty()) {
    json attrs = json::object();
    for (const json& name : attributes) {
      auto value = resource.Attribute(name.get<std::string>());
      attrs[name.get<std::string>()] = value.ok() ? *value : json("<error: " + value.error().ToString() + ">");
    }
    out["attrs"] = attrs;
  }
  return out;
}

json DescribeAction(const awsd::resources::ActionResult& result, const json& attributes) {
  if (!result.makes_resources) return {{"value", result.value}};
  json resources = json::array();
  for (Resource resource : result.resources) resources.push_back(Describe(resource, attributes));
  return {{"resources", resources}};
}

class Runner {
 public:
  explicit Runner(awsd::Client client) : client_(std::move(client)) {}

  json Run(const json& command) {
    const std::string service = command.value("service", "");
    auto& service_resource = services_
                                 .try_emplace(service, std::make_unique<awsd::resources::ServiceResource>(
                                                           client_, awsd::Session::Default(), service))
                                 .first->second;
    auto target = command.contains("resource")
                      ? service_resource->Resource(command["resource"][0].get<std::string>(),
                                                   command["resource"][1].get<std::vector<json>>())
                      : service_resource->Self();
    if (!target.ok()) return ErrorJson(target.error());
    Resource resource = *target;
    for (const json& step : command.value("sub", json::array())) {
      auto sub = resource.SubResource(step[0].get<std::string>(), step[1].get<std::vector<json>>());
      if (!sub.ok()) return ErrorJson(sub.error());
      resource = *sub;
    }
    const std::string op = command.value("op", "");
    const std::string name = command.value("name", "");
    const std::string params = command.value("params", json::object()).dump();
    const json attributes = command.value("attributes", json::array());

    if (op == "collection" || op == "batch") {
      auto collection = resource.Collection(command.value("collection", name));
      if (!collection.ok()) return ErrorJson(collection.error());
      awsd::resources::Collection narrowed = collection->All();
      if (command.contains("filter")) narrowed = narrowed.Filter(command["filter"].dump());
      if (command.contains("limit")) narrowed = narrowed.Limit(command["limit"].get<int>());
      if (command.contains("page_size")) narrowed = narrowed.PageSize(command["page_size"].get<int>());
      if (op == "batch") {
        auto responses = narrowed.BatchAction(name, params);
        if (!responses.ok()) return ErrorJson(responses.error());
        json out = json::array();
        for (const auto& response : *responses) out.push_back(DescribeAction(response, attributes));
        return {{"result", out}};
      }
      json items = json::array();
      for (const auto& item : narrowed) {
        if (!item.ok()) return ErrorJson(item.error());
        Resource copy = *item;
        items.push_back(Describe(copy, attributes));
      }
      return {{"result", items}};
    }
    if (op == "attributes") return {{"result", Describe(resource, attributes)}};
    if (op == "load" || op == "reload") {
      auto loaded = op == "load" ? resource.Load() : resource.Reload();
      if (!loaded.ok()) return ErrorJson(loaded.error());
      return {{"result", Describe(resource, attributes)}};
    }
    if (op == "action") {
      auto result = resource.Action(name, params);
      if (!result.ok()) return ErrorJson(result.error());
      return {{"result", DescribeAction(*result, attributes)}};
    }
    if (op == "reference") {
      auto referenced = resource.Reference(name);
      if (!referenced.ok()) return ErrorJson(referenced.error());
      json out = json::array();
      for (Resource& r : *referenced) out.push_back(Describe(r, attributes));
      return {{"result", out}};
    }
    if (op == "wait") {
      auto waited = resource.Wait(name, params);
      if (!waited.ok()) return ErrorJson(waited.error());
      return {{"result", {{"attempts", waited->attempts()}}}};
    }
    return {{"error", {{"code", -1}, {"message", "unknown op " + op}, {"service_code", ""}}}};
  }

 private:
  awsd::Client client_;
  std::map<std::string, std::unique_ptr<awsd::resources::ServiceResource>> services_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: awsd_resource_lines SOCKET < commands.jsonl\n";
    return 2;
  }
  awsd::ClientOptions options;
  options.socket_path = argv[1];
  Runner runner{awsd::Client(options)};
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty()) continue;
    json command = json::parse(line, nullptr, /*allow_exceptions=*/false);
    json answer = command.is_object()
                      ? runner.Run(command)
                      : json{{"error", {{"code", -1}, {"message", "not a JSON object"}, {"service_code", ""}}}};
    std::cout << answer.dump() << std::endl;
  }
  return 0;
}
