#include "daemon/protocols/rest_json_protocol.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "daemon/protocols/json_body.h"
#include "daemon/protocols/json_errors.h"
#include "daemon/protocols/python_compat.h"
#include "daemon/protocols/rest_common.h"

namespace awsd::protocols {
namespace {

using model::Member;
using model::Shape;
using model::ShapeType;

// botocore's generate_idempotent_uuid, for callers that left it to us:
// `params` itself, or a copy in `storage` with the missing tokens filled.
const Value& WithIdempotencyTokens(const model::Operation& operation, const Value& params,
                                   const SerializeOptions& options, Value& storage) {
  static const Value kEmpty = Value::object();
  const Value& given = params.is_null() ? kEmpty : params;
  if (!operation.input || !options.idempotency_token || !given.is_object()) return given;
  const Value* current = &given;
  for (const Member& member : operation.input->shape->members) {
    if (!member.traits.idempotency_token || current->contains(member.name)) continue;
    if (current != &storage) {
      storage = given;
      current = &storage;
    }
    storage[member.name] = options.idempotency_token();
  }
  return *current;
}

// A blob or string payload travels as its bytes (_has_streaming_payload).
bool IsRawPayload(const Member& member) {
  return member.shape->type == ShapeType::kBlob || member.shape->type == ShapeType::kString;
}

const Member* PayloadMember(const Shape& shape) {
  return shape.payload.empty() ? nullptr : shape.FindMember(shape.payload);
}

// Whether `params` sets any member that goes in the body (body_kwargs).
bool SetsBodyMembers(const Shape& shape, const Value& params) {
  for (auto it = params.begin(); it != params.end(); ++it) {
    if (it.value().is_null()) continue;
    const Member* member = shape.FindMember(it.key());
    if (member != nullptr && member->traits.location == model::Location::kBody) return true;
  }
  return false;
}

absl::Status SerializeBody(const Shape& shape, const Value& params, SerializedRequest& request) {
  const Member* payload = PayloadMember(shape);
  if (payload != nullptr) {
    const auto it = params.find(payload->name);
    const bool set = it != params.end() && !it->is_null();
    if (IsRawPayload(*payload)) {
      if (!set) return absl::OkStatus();
      if (it->is_binary()) {
        request.body.assign(it->get_binary().begin(), it->get_binary().end());
      } else if (it->is_string()) {
        request.body = it->get<std::string>();
      } else {
        return absl::InvalidArgumentError(absl::StrCat("Invalid type for parameter ", payload->name,
                                                       ": expected bytes or a string, got ", it->type_name()));
      }
      return absl::OkStatus();
    }
    if (!set) {
      request.body = "{}";
      return absl::OkStatus();
    }
    // botocore writes a document (or list) payload under a "null" key; the
    // value itself is what the service reads.
    absl::StatusOr<Value> body = json::Serialize(*payload, *it);
    if (!body.ok()) return body.status();
    request.body = json::Dumps(*body);
    return absl::OkStatus();
  }
  if (SetsBodyMembers(shape, params)) {
    absl::StatusOr<Value> body = json::SerializeStructure(shape, params, /*body_only=*/true);
    if (!body.ok()) return body.status();
    request.body = json::Dumps(*body);
  } else if (rest::HasBodyMembers(shape)) {
    request.body = "{}";
  }
  return absl::OkStatus();
}

// The JSON of a success body: {} when empty, DataLoss when not JSON.
absl::StatusOr<Value> SuccessDocument(const http::HttpResponse& response) {
  if (response.body.empty()) return Value::object();
  return json::Loads(response.body);
}

// BaseRestParser._parse_payload: the payload member, or the body's members
// laid over what the headers gave.
absl::Status ParseBody(const Shape& shape, const http::HttpResponse& response, const Value& document,
                       const json::ParseContext& context, Value& result) {
  const Member* payload = PayloadMember(shape);
  if (payload != nullptr && IsRawPayload(*payload)) {
    if (payload->shape->type == ShapeType::kBlob) {
      result[payload->name] = Value::binary(std::vector<std::uint8_t>(response.body.begin(), response.body.end()));
    } else {
      if (!py::IsUtf8(response.body)) return absl::DataLossError("response body is not valid UTF-8");
      result[payload->name] = response.body;
    }
    return absl::OkStatus();
  }
  if (payload != nullptr) {
    // An unset union is no member at all (botocore fails on the empty body).
    if (payload->shape->is_union && response.body.empty()) return absl::OkStatus();
    absl::StatusOr<Value> value = json::Parse(*payload, document, context);
    if (!value.ok()) return value.status();
    result[payload->name] = *std::move(value);
    return absl::OkStatus();
  }
  if (document.is_null()) return absl::OkStatus();
  if (!document.is_object()) {
    return absl::DataLossError(absl::StrCat("response body is a JSON ", document.type_name(), ", not an object"));
  }
  absl::StatusOr<Value> members = json::ParseStructure(shape, document, context);
  if (!members.ok()) return members.status();
  for (auto it = members->begin(); it != members->end(); ++it) result[it.key()] = std::move(it.value());
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<SerializedRequest> RestJsonProtocol::Serialize(const model::ServiceModel&,
                                                              const model::Operation& operation, const Value& params,
                                                              const SerializeOptions& options) const {
  if (!params.is_null() && !params.is_object()) return absl::InvalidArgumentError("parameters must be an object");
  Value storage;
  const Value& filled = WithIdempotencyTokens(operation, params, options, storage);
  SerializedRequest request;
  if (!operation.host_prefix.empty()) {
    absl::StatusOr<std::string> prefix = ExpandHostPrefix(operation, filled);
    if (!prefix.ok()) return prefix.status();
    request.host_prefix = *std::move(prefix);
  }
  if (absl::Status s = rest::SerializeLocations(operation, filled, request); !s.ok()) return s;
  if (!operation.input) return request;
  const Shape& shape = *operation.input->shape;
  if (absl::Status s = SerializeBody(shape, filled, request); !s.ok()) return s;
  const Member* payload = PayloadMember(shape);
  const bool raw = payload != nullptr && IsRawPayload(*payload);
  if (!raw && !request.body.empty() && request.FindHeader("Content-Type") == nullptr) {
    request.SetHeader("Content-Type", "application/json");
  }
  return request;
}

absl::StatusOr<ParsedResponse> RestJsonProtocol::Parse(const model::ServiceModel& service,
                                                       const model::Operation& operation,
                                                       const http::HttpResponse& response,
                                                       const ParseOptions& options) const {
  const json::ParseContext context{json::Dialect::kRestJson, options.timestamps};
  if (json::IsErrorStatus(response.status)) {
    // BaseRestParser._do_modeled_error_parse: headers, then the body.
    auto modeled = [&](const Shape& shape, const http::HttpResponse& r) -> absl::StatusOr<Value> {
      Value out = Value::object();
      if (absl::Status s = rest::ParseLocations(shape, r, options, out); !s.ok()) return s;
      const std::optional<Value> document = json::ErrorBodyObject(r);
      if (!document) return absl::DataLossError("response body is not valid UTF-8");
      if (absl::Status s = ParseBody(shape, r, *document, context, out); !s.ok()) return s;
      return out;
    };
    return json::ParseErrorResponse(service, response, json::Dialect::kRestJson, modeled);
  }

  ParsedResponse parsed;
  Value metadata = Value::object();
  if (auto id = json::ResponseHeader(response, "x-amzn-requestid")) {
    metadata["RequestId"] = *id;
  } else if (auto s3_id = json::ResponseHeader(response, "x-amz-request-id")) {
    metadata["RequestId"] = *s3_id;
    metadata["HostId"] = json::ResponseHeader(response, "x-amz-id-2").value_or("");
  }
  parsed.result["ResponseMetadata"] = std::move(metadata);
  if (operation.output) {
    const Shape& shape = *operation.output->shape;
    if (operation.has_event_stream_output()) {
      return absl::UnimplementedError(absl::StrCat(operation.name, ": event-stream output is not supported"));
    }
    if (absl::Status s = rest::ParseLocations(shape, response, options, parsed.result); !s.ok()) return s;
    const Member* payload = PayloadMember(shape);
    Value document;
    if (payload == nullptr || !IsRawPayload(*payload)) {
      absl::StatusOr<Value> body = SuccessDocument(response);
      if (!body.ok()) return body.status();
      document = *std::move(body);
    }
    if (absl::Status s = ParseBody(shape, response, document, context, parsed.result); !s.ok()) return s;
  }
  AddHttpMetadata(response, parsed.result["ResponseMetadata"]);
  return parsed;
}

}  // namespace awsd::protocols
