#include "daemon/protocols/xml_errors.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "daemon/http/http_status.h"
#include "daemon/protocols/xml_body.h"

namespace awsd::protocols::xml {
namespace {

std::string HeaderOr(const http::HttpResponse& response, std::string_view name, std::string fallback) {
  const std::string* value = response.FindHeader(name);
  return value == nullptr ? std::move(fallback) : *value;
}

// utils.merge_dicts: nested dicts merge, anything else replaces. A dict
// meeting a non-dict is merged into it too: a no-op when empty (Python
// raises TypeError otherwise; replacing is the useful reading).
void MergeDicts(Value& into, const Value& from) {
  for (const auto& [key, value] : from.items()) {
    if (value.is_object() && into.contains(key)) {
      if (into[key].is_object()) {
        MergeDicts(into[key], value);
      } else if (!value.empty()) {
        into[key] = value;
      }
    } else {
      into[key] = value;
    }
  }
}

absl::StatusOr<Value> ParseRestXmlErrorBody(const http::HttpResponse& response) {
  absl::StatusOr<Document> doc = Document::Parse(response.body);
  if (!doc.ok()) return doc.status();
  absl::StatusOr<Value> parsed = NodesToDict(doc->root());
  if (!parsed.ok()) return parsed.status();
  // ElementTree's root.tag is "Error" only without a namespace.
  const pugi::xml_node root = doc->root();
  if (std::string_view(root.name()) == "Error" && !HasDefaultNamespace(root)) {
    // S3: the ids are in the headers too; botocore keeps only those.
    parsed->erase("RequestId");
    parsed->erase("HostId");
    Value out = Value::object();
    out["Error"] = *std::move(parsed);
    out["ResponseMetadata"] = RestResponseMetadata(response);
    return out;
  }
  if (parsed->contains("RequestId")) {
    Value request_id = std::move((*parsed)["RequestId"]);
    parsed->erase("RequestId");
    (*parsed)["ResponseMetadata"] = Value{{"RequestId", std::move(request_id)}};
  }
  Value out = {{"Error", {{"Message", ""}, {"Code", ""}}}};
  MergeDicts(out, *parsed);
  return out;
}

}  // namespace

bool IsGenericErrorResponse(const http::HttpResponse& response) {
  if (response.status < 500) return false;
  // bytes.strip(): ASCII whitespace only.
  std::string_view body = response.body;
  while (!body.empty() && absl::ascii_isspace(static_cast<unsigned char>(body.front()))) body.remove_prefix(1);
  while (!body.empty() && absl::ascii_isspace(static_cast<unsigned char>(body.back()))) body.remove_suffix(1);
  return body.empty() || body.substr(0, 6) == "<html>";
}

Value GenericError(int status) {
  Value out = Value::object();
  out["Error"] = Value{{"Code", std::to_string(status)}, {"Message", http::HttpReasonPhrase(status)}};
  out["ResponseMetadata"] = Value::object();
  return out;
}

absl::StatusOr<Value> ParseQueryError(std::string_view body, bool ec2) {
  absl::StatusOr<Document> doc = Document::Parse(body);
  if (!doc.ok()) return doc.status();
  absl::StatusOr<Value> parsed = NodesToDict(doc->root());
  if (!parsed.ok()) return parsed.status();
  if (parsed->contains("Errors")) {
    Value errors = std::move((*parsed)["Errors"]);
    parsed->erase("Errors");
    if (errors.is_object()) MergeFields(std::move(errors), *parsed);
  }
  for (const char* name : {"RequestId", "RequestID"}) {
    if (!parsed->contains(name) || (std::string_view(name) == "RequestID" && !ec2)) continue;
    Value request_id = std::move((*parsed)[name]);
    parsed->erase(name);
    (*parsed)["ResponseMetadata"] = Value{{"RequestId", std::move(request_id)}};
  }
  return parsed;
}

Value ParseRestXmlError(const http::HttpResponse& response) {
  if (!response.body.empty()) {
    absl::StatusOr<Value> parsed = ParseRestXmlErrorBody(response);
    if (parsed.ok()) return *std::move(parsed);
  }
  Value out = Value::object();
  out["Error"] = Value{{"Code", std::to_string(response.status)}, {"Message", http::HttpReasonPhrase(response.status)}};
  out["ResponseMetadata"] = Value{{"RequestId", HeaderOr(response, "x-amz-request-id", "")},
                                  {"HostId", HeaderOr(response, "x-amz-id-2", "")}};
  return out;
}

Value RestResponseMetadata(const http::HttpResponse& response) {
  Value metadata = Value::object();
  if (const std::string* id = response.FindHeader("x-amzn-requestid"); id != nullptr) {
    metadata["RequestId"] = *id;
  } else if (const std::string* s3_id = response.FindHeader("x-amz-request-id"); s3_id != nullptr) {
    metadata["RequestId"] = *s3_id;
    metadata["HostId"] = HeaderOr(response, "x-amz-id-2", "");
  }
  return metadata;
}

std::string ErrorCode(const Value& result) {
  const auto error = result.find("Error");
  if (error == result.end() || !error->is_object()) return "";
  const auto code = error->find("Code");
  return code != error->end() && code->is_string() ? code->get<std::string>() : "";
}

void AddResponseMetadata(const http::HttpResponse& response, Value& result) {
  Value& metadata = result["ResponseMetadata"];
  if (!metadata.is_object()) metadata = Value::object();
  AddHttpMetadata(response, metadata);
}

void MergeFields(Value fields, Value& result) {
  for (auto& [key, value] : fields.items()) result[key] = std::move(value);
}

}  // namespace awsd::protocols::xml
