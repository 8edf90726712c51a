#pragma once

// The upstream call a reactor has in flight, for its OnCancel: a cancel that
// comes before the call's handle is known reaches the call once it is.

#include <memory>
#include <mutex>

#include "daemon/invoke/operation_call.h"

namespace awsd::server {

class CallInFlight {
 public:
  // After Invoker::Invoke returned the call's handle (null: it had ended).
  void Hold(std::shared_ptr<invoke::CallHandle> handle) {
    bool cancel;
    {
      std::lock_guard lock(mutex_);
      handle_ = handle;
      cancel = cancelled_;
    }
    if (cancel && handle) handle->Cancel();
  }

  // From the call's completion: nothing to cancel any more.
  void Drop() {
    std::lock_guard lock(mutex_);
    handle_.reset();
  }

  // From OnCancel: stops the call in flight and any held later. A call
  // that already ended is not touched (CallHandle::Cancel is then harmless).
  void Cancel() {
    std::shared_ptr<invoke::CallHandle> handle;
    {
      std::lock_guard lock(mutex_);
      cancelled_ = true;
      handle = handle_;
    }
    if (handle) handle->Cancel();
  }

  bool cancelled() const {
    std::lock_guard lock(mutex_);
    return cancelled_;
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<invoke::CallHandle> handle_;
  bool cancelled_ = false;
};

}  // namespace awsd::server
