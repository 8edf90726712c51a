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

namespace {

// Pages straight off the Paginate stream (Client::Pages): no thread, the
// next page read when asked for.
class RangePageSource final : public PageSource {
 public:
  RangePageSource(PageRange pages, std::string operation)
      : pages_(std::move(pages)), operation_(std::move(operation)) {}

  Result<std::optional<json>> Next() override {
    if (!started_) {
      started_ = true;
      cursor_ = pages_.begin();
    } else if (cursor_ != pages_.end()) {
      ++cursor_;
    }
    if (cursor_ == pages_.end()) {
      if (!pages_.status().ok()) return pages_.status().error();
      return std::optional<json>();
    }
    if (cursor_->has_error()) return ServiceError(cursor_->error());
    auto parsed = ParseResult(cursor_->result_json(), operation_);
    if (!parsed.ok()) return parsed.error();
    return std::optional<json>(std::move(*parsed));
  }

 private:
  PageRange pages_;
  std::string operation_;
  PageRange::Iterator cursor_;
  bool started_ = false;
};

}  // namespace

std::unique_ptr<PageSource> ClientCaller::Paginate(const std::string& service, const std::string& operation,
                                                   const json& params, int max_items, int page_size) const {
  awsd::v1::PaginateRequest request;
  request.set_service(service);
  request.set_operation(operation);
  request.set_params_json(params.dump());
  request.set_max_items(max_items);
  request.set_page_size(page_size);
  return std::make_unique<RangePageSource>(client_.Pages(session_, std::move(request)), operation);
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
