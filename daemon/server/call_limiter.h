#pragma once

#include <atomic>
#include <cstdint>

namespace awsd::server {

// Bounds the calls in flight across the daemon (limits.max_concurrent_calls):
// past the bound a call is refused at once with RESOURCE_EXHAUSTED rather
// than queued behind work it cannot see.
class CallLimiter {
 public:
  explicit CallLimiter(uint32_t max_calls) : max_calls_(max_calls) {}

  class Ticket {
   public:
    Ticket() = default;
    explicit Ticket(CallLimiter* owner) : owner_(owner) {}
    Ticket(Ticket&& other) noexcept : owner_(other.owner_) { other.owner_ = nullptr; }
    Ticket& operator=(Ticket&&) = delete;
    Ticket(const Ticket&) = delete;
    ~Ticket() {
      if (owner_) owner_->in_flight_.fetch_sub(1, std::memory_order_relaxed);
    }
    explicit operator bool() const { return owner_ != nullptr; }

   private:
    CallLimiter* owner_ = nullptr;
  };

  // An empty ticket when the daemon is at its bound.
  Ticket TryAcquire() {
    if (in_flight_.fetch_add(1, std::memory_order_relaxed) >= max_calls_.load(std::memory_order_relaxed)) {
      in_flight_.fetch_sub(1, std::memory_order_relaxed);
      return Ticket();
    }
    return Ticket(this);
  }

  void set_max_calls(uint32_t max_calls) { max_calls_.store(max_calls, std::memory_order_relaxed); }
  uint32_t in_flight() const { return in_flight_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint32_t> max_calls_;
  std::atomic<uint32_t> in_flight_{0};
};

}  // namespace awsd::server
