#include "daemon/protocols/protocol.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "daemon/protocols/result_json.h"
#include "daemon/signing/uri_encoding.h"

namespace awsd::protocols {

const std::string* SerializedRequest::FindHeader(std::string_view name) const {
  for (const http::Header& header : headers) {
    if (absl::EqualsIgnoreCase(header.name, std::string(name))) return &header.value;
  }
  return nullptr;
}

void SerializedRequest::SetHeader(std::string name, std::string value) {
  for (http::Header& header : headers) {
    if (absl::EqualsIgnoreCase(header.name, name)) {
      header.value = std::move(value);
      return;
    }
  }
  headers.push_back(http::Header{std::move(name), std::move(value)});
}

absl::StatusOr<ClientReply> Protocol::ParseToClientJson(const model::ServiceModel& service,
                                                        const model::Operation& operation,
                                                        const http::HttpResponse& response, const ParseOptions& options,
                                                        int retry_attempts) const {
  absl::StatusOr<ParsedResponse> parsed = Parse(service, operation, response, options);
  if (!parsed.ok()) return parsed.status();
  return ClientReply{ClientResultJson(std::move(parsed->result), retry_attempts), parsed->is_error,
                     std::move(parsed->error_code)};
}

std::string RequestTarget(const SerializedRequest& request) {
  std::string target = request.path;
  bool has_query = target.find('?') != std::string::npos;
  for (const auto& [name, value] : request.query) {
    target += has_query ? '&' : '?';
    has_query = true;
    signing::AppendUriEncoded(name, /*keep_slash=*/false, &target);
    target += '=';
    signing::AppendUriEncoded(value, /*keep_slash=*/false, &target);
  }
  return target;
}

absl::StatusOr<std::string> FillTemplate(
    std::string_view pattern, std::string_view what,
    const std::function<absl::Status(const std::string& name, std::string& out)>& fill) {
  std::string out;
  std::size_t pos = 0;
  while (pos < pattern.size()) {
    const std::size_t open = pattern.find('{', pos);
    if (open == std::string_view::npos) {
      out.append(pattern.substr(pos));
      break;
    }
    const std::size_t close = pattern.find('}', open);
    if (close == std::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat("malformed ", std::string(what), ": ", std::string(pattern)));
    }
    out.append(pattern.substr(pos, open - pos));
    if (absl::Status s = fill(std::string(pattern.substr(open + 1, close - open - 1)), out); !s.ok()) return s;
    pos = close + 1;
  }
  return out;
}

absl::StatusOr<std::string> ExpandHostPrefix(const model::Operation& operation, const Value& params) {
  return FillTemplate(operation.host_prefix, "hostPrefix", [&params](const std::string& label, std::string& out) {
    const auto it = params.is_object() ? params.find(label) : params.end();
    if (it == params.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
      return absl::InvalidArgumentError("Invalid host label: " + label + " is required to build the endpoint");
    }
    const std::string& value = it->get_ref<const std::string&>();
    for (const char c : value) {
      if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-') {
        return absl::InvalidArgumentError("Invalid value for parameter " + label + ": \"" + value +
                                          "\" (must be a valid host label)");
      }
    }
    out += value;
    return absl::OkStatus();
  });
}

void AddHttpMetadata(const http::HttpResponse& response, Value& metadata) {
  metadata["HTTPStatusCode"] = response.status;
  Value headers = Value::object();
  for (const http::Header& header : response.headers) {
    const std::string name = absl::AsciiStrToLower(header.name);
    if (headers.contains(name)) {
      headers[name] = headers[name].get<std::string>() + ", " + header.value;
    } else {
      headers[name] = header.value;
    }
  }
  metadata["HTTPHeaders"] = std::move(headers);
}

}  // namespace awsd::protocols
