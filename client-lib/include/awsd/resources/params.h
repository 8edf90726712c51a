#pragma once

// Request parameters and response resources as boto3 builds them
// (boto3/resources/params.py and response.py). Used by Resource and
// Collection; public for tests and for callers that build requests alone.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "awsd/resources/model.h"
#include "awsd/resources/resource.h"
#include "awsd/result.h"

namespace awsd::resources {

// boto3's build_param_structure, a reverse JMESPath: sets `value` at
// `target` ("Filters[0].Values[0]", "Delete.Objects[*].Key" with `index`,
// "InstanceIds[]" appends) in `params`, making objects and lists on the way.
void BuildParamStructure(nlohmann::json& params, std::string_view target, const nlohmann::json& value,
                         std::optional<int> index = std::nullopt);

// boto3's merge_dicts(params, extra, append_lists=True).
void MergeParams(nlohmann::json& params, const nlohmann::json& extra);

// boto3's get_data_member: `path` in the parent's data, loading it first.
Result<nlohmann::json> DataMember(Resource& parent, std::string_view path);

// boto3's create_request_parameters: the parameters `request` fills in from
// the parent's identifiers and data and from constants, added to `params`.
Result<Done> CreateRequestParameters(Resource& parent, const Request& request, nlohmann::json& params,
                                     std::optional<int> index = std::nullopt);

// boto3's build_identifiers: (snake_case name, value) of each identifier
// that does not come from the caller; values from a response path may be
// lists (one per resource).
Result<std::vector<std::pair<std::string, nlohmann::json>>> BuildIdentifiers(const std::vector<Parameter>& identifiers,
                                                                             Resource* parent,
                                                                             const nlohmann::json& params,
                                                                             const nlohmann::json& raw_response);

// boto3's ResourceHandler: the resources a response names, each with its
// data from `model.path` when there is some.
Result<std::vector<Resource>> HandleResourceResponse(const ResponseResource& model, Resource& parent,
                                                     const nlohmann::json& params, const nlohmann::json& response);

// An action's or batch action's parameters as the caller gave them: a JSON
// object, "" meaning none.
Result<nlohmann::json> ParseParams(std::string_view params_json);

// boto3's action result: ResourceHandler when the action makes resources,
// else RawHandler (the response at the action's path).
Result<ActionResult> HandleActionResponse(const Action& action, Resource& parent, const nlohmann::json& params,
                                          const nlohmann::json& response);

}  // namespace awsd::resources
