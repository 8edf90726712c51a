#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "daemon/model/shape.h"
#include "nlohmann/json.hpp"

namespace awsd::model {

// The six wire protocols botocore speaks.
enum class Protocol { kQuery, kEc2, kJson, kRestJson, kRestXml, kRpcV2Cbor };

const char* ProtocolName(Protocol protocol);

struct ServiceMetadata {
  std::string api_version;
  std::string endpoint_prefix;
  std::string service_id;  // "S3", "DynamoDB"
  std::string service_full_name;
  std::string signing_name;       // signingName, else endpointPrefix
  std::string signature_version;  // "v4", "s3", "s3v4", "v4a", "bearer"...
  std::vector<std::string> auth;  // "aws.auth#sigv4", ...
  std::string json_version;       // "1.0" / "1.1"
  std::string target_prefix;
  std::string xml_namespace;
  std::string global_endpoint;
  std::string uid;
  Protocol protocol = Protocol::kJson;  // the first of `protocols` awsd supports
  bool aws_query_compatible = false;
};

struct HttpChecksum {
  std::string request_algorithm_member;
  std::string request_validation_mode_member;
  std::vector<std::string> response_algorithms;
  bool request_checksum_required = false;
};

struct Operation {
  std::string name;
  std::string http_method = "POST";
  std::string request_uri = "/";
  int http_response_code = 0;  // 0: not modelled

  std::optional<Member> input;
  std::optional<Member> output;
  std::string result_wrapper;  // query: output.resultWrapper
  std::vector<const Shape*> errors;

  std::string host_prefix;  // the endpoint trait, "{Bucket}." style labels
  std::optional<HttpChecksum> http_checksum;
  bool http_checksum_required = false;           // Content-MD5 (or a checksum) required
  std::vector<std::string> request_compression;  // encodings, in preference order
  std::string auth_type;                         // legacy authtype ("none", "v4-unsigned-body")
  std::vector<std::string> auth;
  bool unsigned_payload = false;
  bool deprecated = false;
  bool endpoint_discovery_required = false;
  nlohmann::json static_context_params = nlohmann::json::object();     // name → {"value": ...}
  nlohmann::json operation_context_params = nlohmann::json::object();  // name → {"path": jmespath}

  bool has_streaming_input() const;
  bool has_streaming_output() const;
  bool has_event_stream_input() const;
  bool has_event_stream_output() const;
};

// One service, parsed once and shared read-only by every call.
class ServiceModel {
 public:
  // `service_name` is the data folder's name ("s3", "dynamodb"). `text` is
  // a service-2 document; `extras_merge` the "merge" object of its
  // sdk-extras file (laid over it as botocore's ExtrasProcessor does), or
  // null. Member order is the document's. Documentation is dropped.
  static absl::StatusOr<std::shared_ptr<const ServiceModel>> Parse(
      std::string_view text, std::string service_name, const nlohmann::ordered_json* extras_merge = nullptr);
  // The same from a parsed document (tests, and models assembled in code).
  // Member order is the document's: an ordered_json keeps it, a plain
  // nlohmann::json has sorted it.
  template <typename Json>
  static absl::StatusOr<std::shared_ptr<const ServiceModel>> FromJson(const Json& model, std::string service_name) {
    return Parse(model.dump(), std::move(service_name));
  }

  ServiceModel(const ServiceModel&) = delete;
  ServiceModel& operator=(const ServiceModel&) = delete;

  const std::string& service_name() const { return service_name_; }
  const ServiceMetadata& metadata() const { return metadata_; }
  Protocol protocol() const { return metadata_.protocol; }

  // NotFound naming the operation and the closest names the service has.
  absl::StatusOr<const Operation*> FindOperation(std::string_view name) const;
  const std::vector<std::string>& operation_names() const { return operation_names_; }

  const Shape* FindShape(std::string_view name) const;
  // The error shape botocore's shape_for_error_code finds for `code`.
  const Shape* ErrorShapeForCode(std::string_view code) const;
  // Every error shape by its code (error.code, else the shape's name).
  const std::map<std::string, const Shape*, std::less<>>& errors_by_code() const { return errors_by_code_; }

  const nlohmann::json& client_context_params() const { return client_context_params_; }

 private:
  ServiceModel() = default;
  friend class ServiceModelBuilder;

  std::string service_name_;
  ServiceMetadata metadata_;
  std::map<std::string, std::unique_ptr<Shape>, std::less<>> shapes_;
  std::vector<std::unique_ptr<Shape>> variants_;  // shapes a reference altered
  std::map<std::string, Operation, std::less<>> operations_;
  std::vector<std::string> operation_names_;
  std::map<std::string, const Shape*, std::less<>> errors_by_code_;
  nlohmann::json client_context_params_;
};

}  // namespace awsd::model
