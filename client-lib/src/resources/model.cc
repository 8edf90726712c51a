#include "awsd/resources/model.h"

#include "awsd/resources/names.h"

namespace awsd::resources {
namespace {

using nlohmann::json;

std::string StringAt(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<Parameter> ParseParameters(const json& list) {
  std::vector<Parameter> out;
  if (!list.is_array()) return out;
  for (const json& item : list) {
    if (!item.is_object()) continue;
    Parameter p;
    p.target = StringAt(item, "target");
    p.source = StringAt(item, "source");
    p.name = StringAt(item, "name");
    p.path = StringAt(item, "path");
    if (auto value = item.find("value"); value != item.end()) p.value = *value;
    out.push_back(std::move(p));
  }
  return out;
}

Action ParseAction(const std::string& name, const json& definition) {
  Action action;
  action.name = name;
  action.path = StringAt(definition, "path");
  if (auto request = definition.find("request"); request != definition.end() && request->is_object()) {
    action.request = Request{StringAt(*request, "operation"), ParseParameters(request->value("params", json()))};
  }
  if (auto resource = definition.find("resource"); resource != definition.end() && resource->is_object()) {
    action.resource = ResponseResource{StringAt(*resource, "type"), StringAt(*resource, "path"),
                                       ParseParameters(resource->value("identifiers", json()))};
  }
  return action;
}

std::vector<Action> ParseActions(const json& definition, const char* key) {
  std::vector<Action> out;
  auto map = definition.find(key);
  if (map == definition.end() || !map->is_object()) return out;
  for (const auto& [name, item] : map->items()) {
    if (item.is_object()) out.push_back(ParseAction(name, item));
  }
  return out;
}

ResourceDefinition ParseDefinition(const std::string& name, const json& definition,
                                   const awsd::v1::ResourceModel& described) {
  ResourceDefinition out;
  out.name = name;
  if (auto ids = definition.find("identifiers"); ids != definition.end() && ids->is_array()) {
    for (const json& id : *ids) {
      if (id.is_object()) out.identifiers.push_back({StringAt(id, "name"), StringAt(id, "memberName")});
    }
  }
  out.shape = StringAt(definition, "shape");
  if (!out.shape.empty()) {
    auto members = described.shapes().find(out.shape);
    if (members != described.shapes().end()) {
      out.shape_members.assign(members->second.members().begin(), members->second.members().end());
    }
  }
  if (auto load = definition.find("load"); load != definition.end() && load->is_object()) {
    out.load = ParseAction("load", *load);
  }
  out.actions = ParseActions(definition, "actions");
  out.batch_actions = ParseActions(definition, "batchActions");
  out.has = ParseActions(definition, "has");
  out.collections = ParseActions(definition, "hasMany");
  if (auto waiters = definition.find("waiters"); waiters != definition.end() && waiters->is_object()) {
    for (const auto& [waiter_name, item] : waiters->items()) {
      if (!item.is_object()) continue;
      out.waiters.push_back({waiter_name, StringAt(item, "waiterName"), ParseParameters(item.value("params", json()))});
    }
  }
  return out;
}

// boto3's ServiceResource "has" every resource type: those its model does
// not name get a relation whose identifiers all come from the caller
// (ResourceModel._get_has_definition).
void AddImplicitHas(ResourceDefinition& service, const std::map<std::string, ResourceDefinition>& resources) {
  for (const auto& [name, definition] : resources) {
    bool found = false;
    for (const Action& has : service.has) found = found || (has.resource && has.resource->type == name);
    if (found) continue;
    Action has;
    has.name = name;
    has.resource = ResponseResource{name, "", {}};
    for (const Identifier& id : definition.identifiers)
      has.resource->identifiers.push_back({id.name, "input", "", "", {}});
    service.has.push_back(std::move(has));
  }
}

template <typename T>
const T* FindNamed(const std::vector<T>& items, std::string_view name) {
  for (const T& item : items)
    if (item.name == name) return &item;
  for (const T& item : items)
    if (NameMatches(name, item.name)) return &item;
  return nullptr;
}

Error Invalid(const std::string& message) {
  Error error;
  error.code = grpc::StatusCode::INVALID_ARGUMENT;
  error.message = message;
  return error;
}

}  // namespace

const Action* ResourceDefinition::FindAction(std::string_view name) const { return FindNamed(actions, name); }
const Action* ResourceDefinition::FindBatchAction(std::string_view name) const {
  return FindNamed(batch_actions, name);
}
const Action* ResourceDefinition::FindHas(std::string_view name) const { return FindNamed(has, name); }
const Action* ResourceDefinition::FindCollection(std::string_view name) const { return FindNamed(collections, name); }

const Waiter* ResourceDefinition::FindWaiter(std::string_view name) const {
  // boto3 names them wait_until_<name> (WaitUntilExists).
  for (std::string_view prefix : {"wait_until_", "WaitUntil"}) {
    if (name.substr(0, prefix.size()) == prefix) name.remove_prefix(prefix.size());
  }
  return FindNamed(waiters, name);
}

std::string ResourceDefinition::FindMember(std::string_view name) const {
  for (const std::string& member : shape_members)
    if (member == name) return member;
  for (const std::string& member : shape_members)
    if (NameMatches(name, member)) return member;
  return {};
}

bool IsReference(const Action& has) {
  if (!has.resource) return false;
  for (const Parameter& id : has.resource->identifiers)
    if (id.source == "data") return true;
  return false;
}

Result<std::shared_ptr<const ServiceResourceModel>> ServiceResourceModel::Parse(
    const awsd::v1::ResourceModel& described) {
  const json document = json::parse(described.resources_json(), nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded() || !document.is_object() || !document.contains("service")) {
    return Invalid("the resource model of '" + described.service() + "' is not a resources-1.json document");
  }
  auto model = std::make_shared<ServiceResourceModel>();
  model->service_ = described.service();
  if (auto resources = document.find("resources"); resources != document.end() && resources->is_object()) {
    for (const auto& [name, definition] : resources->items()) {
      if (definition.is_object()) model->resources_.emplace(name, ParseDefinition(name, definition, described));
    }
  }
  model->service_resource_ = ParseDefinition(described.service(), document["service"], described);
  AddImplicitHas(model->service_resource_, model->resources_);
  model->paginated_.insert(described.paginated_operations().begin(), described.paginated_operations().end());
  return std::shared_ptr<const ServiceResourceModel>(std::move(model));
}

const ResourceDefinition* ServiceResourceModel::FindResource(std::string_view name) const {
  if (auto it = resources_.find(std::string(name)); it != resources_.end()) return &it->second;
  for (const auto& [model_name, definition] : resources_)
    if (NameMatches(name, model_name)) return &definition;
  return nullptr;
}

}  // namespace awsd::resources
