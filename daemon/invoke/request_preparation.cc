#include "daemon/invoke/request_preparation.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "daemon/config/settings.h"
#include "daemon/endpoints/arn.h"
#include "daemon/endpoints/auth_schemes.h"
#include "daemon/invoke/blob_params.h"
#include "daemon/invoke/s3_copy_source.h"
#include "daemon/invoke/s3_list_encoding.h"
#include "daemon/jmespath/jmespath.h"
#include "daemon/protocols/param_validator.h"

namespace awsd::invoke {
namespace {

// Lower case without '-' and '_': "ListObjectsV2", "list-objects-v2" and
// "list_objects_v2" all become "listobjectsv2".
std::string Folded(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (char c : name) {
    if (c != '-' && c != '_') out += absl::ascii_tolower(static_cast<unsigned char>(c));
  }
  return out;
}

bool IsS3Like(const model::ServiceModel& model) {
  const std::string& version = model.metadata().signature_version;
  return version == "s3" || version == "s3v4" || model.service_name() == "s3" || model.service_name() == "s3control";
}

// botocore's _urljoin: the endpoint's path joined to the request's, the host
// prefix in front of the host.
absl::StatusOr<std::string> JoinUrl(std::string_view endpoint_url, std::string_view target,
                                    std::string_view host_prefix) {
  auto url = http::ParseUrl(endpoint_url);
  if (!url.ok()) return url.status();
  std::string path(url->path);
  if (target.empty() || target == "/") {
    if (path.empty()) path = "/";
  } else {
    if (!path.empty() && path.back() == '/' && target.front() == '/') path.pop_back();
    path.append(target);
  }
  // The authority is everything between "//" and the path.
  const std::size_t authority_start = endpoint_url.find("//") + 2;
  const std::size_t authority_end = endpoint_url.find_first_of("/?#", authority_start);
  std::string_view authority = endpoint_url.substr(authority_start, authority_end - authority_start);
  std::string joined = url->https ? "https://" : "http://";
  joined.append(host_prefix).append(authority).append(path);
  if (url->query.has_value()) {
    // An endpoint URL with its own query keeps it before the request's.
    const std::size_t q = joined.find('?');
    const std::string own(*url->query);
    if (q == std::string::npos) {
      joined.append("?").append(own);
    } else {
      joined.insert(q + 1, own + "&");
    }
  }
  return joined;
}

// A JSON value as an endpoint parameter: a string, a bool, or a list of
// strings; nothing else is one.
std::optional<endpoints::ParamValue> ToParamValue(const protocols::Value& value) {
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_string()) return value.get<std::string>();
  if (value.is_array()) {
    std::vector<std::string> list;
    for (const auto& item : value) {
      if (item.is_string()) list.push_back(item.get<std::string>());
    }
    return list;
  }
  return std::nullopt;
}

// The input's values for the operation's endpoint parameters: static
// context, operation context, and top-level members marked contextParam.
endpoints::OperationEndpointInputs EndpointInputs(const model::Operation& operation, const protocols::Value& params) {
  endpoints::OperationEndpointInputs inputs;
  for (auto it = operation.static_context_params.begin(); it != operation.static_context_params.end(); ++it) {
    if (!it.value().contains("value")) continue;
    if (auto value = ToParamValue(protocols::Value(it.value()["value"]))) inputs.static_context[it.key()] = *value;
  }
  if (!operation.input.has_value() || !params.is_object()) return inputs;
  // operationContextParams: JMESPath over the input (DynamoDB's
  // ResourceArnList = keys(RequestItems), ...). A path that finds nothing or
  // fails leaves the parameter unset, as botocore's search returning None.
  for (auto it = operation.operation_context_params.begin(); it != operation.operation_context_params.end(); ++it) {
    if (!it.value().contains("path") || !it.value()["path"].is_string()) continue;
    auto found = jmespath::Search(it.value()["path"].get<std::string>(), params);
    if (!found.ok()) continue;
    if (auto value = ToParamValue(*found)) inputs.operation_context[it.key()] = *std::move(value);
  }
  for (const model::Member& member : operation.input->shape->members) {
    if (member.traits.context_param.empty()) continue;
    auto found = params.find(member.name);
    if (found == params.end()) continue;
    if (auto value = ToParamValue(*found)) inputs.context[member.traits.context_param] = *std::move(value);
  }
  return inputs;
}

bool SendsUnsigned(const model::Operation& operation) {
  if (operation.auth_type == "none") return true;
  return !operation.auth.empty() && operation.auth.front() == "smithy.api#noAuth";
}

// S3SigV4Auth._should_sha256_sign_payload (and SigV4Auth's): over TLS with a
// checksum in a header, a streamed body goes unsigned.
bool SignPayload(const ServiceClient& client, const model::Operation& operation, const PreparedRequest& prepared,
                 bool https, bool streamed) {
  if (!https) return !streamed;
  if (IsS3Like(client.model())) {
    if (streamed) return false;
    auto setting = client.endpoint_config().s3.find("payload_signing_enabled");
    if (setting != client.endpoint_config().s3.end() && std::holds_alternative<bool>(setting->second)) {
      return std::get<bool>(setting->second);
    }
    std::string checksum_header = "Content-MD5";
    if (prepared.checksums.request_algorithm.has_value() && !prepared.checksums.in_trailer) {
      checksum_header =
          absl::StrCat("x-amz-checksum-",
                       absl::AsciiStrToLower(protocols::ChecksumAlgorithmName(*prepared.checksums.request_algorithm)));
    }
    bool has_checksum = false;
    for (const auto& header : prepared.request.headers)
      has_checksum |= http::EqualsIgnoreCase(header.name, checksum_header);
    if (!has_checksum) return true;
    return !operation.has_streaming_input();
  }
  return !(operation.unsigned_payload || operation.auth_type == "v4-unsigned-body");
}

}  // namespace

absl::StatusOr<const model::Operation*> FindOperation(const model::ServiceModel& model, std::string_view name) {
  auto exact = model.FindOperation(name);
  if (exact.ok()) return exact;
  const std::string folded = Folded(name);
  for (const std::string& candidate : model.operation_names()) {
    if (Folded(candidate) == folded) return model.FindOperation(candidate);
  }
  return exact.status();
}

absl::StatusOr<PreparedRequest> PrepareRequest(const ServiceClient& client, const model::Operation& operation,
                                               protocols::Value params, const PrepareOptions& options) {
  const model::ServiceModel& model = client.model();
  if (!params.is_object()) return absl::InvalidArgumentError("params_json: must be a JSON object");
  PreparedRequest prepared;
  prepared.operation = &operation;

  protocols::FinishingSettings finishing = client.finishing();
  finishing.presign = options.presign;
  if (model.service_name() == "s3") {
    absl::Status quoted = QuoteCopySource(operation.name, params);
    if (!quoted.ok()) return quoted;
  }
  if (operation.input.has_value()) {
    absl::Status decoded = DecodeBlobParams(*operation.input->shape, params);
    if (!decoded.ok()) return decoded;
  }
  // A presign runs without the client's config in botocore, so the
  // checksum-mode handler adds nothing there.
  protocols::FinishingSettings param_settings = finishing;
  if (options.presign) param_settings.response_checksum_when_supported = false;
  protocols::PrepareParams(operation, param_settings, protocols::RandomUuid, params);
  if (model.service_name() == "s3" && !options.presign) {
    prepared.decode_list_keys = SetListObjectsEncodingType(operation.name, params);
  }
  if (operation.input.has_value()) {
    absl::Status valid = protocols::ValidateParameters(params, *operation.input);
    if (!valid.ok()) return valid;
  } else if (!params.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("Parameter validation failed:\nUnknown parameter in input: \"",
                                                   params.begin().key(), "\", must be one of: "));
  }

  // Endpoint: the client's binding plus this call's context.
  endpoints::OperationEndpointInputs inputs = EndpointInputs(operation, params);
  endpoints::Builtins builtins = client.endpoint_config().builtins;
  const bool s3 = model.service_name() == "s3";
  std::optional<std::string> bucket;
  if (s3 && params.contains("Bucket") && params["Bucket"].is_string()) bucket = params["Bucket"].get<std::string>();
  if (s3) {
    endpoints::CustomizeS3Builtins(
        operation.name, bucket, options.presign && endpoints::ShouldPresignToGlobalEndpoint(client.endpoint_config()),
        &builtins);
  }
  auto endpoint_params =
      endpoints::BuildEndpointParams(client.resolver().parameters(), inputs, client.client_context_params(), builtins);
  if (!endpoint_params.ok()) return endpoint_params.status();
  auto endpoint = client.resolver().Resolve(*endpoint_params);
  if (!endpoint.ok()) return endpoint.status();

  // botocore's remove_bucket_from_url_paths_from_model and
  // remove_accid_host_prefix_from_model: the endpoint rules already put the
  // bucket (or account) into the URL, so the model must not add it again.
  const model::Operation* wire_operation = &operation;
  std::optional<model::Operation> adjusted;
  if (s3 && operation.request_uri.starts_with("/{Bucket}")) {
    adjusted = operation;
    adjusted->request_uri = operation.request_uri.substr(std::string_view("/{Bucket}").size());
  } else if (model.service_name() == "s3control" && operation.host_prefix == "{AccountId}.") {
    adjusted = operation;
    adjusted->host_prefix.clear();
  }
  if (adjusted.has_value()) wire_operation = &*adjusted;
  auto serialized = client.protocol().Serialize(model, *wire_operation, params, {});
  if (!serialized.ok()) return serialized.status();
  auto plan = protocols::PlanChecksums(operation, params, finishing);
  if (!plan.ok()) return plan.status();
  prepared.checksums = *plan;

  auto url = http::ParseUrl((*endpoint)->url);
  if (!url.ok()) return url.status();
  finishing.https = url->https;
  protocols::MaybeCompressRequest(operation, finishing, *serialized);
  if (!options.streamed_body) protocols::ApplyRequestChecksum(prepared.checksums, *serialized);

  const config::Profile* profile = client.session().profile_settings();
  const bool inject_host_prefix =
      !config::ResolveBoolean("disable_host_prefix_injection", profile, client.environment()).value_or(false);
  auto joined = JoinUrl((*endpoint)->url, protocols::RequestTarget(*serialized),
                        inject_host_prefix ? serialized->host_prefix : std::string());
  if (!joined.ok()) return joined.status();
  prepared.request.method = serialized->method;
  prepared.request.url = *std::move(joined);
  prepared.request.headers = std::move(serialized->headers);
  for (const auto& [name, values] : (*endpoint)->headers) {
    if (!values.empty()) prepared.request.headers.push_back({name, values.front()});
  }
  if (!options.user_agent.empty()) prepared.request.headers.push_back({"User-Agent", options.user_agent});
  prepared.request.body = std::move(serialized->body);
  auto final_url = http::ParseUrl(prepared.request.url);
  if (!final_url.ok()) return final_url.status();
  prepared.host = http::HostHeaderValue(*final_url);

  // Signing: the endpoint's auth scheme, else the model's signature version.
  prepared.sign = !SendsUnsigned(operation);
  const bool ignore_rule_set_region = s3 && options.presign && !(bucket && endpoints::LooksLikeArn(*bucket));
  const endpoints::LegacyEndpoint* legacy =
      client.endpoint_config().legacy.has_value() ? &*client.endpoint_config().legacy : nullptr;
  auto scope = endpoints::SigningScopeFor(**endpoint, legacy, ignore_rule_set_region,
                                          endpoints::DefaultSupportedAuthTypes(/*with_sigv4a=*/false));
  if (!scope.has_value()) {
    return absl::InvalidArgumentError("Unknown Signature Version: the endpoint's auth schemes are not supported");
  }
  signing::SigningParams& signing = prepared.signing;
  signing.service = scope->signing_name.value_or(model.metadata().signing_name);
  signing.region = scope->region.value_or(client.region());
  if (signing.region.empty()) signing.region = "us-east-1";
  if (IsS3Like(model)) {
    signing.content_sha256_header = true;
    signing.normalize_path = false;
    signing.double_encode_path = false;
  }
  if (scope->disable_double_encoding.has_value()) signing.double_encode_path = !*scope->disable_double_encoding;
  if (options.presign) {
    signing.location = signing::SignatureLocation::kQueryString;
    if (IsS3Like(model)) signing.payload = signing::PayloadSigning::kUnsigned;
    signing.content_sha256_header = false;
  } else if (!SignPayload(client, operation, prepared, url->https, options.streamed_body)) {
    signing.payload = signing::PayloadSigning::kUnsigned;
  }
  prepared.expect_continue = s3 && (operation.name == "PutObject" || operation.name == "UploadPart") &&
                             (options.streamed_body || !prepared.request.body.empty());
  return prepared;
}

}  // namespace awsd::invoke
