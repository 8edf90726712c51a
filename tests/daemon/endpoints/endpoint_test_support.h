#pragma once

// Shared by the endpoint tests: the installed botocore models, JSON test
// parameters as EndpointParams, and the comparison of a result with a
// suite's "expect".

#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "absl/status/statusor.h"
#include "daemon/config/file_locations.h"
#include "daemon/endpoints/endpoint.h"
#include "daemon/endpoints/partitions.h"
#include "daemon/model/model_files.h"
#include "nlohmann/json.hpp"

namespace awsd::endpoints::testing {

inline const model::ModelFiles& Models() {
  static const model::ModelFiles* const files =
      new model::ModelFiles(model::ModelSearchPath({}, config::ProcessEnvironment()));
  return *files;
}

// partitions.json of the installed botocore, parsed once; null (and the
// reason in *error) when it cannot be had.
inline std::shared_ptr<const Partitions> InstalledPartitions(std::string* error = nullptr) {
  static const absl::StatusOr<std::shared_ptr<const Partitions>>* const partitions = [] {
    absl::StatusOr<nlohmann::json> data = Models().LoadDataFile("partitions");
    if (!data.ok()) return new absl::StatusOr<std::shared_ptr<const Partitions>>(data.status());
    return new absl::StatusOr<std::shared_ptr<const Partitions>>(Partitions::FromJson(*data));
  }();
  if (!partitions->ok()) {
    if (error != nullptr) *error = partitions->status().ToString();
    return nullptr;
  }
  return **partitions;
}

inline std::optional<nlohmann::json> ReadJson(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  nlohmann::json parsed = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return std::nullopt;
  return parsed;
}

// A JSON parameter value: a string, bool or array of strings; nullopt for
// null; an error for anything else.
inline absl::StatusOr<std::optional<ParamValue>> ParamFromJson(const nlohmann::json& value) {
  if (value.is_null()) return std::nullopt;
  if (value.is_string()) return std::optional<ParamValue>(value.get<std::string>());
  if (value.is_boolean()) return std::optional<ParamValue>(value.get<bool>());
  if (value.is_array()) {
    std::vector<std::string> items;
    for (const nlohmann::json& item : value) {
      if (!item.is_string()) return absl::InvalidArgumentError("array parameter with a non-string item");
      items.push_back(item.get<std::string>());
    }
    return std::optional<ParamValue>(std::move(items));
  }
  return absl::InvalidArgumentError("unsupported parameter value " + value.dump());
}

inline absl::StatusOr<EndpointParams> ParamsFromJson(const nlohmann::json& object) {
  EndpointParams params;
  if (object.is_null()) return params;
  if (!object.is_object()) return absl::InvalidArgumentError("params is not an object");
  for (auto it = object.begin(); it != object.end(); ++it) {
    absl::StatusOr<std::optional<ParamValue>> value = ParamFromJson(it.value());
    if (!value.ok()) return absl::InvalidArgumentError(it.key() + ": " + std::string(value.status().message()));
    if (value->has_value()) params.emplace(it.key(), **value);
  }
  return params;
}

inline nlohmann::json HeadersJson(const ResolvedEndpoint& endpoint) {
  nlohmann::json headers = nlohmann::json::object();
  for (const auto& [name, values] : endpoint.headers) headers[name] = values;
  return headers;
}

// "" when `result` is what `expect` ({"endpoint": {...}} or {"error": msg})
// says; else what differs.
inline std::string CompareWithExpectation(const absl::StatusOr<ResolvedEndpoint>& result,
                                          const nlohmann::json& expect) {
  if (expect.contains("error")) {
    const std::string wanted = expect["error"].is_string() ? expect["error"].get<std::string>() : "";
    if (result.ok()) return "expected error \"" + wanted + "\", got endpoint " + result->url;
    if (result.status().message() != wanted) {
      return "expected error \"" + wanted + "\", got error \"" + std::string(result.status().message()) + "\"";
    }
    return "";
  }
  if (!expect.contains("endpoint")) return "the case expects neither an endpoint nor an error";
  const nlohmann::json& endpoint = expect["endpoint"];
  if (!result.ok()) {
    return "expected endpoint " + endpoint.value("url", "") + ", got error \"" +
           std::string(result.status().message()) + "\"";
  }
  std::string differences;
  if (result->url != endpoint.value("url", "")) {
    differences += "url: expected " + endpoint.value("url", "") + ", got " + result->url + "; ";
  }
  const nlohmann::json headers = endpoint.value("headers", nlohmann::json::object());
  if (HeadersJson(*result) != headers) {
    differences += "headers: expected " + headers.dump() + ", got " + HeadersJson(*result).dump() + "; ";
  }
  const nlohmann::json properties = endpoint.value("properties", nlohmann::json::object());
  if (result->properties != properties) {
    differences += "properties: expected " + properties.dump() + ", got " + result->properties.dump() + "; ";
  }
  return differences;
}

}  // namespace awsd::endpoints::testing
