#include "daemon/model/service_model.h"

#include <algorithm>
#include <array>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "daemon/model/close_matches.h"
#include "daemon/model/extras_merge.h"
#include "simdjson.h"

namespace awsd::model {
namespace {

using Element = simdjson::dom::element;
using OrderedJson = nlohmann::ordered_json;

std::optional<Element> Find(Element object, std::string_view key) {
  Element out;
  if (object.at_key(key).get(out) != simdjson::SUCCESS) return std::nullopt;
  return out;
}

std::optional<std::string_view> StringAt(Element object, std::string_view key) {
  std::string_view out;
  if (object.at_key(key).get_string().get(out) != simdjson::SUCCESS) return std::nullopt;
  return out;
}

std::string StringOr(Element object, std::string_view key, std::string_view fallback = {}) {
  return std::string(StringAt(object, key).value_or(fallback));
}

bool BoolOr(Element object, std::string_view key) {
  bool out = false;
  return object.at_key(key).get_bool().get(out) == simdjson::SUCCESS && out;
}

std::optional<double> NumberOf(Element object, std::string_view key) {
  double out = 0;
  if (object.at_key(key).get_double().get(out) != simdjson::SUCCESS) return std::nullopt;
  return out;
}

std::vector<std::string> StringsOf(Element object, std::string_view key) {
  std::vector<std::string> out;
  simdjson::dom::array array;
  if (object.at_key(key).get_array().get(array) != simdjson::SUCCESS) return out;
  for (Element item : array) {
    std::string_view text;
    if (item.get_string().get(text) == simdjson::SUCCESS) out.emplace_back(text);
  }
  return out;
}

nlohmann::json ToJson(Element element) {
  return nlohmann::json::parse(simdjson::minify(element), nullptr, /*allow_exceptions=*/false);
}

std::optional<ShapeType> ParseShapeType(std::string_view name) {
  static const std::array<std::pair<std::string_view, ShapeType>, 15> kTypes{{
      {"structure", ShapeType::kStructure},
      {"list", ShapeType::kList},
      {"map", ShapeType::kMap},
      {"string", ShapeType::kString},
      {"integer", ShapeType::kInteger},
      {"long", ShapeType::kLong},
      {"short", ShapeType::kShort},
      {"byte", ShapeType::kByte},
      {"float", ShapeType::kFloat},
      {"double", ShapeType::kDouble},
      {"boolean", ShapeType::kBoolean},
      {"timestamp", ShapeType::kTimestamp},
      {"blob", ShapeType::kBlob},
      {"bigInteger", ShapeType::kBigInteger},
      {"bigDecimal", ShapeType::kBigDecimal},
  }};
  // Old models' "character": botocore serialises and parses it as it came.
  if (name == "character") return ShapeType::kString;
  for (const auto& [type_name, type] : kTypes) {
    if (name == type_name) return type;
  }
  return std::nullopt;
}

std::optional<Location> ParseLocation(std::string_view name) {
  if (name == "uri") return Location::kUri;
  if (name == "querystring") return Location::kQueryString;
  if (name == "header") return Location::kHeader;
  if (name == "headers") return Location::kHeaders;
  if (name == "statusCode") return Location::kStatusCode;
  return std::nullopt;
}

// Lays the trait keys present in `object` over `traits` (a shape's own keys,
// then a member's on top of them, as botocore's shape resolver does).
void OverlayTraits(Element object, Traits& traits) {
  if (auto v = StringAt(object, "locationName")) traits.location_name = *v;
  if (auto v = StringAt(object, "queryName")) traits.query_name = *v;
  if (auto v = StringAt(object, "location")) {
    if (auto location = ParseLocation(*v)) traits.location = *location;
  }
  if (auto ns = Find(object, "xmlNamespace")) {
    XmlNamespace value;
    if (auto uri = ns->get_string(); uri.error() == simdjson::SUCCESS) {
      value.uri = std::string(uri.value_unsafe());
    } else {
      value.prefix = StringOr(*ns, "prefix");
      value.uri = StringOr(*ns, "uri");
    }
    traits.xml_namespace = value;
  }
  if (auto v = StringAt(object, "timestampFormat")) traits.timestamp_format = *v;
  if (auto v = StringAt(object, "contextParam")) traits.context_param = *v;
  if (auto param = Find(object, "contextParam"); param && param->is_object()) {
    traits.context_param = StringOr(*param, "name");
  }
  auto flag = [&](std::string_view key, bool& slot) {
    bool value = false;
    if (object.at_key(key).get_bool().get(value) == simdjson::SUCCESS) slot = value;
  };
  flag("flattened", traits.flattened);
  flag("xmlAttribute", traits.xml_attribute);
  flag("jsonvalue", traits.jsonvalue);
  flag("hostLabel", traits.host_label);
  flag("streaming", traits.streaming);
  flag("eventheader", traits.event_header);
  flag("eventpayload", traits.event_payload);
  flag("idempotencyToken", traits.idempotency_token);
}

// Documents made while building: parts of the model an sdk-extras file
// changes, re-parsed after the merge. A simdjson parser owns one document,
// so each gets its own.
class MergedParts {
 public:
  absl::StatusOr<Element> Parse(std::string text) {
    parsers_.push_back(std::make_unique<simdjson::dom::parser>());
    Element out;
    if (parsers_.back()->parse(text).get(out) != simdjson::SUCCESS) {
      return absl::InvalidArgumentError("sdk-extras merge produced invalid JSON");
    }
    return out;
  }

  // `base` (may be absent) with `patch` merged over it.
  absl::StatusOr<Element> Merge(std::optional<Element> base, const OrderedJson& patch) {
    OrderedJson merged = OrderedJson::object();
    if (base) merged = OrderedJson::parse(simdjson::minify(*base), nullptr, /*allow_exceptions=*/false);
    if (merged.is_discarded() || !merged.is_object() || !patch.is_object()) {
      merged = patch;
    } else {
      MergeExtras(merged, patch);
    }
    return Parse(merged.dump());
  }

 private:
  std::vector<std::unique_ptr<simdjson::dom::parser>> parsers_;
};

}  // namespace

const char* ProtocolName(Protocol protocol) {
  switch (protocol) {
    case Protocol::kQuery:
      return "query";
    case Protocol::kEc2:
      return "ec2";
    case Protocol::kJson:
      return "json";
    case Protocol::kRestJson:
      return "rest-json";
    case Protocol::kRestXml:
      return "rest-xml";
    case Protocol::kRpcV2Cbor:
      return "smithy-rpc-v2-cbor";
  }
  return "unknown";
}

bool Operation::has_streaming_input() const {
  if (!input || input->shape->payload.empty()) return false;
  const Member* payload = input->shape->FindMember(input->shape->payload);
  return payload != nullptr && payload->traits.streaming && payload->shape->type == ShapeType::kBlob;
}

bool Operation::has_streaming_output() const {
  if (!output || output->shape->payload.empty()) return false;
  const Member* payload = output->shape->FindMember(output->shape->payload);
  return payload != nullptr && payload->traits.streaming && payload->shape->type == ShapeType::kBlob;
}

bool Operation::has_event_stream_input() const {
  if (!input) return false;
  for (const Member& m : input->shape->members) {
    if (m.shape->is_event_stream) return true;
  }
  return false;
}

bool Operation::has_event_stream_output() const {
  if (!output) return false;
  for (const Member& m : output->shape->members) {
    if (m.shape->is_event_stream) return true;
  }
  return false;
}

// Builds the graph in two passes so that recursive shapes resolve: first
// every shape object exists, then members are pointed at them.
class ServiceModelBuilder {
 public:
  static absl::StatusOr<std::shared_ptr<const ServiceModel>> Build(std::string_view text, std::string service_name,
                                                                   const OrderedJson* extras) {
    std::shared_ptr<ServiceModel> service(new ServiceModel());
    service->service_name_ = std::move(service_name);
    simdjson::dom::parser parser;
    Element root;
    if (auto error = parser.parse(text.data(), text.size()).get(root); error != simdjson::SUCCESS) {
      return absl::InvalidArgumentError(
          absl::StrCat(service->service_name_, ": model is not valid JSON: ", simdjson::error_message(error)));
    }
    if (!root.is_object())
      return absl::InvalidArgumentError(absl::StrCat(service->service_name_, ": model is not an object"));
    ServiceModelBuilder builder(*service, extras != nullptr && extras->is_object() ? extras : nullptr);
    absl::StatusOr<Element> metadata = builder.Section(root, "metadata");
    if (!metadata.ok()) return metadata.status();
    if (absl::Status s = builder.ReadMetadata(*metadata); !s.ok()) return s;
    if (absl::Status s = builder.ReadShapes(Find(root, "shapes")); !s.ok()) return s;
    if (absl::Status s = builder.ReadOperations(Find(root, "operations")); !s.ok()) return s;
    if (auto params = Find(root, "clientContextParams")) {
      service->client_context_params_ = ToJson(*params);
    } else if (auto meta_params = Find(*metadata, "clientContextParams")) {
      service->client_context_params_ = ToJson(*meta_params);
    }
    return std::shared_ptr<const ServiceModel>(std::move(service));
  }

 private:
  ServiceModelBuilder(ServiceModel& service, const OrderedJson* extras) : service_(service), extras_(extras) {}

  // The extras' patch for root[section][name] (name empty: the section).
  const OrderedJson* Patch(std::string_view section, std::string_view name = {}) const {
    if (extras_ == nullptr) return nullptr;
    const auto it = extras_->find(std::string(section));
    if (it == extras_->end()) return nullptr;
    if (name.empty()) return &*it;
    if (!it->is_object()) return nullptr;
    const auto entry = it->find(std::string(name));
    return entry == it->end() ? nullptr : &*entry;
  }

  // root[section] with its patch applied (an empty object when absent).
  absl::StatusOr<Element> Section(Element root, std::string_view section) {
    std::optional<Element> base = Find(root, section);
    if (const OrderedJson* patch = Patch(section)) return merged_.Merge(base, *patch);
    if (base) return *base;
    return merged_.Parse("{}");
  }

  absl::StatusOr<Element> Entry(std::string_view section, std::string_view name, Element base) {
    if (const OrderedJson* patch = Patch(section, name)) return merged_.Merge(base, *patch);
    return base;
  }

  absl::Status ReadMetadata(Element metadata) {
    ServiceMetadata& m = service_.metadata_;
    m.api_version = StringOr(metadata, "apiVersion");
    m.endpoint_prefix = StringOr(metadata, "endpointPrefix");
    m.service_id = StringOr(metadata, "serviceId");
    m.service_full_name = StringOr(metadata, "serviceFullName");
    m.signing_name = StringOr(metadata, "signingName", m.endpoint_prefix);
    m.signature_version = StringOr(metadata, "signatureVersion");
    m.auth = StringsOf(metadata, "auth");
    m.json_version = StringOr(metadata, "jsonVersion");
    m.target_prefix = StringOr(metadata, "targetPrefix");
    m.xml_namespace = StringOr(metadata, "xmlNamespace");
    m.global_endpoint = StringOr(metadata, "globalEndpoint");
    m.uid = StringOr(metadata, "uid");
    m.aws_query_compatible = Find(metadata, "awsQueryCompatible").has_value();
    std::vector<std::string> protocols = StringsOf(metadata, "protocols");
    if (protocols.empty()) protocols.push_back(StringOr(metadata, "protocol"));
    // botocore's PRIORITY_ORDERED_SUPPORTED_PROTOCOLS, not the model's order.
    static const std::array<std::pair<const char*, Protocol>, 6> kPriority{{
        {"json", Protocol::kJson},
        {"rest-json", Protocol::kRestJson},
        {"rest-xml", Protocol::kRestXml},
        {"smithy-rpc-v2-cbor", Protocol::kRpcV2Cbor},
        {"query", Protocol::kQuery},
        {"ec2", Protocol::kEc2},
    }};
    for (const auto& [name, protocol] : kPriority) {
      if (std::find(protocols.begin(), protocols.end(), name) != protocols.end()) {
        m.protocol = protocol;
        return absl::OkStatus();
      }
    }
    return absl::UnimplementedError(
        absl::StrCat(service_.service_name_, ": no supported protocol among [", absl::StrJoin(protocols, ", "), "]"));
  }

  absl::Status ReadShapes(std::optional<Element> shapes) {
    std::vector<std::pair<std::string, Element>> entries;
    if (shapes) {
      simdjson::dom::object object;
      if (shapes->get_object().get(object) != simdjson::SUCCESS) return Malformed("shapes is not an object");
      for (auto field : object) {
        absl::StatusOr<Element> entry = Entry("shapes", field.key, field.value);
        if (!entry.ok()) return entry.status();
        entries.emplace_back(std::string(field.key), *entry);
      }
    }
    if (const OrderedJson* added = Patch("shapes"); added != nullptr && added->is_object()) {
      for (auto it = added->begin(); it != added->end(); ++it) {
        if (shapes && Find(*shapes, it.key())) continue;  // merged above
        absl::StatusOr<Element> entry = merged_.Merge(std::nullopt, *it);
        if (!entry.ok()) return entry.status();
        entries.emplace_back(it.key(), *entry);
      }
    }
    for (const auto& [name, json] : entries) {
      if (!json.is_object()) return Malformed(absl::StrCat("shape ", name, " is not an object"));
      auto shape = std::make_unique<Shape>();
      shape->name = name;
      const std::optional<ShapeType> type = ParseShapeType(StringOr(json, "type"));
      if (!type) return Malformed(absl::StrCat("shape ", name, " has unknown type '", StringOr(json, "type"), "'"));
      shape->type = *type;
      OverlayTraits(json, shape->traits);
      service_.shapes_.emplace(name, std::move(shape));
    }
    for (const auto& [name, json] : entries) {
      if (absl::Status s = FillShape(*service_.shapes_.find(name)->second, json); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

  absl::Status FillShape(Shape& shape, Element json) {
    shape.required = StringsOf(json, "required");
    shape.payload = StringOr(json, "payload");
    shape.min = NumberOf(json, "min");
    shape.max = NumberOf(json, "max");
    shape.enum_values = StringsOf(json, "enum");
    shape.is_document = BoolOr(json, "document");
    shape.is_union = BoolOr(json, "union");
    shape.is_exception = BoolOr(json, "exception");
    shape.is_fault = BoolOr(json, "fault");
    shape.is_event_stream = BoolOr(json, "eventstream");
    shape.is_event = BoolOr(json, "event");
    shape.sensitive = BoolOr(json, "sensitive");
    shape.requires_length = BoolOr(json, "requiresLength");
    if (shape.is_exception) {
      ErrorInfo info;
      info.code = shape.name;
      if (auto error = Find(json, "error"); error && error->is_object()) {
        info.code = StringOr(*error, "code", shape.name);
        if (auto status = NumberOf(*error, "httpStatusCode")) info.http_status = static_cast<int>(*status);
        info.sender_fault = BoolOr(*error, "senderFault");
      }
      shape.error = info;
      service_.errors_by_code_.emplace(info.code, &shape);
    }
    switch (shape.type) {
      case ShapeType::kStructure: {
        std::optional<Element> members = Find(json, "members");
        if (!members) break;
        simdjson::dom::object object;
        if (members->get_object().get(object) != simdjson::SUCCESS) {
          return Malformed(absl::StrCat("shape ", shape.name, ": members is not an object"));
        }
        for (auto field : object) {
          absl::StatusOr<Member> member = ResolveRef(std::string(field.key), field.value);
          if (!member.ok()) return member.status();
          shape.members.push_back(*std::move(member));
        }
        break;
      }
      case ShapeType::kList: {
        absl::StatusOr<Member> member = ResolveRef("member", Find(json, "member"));
        if (!member.ok()) return member.status();
        shape.member = *std::move(member);
        break;
      }
      case ShapeType::kMap: {
        absl::StatusOr<Member> key = ResolveRef("key", Find(json, "key"));
        if (!key.ok()) return key.status();
        absl::StatusOr<Member> value = ResolveRef("value", Find(json, "value"));
        if (!value.ok()) return value.status();
        shape.key = *std::move(key);
        shape.value = *std::move(value);
        break;
      }
      default:
        break;
    }
    return absl::OkStatus();
  }

  absl::StatusOr<Member> ResolveRef(const std::string& name, std::optional<Element> ref) {
    const std::optional<std::string_view> target = ref ? StringAt(*ref, "shape") : std::nullopt;
    if (!target) return Malformed(absl::StrCat("reference '", name, "' names no shape"));
    const Shape* shape = service_.FindShape(*target);
    if (shape == nullptr) {
      return Malformed(absl::StrCat("reference '", name, "' to unknown shape '", std::string(*target), "'"));
    }
    // A reference that sets a structure's payload (old models put it on an
    // operation's input) points at a copy of the shape with it set, as
    // botocore's resolver makes one.
    if (auto payload = StringAt(*ref, "payload"); payload && *payload != shape->payload) {
      auto copy = std::make_unique<Shape>(*shape);
      copy->payload = std::string(*payload);
      shape = service_.variants_.emplace_back(std::move(copy)).get();
    }
    Member member{name, shape, shape->traits};
    OverlayTraits(*ref, member.traits);
    return member;
  }

  absl::Status ReadOperations(std::optional<Element> operations) {
    std::vector<std::pair<std::string, Element>> entries;
    if (operations) {
      simdjson::dom::object object;
      if (operations->get_object().get(object) != simdjson::SUCCESS) return Malformed("operations is not an object");
      for (auto field : object) {
        absl::StatusOr<Element> entry = Entry("operations", field.key, field.value);
        if (!entry.ok()) return entry.status();
        entries.emplace_back(std::string(field.key), *entry);
      }
    }
    for (const auto& [name, json] : entries) {
      if (!json.is_object()) return Malformed(absl::StrCat("operation ", name, " is not an object"));
      absl::StatusOr<Operation> op = ReadOperation(name, json);
      if (!op.ok()) return op.status();
      service_.operation_names_.push_back(name);
      service_.operations_.emplace(name, *std::move(op));
    }
    std::sort(service_.operation_names_.begin(), service_.operation_names_.end());
    return absl::OkStatus();
  }

  absl::StatusOr<Operation> ReadOperation(const std::string& name, Element json) {
    Operation op;
    op.name = name;
    if (auto http = Find(json, "http"); http && http->is_object()) {
      op.http_method = StringOr(*http, "method", "POST");
      op.request_uri = StringOr(*http, "requestUri", "/");
      if (auto code = NumberOf(*http, "responseCode")) op.http_response_code = static_cast<int>(*code);
    }
    if (auto input = Find(json, "input")) {
      absl::StatusOr<Member> member = ResolveRef("input", input);
      if (!member.ok()) return member.status();
      op.input = *std::move(member);
    }
    if (auto output = Find(json, "output")) {
      absl::StatusOr<Member> member = ResolveRef("output", output);
      if (!member.ok()) return member.status();
      op.output = *std::move(member);
      op.result_wrapper = StringOr(*output, "resultWrapper");
    }
    simdjson::dom::array errors;
    if (json.at_key("errors").get_array().get(errors) == simdjson::SUCCESS) {
      for (Element error : errors) {
        absl::StatusOr<Member> member = ResolveRef("error", error);
        if (!member.ok()) return member.status();
        op.errors.push_back(member->shape);
      }
    }
    if (auto endpoint = Find(json, "endpoint"); endpoint && endpoint->is_object()) {
      op.host_prefix = StringOr(*endpoint, "hostPrefix");
    }
    if (auto checksum = Find(json, "httpChecksum"); checksum && checksum->is_object()) {
      HttpChecksum c;
      c.request_algorithm_member = StringOr(*checksum, "requestAlgorithmMember");
      c.request_validation_mode_member = StringOr(*checksum, "requestValidationModeMember");
      c.response_algorithms = StringsOf(*checksum, "responseAlgorithms");
      c.request_checksum_required = BoolOr(*checksum, "requestChecksumRequired");
      op.http_checksum = c;
    }
    op.http_checksum_required = BoolOr(json, "httpChecksumRequired");
    if (auto compression = Find(json, "requestcompression"))
      op.request_compression = StringsOf(*compression, "encodings");
    op.auth_type = StringOr(json, "authtype");
    op.auth = StringsOf(json, "auth");
    op.unsigned_payload = BoolOr(json, "unsignedPayload") || op.auth_type == "v4-unsigned-body";
    op.deprecated = BoolOr(json, "deprecated");
    if (auto discovery = Find(json, "endpointdiscovery"); discovery && discovery->is_object()) {
      op.endpoint_discovery_required = BoolOr(*discovery, "required");
    }
    if (auto params = Find(json, "staticContextParams")) op.static_context_params = ToJson(*params);
    if (auto params = Find(json, "operationContextParams")) op.operation_context_params = ToJson(*params);
    return op;
  }

  absl::Status Malformed(std::string_view what) const {
    return absl::InvalidArgumentError(absl::StrCat(service_.service_name_, ": malformed model: ", std::string(what)));
  }

  ServiceModel& service_;
  const OrderedJson* extras_;
  MergedParts merged_;
};

absl::StatusOr<std::shared_ptr<const ServiceModel>> ServiceModel::Parse(std::string_view text, std::string service_name,
                                                                        const nlohmann::ordered_json* extras_merge) {
  return ServiceModelBuilder::Build(text, std::move(service_name), extras_merge);
}

absl::StatusOr<const Operation*> ServiceModel::FindOperation(std::string_view name) const {
  const auto it = operations_.find(name);
  if (it != operations_.end()) return &it->second;
  const std::vector<std::string> close = CloseMatches(name, operation_names_);
  std::string message = absl::StrCat("unknown operation '", std::string(name), "' for service '", service_name_, "'");
  if (!close.empty()) absl::StrAppend(&message, "; did you mean: ", absl::StrJoin(close, ", "), "?");
  return absl::NotFoundError(message);
}

const Shape* ServiceModel::FindShape(std::string_view name) const {
  const auto it = shapes_.find(name);
  return it == shapes_.end() ? nullptr : it->second.get();
}

const Shape* ServiceModel::ErrorShapeForCode(std::string_view code) const {
  const auto it = errors_by_code_.find(code);
  return it == errors_by_code_.end() ? nullptr : it->second;
}

}  // namespace awsd::model
