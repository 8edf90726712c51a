#include "awsd/resources/params.h"

#include <regex>

#include "awsd/resources/names.h"
#include "awsd/resources/path_search.h"
#include "client-lib/src/resources/failure.h"

namespace awsd::resources {
namespace {

using nlohmann::json;

Error Unsupported(const std::string& what) {
  Error error;
  error.code = grpc::StatusCode::UNIMPLEMENTED;
  error.message = what;
  return error;
}

}  // namespace

void BuildParamStructure(json& params, std::string_view target, const json& value, std::optional<int> index) {
  static const std::regex kIndex(R"(\[(.*)\]$)");
  json* pos = &params;
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    const size_t dot = target.find('.', start);
    parts.emplace_back(target.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  // As in boto3, an index written in the target ("[0]"), or the append
  // position "[]" chose, carries on to the parts after it.
  bool has_index = index.has_value();
  size_t at = has_index ? static_cast<size_t>(*index) : 0;
  for (size_t i = 0; i < parts.size(); ++i) {
    std::string part = parts[i];
    const bool last = i + 1 == parts.size();
    std::smatch match;
    if (std::regex_search(part, match, kIndex)) {
      const std::string inside = match[1].str();
      part = part.substr(0, static_cast<size_t>(match.position(0)));
      if (inside.empty()) {
        has_index = false;
      } else if (inside != "*") {
        has_index = true;
        at = static_cast<size_t>(std::stoi(inside));
      }
      if (!pos->is_object()) *pos = json::object();
      json& list = (*pos)[part];
      if (!list.is_array()) list = json::array();
      if (!has_index) {
        has_index = true;
        at = list.size();
      }
      while (list.size() <= at) list.push_back(json::object());
      if (last) {
        list[at] = value;
      } else {
        pos = &list[at];
      }
    } else {
      if (!pos->is_object()) *pos = json::object();
      if (!pos->contains(part)) (*pos)[part] = json::object();
      if (last) {
        (*pos)[part] = value;
      } else {
        pos = &(*pos)[part];
      }
    }
  }
}

void MergeParams(json& params, const json& extra) {
  if (!extra.is_object()) return;
  if (!params.is_object()) params = json::object();
  for (const auto& [key, value] : extra.items()) {
    if (value.is_object() && params.contains(key) && params[key].is_object()) {
      MergeParams(params[key], value);  // boto3 recurses without append_lists
    } else if (value.is_array() && params.contains(key) && params[key].is_array()) {
      for (const json& item : value) params[key].push_back(item);
    } else {
      params[key] = value;
    }
  }
}

Result<json> DataMember(Resource& parent, std::string_view path) {
  if (!parent.data().has_value()) {
    if (!parent.has_load()) {
      Error error;
      error.code = grpc::StatusCode::FAILED_PRECONDITION;
      error.message = parent.type() + " has no load method";
      return error;
    }
    auto loaded = parent.Load();
    if (!loaded.ok()) return loaded.error();
  }
  return SearchPath(path, *parent.data());
}

Result<Done> CreateRequestParameters(Resource& parent, const Request& request, json& params, std::optional<int> index) {
  if (!params.is_object()) params = json::object();
  for (const Parameter& param : request.params) {
    json value;
    if (param.source == "identifier") {
      auto id = parent.Identifier(XformName(param.name));
      if (!id.ok()) return id.error();
      value = std::move(*id);
    } else if (param.source == "data") {
      auto member = DataMember(parent, param.path);
      if (!member.ok()) return member.error();
      value = std::move(*member);
    } else if (param.source == "string" || param.source == "integer" || param.source == "boolean") {
      value = param.value;
    } else if (param.source == "input") {
      continue;
    } else {
      return Unsupported("unsupported parameter source type: " + param.source);
    }
    BuildParamStructure(params, param.target, value, index);
  }
  return Done{};
}

Result<std::vector<std::pair<std::string, json>>> BuildIdentifiers(const std::vector<Parameter>& identifiers,
                                                                   Resource* parent, const json& params,
                                                                   const json& raw_response) {
  std::vector<std::pair<std::string, json>> out;
  for (const Parameter& id : identifiers) {
    Result<json> value = json();
    if (id.source == "response") {
      value = SearchPath(id.path, raw_response);
    } else if (id.source == "requestParameter") {
      value = SearchPath(id.path, params);
    } else if (id.source == "identifier") {
      if (parent == nullptr) return Unsupported("identifier source without a parent resource");
      value = parent->Identifier(XformName(id.name));
    } else if (id.source == "data") {
      if (parent == nullptr) return Unsupported("data source without a parent resource");
      value = DataMember(*parent, id.path);
    } else if (id.source == "input") {
      continue;
    } else {
      return Unsupported("unsupported identifier source type: " + id.source);
    }
    if (!value.ok()) return value.error();
    out.emplace_back(XformName(id.target), std::move(*value));
  }
  return out;
}

Result<std::vector<Resource>> HandleResourceResponse(const ResponseResource& model, Resource& parent,
                                                     const json& params, const json& response) {
  const ServiceResourceModel& service = *parent.context()->model;
  const ResourceDefinition* definition = service.FindResource(model.type);
  if (definition == nullptr) {
    Error error;
    error.code = grpc::StatusCode::NOT_FOUND;
    error.message = "the resource model of " + service.service() + " has no resource " + model.type;
    return error;
  }
  json search_response;
  if (!model.path.empty()) {
    auto searched = SearchPath(model.path, response);
    if (!searched.ok()) return searched.error();
    search_response = std::move(*searched);
  }
  auto identifiers = BuildIdentifiers(model.identifiers, &parent, params, response);
  if (!identifiers.ok()) return identifiers.error();

  // Identifier values in the new resource's order; a list gives one value
  // per resource (boto3's "plural" identifiers).
  size_t count = 1;
  bool plural = false;
  for (const auto& [name, value] : *identifiers) {
    if (value.is_array() && !plural) {
      plural = true;
      count = value.size();
    }
  }
  std::vector<Resource> out;
  if (!plural) {
    for (const auto& [name, value] : *identifiers)
      if (value.is_null()) return out;  // boto3 answers None (or an empty response)
  }
  // Python's truthiness: an empty list or object counts as no data.
  const bool has_data = !search_response.is_null() && !(search_response.is_array() && search_response.empty()) &&
                        !(search_response.is_object() && search_response.empty());
  for (size_t i = 0; i < count; ++i) {
    std::vector<json> values;
    for (const Identifier& wanted : definition->identifiers) {
      json value;
      for (const auto& [name, given] : *identifiers) {
        if (name != XformName(wanted.name)) continue;
        value = given.is_array() ? (i < given.size() ? given[i] : json()) : given;
      }
      if (value.is_null()) {
        Error error;
        error.code = grpc::StatusCode::INVALID_ARGUMENT;
        error.message = "Required parameter " + XformName(wanted.name) + " not set";
        return error;
      }
      values.push_back(std::move(value));
    }
    Resource resource(parent.context(), definition, std::move(values));
    if (plural) {
      if (has_data && search_response.is_array() && i < search_response.size()) resource.set_data(search_response[i]);
    } else if (!search_response.is_null()) {
      resource.set_data(search_response);
    }
    out.push_back(std::move(resource));
  }
  return out;
}

Result<json> ParseParams(std::string_view params_json) {
  if (params_json.empty()) return json::object();
  json params = json::parse(params_json, nullptr, /*allow_exceptions=*/false);
  if (params.is_discarded() || !params.is_object()) {
    return Failure(grpc::StatusCode::INVALID_ARGUMENT, "parameters must be a JSON object: " + std::string(params_json));
  }
  return params;
}

Result<ActionResult> HandleActionResponse(const Action& action, Resource& parent, const json& params,
                                          const json& response) {
  ActionResult result;
  result.response = response;
  if (action.resource) {
    result.makes_resources = true;
    auto made = HandleResourceResponse(*action.resource, parent, params, response);
    if (!made.ok()) return made.error();
    result.resources = std::move(*made);
  } else if (!action.path.empty() && action.path != "$") {
    auto searched = SearchPath(action.path, response);
    if (!searched.ok()) return searched.error();
    result.value = std::move(*searched);
  } else {
    result.value = response;
  }
  return result;
}

}  // namespace awsd::resources
