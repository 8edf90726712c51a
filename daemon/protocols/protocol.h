#pragma once

// The seam between the service model and the wire: a protocol turns an
// operation's parameters into the parts of an HTTP request, and an HTTP
// response back into botocore's result dict. One implementation per wire
// protocol (query, ec2, json, rest-json, rest-xml, smithy-rpc-v2-cbor).
//
// Values are protocols::Value (ordered JSON). Blob parameters are a json binary or a string
// (its bytes, as botocore takes str); blob results are json binaries.
// Timestamps come in as strings or epoch numbers (TimestampFromJson) and go
// out as ParseOptions::timestamps says.

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "daemon/http/http_client.h"
#include "daemon/http/http_request.h"
#include "daemon/model/service_model.h"
#include "daemon/protocols/timestamps.h"
#include "daemon/protocols/value.h"

namespace awsd::protocols {

// What botocore's serializer returns (its request dict), before the
// endpoint, checksums, compression and signing are applied.
struct SerializedRequest {
  std::string method;
  // url_path: labels filled and percent-encoded; may already hold a query
  // from the modelled requestUri ("/{Bucket}?uploads").
  std::string path = "/";
  // query_string: decoded name/value pairs, in order; a list member repeats
  // its name. Encoded by RequestTarget().
  std::vector<std::pair<std::string, std::string>> query;
  std::vector<http::Header> headers;
  std::string body;
  // The expanded `endpoint.hostPrefix` ("123456789012.data-"), or empty.
  std::string host_prefix;

  const std::string* FindHeader(std::string_view name) const;
  void SetHeader(std::string name, std::string value);  // replaces, case-insensitively
};

// path + "?" + the query encoded as botocore's percent_encode_sequence
// ("&" if the path already has a "?").
std::string RequestTarget(const SerializedRequest& request);

struct SerializeOptions {
  // Fills idempotency-token members the caller left out (botocore:
  // uuid4). Null: left out.
  std::function<std::string()> idempotency_token;
};

struct ParseOptions {
  TimestampOutput timestamps = TimestampOutput::kIso8601;
};

struct ParsedResponse {
  // The output members, with "ResponseMetadata". For an error: botocore's
  // {"Error": {"Code", "Message", ...}, "ResponseMetadata"} and the error
  // shape's modelled members beside "Error".
  Value result = Value::object();
  bool is_error = false;
  std::string error_code;  // when is_error
};

// A parsed response as the JSON text a client receives.
struct ClientReply {
  std::string json;
  bool is_error = false;
  std::string error_code;
};

class Protocol {
 public:
  virtual ~Protocol() = default;

  // InvalidArgument for parameters the wire cannot carry (a missing URI
  // label, a host label that is not a valid host name part, ...).
  // Validation against the model (ParamValidator) comes first.
  virtual absl::StatusOr<SerializedRequest> Serialize(const model::ServiceModel& service,
                                                      const model::Operation& operation, const Value& params,
                                                      const SerializeOptions& options) const = 0;

  // An error status yields an error result (is_error); a body that cannot be
  // parsed is DataLoss for a success status, and botocore's generic error
  // (Code = the status, Message = its reason phrase) for an error status.
  virtual absl::StatusOr<ParsedResponse> Parse(const model::ServiceModel& service, const model::Operation& operation,
                                               const http::HttpResponse& response,
                                               const ParseOptions& options) const = 0;

  // Parse, then ClientResultJson (blobs base64, RetryAttempts set). Protocols
  // with a path that skips building the result tree for large bodies
  // override it; both give the same JSON.
  virtual absl::StatusOr<ClientReply> ParseToClientJson(const model::ServiceModel& service,
                                                        const model::Operation& operation,
                                                        const http::HttpResponse& response, const ParseOptions& options,
                                                        int retry_attempts) const;
};

// `pattern` with every "{Name}" replaced by what `fill` appends for Name;
// InvalidArgument "malformed <what>: <pattern>" for an unclosed brace. The
// walk behind requestUri labels and host prefixes.
absl::StatusOr<std::string> FillTemplate(
    std::string_view pattern, std::string_view what,
    const std::function<absl::Status(const std::string& name, std::string& out)>& fill);

// The operation's `endpoint.hostPrefix` with its {Label}s filled from the
// input's hostLabel members ("{AccountId}." → "123456789012."), as every
// botocore serializer does. InvalidArgument when a label is missing, empty or
// not [A-Za-z0-9.-]+.
absl::StatusOr<std::string> ExpandHostPrefix(const model::Operation& operation, const Value& params);

// The implementation for `protocol`.
const Protocol& ProtocolFor(model::Protocol protocol);

// botocore's HTTPStatusCode / HTTPHeaders part of ResponseMetadata (header
// names lower-cased, repeats joined with ", "), merged into `metadata`.
void AddHttpMetadata(const http::HttpResponse& response, Value& metadata);

}  // namespace awsd::protocols
