#include "daemon/server/services/paginate_reactor.h"

#include <mutex>

#include "absl/strings/str_cat.h"
#include "awsd/xform_name.h"
#include "daemon/invoke/request_preparation.h"
#include "daemon/pagination/full_result.h"
#include "daemon/pagination/page_walk.h"
#include "daemon/server/services/call_in_flight.h"
#include "daemon/server/services/invoke_replies.h"
#include "daemon/server/status_conversion.h"

namespace awsd::server {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::size_t kMergedPieceBytes = std::size_t{1} << 20;

std::string Dump(const Json& json) { return json.dump(-1, ' ', false, Json::error_handler_t::replace); }

// The walk's start: the operation's paginator, the caller's parameters, and
// PaginationConfig typed as botocore types it.
absl::StatusOr<pagination::PageWalk> StartWalk(const invoke::Invoker& invoker, const awsd::v1::PaginateRequest& request,
                                               std::string* operation_name) {
  auto service = invoker.models().Service(request.service());
  if (!service.ok()) return service.status();
  auto operation = invoke::FindOperation(**service, request.operation());
  if (!operation.ok()) return operation.status();
  *operation_name = (*operation)->name;
  auto paginators = invoker.models().Paginators((*service)->service_name());
  if (!paginators.ok()) return paginators.status();
  const nlohmann::json* entry = nullptr;
  if (*paginators && (*paginators)->contains("pagination")) {
    const auto& all = (**paginators)["pagination"];
    if (auto it = all.find(*operation_name); it != all.end()) entry = &*it;
  }
  if (entry == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("Operation cannot be paginated: ", XformName(*operation_name)));
  }
  auto config = pagination::ParsePaginatorConfig(*operation_name, *entry);
  if (!config.ok()) return config.status();

  Json params = request.params_json().empty() ? Json::object() : Json::parse(request.params_json(), nullptr, false);
  if (!params.is_object()) return absl::InvalidArgumentError("params_json: not a JSON object");
  pagination::PagingOptions options;
  if (request.max_items() < 0) return absl::InvalidArgumentError("max_items: must not be negative");
  if (request.page_size() < 0) return absl::InvalidArgumentError("page_size: must not be negative");
  if (request.max_items() > 0) options.max_items = request.max_items();
  if (!request.starting_token().empty()) options.starting_token = request.starting_token();
  if (request.page_size() > 0) {
    options.page_size = Json(request.page_size());
    // A string-typed limit key gets the size as a string, as botocore sends it.
    const auto& input = (*operation)->input;
    const model::Member* limit = input.has_value() ? input->shape->FindMember(config->limit_key) : nullptr;
    if (limit != nullptr && limit->shape->type == model::ShapeType::kString) {
      options.page_size = Json(std::to_string(request.page_size()));
    }
  }
  return pagination::PageWalk::Start(*std::move(config), std::move(params), std::move(options));
}

class PaginateReactor : public grpc::ServerWriteReactor<awsd::v1::Page> {
 public:
  PaginateReactor(invoke::Invoker& invoker, CallLimiter::Ticket ticket, invoke::InvokeCall call,
                  pagination::PageWalk walk, awsd::v1::PageView view)
      : invoker_(invoker),
        ticket_(std::move(ticket)),
        call_(std::move(call)),
        walk_(std::move(walk)),
        view_(view),
        merged_(walk_.config()) {}

  void Request() {
    invoke::InvokeCall call = call_;
    call.params_json = Dump(walk_.next_params());
    if (in_flight_.cancelled()) return End(grpc::Status(grpc::CANCELLED, "the client cancelled the pagination"));
    {
      std::lock_guard lock(mutex_);
      ++references_;
    }
    in_flight_.Hold(
        invoker_.Invoke(std::move(call), [this](invoke::CallOutcome outcome) { OnOutcome(std::move(outcome)); }));
    Release();
  }

  void OnWriteDone(bool ok) override {
    if (!ok) return End(grpc::Status(grpc::CANCELLED, "the client went away"));
    if (merged_offset_ < merged_text_.size()) return WriteMergedPiece();
    if (after_.has_value()) return End(*after_);
    Request();
  }

  // The call's completion (Cancelled) ends the RPC; a write in flight ends
  // it from OnWriteDone.
  void OnCancel() override { in_flight_.Cancel(); }

  void OnDone() override { Release(); }

 private:
  // A call refused at once ends the RPC inside Request, and gRPC may be done
  // with the reactor before Request returns: the last of the two deletes it.
  void Release() {
    bool last;
    {
      std::lock_guard lock(mutex_);
      last = --references_ == 0;
    }
    if (last) delete this;
  }

  void OnOutcome(invoke::CallOutcome outcome) {
    in_flight_.Drop();
    awsd::v1::InvokeResponse response;
    const std::string page_text = outcome.reply.json;
    absl::Status status = ToInvokeResponse(std::move(outcome), &response);
    if (!status.ok()) return End(ToGrpcStatus(status));
    if (response.has_error()) {
      // A page answered with an error ends the walk with that error as its
      // last message, whatever the view.
      page_.Clear();
      *page_.mutable_error() = response.error();
      *page_.mutable_metadata() = response.metadata();
      after_ = grpc::Status::OK;
      return StartWrite(&page_);
    }
    Json page = Json::parse(page_text, nullptr, false);
    if (!page.is_object()) return End(grpc::Status(grpc::DATA_LOSS, "a page's result is not a JSON object"));
    auto step = walk_.TakePage(std::move(page));
    if (!step.ok()) return End(ToGrpcStatus(step.status()));
    page_.Clear();
    *page_.mutable_metadata() = response.metadata();
    if (step->last) after_ = ToGrpcStatus(step->after);
    switch (view_) {
      case awsd::v1::PAGE_VIEW_MERGED: {
        if (!step->after.ok()) return End(*after_);
        if (auto added = merged_.Add(step->page); !added.ok()) return End(ToGrpcStatus(added));
        if (!step->last) return Request();
        merged_text_ = Dump(std::move(merged_).Finish(walk_.non_aggregate_part(), step->resume_token));
        if (step->resume_token.has_value()) page_.set_next_token(*step->resume_token);
        return WriteMergedPiece();
      }
      case awsd::v1::PAGE_VIEW_RESULT_KEYS: {
        auto view =
            pagination::ResultKeysView(walk_.config(), step->page, first_ ? &walk_.non_aggregate_part() : nullptr);
        if (!view.ok()) return End(ToGrpcStatus(view.status()));
        page_.set_result_json(Dump(*view));
        break;
      }
      default:
        page_.set_result_json(step->changed ? Dump(step->page) : page_text);
    }
    first_ = false;
    if (step->resume_token.has_value()) page_.set_next_token(*step->resume_token);
    StartWrite(&page_);
  }

  // A merged result of a long listing can outgrow one message: it goes out
  // in pieces, the metadata and token with the first.
  void WriteMergedPiece() {
    if (merged_offset_ > 0) {
      page_.clear_metadata();
      page_.clear_next_token();
    }
    const std::size_t length = std::min(kMergedPieceBytes, merged_text_.size() - merged_offset_);
    page_.set_result_json(merged_text_.substr(merged_offset_, length));
    merged_offset_ += length;
    page_.set_continued(merged_offset_ < merged_text_.size());
    StartWrite(&page_);
  }

  void End(grpc::Status status) {
    {
      std::lock_guard lock(mutex_);
      if (finished_) return;
      finished_ = true;
    }
    Finish(std::move(status));
  }

  invoke::Invoker& invoker_;
  CallLimiter::Ticket ticket_;
  const invoke::InvokeCall call_;
  pagination::PageWalk walk_;
  const awsd::v1::PageView view_;
  pagination::FullResult merged_;
  awsd::v1::Page page_;
  std::string merged_text_;
  std::size_t merged_offset_ = 0;
  bool first_ = true;
  // Set once the last page is written: how the RPC then ends.
  std::optional<grpc::Status> after_;

  CallInFlight in_flight_;
  std::mutex mutex_;
  bool finished_ = false;
  int references_ = 1;  // gRPC's, until OnDone
};

}  // namespace

grpc::ServerWriteReactor<awsd::v1::Page>* StartPaginate(ServiceContext& context, const grpc::ServerContextBase* caller,
                                                        const awsd::v1::PaginateRequest& request) {
  auto refuse = [](grpc::Status status) {
    class Refusal : public grpc::ServerWriteReactor<awsd::v1::Page> {
     public:
      explicit Refusal(grpc::Status status) { Finish(std::move(status)); }
      void OnDone() override { delete this; }
    };
    return new Refusal(std::move(status));
  };
  CallLimiter::Ticket ticket = context.limiter.TryAcquire();
  if (!ticket)
    return refuse(grpc::Status(grpc::RESOURCE_EXHAUSTED, "too many calls in flight (limits.max_concurrent_calls)"));
  if (context.invoker == nullptr) return refuse(grpc::Status(grpc::FAILED_PRECONDITION, kNoModelsMessage));
  std::string operation;
  auto walk = StartWalk(*context.invoker, request, &operation);
  if (!walk.ok()) return refuse(ToGrpcStatus(walk.status()));
  auto call = ToInvokeCall(context, caller, request.session(), request.service(), operation, "", request.options());
  if (!call.ok()) return refuse(ToGrpcStatus(call.status()));
  call->settings = ToCallSettings(request.timestamp_format(), request.options());
  auto* reactor =
      new PaginateReactor(*context.invoker, std::move(ticket), *std::move(call), *std::move(walk), request.view());
  reactor->Request();
  return reactor;
}

}  // namespace awsd::server
