#include "awsd/resources/caller.h"

namespace awsd::resources {
namespace {

using nlohmann::json;

Result<json> ParseResult(const std::string& text, const std::string& what) {
  json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    Error error;
    error.code = grpc::StatusCode::INTERNAL;
    error.message = "the daemon's result of " + what + " is not JSON";
    return error;
  }
  return parsed;
}

Error ServiceError(const awsd::v1::ServiceError& service_error) {
  Error error;
  error.code = grpc::StatusCode::OK;
  error.message = service_error.message();
  error.service_error = service_error;
  return error;
}

}  // namespace

Result<json> ClientCaller::Invoke(const std::string& service, const std::string& operation, const json& params) const {
  auto reply = client_.Invoke(session_, service, operation, params.dump());
  if (!reply.ok()) return reply.error();
  return ParseResult(reply->result_json(), operation);
}

Result<Done> ClientCaller::Paginate(const std::string& service, const std::string& operation, const json& params,
                                    int max_items, int page_size, const std::function<bool(json page)>& on_page) const {
  awsd::v1::PaginateRequest request;
  request.set_service(service);
  request.set_operation(operation);
  request.set_params_json(params.dump());
  request.set_max_items(max_items);
  request.set_page_size(page_size);
  std::optional<Error> failed;
  auto done = client_.Paginate(session_, std::move(request), [&](const awsd::v1::Page& page) {
    if (page.has_error()) {
      failed = ServiceError(page.error());
      return false;
    }
    auto parsed = ParseResult(page.result_json(), operation);
    if (!parsed.ok()) {
      failed = parsed.error();
      return false;
    }
    return on_page(std::move(*parsed));
  });
  if (failed) return *failed;
  return done;
}

Result<awsd::v1::WaitResponse> ClientCaller::Wait(const std::string& service, const std::string& waiter,
                                                  const json& params) const {
  awsd::v1::WaitRequest request;
  request.set_service(service);
  request.set_waiter(waiter);
  request.set_params_json(params.dump());
  auto reply = client_.Wait(session_, std::move(request));
  if (!reply.ok()) return reply.error();
  if (reply->state() != awsd::v1::WaitResponse::STATE_SUCCESS) {
    Error error;
    error.code = grpc::StatusCode::FAILED_PRECONDITION;
    error.message = "Waiter " + waiter + " failed: " + reply->reason();
    return error;
  }
  return reply;
}

}  // namespace awsd::resources
