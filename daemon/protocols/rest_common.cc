#include "daemon/protocols/rest_common.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "daemon/protocols/json_body.h"
#include "daemon/protocols/python_compat.h"
#include "daemon/signing/uri_encoding.h"

namespace awsd::protocols::rest {
namespace {

using model::Location;
using model::Member;
using model::Shape;
using model::ShapeType;

std::string LowerFormat(const model::Traits& traits, const char* fallback) {
  return traits.timestamp_format.empty() ? fallback : absl::AsciiStrToLower(traits.timestamp_format);
}

absl::StatusOr<std::string> FormatTimestamp(Timestamp t, const std::string& format) {
  if (format == "iso8601") return FormatIso8601(t);
  if (format == "rfc822") return FormatRfc822(t);
  if (format == "unixtimestamp") return py::Str(FormatEpochSeconds(t));
  return absl::InvalidArgumentError(absl::StrCat("unknown timestampFormat '", format, "'"));
}

// botocore's _get_uri_and_query_string_value: the text of a URI label or a
// query value, before percent-encoding.
absl::StatusOr<std::string> UriValue(const Shape& shape, const model::Traits& traits, const Value& value,
                                     const std::string& name) {
  switch (shape.type) {
    case ShapeType::kBoolean:
      return absl::AsciiStrToLower(py::Str(value));
    case ShapeType::kTimestamp: {
      absl::StatusOr<Timestamp> t = TimestampFromJson(value);
      if (!t.ok())
        return absl::InvalidArgumentError(absl::StrCat("Invalid timestamp for ", name, ": ", t.status().message()));
      return FormatTimestamp(*t, LowerFormat(traits, "iso8601"));
    }
    case ShapeType::kFloat:
    case ShapeType::kDouble:
      if (value.is_number()) return py::FloatStr(value.get<double>());
      return py::Str(value);
    default:
      return py::Str(value);
  }
}

// botocore's _escape_header_list_string.
std::string EscapeHeaderListString(const std::string& value) {
  if (value.find('"') == std::string::npos && value.find(',') == std::string::npos) return value;
  return absl::StrCat("\"", absl::StrReplaceAll(value, {{"\"", "\\\""}}), "\"");
}

bool IsJsonValueHeader(const Shape& shape, const model::Traits& traits) {
  return traits.jsonvalue && traits.location == Location::kHeader && shape.type == ShapeType::kString;
}

// botocore's _convert_header_value.
absl::StatusOr<std::string> HeaderValue(const Shape& shape, const model::Traits& traits, const Value& value,
                                        const std::string& name) {
  switch (shape.type) {
    case ShapeType::kTimestamp: {
      absl::StatusOr<Timestamp> t = TimestampFromJson(value);
      if (!t.ok())
        return absl::InvalidArgumentError(absl::StrCat("Invalid timestamp for ", name, ": ", t.status().message()));
      // botocore goes through calendar.timegm first: headers carry whole seconds.
      const Timestamp whole{t->seconds() * 1'000'000};
      return FormatTimestamp(whole, LowerFormat(traits, "rfc822"));
    }
    case ShapeType::kList: {
      if (!value.is_array())
        return absl::InvalidArgumentError(absl::StrCat("Invalid type for parameter ", name, ": expected a list"));
      std::vector<std::string> parts;
      for (const Value& item : value) {
        if (item.is_null()) continue;
        if (shape.member.shape->type == ShapeType::kString) {
          parts.push_back(EscapeHeaderListString(py::Str(item)));
        } else {
          absl::StatusOr<std::string> part = HeaderValue(*shape.member.shape, shape.member.traits, item, name);
          if (!part.ok()) return part.status();
          parts.push_back(*std::move(part));
        }
      }
      return absl::StrJoin(parts, ",");
    }
    case ShapeType::kBoolean:
      return absl::AsciiStrToLower(py::Str(value));
    case ShapeType::kFloat:
    case ShapeType::kDouble:
      if (value.is_number()) return py::FloatStr(value.get<double>());
      return py::Str(value);
    default:
      if (IsJsonValueHeader(shape, traits)) return py::B64Encode(json::Dumps(value, /*compact=*/true));
      return py::Str(value);
  }
}

// A Python dict of query parameters: a repeated name replaces the value in
// its first place; a list value repeats the name on the wire.
class QueryDict {
 public:
  void Set(const std::string& name, std::vector<std::string> values) {
    for (auto& entry : entries_) {
      if (entry.first == name) {
        entry.second = std::move(values);
        return;
      }
    }
    entries_.emplace_back(name, std::move(values));
  }
  void AppendTo(std::vector<std::pair<std::string, std::string>>& query) const {
    for (const auto& [name, values] : entries_) {
      for (const std::string& value : values) query.emplace_back(name, value);
    }
  }

 private:
  std::vector<std::pair<std::string, std::vector<std::string>>> entries_;
};

absl::StatusOr<std::string> RenderUri(const std::string& uri_template,
                                      const std::vector<std::pair<std::string, std::string>>& labels) {
  return FillTemplate(uri_template, "requestUri", [&labels](std::string label, std::string& out) {
    const bool greedy = absl::EndsWith(label, "+");
    if (greedy) label.pop_back();
    const std::string* value = nullptr;
    for (const auto& [name, text] : labels) {
      if (name == label) value = &text;
    }
    if (value == nullptr || value->empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("Parameter ", label, " is required in the request URI and must not be empty"));
    }
    signing::AppendUriEncoded(*value, /*keep_slash=*/greedy, &out);
    return absl::OkStatus();
  });
}

// Response headers as botocore's HTTPHeaders sees them: one entry per name
// (case-insensitive, first spelling kept), repeats joined with ", ".
std::vector<http::Header> MergedHeaders(const http::HttpResponse& response) {
  std::vector<http::Header> merged;
  for (const http::Header& header : response.headers) {
    bool found = false;
    for (http::Header& entry : merged) {
      if (absl::EqualsIgnoreCase(entry.name, header.name)) {
        absl::StrAppend(&entry.value, ", ", header.value);
        found = true;
        break;
      }
    }
    if (!found) merged.push_back(header);
  }
  return merged;
}

absl::Status BadHeader(const std::string& header, absl::string_view why) {
  return absl::DataLossError(absl::StrCat("invalid value in response header ", header, ": ", why));
}

// BaseRestParser._parse_shape on a header's text.
absl::StatusOr<Value> HeaderScalar(const Shape& shape, const model::Traits& traits, const std::string& text,
                                   const ParseOptions& options, const std::string& header) {
  switch (shape.type) {
    case ShapeType::kString: {
      if (!IsJsonValueHeader(shape, traits)) return Value(text);
      absl::StatusOr<std::string> decoded = py::B64Decode(text);
      if (!decoded.ok()) return BadHeader(header, decoded.status().message());
      absl::StatusOr<Value> parsed = json::Loads(*decoded);
      if (!parsed.ok()) return BadHeader(header, parsed.status().message());
      return parsed;
    }
    case ShapeType::kList: {
      Value out = Value::array();
      std::size_t start = 0;
      while (true) {
        const std::size_t comma = text.find(',', start);
        const std::string item(absl::StripAsciiWhitespace(text.substr(start, comma - start)));
        absl::StatusOr<Value> v = HeaderScalar(*shape.member.shape, shape.member.traits, item, options, header);
        if (!v.ok()) return v.status();
        out.push_back(*std::move(v));
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
      return out;
    }
    case ShapeType::kInteger:
    case ShapeType::kLong: {
      absl::StatusOr<Value> v = py::ParseInt(text);
      if (!v.ok()) return BadHeader(header, v.status().message());
      return v;
    }
    case ShapeType::kFloat:
    case ShapeType::kDouble: {
      absl::StatusOr<double> v = py::ParseFloat(text);
      if (!v.ok()) return BadHeader(header, v.status().message());
      return Value(*v);
    }
    case ShapeType::kBoolean:
      return Value(absl::AsciiStrToLower(text) == "true");
    case ShapeType::kTimestamp: {
      absl::StatusOr<Timestamp> t = ParseTimestamp(text);
      if (!t.ok()) return BadHeader(header, t.status().message());
      return TimestampResult(*t, Value(text), options.timestamps);
    }
    case ShapeType::kBlob: {
      absl::StatusOr<std::string> bytes = py::B64Decode(text);
      if (!bytes.ok()) return BadHeader(header, bytes.status().message());
      return Value::binary(std::vector<std::uint8_t>(bytes->begin(), bytes->end()));
    }
    default:
      return Value(text);
  }
}

}  // namespace

absl::Status SerializeLocations(const model::Operation& operation, const Value& params, SerializedRequest& request) {
  request.method = operation.http_method;
  request.query.clear();
  if (!operation.input) {
    request.path = operation.request_uri;
    return absl::OkStatus();
  }
  if (!params.is_object()) return absl::InvalidArgumentError("parameters must be an object");
  const Shape& shape = *operation.input->shape;
  std::vector<std::pair<std::string, std::string>> labels;
  QueryDict query;
  for (auto it = params.begin(); it != params.end(); ++it) {
    const Value& value = it.value();
    if (value.is_null()) continue;  // botocore never serialises None
    const Member* member = shape.FindMember(it.key());
    if (member == nullptr) continue;  // the validator reports unknown parameters
    const std::string& name = member->wire_name();
    switch (member->traits.location) {
      case Location::kUri: {
        absl::StatusOr<std::string> text = UriValue(*member->shape, member->traits, value, it.key());
        if (!text.ok()) return text.status();
        labels.emplace_back(name, *std::move(text));
        break;
      }
      case Location::kQueryString:
        if (value.is_object()) {
          // A map member: its entries become parameters of their own.
          for (auto entry = value.begin(); entry != value.end(); ++entry) {
            std::vector<std::string> values;
            if (entry.value().is_array()) {
              for (const Value& item : entry.value()) values.push_back(py::Str(item));
            } else {
              values.push_back(py::Str(entry.value()));
            }
            query.Set(entry.key(), std::move(values));
          }
        } else if (member->shape->type == ShapeType::kList) {
          if (!value.is_array()) return absl::InvalidArgumentError("Invalid type for parameter " + it.key());
          std::vector<std::string> values;
          for (const Value& item : value) {
            absl::StatusOr<std::string> text =
                UriValue(*member->shape->member.shape, member->shape->member.traits, item, it.key());
            if (!text.ok()) return text.status();
            values.push_back(*std::move(text));
          }
          query.Set(name, std::move(values));
        } else {
          absl::StatusOr<std::string> text = UriValue(*member->shape, member->traits, value, it.key());
          if (!text.ok()) return text.status();
          query.Set(name, {*std::move(text)});
        }
        break;
      case Location::kHeader: {
        if (member->shape->type == ShapeType::kList && value.is_array() && value.empty()) break;
        absl::StatusOr<std::string> text = HeaderValue(*member->shape, member->traits, value, it.key());
        if (!text.ok()) return text.status();
        request.SetHeader(name, *std::move(text));
        break;
      }
      case Location::kHeaders:
        if (!value.is_object()) return absl::InvalidArgumentError("Invalid type for parameter " + it.key());
        for (auto entry = value.begin(); entry != value.end(); ++entry) {
          request.SetHeader(name + entry.key(), py::Str(entry.value()));
        }
        break;
      default:
        break;  // the body: the caller's
    }
  }
  absl::StatusOr<std::string> path = RenderUri(operation.request_uri, labels);
  if (!path.ok()) return path.status();
  request.path = *std::move(path);
  query.AppendTo(request.query);
  return absl::OkStatus();
}

bool HasBodyMembers(const model::Shape& shape) {
  for (const Member& member : shape.members) {
    if (member.traits.location == Location::kBody) return true;
  }
  return false;
}

absl::Status ParseLocations(const model::Shape& shape, const http::HttpResponse& response, const ParseOptions& options,
                            Value& result) {
  std::vector<http::Header> headers;
  bool merged = false;
  for (const Member& member : shape.members) {
    const Location location = member.traits.location;
    if (location == Location::kBody || location == Location::kUri || location == Location::kQueryString) continue;
    if (!merged) {
      headers = MergedHeaders(response);
      merged = true;
    }
    if (location == Location::kStatusCode) {
      result[member.name] = response.status;
    } else if (location == Location::kHeaders) {
      // Always present, empty when nothing matches, as botocore does.
      const std::string prefix = absl::AsciiStrToLower(member.traits.location_name);
      Value map = Value::object();
      for (const http::Header& header : headers) {
        if (absl::StartsWith(absl::AsciiStrToLower(header.name), prefix)) {
          map[header.name.substr(prefix.size())] = header.value;
        }
      }
      result[member.name] = std::move(map);
    } else {
      const std::string& name = member.wire_name();
      for (const http::Header& header : headers) {
        if (!absl::EqualsIgnoreCase(header.name, name)) continue;
        absl::StatusOr<Value> v = HeaderScalar(*member.shape, member.traits, header.value, options, name);
        if (!v.ok()) return v.status();
        result[member.name] = *std::move(v);
        break;
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace awsd::protocols::rest
