#include "client-lib/src/resources/page_stream.h"

namespace awsd::resources {

PageStream::~PageStream() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void PageStream::Run() {
  Result<Done> done = producer_([this](nlohmann::json page) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return stop_ || !slot_.has_value(); });
    if (stop_) return false;
    slot_ = std::move(page);
    changed_.notify_all();
    return true;
  });
  std::lock_guard lock(mutex_);
  if (!done.ok()) error_ = done.error();
  finished_ = true;
  changed_.notify_all();
}

Result<std::optional<nlohmann::json>> PageStream::Next() {
  std::unique_lock lock(mutex_);
  if (!started_) {
    started_ = true;
    thread_ = std::thread([this] { Run(); });
  }
  changed_.wait(lock, [this] { return slot_.has_value() || finished_; });
  if (slot_.has_value()) {
    std::optional<nlohmann::json> page = std::move(slot_);
    slot_.reset();
    changed_.notify_all();
    return page;
  }
  if (error_) {
    Error error = std::move(*error_);
    error_.reset();
    return error;
  }
  return std::optional<nlohmann::json>();
}

}  // namespace awsd::resources
