#include "daemon/protocols/json_errors.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "daemon/http/http_status.h"
#include "daemon/protocols/python_compat.h"

namespace awsd::protocols::json {
namespace {

bool IsPyBytesSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

// ResponseParser._is_generic_error_response: a 5xx with an empty or HTML body
// (a proxy's page, not the service's).
bool IsGenericErrorResponse(const http::HttpResponse& response) {
  if (response.status < 500) return false;
  std::string_view body = response.body;
  while (!body.empty() && IsPyBytesSpace(body.front())) body.remove_prefix(1);
  while (!body.empty() && IsPyBytesSpace(body.back())) body.remove_suffix(1);
  return body.empty() || body.substr(0, 6) == "<html>";
}

// "aws.protocoltests.restjson#FooError:http://internal.amazon.com/..." → "FooError".
std::string StripCode(std::string code) {
  if (const std::size_t colon = code.find(':'); colon != std::string::npos) code.resize(colon);
  if (const std::size_t hash = code.rfind('#'); hash != std::string::npos) code.erase(0, hash + 1);
  return code;
}

const Value* Get(const Value& object, const char* key) {
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

// BaseJSONParser._do_error_parse, plus RestJSONParser._inject_error_code
// for rest-json.
Value ErrorEnvelope(const http::HttpResponse& response, const Value& body, Dialect dialect) {
  Value error = {{"Message", ""}, {"Code", ""}};
  if (const Value* message = Get(body, "message")) {
    error["Message"] = *message;
  } else if (const Value* upper = Get(body, "Message")) {
    error["Message"] = *upper;
  }
  // botocore would fail on a non-string __type; the status is the better fallback.
  Value code = std::to_string(response.status);
  if (const Value* type = Get(body, "__type"); type != nullptr && (type->is_string() || type->is_null())) code = *type;
  if (code.is_string()) {
    std::string text = StripCode(code.get<std::string>());
    if (const std::optional<std::string> query_error = ResponseHeader(response, "x-amzn-query-error")) {
      // awsQueryCompatible: "<query code>;<Sender|Receiver>".
      const std::vector<std::string> parts = absl::StrSplit(*query_error, ';');
      if (parts.size() == 2 && !parts[0].empty()) {
        error["QueryErrorCode"] = text;
        error["Type"] = parts[1];
        text = parts[0];
      }
    }
    error["Code"] = text;
  }
  Value metadata = Value::object();
  if (const std::optional<std::string> id = ResponseHeader(response, "x-amzn-requestid")) metadata["RequestId"] = *id;

  if (dialect == Dialect::kRestJson) {
    Value rest_code;  // None
    if (const std::optional<std::string> type = ResponseHeader(response, "x-amzn-errortype")) {
      rest_code = *type;
    } else if (const Value* lower = Get(body, "code")) {
      rest_code = *lower;
    } else if (const Value* upper = Get(body, "Code")) {
      rest_code = *upper;
    }
    if (rest_code.is_string()) {
      error["Code"] = StripCode(rest_code.get<std::string>());
    } else if (!rest_code.is_null()) {
      error["Code"] = rest_code;
    }
  }
  return Value{{"Error", std::move(error)}, {"ResponseMetadata", std::move(metadata)}};
}

}  // namespace

std::optional<std::string> ResponseHeader(const http::HttpResponse& response, std::string_view name) {
  std::optional<std::string> value;
  for (const http::Header& header : response.headers) {
    if (!absl::EqualsIgnoreCase(header.name, std::string(name))) continue;
    if (value) {
      *value += ", ";
      *value += header.value;
    } else {
      value = header.value;
    }
  }
  return value;
}

std::optional<Value> ErrorBodyObject(const http::HttpResponse& response) {
  if (response.body.empty()) return Value::object();
  if (!py::IsUtf8(response.body)) return std::nullopt;
  absl::StatusOr<Value> parsed = Loads(response.body);
  if (parsed.ok() && parsed->is_object()) return *std::move(parsed);
  return Value{{"message", response.body}};
}

ParsedResponse ParseErrorResponse(const model::ServiceModel& service, const http::HttpResponse& response,
                                  Dialect dialect, const ModeledErrorParser& modeled) {
  ParsedResponse parsed;
  parsed.is_error = true;
  std::optional<Value> body;
  if (!IsGenericErrorResponse(response)) body = ErrorBodyObject(response);
  if (body) {
    parsed.result = ErrorEnvelope(response, *body, dialect);
  } else {
    parsed.result = Value{
        {"Error", {{"Code", std::to_string(response.status)}, {"Message", http::HttpReasonPhrase(response.status)}}},
        {"ResponseMetadata", Value::object()}};
  }
  AddHttpMetadata(response, parsed.result["ResponseMetadata"]);
  const Value& code = parsed.result["Error"]["Code"];
  parsed.error_code = code.is_string() ? code.get<std::string>() : py::Str(code);
  if (!body || !code.is_string() || !modeled) return parsed;
  const model::Shape* shape = service.ErrorShapeForCode(parsed.error_code);
  if (shape == nullptr) return parsed;
  absl::StatusOr<Value> members = modeled(*shape, response);
  if (!members.ok() || !members->is_object()) return parsed;  // the error stands without its extras
  for (auto it = members->begin(); it != members->end(); ++it) parsed.result[it.key()] = it.value();
  return parsed;
}

}  // namespace awsd::protocols::json
