#include "daemon/server/services/invoke_replies.h"

#include <algorithm>
#include <utility>

#include "daemon/http/http_request.h"
#include "daemon/server/services/authorization.h"
#include "daemon/server/services/session_resolution.h"
#include "nlohmann/json.hpp"

namespace awsd::server {
namespace {

const std::string* FindHeader(const std::vector<http::Header>& headers, std::string_view name) {
  for (const auto& header : headers) {
    if (http::EqualsIgnoreCase(header.name, name)) return &header.value;
  }
  return nullptr;
}

void FillMetadata(const invoke::CallOutcome& outcome, awsd::v1::ResponseMetadata* metadata) {
  metadata->set_http_status(outcome.http_status);
  metadata->set_retry_attempts(outcome.retry_attempts);
  // botocore takes the request id from the first of these the service sent.
  for (std::string_view name : {"x-amzn-RequestId", "x-amz-request-id", "x-amzn-request-id"}) {
    if (const std::string* id = FindHeader(outcome.headers, name)) {
      metadata->set_request_id(*id);
      break;
    }
  }
  if (const std::string* host_id = FindHeader(outcome.headers, "x-amz-id-2")) metadata->set_host_id(*host_id);
  for (const auto& header : outcome.headers) {
    auto* out = metadata->add_http_headers();
    out->set_name(header.name);
    out->set_value(header.value);
  }
}

void FillServiceError(const invoke::CallOutcome& outcome, awsd::v1::ServiceError* error) {
  error->set_code(outcome.reply.error_code);
  error->set_http_status(outcome.http_status);
  error->set_retryable(outcome.retryable);
  // Error replies are small: reading them back is cheap.
  const nlohmann::ordered_json parsed = nlohmann::ordered_json::parse(outcome.reply.json, nullptr, false);
  if (!parsed.is_object()) return;
  if (auto e = parsed.find("Error"); e != parsed.end() && e->is_object()) {
    if (auto message = e->find("Message"); message != e->end() && message->is_string()) {
      error->set_message(message->get<std::string>());
    }
    if (auto code = e->find("Code"); code != e->end() && code->is_string()) error->set_code(code->get<std::string>());
  }
  if (auto metadata = parsed.find("ResponseMetadata"); metadata != parsed.end() && metadata->is_object()) {
    if (auto id = metadata->find("RequestId"); id != metadata->end() && id->is_string()) {
      error->set_request_id(id->get<std::string>());
    }
  }
  nlohmann::ordered_json fields = nlohmann::ordered_json::object();
  for (auto it = parsed.begin(); it != parsed.end(); ++it) {
    if (it.key() != "Error" && it.key() != "ResponseMetadata") fields[it.key()] = it.value();
  }
  error->set_fields_json(fields.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
  error->set_response_json(outcome.reply.json);
}

}  // namespace

absl::StatusOr<invoke::InvokeCall> ToInvokeCall(ServiceContext& context, const grpc::ServerContextBase* caller,
                                                const awsd::v1::SessionRef& ref, const std::string& service,
                                                const std::string& operation, const std::string& params_json,
                                                const awsd::v1::CallOptions& options) {
  auto session = ResolveSession(context.sessions, ref);
  if (!session.ok()) return session.status();
  if (service.empty()) return absl::InvalidArgumentError("service: required");
  if (operation.empty()) return absl::InvalidArgumentError("operation: required");
  invoke::InvokeCall call;
  call.session = *std::move(session);
  call.service = service;
  call.operation = operation;
  call.params_json = params_json;
  call.region = options.region();
  call.endpoint_url = options.endpoint_url();
  if (absl::Status allowed = Authorize(context, caller, InvokeAction(context, call)); !allowed.ok()) return allowed;
  return call;
}

absl::StatusOr<invoke::InvokeCall> ToInvokeCall(ServiceContext& context, const grpc::ServerContextBase* caller,
                                                const awsd::v1::InvokeRequest& request) {
  auto call = ToInvokeCall(context, caller, request.session(), request.service(), request.operation(),
                           request.params_json(), request.options());
  if (call.ok()) call->settings = ToCallSettings(request);
  return call;
}

absl::Status ToInvokeResponse(invoke::CallOutcome outcome, awsd::v1::InvokeResponse* reply) {
  if (!outcome.status.ok()) return outcome.status;
  FillMetadata(outcome, reply->mutable_metadata());
  if (outcome.reply.is_error) {
    FillServiceError(outcome, reply->mutable_error());
    if (reply->error().request_id().empty()) reply->mutable_error()->set_request_id(reply->metadata().request_id());
  } else {
    reply->set_result_json(std::move(outcome.reply.json));
  }
  return absl::OkStatus();
}

invoke::CallSettings ToCallSettings(const awsd::v1::InvokeRequest& request) {
  return ToCallSettings(request.timestamp_format(), request.options());
}

invoke::CallSettings ToCallSettings(awsd::v1::TimestampFormat format, const awsd::v1::CallOptions& options) {
  invoke::CallSettings settings;
  if (format == awsd::v1::TIMESTAMP_FORMAT_WIRE) settings.timestamps = protocols::TimestampOutput::kWire;
  settings.max_attempts = options.max_attempts();
  if (options.has_read_timeout()) {
    const auto& timeout = options.read_timeout();
    // The client's value, clamped to a year either way so that the
    // conversion to milliseconds cannot overflow.
    constexpr int64_t kMaxSeconds = int64_t{366} * 24 * 3600;
    const int64_t seconds = std::clamp<int64_t>(timeout.seconds(), -kMaxSeconds, kMaxSeconds);
    settings.read_timeout = std::chrono::milliseconds(seconds * 1000 + timeout.nanos() / 1000000);
  }
  return settings;
}

}  // namespace awsd::server
