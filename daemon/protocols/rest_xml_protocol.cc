#include "daemon/protocols/rest_xml_protocol.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "daemon/protocols/event_stream.h"
#include "daemon/protocols/python_compat.h"
#include "daemon/protocols/rest_common.h"
#include "daemon/protocols/xml_body.h"
#include "daemon/protocols/xml_errors.h"

namespace awsd::protocols {
namespace {

using model::Location;
using model::Member;
using model::Shape;
using model::ShapeType;

bool IsRawPayload(const Member& member) {
  return member.shape->type == ShapeType::kBlob || member.shape->type == ShapeType::kString;
}

// The root element's name: botocore reads shape.serialization['name'], the
// locationName of the reference (or of the shape); the shape name stands in
// where a model has neither.
const std::string& RootName(const Member& member) {
  return member.traits.location_name.empty() ? member.shape->name : member.traits.location_name;
}

// handlers.py's _should_handle_200_error and _looks_like_special_case_error:
// an S3 200 whose body is an <Error> document, or not XML at all (a
// connection cut mid-body), is really a 500.
bool IsS3ErrorIn200(const model::ServiceModel& service, const model::Operation& operation,
                    const http::HttpResponse& response) {
  if (service.metadata().service_id != "S3" || response.status != 200 || response.body.empty()) return false;
  if (!operation.output || operation.has_event_stream_output()) return false;
  const Shape& output = *operation.output->shape;
  if (!output.payload.empty()) {
    const Member* payload = output.FindMember(output.payload);
    if (payload != nullptr && IsRawPayload(*payload)) return false;
  }
  absl::StatusOr<xml::Document> doc = xml::Document::Parse(response.body);
  if (!doc.ok()) return true;
  return std::string_view(doc->root().name()) == "Error" && !xml::HasDefaultNamespace(doc->root());
}

// handlers.py's escape_xml_payload, registered for these two S3 operations:
// line breaks in keys and prefixes would otherwise be normalised away when
// S3 parses the document. Runs before checksums, as the before-call hook does.
void EscapeLineBreaksForS3(const model::ServiceModel& service, const model::Operation& operation, std::string& body) {
  if (service.metadata().service_id != "S3" ||
      (operation.name != "DeleteObjects" && operation.name != "PutBucketLifecycleConfiguration")) {
    return;
  }
  body = absl::StrReplaceAll(body, {{"\r", "&#xD;"}, {"\n", "&#xA;"}});
}

// RestXMLParser._initial_body_parse then _parse_shape: an empty body is an
// empty element.
absl::StatusOr<Value> ReadBody(const Member& member, const std::string& body, const ParseOptions& options) {
  const xml::ShapeReader reader(options, xml::ErrorRoot::kErrorResponse);
  if (body.empty()) return reader.Read(member, pugi::xml_node());
  absl::StatusOr<xml::Document> doc = xml::Document::Parse(body);
  if (!doc.ok()) return doc.status();
  return reader.Read(member, doc->root());
}

}  // namespace

absl::StatusOr<SerializedRequest> RestXmlProtocol::Serialize(const model::ServiceModel& service,
                                                             const model::Operation& operation, const Value& params,
                                                             const SerializeOptions& options) const {
  const std::optional<Value> with_tokens = xml::WithIdempotencyTokens(operation, params, options);
  const Value& filled = with_tokens ? *with_tokens : params;
  SerializedRequest request;
  if (!operation.host_prefix.empty()) {
    absl::StatusOr<std::string> prefix = ExpandHostPrefix(operation, filled);
    if (!prefix.ok()) return prefix.status();
    request.host_prefix = *std::move(prefix);
  }
  if (absl::Status s = rest::SerializeLocations(operation, filled, request); !s.ok()) return s;
  if (!operation.input) return request;
  const Shape& shape = *operation.input->shape;

  if (!shape.payload.empty()) {
    const Member* payload = shape.FindMember(shape.payload);
    if (payload == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("payload member ", shape.payload, " not in model"));
    }
    const auto it = filled.find(shape.payload);
    const bool present = it != filled.end() && !it->is_null();
    if (!present) return request;  // an empty body, as botocore sends
    const bool raw = IsRawPayload(*payload);
    absl::StatusOr<std::string> body = raw ? xml::BlobBytes(*it) : xml::WriteBody(*payload, RootName(*payload), *it);
    if (!body.ok()) return body.status();
    request.body = *std::move(body);
    if (!raw) EscapeLineBreaksForS3(service, operation, request.body);
    return request;
  }

  // The body members the caller set, in the caller's order.
  Value body_params = Value::object();
  for (const auto& [name, value] : filled.items()) {
    if (value.is_null()) continue;
    const Member* member = shape.FindMember(name);
    if (member != nullptr && member->traits.location == Location::kBody) body_params[name] = value;
  }
  if (body_params.empty()) return request;
  absl::StatusOr<std::string> body = xml::WriteBody(*operation.input, RootName(*operation.input), body_params);
  if (!body.ok()) return body.status();
  request.body = *std::move(body);
  EscapeLineBreaksForS3(service, operation, request.body);
  return request;
}

absl::StatusOr<ParsedResponse> RestXmlProtocol::Parse(const model::ServiceModel& service,
                                                      const model::Operation& operation,
                                                      const http::HttpResponse& response,
                                                      const ParseOptions& options) const {
  ParsedResponse parsed;
  const bool error_in_200 = IsS3ErrorIn200(service, operation, response);
  const int status = error_in_200 ? 500 : response.status;

  if (xml::IsErrorStatus(status)) {
    parsed.is_error = true;
    // The S3 customisation rewrites the status before parsing, so the
    // error documents and HTTPStatusCode all see a 500.
    http::HttpResponse as_500;
    if (error_in_200) {
      as_500 = response;
      as_500.status = 500;
    }
    const http::HttpResponse& seen = error_in_200 ? as_500 : response;
    parsed.result = xml::IsGenericErrorResponse(seen) ? xml::GenericError(status) : xml::ParseRestXmlError(seen);
    xml::AddResponseMetadata(seen, parsed.result);
    parsed.error_code = xml::ErrorCode(parsed.result);
    // endpoint.py adds the modelled fields only when the HTTP status itself
    // is an error, so not for an S3 error inside a 200.
    const Shape* shape = error_in_200 ? nullptr : service.ErrorShapeForCode(parsed.error_code);
    if (shape == nullptr) return parsed;
    Value fields = Value::object();
    if (!rest::ParseLocations(*shape, response, options, fields).ok()) return parsed;
    absl::StatusOr<Value> body = ReadBody(xml::WholeShape(*shape), response.body, options);
    if (!body.ok() || !body->is_object()) return parsed;
    xml::MergeFields(*std::move(body), fields);
    xml::MergeFields(std::move(fields), parsed.result);
    return parsed;
  }

  parsed.result["ResponseMetadata"] = xml::RestResponseMetadata(response);
  if (operation.output) {
    const Shape& shape = *operation.output->shape;
    if (absl::Status s = rest::ParseLocations(shape, response, options, parsed.result); !s.ok()) return s;
    if (!shape.payload.empty()) {
      const Member* payload = shape.FindMember(shape.payload);
      if (payload == nullptr) {
        return absl::DataLossError(absl::StrCat("payload member ", shape.payload, " not in model"));
      }
      if (payload->shape->is_event_stream) {
        // RestXMLParser._parse_payload: the body is the stream; list(EventStream)
        // with each payload read by EventStreamXMLParser.
        absl::StatusOr<std::vector<event_stream::Message>> messages = event_stream::Decode(response.body);
        if (!messages.ok()) return messages.status();
        const event_stream::PayloadParser parse_payload =
            [&options](const Member& member, std::string_view bytes) -> absl::StatusOr<Value> {
          return ReadBody(member, std::string(bytes), options);
        };
        absl::StatusOr<Value> events =
            event_stream::ParseEvents(*payload->shape, *messages, 0, options, parse_payload, operation.name);
        if (!events.ok()) return events.status();
        parsed.result[payload->name] = *std::move(events);
      } else if (payload->shape->type == ShapeType::kBlob) {
        parsed.result[payload->name] =
            Value::binary(std::vector<std::uint8_t>(response.body.begin(), response.body.end()));
      } else if (payload->shape->type == ShapeType::kString) {
        if (!py::IsUtf8(response.body)) return absl::DataLossError("response body is not UTF-8");
        parsed.result[payload->name] = response.body;
      } else {
        absl::StatusOr<Value> body = ReadBody(*payload, response.body, options);
        if (!body.ok()) return body.status();
        parsed.result[payload->name] = *std::move(body);
      }
    } else {
      absl::StatusOr<Value> body = ReadBody(*operation.output, response.body, options);
      if (!body.ok()) return body.status();
      if (body->is_object()) xml::MergeFields(*std::move(body), parsed.result);
    }
  }
  xml::AddResponseMetadata(response, parsed.result);
  parsed.is_error = response.status >= 300;
  return parsed;
}

}  // namespace awsd::protocols
