#include "daemon/endpoints/standard_functions.h"

#include <optional>

#include "absl/status/statusor.h"
#include "daemon/endpoints/arn.h"
#include "daemon/endpoints/rule_set_compiler.h"
#include "daemon/endpoints/url_parsing.h"

namespace awsd::endpoints {
namespace {

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// len() of a Python str holding this UTF-8 text.
size_t CodePointCount(std::string_view text) {
  size_t count = 0;
  for (char c : text) count += IsContinuationByte(c) ? 0 : 1;
  return count;
}

// The byte offset of code point `index` (or text.size()).
size_t CodePointOffset(std::string_view text, size_t index) {
  size_t offset = 0;
  while (offset < text.size() && index > 0) {
    ++offset;
    while (offset < text.size() && IsContinuationByte(text[offset])) ++offset;
    --index;
  }
  return offset;
}

bool IsAscii(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// VALID_HOST_LABEL_RE = r"^(?!-)[a-zA-Z\d-]{1,63}(?<!-)$".
bool IsSingleHostLabel(std::string_view label) {
  if (!label.empty() && label.back() == '\n') label.remove_suffix(1);
  if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
  for (char c : label) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

// Python's value[start:stop] bounds for a sequence of `length`.
void PythonSlice(int64_t length, int64_t* start, int64_t* stop) {
  const auto clamp = [length](int64_t i) {
    if (i < 0) i += length;
    if (i < 0) return int64_t{0};
    return i > length ? length : i;
  };
  *start = clamp(*start);
  *stop = clamp(*stop);
  if (*stop < *start) *stop = *start;
}

std::string TypeError(std::string_view function, const Value& value) {
  return std::string(function) + ": unsupported argument of type " + std::string(PythonTypeName(value));
}

bool GetAttr(const Value& start, const AttrPath& path, const FunctionContext& context, Value* out, std::string* error) {
  Value current = start;
  for (const AttrStep& step : path) {
    if (step.has_index) {
      if (!step.name.empty()) {
        if (current.kind != Value::Kind::kRecord) {
          *error = "getAttr: cannot read \"" + std::string(step.name) + "\" of " + std::string(PythonTypeName(current));
          return false;
        }
        const Value* field = current.Find(step.name);
        current = field == nullptr ? Value::None() : *field;
      }
      if (current.is_none()) {
        *out = Value::None();
        return true;
      }
      if (current.kind == Value::Kind::kArray) {
        *out = step.index < current.size ? current.items[step.index] : Value::None();
        return true;
      }
      if (current.kind == Value::Kind::kString) {
        const size_t length = CodePointCount(current.str());
        if (step.index >= length) {
          *out = Value::None();
          return true;
        }
        const size_t begin = CodePointOffset(current.str(), step.index);
        const size_t end = CodePointOffset(current.str(), step.index + 1);
        *out = Value::String(current.str().substr(begin, end - begin));
        return true;
      }
      *error = "getAttr: cannot index " + std::string(PythonTypeName(current));
      return false;
    }
    if (current.kind != Value::Kind::kRecord) {
      *error = "getAttr: cannot read \"" + std::string(step.name) + "\" of " + std::string(PythonTypeName(current));
      return false;
    }
    const Value* field = current.Find(step.name);
    if (field == nullptr) {
      *error = "getAttr: no attribute \"" + std::string(step.name) + "\"";
      return false;
    }
    current = *field;
  }
  *out = current;
  return true;
}

bool ParseUrl(const Value& value, const FunctionContext& context, Value* out, std::string* error) {
  if (value.is_none()) {
    *out = Value::None();
    return true;
  }
  if (!value.is_string()) {
    *error = TypeError("parseURL", value);
    return false;
  }
  absl::StatusOr<PythonUrl> url = PythonUrlParse(value.str());
  if (!url.ok()) {
    *error = "parseURL: " + std::string(url.status().message());
    return false;
  }
  // botocore reads .port only to see whether it raises.
  if (!PythonUrlPort(url->netloc).ok() || (url->scheme != "https" && url->scheme != "http") || !url->query.empty()) {
    *out = Value::None();
    return true;
  }
  // is_valid_ipv4_endpoint_url runs re.match on the hostname, which raises
  // TypeError when there is none.
  const std::optional<std::string> hostname = PythonUrlHostname(url->netloc);
  if (!hostname.has_value()) {
    *error = "parseURL: the URL \"" + std::string(value.str()) + "\" has no host";
    return false;
  }
  const bool is_ip = MatchesIpv4Pattern(*hostname) || IsValidIpv6EndpointUrl(value.str());
  std::string normalized = PercentEncode(NormalizeUrlPath(url->path), "/");
  if (normalized.empty() || normalized.back() != '/') normalized.push_back('/');

  Field* fields = context.arena->NewFields(5);
  fields[0] = {"scheme", Value::String(context.arena->Store(std::move(url->scheme)))};
  fields[1] = {"authority", Value::String(context.arena->Store(std::move(url->netloc)))};
  fields[2] = {"path", Value::String(context.arena->Store(std::move(url->path)))};
  fields[3] = {"normalizedPath", Value::String(context.arena->Store(std::move(normalized)))};
  fields[4] = {"isIp", Value::Bool(is_ip)};
  *out = Value::Record(fields, 5);
  return true;
}

bool ParseArnValue(const Value& value, const FunctionContext& context, Value* out, std::string* error) {
  if (value.is_none()) {
    *out = Value::None();
    return true;
  }
  if (!value.is_string()) {
    *error = TypeError("aws.parseArn", value);
    return false;
  }
  const std::optional<Arn> arn = ParseArn(value.str());
  if (!arn.has_value()) {
    *out = Value::None();
    return true;
  }
  Value* items = context.arena->NewItems(arn->resource_id.size());
  for (size_t i = 0; i < arn->resource_id.size(); ++i) items[i] = Value::String(arn->resource_id[i]);
  Field* fields = context.arena->NewFields(5);
  fields[0] = {"partition", Value::String(arn->partition)};
  fields[1] = {"service", Value::String(arn->service)};
  fields[2] = {"region", Value::String(arn->region)};
  fields[3] = {"accountId", Value::String(arn->account_id)};
  fields[4] = {"resourceId", Value::Array(items, arn->resource_id.size())};
  *out = Value::Record(fields, 5);
  return true;
}

bool Substring(const Value* args, const FunctionContext& context, Value* out, std::string* error) {
  const Value& input = args[0];
  if (!input.is_string()) {
    *error = "Input must be a string, not " + std::string(PythonTypeName(input)) + ".";
    return false;
  }
  const auto as_int = [](const Value& v, int64_t* n) {
    if (v.kind == Value::Kind::kInt) {
      *n = v.integer;
      return true;
    }
    if (v.kind == Value::Kind::kBool) {
      *n = v.boolean ? 1 : 0;
      return true;
    }
    return false;
  };
  int64_t start = 0, stop = 0;
  if (!as_int(args[1], &start) || !as_int(args[2], &stop)) {
    *error = "substring: the start and stop indexes must be integers";
    return false;
  }
  const int64_t length = static_cast<int64_t>(input.str().size());  // ASCII only from here on
  if (start >= stop || !IsAscii(input.str()) || length < stop) {
    *out = Value::None();
    return true;
  }
  int64_t from = start, to = stop;
  if (args[3].is_bool() && args[3].boolean) {
    from = length - stop;
    to = length - start;
  }
  PythonSlice(length, &from, &to);
  *out = Value::String(input.str().substr(from, to - from));
  return true;
}

}  // namespace

bool IsValidHostLabel(std::string_view value, bool allow_subdomains) {
  if (!allow_subdomains) return value.find('.') == std::string_view::npos && IsSingleHostLabel(value);
  size_t start = 0;
  while (true) {
    const size_t dot = value.find('.', start);
    const std::string_view label =
        value.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (!IsSingleHostLabel(label)) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

bool IsVirtualHostableS3Bucket(std::string_view value, bool allow_subdomains) {
  if (CodePointCount(value) < 3 || MatchesIpv4Pattern(value)) return false;
  for (char c : value) {
    if (c >= 'A' && c <= 'Z') return false;
  }
  return IsValidHostLabel(value, allow_subdomains);
}

bool CallStandardFunction(Function function, const Value* args, const AttrPath* path, const FunctionContext& context,
                          Value* out, std::string* error) {
  switch (function) {
    case Function::kIsSet:
      *out = Value::Bool(!args[0].is_none());
      return true;
    case Function::kNot:
      *out = Value::Bool(!PythonTruthy(args[0]));
      return true;
    case Function::kGetAttr: {
      if (path != nullptr) return GetAttr(args[0], *path, context, out, error);
      if (!args[1].is_string()) {
        *error = TypeError("getAttr", args[1]);
        return false;
      }
      return GetAttr(args[0], ParseAttrPath(args[1].str()), context, out, error);
    }
    case Function::kStringEquals:
      if (!args[0].is_string() || !args[1].is_string()) {
        *error = "Both values must be strings, not " + std::string(PythonTypeName(args[0])) + " and " +
                 std::string(PythonTypeName(args[1])) + ".";
        return false;
      }
      *out = Value::Bool(args[0].str() == args[1].str());
      return true;
    case Function::kBooleanEquals:
      if (!args[0].is_bool() || !args[1].is_bool()) {
        *error = "Both arguments must be bools, not " + std::string(PythonTypeName(args[0])) + " and " +
                 std::string(PythonTypeName(args[1])) + ".";
        return false;
      }
      *out = Value::Bool(args[0].boolean == args[1].boolean);
      return true;
    case Function::kSubstring:
      return Substring(args, context, out, error);
    case Function::kUriEncode:
      if (args[0].is_none()) {
        *out = Value::None();
      } else if (args[0].is_string()) {
        *out = Value::String(context.arena->Store(PercentEncode(args[0].str(), "-._~")));
      } else {
        *out = Value::String(context.arena->Store(PercentEncode(PythonStr(args[0]), "-._~")));
      }
      return true;
    case Function::kParseUrl:
      return ParseUrl(args[0], context, out, error);
    case Function::kIsValidHostLabel:
      if (args[0].is_none()) {
        *out = Value::Bool(false);
        return true;
      }
      if (!args[0].is_string()) {
        *error = TypeError("isValidHostLabel", args[0]);
        return false;
      }
      *out = Value::Bool(IsValidHostLabel(args[0].str(), args[1].is_bool() && args[1].boolean));
      return true;
    case Function::kPartition:
      if (args[0].is_none()) {
        *out = context.partitions->Default();
        return true;
      }
      if (!args[0].is_string()) {
        *error = TypeError("aws.partition", args[0]);
        return false;
      }
      *out = context.partitions->Match(args[0].str());
      return true;
    case Function::kParseArn:
      return ParseArnValue(args[0], context, out, error);
    case Function::kIsVirtualHostableS3Bucket:
      if (args[0].is_none()) {
        *out = Value::Bool(false);
        return true;
      }
      if (!args[0].is_string()) {
        *error = TypeError("aws.isVirtualHostableS3Bucket", args[0]);
        return false;
      }
      *out = Value::Bool(IsVirtualHostableS3Bucket(args[0].str(), args[1].is_bool() && args[1].boolean));
      return true;
  }
  *error = "unknown function";
  return false;
}

}  // namespace awsd::endpoints
