#include "daemon/protocols/rpc_v2_cbor_protocol.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "daemon/encoding/cbor_decoder.h"
#include "daemon/encoding/cbor_encoder.h"
#include "daemon/http/http_status.h"
#include "daemon/protocols/cbor_body.h"

namespace awsd::protocols {
namespace {

using encoding::CborItem;

constexpr const char* kCbor = "application/cbor";
constexpr const char* kEventStream = "application/vnd.amazon.eventstream";

// botocore's generate_idempotent_uuid handler: top-level token members left
// out get a fresh token. nullopt when there is none to fill (no copy made).
std::optional<Value> WithIdempotencyTokens(const model::Shape& input, const Value& params,
                                           const SerializeOptions& options) {
  if (!options.idempotency_token || !(params.is_object() || params.is_null())) return std::nullopt;
  std::optional<Value> filled;
  for (const model::Member& member : input.members) {
    if (!member.traits.idempotency_token || (params.is_object() && params.contains(member.name))) continue;
    if (!filled) filled = params.is_null() ? Value::object() : params;
    (*filled)[member.name] = options.idempotency_token();
  }
  return filled;
}

// Response headers as botocore's parser sees them: names case-insensitive,
// repeats joined (the same view AddHttpMetadata gives HTTPHeaders).
std::optional<std::string> HeaderValue(const Value& http_headers, const std::string& lower_name) {
  const auto it = http_headers.find(lower_name);
  if (it == http_headers.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

Value ResponseMetadata(const http::HttpResponse& response, bool with_request_id) {
  Value http_metadata = Value::object();
  AddHttpMetadata(response, http_metadata);
  Value metadata = Value::object();
  if (with_request_id) {
    if (auto id = HeaderValue(http_metadata["HTTPHeaders"], "x-amzn-requestid")) metadata["RequestId"] = *id;
  }
  for (auto& [name, value] : http_metadata.items()) metadata[name] = std::move(value);
  return metadata;
}

// botocore's _do_generic_error_parse: what is left when the body says
// nothing usable.
ParsedResponse GenericError(const http::HttpResponse& response) {
  ParsedResponse parsed;
  parsed.is_error = true;
  parsed.error_code = std::to_string(response.status);
  parsed.result["Error"] = Value{{"Code", parsed.error_code}, {"Message", http::HttpReasonPhrase(response.status)}};
  parsed.result["ResponseMetadata"] = ResponseMetadata(response, /*with_request_id=*/false);
  return parsed;
}

// ResponseParser._is_generic_error_response: a 5xx whose body is empty or
// HTML (after Python's bytes.strip()).
bool IsGenericErrorResponse(const http::HttpResponse& response) {
  if (response.status < 500) return false;
  std::string_view body = response.body;
  const auto is_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
  };
  while (!body.empty() && is_space(body.front())) body.remove_prefix(1);
  while (!body.empty() && is_space(body.back())) body.remove_suffix(1);
  return body.empty() || body.starts_with("<html>");
}

// The body as botocore's decoder would return it (its first item: trailing
// bytes are ignored), or why it would not.
absl::StatusOr<CborItem> DecodeBody(const std::string& body) {
  absl::StatusOr<CborItem> item = encoding::DecodeCbor(cbor::BotocoreFirstItem(body));
  if (!item.ok()) {
    return absl::DataLossError(
        absl::StrCat("invalid smithy-rpc-v2-cbor response: ", std::string(item.status().message())));
  }
  if (absl::Status s = cbor::CheckBotocoreDecodable(*item); !s.ok()) return s;
  return item;
}

// "aws.protocoltests#Code:http://..." → "Code", as RpcV2CBORParser trims it.
std::string TrimErrorCode(std::string code) {
  code = code.substr(0, code.find(':'));
  const std::size_t hash = code.rfind('#');
  if (hash != std::string::npos) code = code.substr(hash + 1);
  return code;
}

// RpcV2CBORParser._do_error_parse, then the client's _add_modeled_error_fields.
ParsedResponse ParseError(const model::ServiceModel& service, const http::HttpResponse& response,
                          const ParseOptions& options) {
  if (IsGenericErrorResponse(response)) return GenericError(response);
  absl::StatusOr<CborItem> body = DecodeBody(response.body);
  if (!body.ok() || !body->IsMap()) return GenericError(response);

  Value message = "";
  const CborItem* message_item = cbor::FindEntry(*body, "message");
  if (message_item == nullptr) message_item = cbor::FindEntry(*body, "Message");
  if (message_item != nullptr) {
    absl::StatusOr<Value> converted = cbor::UntypedCborToValue(*message_item, options.timestamps);
    if (!converted.ok()) return GenericError(response);
    message = *std::move(converted);
  }

  std::string code = std::to_string(response.status);
  if (const CborItem* type = cbor::FindEntry(*body, "__type")) {
    if (!type->IsText()) return GenericError(response);  // botocore cannot trim a non-string
    code = type->string_value();
  }
  code = TrimErrorCode(std::move(code));

  ParsedResponse parsed;
  parsed.is_error = true;
  Value error = Value{{"Message", std::move(message)}, {"Code", ""}};
  Value metadata = ResponseMetadata(response, /*with_request_id=*/true);
  // _do_query_compatible_error_parse: "Code;Type" names the query error.
  if (auto query_error = HeaderValue(metadata["HTTPHeaders"], "x-amzn-query-error")) {
    const std::vector<std::string> parts = absl::StrSplit(*query_error, ';');
    if (parts.size() == 2 && !parts[0].empty()) {
      error["QueryErrorCode"] = code;
      error["Type"] = parts[1];
      code = parts[0];
    }
  }
  error["Code"] = code;
  parsed.error_code = code;
  parsed.result["Error"] = std::move(error);
  parsed.result["ResponseMetadata"] = std::move(metadata);

  if (const model::Shape* shape = service.ErrorShapeForCode(code)) {
    absl::StatusOr<Value> members = cbor::CborToResult(*body, *shape, options.timestamps);
    if (!members.ok()) return GenericError(response);
    // dict.update: a member named like Error or ResponseMetadata wins.
    for (auto& [name, value] : members->items()) parsed.result[name] = std::move(value);
  }
  return parsed;
}

}  // namespace

absl::StatusOr<SerializedRequest> RpcV2CborProtocol::Serialize(const model::ServiceModel& service,
                                                               const model::Operation& operation, const Value& params,
                                                               const SerializeOptions& options) const {
  const std::string& target_prefix = service.metadata().target_prefix;
  if (target_prefix.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the ", service.service_name(), " model has no targetPrefix for its smithy-rpc-v2-cbor paths"));
  }
  SerializedRequest request;
  request.method = "POST";  // botocore ignores the modelled http method here
  request.path = absl::StrCat("/service/", target_prefix, "/operation/", operation.name);

  if (operation.input && operation.input->shape != nullptr) {
    static const Value* const kNoParams = new Value(Value::object());
    const std::optional<Value> filled = WithIdempotencyTokens(*operation.input->shape, params, options);
    const Value& body_params = filled ? *filled : params.is_null() ? *kNoParams : params;
    absl::StatusOr<CborItem> body = cbor::ParamsToCbor(body_params, *operation.input->shape);
    if (!body.ok()) return body.status();
    request.body = encoding::EncodeCbor(*body);
  }

  if (!operation.host_prefix.empty()) {
    // With no input there are no labels to fill: botocore uses it as written.
    if (!operation.input) {
      request.host_prefix = operation.host_prefix;
    } else {
      absl::StatusOr<std::string> host_prefix = ExpandHostPrefix(operation, params);
      if (!host_prefix.ok()) return host_prefix.status();
      request.host_prefix = *std::move(host_prefix);
    }
  }

  request.SetHeader("smithy-protocol", "rpc-v2-cbor");
  if (service.metadata().aws_query_compatible) request.SetHeader("x-amzn-query-mode", "true");
  const char* media_type = operation.has_event_stream_output() ? kEventStream : kCbor;
  request.SetHeader("Accept", media_type);
  if (!request.body.empty()) request.SetHeader("Content-Type", media_type);
  return request;
}

absl::StatusOr<ParsedResponse> RpcV2CborProtocol::Parse(const model::ServiceModel& service,
                                                        const model::Operation& operation,
                                                        const http::HttpResponse& response,
                                                        const ParseOptions& options) const {
  // botocore treats 300 as a success too (its parser's error path starts at 301).
  if (response.status >= 301) return ParseError(service, response, options);

  ParsedResponse parsed;
  if (!operation.output || operation.output->shape == nullptr) {
    // No output shape: the body is never read, and no RequestId is added.
    parsed.result["ResponseMetadata"] = ResponseMetadata(response, /*with_request_id=*/false);
    return parsed;
  }
  if (operation.has_event_stream_output()) {
    return absl::UnimplementedError(
        absl::StrCat("event stream output (", operation.name, ") is not supported for smithy-rpc-v2-cbor"));
  }
  // botocore hands an empty body on as b'', which reads as {} for a shape
  // with no members and fails for any other; an empty map is what it means.
  CborItem body = CborItem::MapOf();
  if (!response.body.empty()) {
    absl::StatusOr<CborItem> decoded = DecodeBody(response.body);
    if (!decoded.ok()) return decoded.status();
    body = *std::move(decoded);
  }
  absl::StatusOr<Value> result = cbor::CborToResult(body, *operation.output->shape, options.timestamps);
  if (!result.ok()) return result.status();
  if (!result->is_object()) return absl::DataLossError("invalid smithy-rpc-v2-cbor response: output is not a map");
  parsed.result = *std::move(result);
  parsed.result["ResponseMetadata"] = ResponseMetadata(response, /*with_request_id=*/true);
  return parsed;
}

}  // namespace awsd::protocols
