#include "daemon/protocols/query_protocol.h"

#include <optional>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "daemon/protocols/python_compat.h"
#include "daemon/protocols/xml_errors.h"

namespace awsd::protocols {
namespace {

using model::Member;
using model::Shape;
using model::ShapeType;

// quote_plus(safe=''): unreserved bytes as they are, space as '+'.
void AppendQuotePlus(std::string_view text, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (absl::ascii_isalnum(byte) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    }
  }
}

std::string Join(const std::string& prefix, const std::string& name) {
  return prefix.empty() ? name : absl::StrCat(prefix, ".", name);
}

absl::Status WrongType(const std::string& prefix, const char* expected) {
  return absl::InvalidArgumentError(absl::StrCat("parameter ", prefix, " must be ", expected));
}

}  // namespace

void FormParams::Set(const std::string& name, std::string value) {
  for (auto& [existing, old] : pairs_) {
    if (existing == name) {
      old = std::move(value);
      return;
    }
  }
  pairs_.emplace_back(name, std::move(value));
}

std::string FormParams::Encode() const {
  std::string out;
  for (const auto& [name, value] : pairs_) {
    if (!out.empty()) out += '&';
    AppendQuotePlus(name, out);
    out += '=';
    AppendQuotePlus(value, out);
  }
  return out;
}

absl::StatusOr<SerializedRequest> QueryProtocol::Serialize(const model::ServiceModel& service,
                                                           const model::Operation& operation, const Value& params,
                                                           const SerializeOptions& options) const {
  SerializedRequest request;
  request.method = operation.http_method;
  request.SetHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  FormParams form;
  form.Set("Action", operation.name);
  form.Set("Version", service.metadata().api_version);
  const std::optional<Value> with_tokens = xml::WithIdempotencyTokens(operation, params, options);
  const Value& filled = with_tokens ? *with_tokens : params;
  if (operation.input) {
    if (!filled.is_object()) return absl::InvalidArgumentError("parameters must be an object");
    if (absl::Status s = SerializeValue(form, filled, *operation.input, "", 0); !s.ok()) return s;
  }
  request.body = form.Encode();
  if (!operation.host_prefix.empty()) {
    absl::StatusOr<std::string> prefix = ExpandHostPrefix(operation, filled);
    if (!prefix.ok()) return prefix.status();
    request.host_prefix = *std::move(prefix);
  }
  return request;
}

std::string QueryProtocol::SerializedName(const Member& member, const std::string& default_name) const {
  return member.traits.location_name.empty() ? default_name : member.traits.location_name;
}

absl::Status QueryProtocol::SerializeValue(FormParams& form, const Value& value, const Member& member,
                                           const std::string& prefix, int depth) const {
  if (depth > xml::kMaxDepth) return absl::InvalidArgumentError("parameters nested too deeply");
  // A None would go out as "None"; the validator refuses it first, and a
  // null from a JSON caller means "not set".
  if (value.is_null()) return absl::OkStatus();
  absl::StatusOr<std::string> text;
  switch (member.shape->type) {
    case ShapeType::kStructure:
      return SerializeStructure(form, value, member, prefix, depth);
    case ShapeType::kList:
      return SerializeList(form, value, member, prefix, depth);
    case ShapeType::kMap:
      return SerializeMap(form, value, member, prefix, depth);
    case ShapeType::kBlob: {
      absl::StatusOr<std::string> bytes = xml::BlobBytes(value);
      if (!bytes.ok()) return bytes.status();
      text = py::B64Encode(*bytes);
      break;
    }
    case ShapeType::kTimestamp:
      text = xml::TimestampText(value, member.traits.timestamp_format);
      break;
    case ShapeType::kBoolean:
      text = std::string(xml::Truthy(value) ? "true" : "false");
      break;
    case ShapeType::kFloat:
    case ShapeType::kDouble:
      text = xml::FloatText(value);
      break;
    default:
      text = xml::ScalarStr(value);
      break;
  }
  if (!text.ok()) return absl::InvalidArgumentError(absl::StrCat("parameter ", prefix, ": ", text.status().message()));
  form.Set(prefix, *std::move(text));
  return absl::OkStatus();
}

absl::Status QueryProtocol::SerializeStructure(FormParams& form, const Value& value, const Member& member,
                                               const std::string& prefix, int depth) const {
  if (!value.is_object()) return WrongType(prefix, "an object");
  for (const auto& [key, item] : value.items()) {
    const Member* child = member.shape->FindMember(key);
    if (child == nullptr) return absl::InvalidArgumentError(absl::StrCat("unknown parameter ", Join(prefix, key)));
    if (absl::Status s = SerializeValue(form, item, *child, Join(prefix, SerializedName(*child, key)), depth + 1);
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status QueryProtocol::SerializeList(FormParams& form, const Value& value, const Member& member,
                                          const std::string& prefix, int depth) const {
  if (!value.is_array()) return WrongType(prefix, "a list");
  if (value.empty()) {
    form.Set(prefix, "");
    return absl::OkStatus();
  }
  const Member& element = member.shape->member;
  std::string list_prefix;
  if (member.traits.flattened) {
    list_prefix = prefix;
    if (!element.traits.location_name.empty()) {
      // "Outer.Original" becomes "Outer.<element name>".
      const std::size_t dot = prefix.rfind('.');
      list_prefix = dot == std::string::npos ? SerializedName(element, "")
                                             : Join(prefix.substr(0, dot), SerializedName(element, ""));
    }
  } else {
    list_prefix = Join(prefix, element.traits.location_name.empty() ? "member" : element.traits.location_name);
  }
  int i = 0;
  for (const Value& item : value) {
    if (absl::Status s = SerializeValue(form, item, element, absl::StrCat(list_prefix, ".", ++i), depth + 1); !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status QueryProtocol::SerializeMap(FormParams& form, const Value& value, const Member& member,
                                         const std::string& prefix, int depth) const {
  if (!value.is_object()) return WrongType(prefix, "a map");
  const Shape& shape = *member.shape;
  const std::string full_prefix = member.traits.flattened ? prefix : Join(prefix, "entry");
  const std::string key_suffix = SerializedName(shape.key, "key");
  const std::string value_suffix = SerializedName(shape.value, "value");
  int i = 0;
  for (const auto& [key, item] : value.items()) {
    const std::string entry = absl::StrCat(full_prefix, ".", ++i, ".");
    if (absl::Status s = SerializeValue(form, Value(key), shape.key, entry + key_suffix, depth + 1); !s.ok()) return s;
    if (absl::Status s = SerializeValue(form, item, shape.value, entry + value_suffix, depth + 1); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<ParsedResponse> QueryProtocol::Parse(const model::ServiceModel& service,
                                                    const model::Operation& operation,
                                                    const http::HttpResponse& response,
                                                    const ParseOptions& options) const {
  if (xml::IsErrorStatus(response.status)) return ParseError(service, response, options);
  return ParseSuccess(operation, response, options);
}

absl::StatusOr<ParsedResponse> QueryProtocol::ParseSuccess(const model::Operation& operation,
                                                           const http::HttpResponse& response,
                                                           const ParseOptions& options) const {
  absl::StatusOr<xml::Document> doc = xml::Document::Parse(response.body);
  if (!doc.ok()) return doc.status();
  const pugi::xml_node root = doc->root();
  ParsedResponse parsed;
  if (operation.output) {
    const xml::ShapeReader reader(options, is_ec2() ? xml::ErrorRoot::kEc2Errors : xml::ErrorRoot::kErrorResponse);
    absl::StatusOr<Value> result;
    if (operation.result_wrapper.empty()) {
      result = reader.Read(*operation.output, root);
    } else {
      const xml::ChildIndex index(root);
      const xml::Nodes* wrapped = index.Find(operation.result_wrapper);
      if (wrapped == nullptr) {
        return absl::DataLossError(absl::StrCat("Unable to parse response: no <", operation.result_wrapper, "> under <",
                                                std::string(root.name()), ">"));
      }
      result = reader.Read(*operation.output, *wrapped);
    }
    if (!result.ok()) return result.status();
    parsed.result = *std::move(result);
  }
  if (absl::Status s = InjectResponseMetadata(root, parsed.result); !s.ok()) return s;
  xml::AddResponseMetadata(response, parsed.result);
  // 300 is parsed as a success but still raised by the client.
  parsed.is_error = response.status >= 300;
  return parsed;
}

absl::Status QueryProtocol::InjectResponseMetadata(pugi::xml_node root, Value& result) const {
  const xml::ChildIndex children(root);
  const xml::Nodes* metadata = children.Find("ResponseMetadata");
  if (metadata == nullptr) return absl::OkStatus();
  Value out = Value::object();
  const xml::ChildIndex fields(metadata->first());
  for (const auto& [name, nodes] : fields.entries()) {
    absl::StatusOr<std::string> text = xml::Text(nodes.first());
    if (!text.ok()) return text.status();
    out[std::string(name)] = text->empty() ? Value() : Value(*std::move(text));
  }
  result["ResponseMetadata"] = std::move(out);
  return absl::OkStatus();
}

ParsedResponse QueryProtocol::ParseError(const model::ServiceModel& service, const http::HttpResponse& response,
                                         const ParseOptions& options) const {
  ParsedResponse parsed;
  parsed.is_error = true;
  absl::StatusOr<Value> error = xml::IsGenericErrorResponse(response)
                                    ? absl::StatusOr<Value>(absl::DataLossError("generic error"))
                                    : xml::ParseQueryError(response.body, is_ec2());
  // botocore raises ResponseParserError on an error body that is not XML;
  // the status and its reason phrase are the more useful answer.
  const bool body_parsed = error.ok();
  parsed.result = body_parsed ? *std::move(error) : xml::GenericError(response.status);
  xml::AddResponseMetadata(response, parsed.result);
  parsed.error_code = xml::ErrorCode(parsed.result);
  const Shape* shape = body_parsed ? service.ErrorShapeForCode(parsed.error_code) : nullptr;
  if (shape == nullptr) return parsed;
  // endpoint.py's _add_modeled_error_fields: the error shape's members, read
  // from the error element, laid over the result. A body that does not fit
  // the shape leaves the generic fields alone.
  absl::StatusOr<xml::Document> doc = xml::Document::Parse(response.body);
  if (!doc.ok()) return parsed;
  const xml::ShapeReader reader(options, is_ec2() ? xml::ErrorRoot::kEc2Errors : xml::ErrorRoot::kErrorResponse);
  absl::StatusOr<Value> modeled = reader.Read(xml::WholeShape(*shape), doc->root());
  if (modeled.ok() && modeled->is_object()) xml::MergeFields(*std::move(modeled), parsed.result);
  return parsed;
}

}  // namespace awsd::protocols
