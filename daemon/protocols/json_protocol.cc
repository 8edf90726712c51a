#include "daemon/protocols/json_protocol.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "daemon/protocols/event_stream.h"
#include "daemon/protocols/json_body.h"
#include "daemon/protocols/json_body_writer.h"
#include "daemon/protocols/json_errors.h"
#include "daemon/protocols/result_writer.h"

namespace awsd::protocols {
namespace {

// botocore's generate_idempotent_uuid, for callers that left it to us:
// `params` itself, or a copy in `storage` with the missing tokens filled.
const Value& WithIdempotencyTokens(const model::Operation& operation, const Value& params,
                                   const SerializeOptions& options, Value& storage) {
  static const Value kEmpty = Value::object();
  const Value& given = params.is_null() ? kEmpty : params;
  if (!operation.input || !options.idempotency_token || !given.is_object()) return given;
  const Value* current = &given;
  for (const model::Member& member : operation.input->shape->members) {
    if (!member.traits.idempotency_token || current->contains(member.name)) continue;
    if (current != &storage) {
      storage = given;
      current = &storage;
    }
    storage[member.name] = options.idempotency_token();
  }
  return *current;
}

// The output's JSON document: {} for an empty body, as botocore reads it.
absl::StatusOr<Value> SuccessBody(const http::HttpResponse& response) {
  if (response.body.empty()) return Value::object();
  absl::StatusOr<Value> body = json::Loads(response.body);
  if (!body.ok()) return body.status();
  if (body->is_null()) return Value::object();
  if (!body->is_object()) {
    return absl::DataLossError(absl::StrCat("response body is a JSON ", body->type_name(), ", not an object"));
  }
  return body;
}

// A JSON document for an event payload, read as SuccessBody reads a body.
absl::StatusOr<Value> JsonDocument(std::string_view text) {
  if (text.empty()) return Value::object();
  absl::StatusOr<Value> body = json::Loads(text);
  if (!body.ok()) return body.status();
  if (body->is_null()) return Value::object();
  return body;
}

// JSONParser._handle_event_stream: the first message must be the
// initial-response, whose payload is the output's JSON body; the rest are
// the events (list(EventStream)) under the eventstream member.
absl::StatusOr<Value> EventStreamOutput(const model::Operation& operation, const http::HttpResponse& response,
                                        const ParseOptions& options, const json::ParseContext& context) {
  const model::Shape& shape = *operation.output->shape;
  const model::Member* stream = event_stream::EventStreamMember(shape);
  if (stream == nullptr) return absl::DataLossError("output has no event-stream member");
  absl::StatusOr<std::vector<event_stream::Message>> messages = event_stream::Decode(response.body);
  if (!messages.ok()) return messages.status();
  if (messages->empty() || !(*messages)[0].headers.contains(":event-type") ||
      (*messages)[0].headers[":event-type"] != "initial-response") {
    return absl::DataLossError("First event was not of type initial-response");
  }
  absl::StatusOr<Value> initial = JsonDocument((*messages)[0].payload);
  if (!initial.ok()) return initial.status();
  absl::StatusOr<Value> result = json::ParseStructure(shape, *initial, context);
  if (!result.ok()) return result.status();
  if (!result->is_object()) result = Value::object();
  const event_stream::PayloadParser parse_payload = [&context](const model::Member& member,
                                                               std::string_view payload) -> absl::StatusOr<Value> {
    absl::StatusOr<Value> wire = JsonDocument(payload);
    if (!wire.ok()) return wire.status();
    return json::Parse(member, *wire, context);
  };
  absl::StatusOr<Value> events =
      event_stream::ParseEvents(*stream->shape, *messages, 1, options, parse_payload, operation.name);
  if (!events.ok()) return events.status();
  (*result)[stream->name] = *std::move(events);
  return result;
}

}  // namespace

absl::StatusOr<SerializedRequest> JsonProtocol::Serialize(const model::ServiceModel& service,
                                                          const model::Operation& operation, const Value& params,
                                                          const SerializeOptions& options) const {
  if (!params.is_null() && !params.is_object()) return absl::InvalidArgumentError("parameters must be an object");
  const model::ServiceMetadata& metadata = service.metadata();
  SerializedRequest request;
  request.method = operation.http_method;
  request.SetHeader("X-Amz-Target", absl::StrCat(metadata.target_prefix, ".", operation.name));
  // botocore requires jsonVersion; 1.0 is the smaller assumption when a model lacks it.
  std::string content_type = "application/x-amz-json-";
  content_type += metadata.json_version.empty() ? std::string_view("1.0") : std::string_view(metadata.json_version);
  request.SetHeader("Content-Type", std::move(content_type));
  if (metadata.aws_query_compatible) request.SetHeader("x-amzn-query-mode", "true");

  Value storage;
  const Value& filled = WithIdempotencyTokens(operation, params, options, storage);
  Value body = Value::object();
  if (operation.input) {
    absl::StatusOr<Value> serialized = json::SerializeStructure(*operation.input->shape, filled);
    if (!serialized.ok()) return serialized.status();
    body = *std::move(serialized);
  }
  request.body = json::Dumps(body);
  if (!operation.host_prefix.empty()) {
    absl::StatusOr<std::string> prefix = ExpandHostPrefix(operation, filled);
    if (!prefix.ok()) return prefix.status();
    request.host_prefix = *std::move(prefix);
  }
  return request;
}

absl::StatusOr<ParsedResponse> JsonProtocol::Parse(const model::ServiceModel& service,
                                                   const model::Operation& operation,
                                                   const http::HttpResponse& response,
                                                   const ParseOptions& options) const {
  const json::ParseContext context{json::Dialect::kJson, options.timestamps};
  if (json::IsErrorStatus(response.status)) {
    // JSONParser._do_modeled_error_parse: the error shape read from the body.
    auto modeled = [&context](const model::Shape& shape, const http::HttpResponse& r) -> absl::StatusOr<Value> {
      const std::optional<Value> body = json::ErrorBodyObject(r);
      if (!body) return absl::DataLossError("response body is not valid UTF-8");
      return json::ParseStructure(shape, *body, context);
    };
    return json::ParseErrorResponse(service, response, json::Dialect::kJson, modeled);
  }

  ParsedResponse parsed;
  if (operation.output) {
    if (operation.has_event_stream_output()) {
      absl::StatusOr<Value> result = EventStreamOutput(operation, response, options, context);
      if (!result.ok()) return result.status();
      parsed.result = *std::move(result);
    } else {
      absl::StatusOr<Value> body = SuccessBody(response);
      if (!body.ok()) return body.status();
      absl::StatusOr<Value> result = json::ParseStructure(*operation.output->shape, *body, context);
      if (!result.ok()) return result.status();
      if (result->is_object()) parsed.result = *std::move(result);
    }
  }
  Value& metadata = parsed.result["ResponseMetadata"];
  if (!metadata.is_object()) metadata = Value::object();
  if (const std::optional<std::string> id = json::ResponseHeader(response, "x-amzn-requestid")) {
    metadata["RequestId"] = *id;
  }
  AddHttpMetadata(response, metadata);
  return parsed;
}

absl::StatusOr<ClientReply> JsonProtocol::ParseToClientJson(const model::ServiceModel& service,
                                                            const model::Operation& operation,
                                                            const http::HttpResponse& response,
                                                            const ParseOptions& options, int retry_attempts) const {
  if (json::IsErrorStatus(response.status) || !operation.output || operation.has_event_stream_output()) {
    return Protocol::ParseToClientJson(service, operation, response, options, retry_attempts);
  }
  const json::ParseContext context{json::Dialect::kJson, options.timestamps};
  JsonTextWriter writer;
  writer.BeginObject();
  const absl::Status body = json::WriteStructureMembers(*operation.output->shape, response.body, context, writer);
  if (absl::IsUnimplemented(body))
    return Protocol::ParseToClientJson(service, operation, response, options, retry_attempts);
  if (!body.ok()) return body;
  Value metadata = Value::object();
  if (const std::optional<std::string> id = json::ResponseHeader(response, "x-amzn-requestid")) {
    metadata["RequestId"] = *id;
  }
  AddHttpMetadata(response, metadata);
  metadata["RetryAttempts"] = retry_attempts;
  writer.Key("ResponseMetadata");
  writer.Write(metadata);
  writer.EndObject();
  return ClientReply{writer.Take(), false, ""};
}

}  // namespace awsd::protocols
