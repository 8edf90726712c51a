#include "awsd/page_range.h"

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>

#include "awsd/client.h"
#include "awsd/v1/invoke.grpc.pb.h"
#include "call_status.h"

namespace awsd {

using internal::SetDeadline;
using internal::ToError;

struct PageRange::State {
  std::string socket_path;
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReader<awsd::v1::Page>> reader;
  awsd::v1::Page page;
  bool at_end = false;
  Result<Done> status = Done{};

  void Advance() {
    if (at_end) return;
    if (reader->Read(&page)) return;
    at_end = true;
    grpc::Status finished = reader->Finish();
    if (!finished.ok()) status = ToError(finished, socket_path);
  }
  ~State() {
    if (at_end) return;
    context.TryCancel();
    reader->Finish();
  }
};

PageRange::PageRange(std::unique_ptr<State> state) : state_(std::move(state)) {}
PageRange::PageRange(PageRange&&) noexcept = default;
PageRange& PageRange::operator=(PageRange&&) noexcept = default;
PageRange::~PageRange() = default;

PageRange::Iterator PageRange::begin() {
  state_->Advance();
  return Iterator(this);
}

const Result<Done>& PageRange::status() const { return state_->status; }

const awsd::v1::Page& PageRange::Iterator::operator*() const { return range_->state_->page; }

PageRange::Iterator& PageRange::Iterator::operator++() {
  range_->state_->Advance();
  return *this;
}

bool PageRange::Iterator::operator==(std::default_sentinel_t) const {
  return range_ == nullptr || range_->state_->at_end;
}

PageRange Client::Pages(const Session& session, awsd::v1::PaginateRequest request, CallSettings settings) const {
  *request.mutable_session() = session.ref();
  auto state = std::make_unique<PageRange::State>();
  state->socket_path = socket_path_;
  SetDeadline(state->context, timeout_, settings);
  state->reader = awsd::v1::InvokeService::NewStub(channel_)->Paginate(&state->context, request);
  return PageRange(std::move(state));
}

}  // namespace awsd
