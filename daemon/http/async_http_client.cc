#include "daemon/http/async_http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <queue>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "daemon/http/async_transfer.h"

namespace awsd::http {
namespace {

using internal::Clock;
using internal::GlobalInit;
using internal::Transfer;

// The loop wakes at least this often even with nothing to do, so a missed
// wake-up could only ever cost this much.
constexpr long kMaxPollMs = 1000;
// Easy handles kept for reuse; more only cost memory (connections live in the
// multi handle's cache, not in easy handles).
constexpr std::size_t kMaxIdleHandles = 64;

absl::Status ShutDownError(const HttpRequest& request) {
  return absl::CancelledError(
      absl::StrCat(request.method, " ", RedactUrl(request.url), ": the HTTP client is shut down"));
}

// What another thread asks of the transport thread.
struct Command {
  enum class Kind { kStart, kResume, kCancel, kTask };
  Kind kind;
  uint64_t id = 0;
  std::unique_ptr<Transfer> transfer{};  // kStart
  Clock::time_point due{};               // kTask
  std::function<void()> task{};          // kTask
};

struct Timer {
  Clock::time_point due;
  uint64_t sequence;  // keeps tasks due at the same time in the order given
  std::function<void()> task;
  bool operator>(const Timer& other) const { return due != other.due ? due > other.due : sequence > other.sequence; }
};

// Everything the transport thread owns. Shared with the thread itself, so
// that a client destroyed on its own transport thread (the last reference
// dropped by a task) can detach it instead of joining itself.
class Core : public std::enable_shared_from_this<Core> {
 public:
  explicit Core(AsyncHttpClientOptions options) : options_(std::move(options)) {
    if (GlobalInit() != CURLE_OK || (multi_ = curl_multi_init()) == nullptr) {
      init_failed_ = true;
      closed_ = true;
      return;
    }
    curl_multi_setopt(multi_, CURLMOPT_MAX_HOST_CONNECTIONS, static_cast<long>(options_.max_connections_per_host));
    curl_multi_setopt(multi_, CURLMOPT_MAX_TOTAL_CONNECTIONS, static_cast<long>(options_.max_total_connections));
    curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, static_cast<long>(options_.max_total_connections));
  }

  ~Core() {
    // Only reached without a thread (Create failed to init curl), or after
    // Run cleaned up.
    if (multi_ != nullptr) curl_multi_cleanup(multi_);
  }

  bool usable() const { return !init_failed_; }

  std::shared_ptr<TransferHandle> Start(Exchange exchange, Completion done);
  void Post(Command command);
  void RequestStop() {
    std::lock_guard lock(mutex_);
    stop_requested_ = true;
    if (!closed_) curl_multi_wakeup(multi_);
  }
  void Run();

 private:
  void Handle(Command& command);
  void Begin(std::unique_ptr<Transfer> transfer);
  void Resume(uint64_t id);
  // Removes the transfer from curl and runs its completion.
  void Complete(Transfer* transfer, absl::StatusOr<HttpResponse> result);
  void CollectFinished();
  // Ends transfers past their read or total timeout; the nearest deadline
  // left, for the poll.
  Clock::time_point ExpireTimeouts(Clock::time_point now);
  Clock::time_point RunDueTasks();
  void Finish();
  CURL* Acquire();
  void Release(CURL* easy);

  const AsyncHttpClientOptions options_;
  bool init_failed_ = false;
  std::atomic<uint64_t> next_id_{1};

  std::mutex mutex_;
  std::deque<Command> commands_;  // guarded by mutex_
  bool stop_requested_ = false;   // guarded by mutex_
  // No more commands: the thread has stopped (or never could start), and
  // multi_ must no longer be woken. Guarded by mutex_.
  bool closed_ = false;
  CURLM* multi_ = nullptr;

  // Transport thread only.
  std::unordered_map<uint64_t, std::unique_ptr<Transfer>> active_;
  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers_;
  uint64_t timer_sequence_ = 0;
  std::vector<CURL*> idle_;
};

class TransferHandleImpl : public TransferHandle {
 public:
  TransferHandleImpl(std::weak_ptr<Core> core, uint64_t id) : core_(std::move(core)), id_(id) {}
  void Resume() override { Send(Command::Kind::kResume); }
  void Cancel() override { Send(Command::Kind::kCancel); }

 private:
  void Send(Command::Kind kind) {
    if (auto core = core_.lock()) core->Post(Command{.kind = kind, .id = id_});
  }
  const std::weak_ptr<Core> core_;
  const uint64_t id_;
};

std::shared_ptr<TransferHandle> Core::Start(Exchange exchange, Completion done) {
  auto transfer = std::make_unique<Transfer>();
  transfer->id = next_id_++;
  transfer->exchange = std::move(exchange);
  transfer->done = std::move(done);
  // Validated here, on the caller's thread, to keep that work off the
  // transport thread; a refusal still completes there, like any other error.
  transfer->invalid = internal::Prepare(*transfer, options_);
  const uint64_t id = transfer->id;
  {
    std::unique_lock lock(mutex_);
    if (!closed_) {
      commands_.push_back(Command{.kind = Command::Kind::kStart, .id = id, .transfer = std::move(transfer)});
      curl_multi_wakeup(multi_);
      return std::make_shared<TransferHandleImpl>(weak_from_this(), id);
    }
  }
  // No transport thread left to run it: completed here, so that it still
  // runs exactly once.
  Completion finish = std::move(transfer->done);
  const absl::Status status =
      usable() ? ShutDownError(transfer->exchange.request) : absl::UnavailableError("libcurl failed to initialise");
  transfer.reset();
  if (finish) finish(status);
  return std::make_shared<TransferHandleImpl>(std::weak_ptr<Core>(), id);
}

void Core::Post(Command command) {
  std::lock_guard lock(mutex_);
  if (closed_) return;  // a task dropped, or a transfer long finished
  commands_.push_back(std::move(command));
  curl_multi_wakeup(multi_);
}

void Core::Run() {
  while (true) {
    std::deque<Command> commands;
    bool stop;
    {
      std::lock_guard lock(mutex_);
      commands.swap(commands_);
      stop = stop_requested_;
    }
    if (stop) break;
    for (Command& command : commands) Handle(command);
    commands.clear();  // a task's captures are released here, not under the lock

    int running = 0;
    curl_multi_perform(multi_, &running);
    CollectFinished();
    Clock::time_point next = ExpireTimeouts(Clock::now());
    next = std::min(next, RunDueTasks());

    long wait_ms = kMaxPollMs;
    long curl_ms = -1;
    if (curl_multi_timeout(multi_, &curl_ms) == CURLM_OK && curl_ms >= 0) wait_ms = std::min(wait_ms, curl_ms);
    const auto now = Clock::now();
    if (next <= now) {
      wait_ms = 0;
    } else if (next != Clock::time_point::max()) {
      // Rounded up: waking a little early would only spin until the deadline.
      const auto until = std::chrono::ceil<std::chrono::milliseconds>(next - now).count();
      wait_ms = std::min<long>(wait_ms, static_cast<long>(until));
    }
    // Commands posted since the swap have woken curl's wake-up pipe, so a
    // poll would return at once anyway; this saves the syscalls.
    if (wait_ms > 0) curl_multi_poll(multi_, nullptr, 0, static_cast<int>(wait_ms), nullptr);
  }
  Finish();
}

void Core::Handle(Command& command) {
  switch (command.kind) {
    case Command::Kind::kStart:
      Begin(std::move(command.transfer));
      break;
    case Command::Kind::kResume:
      Resume(command.id);
      break;
    case Command::Kind::kCancel: {
      auto found = active_.find(command.id);
      if (found == active_.end()) break;  // already completed
      Transfer* transfer = found->second.get();
      Complete(transfer, absl::CancelledError(absl::StrCat(internal::Describe(*transfer), ": cancelled")));
      break;
    }
    case Command::Kind::kTask:
      timers_.push(Timer{command.due, timer_sequence_++, std::move(command.task)});
      break;
  }
}

void Core::Begin(std::unique_ptr<Transfer> owned) {
  Transfer* transfer = owned.get();
  active_.emplace(transfer->id, std::move(owned));
  if (!transfer->invalid.ok()) return Complete(transfer, transfer->invalid);
  CURL* easy = Acquire();
  if (easy == nullptr) return Complete(transfer, absl::UnavailableError("libcurl could not create a handle"));
  internal::Configure(easy, *transfer);
  transfer->started = Clock::now();
  transfer->last_progress = transfer->started;
  if (curl_multi_add_handle(multi_, easy) != CURLM_OK) {
    transfer->easy = nullptr;
    Release(easy);
    return Complete(transfer, absl::UnavailableError(
                                  absl::StrCat(internal::Describe(*transfer), ": libcurl refused the transfer")));
  }
}

void Core::Resume(uint64_t id) {
  auto found = active_.find(id);
  if (found == active_.end()) return;
  Transfer* transfer = found->second.get();
  if (!transfer->read_paused && !transfer->write_paused) return;  // spurious: nothing to do
  // Cleared first: curl offers the held-back body again from inside
  // curl_easy_pause, and the writer may pause it again right there.
  transfer->read_paused = false;
  transfer->write_paused = false;
  transfer->Touch();
  const CURLcode code = curl_easy_pause(transfer->easy, CURLPAUSE_CONT);
  // A writer failing on the re-offered bytes fails the unpause, and curl does
  // not end the transfer by itself then.
  if (code != CURLE_OK) Complete(transfer, internal::ErrorFor(*transfer, code));
}

void Core::Complete(Transfer* transfer, absl::StatusOr<HttpResponse> result) {
  auto found = active_.find(transfer->id);
  std::unique_ptr<Transfer> owned = std::move(found->second);
  active_.erase(found);
  if (owned->easy != nullptr) {
    curl_multi_remove_handle(multi_, owned->easy);
    Release(owned->easy);
    owned->easy = nullptr;
  }
  Completion done = std::move(owned->done);
  // The reader, writer and request go before the completion runs: it may
  // start the next attempt with the same reader.
  owned.reset();
  if (done) done(std::move(result));
}

void Core::CollectFinished() {
  int left = 0;
  while (CURLMsg* message = curl_multi_info_read(multi_, &left)) {
    if (message->msg != CURLMSG_DONE) continue;
    const CURLcode code = message->data.result;
    Transfer* transfer = nullptr;
    curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &transfer);
    if (transfer == nullptr || !active_.contains(transfer->id)) continue;
    if (code != CURLE_OK) {
      Complete(transfer, internal::ErrorFor(*transfer, code));
      continue;
    }
    long status = 0;
    curl_easy_getinfo(transfer->easy, CURLINFO_RESPONSE_CODE, &status);
    transfer->response.status = static_cast<int>(status);
    HttpResponse response = std::move(transfer->response);
    Complete(transfer, std::move(response));
  }
}

Clock::time_point Core::ExpireTimeouts(Clock::time_point now) {
  // A full scan each round: deadlines move with every byte, and a few hundred
  // transfers cost less than keeping a heap of them current.
  Clock::time_point next = Clock::time_point::max();
  std::vector<std::pair<Transfer*, absl::Status>> expired;
  for (auto& [id, owned] : active_) {
    Transfer* t = owned.get();
    const ExchangeOptions& options = t->exchange.options;
    if (options.total_timeout.count() > 0) {
      const auto deadline = t->started + options.total_timeout;
      if (deadline <= now) {
        expired.emplace_back(t,
                             absl::DeadlineExceededError(absl::StrCat(internal::Describe(*t), ": total timeout (",
                                                                      options.total_timeout.count(), " ms) reached")));
        continue;
      }
      next = std::min(next, deadline);
    }
    if (options.read_timeout.count() > 0 && t->connected && !t->read_paused && !t->write_paused) {
      const auto deadline = t->last_progress + options.read_timeout;
      if (deadline <= now) {
        expired.emplace_back(t, absl::DeadlineExceededError(absl::StrCat(
                                    internal::Describe(*t), ": read timeout (", options.read_timeout.count(),
                                    " ms): nothing received or sent", t->head_complete ? " after the head" : "")));
        continue;
      }
      next = std::min(next, deadline);
    }
  }
  for (auto& [transfer, status] : expired) Complete(transfer, std::move(status));
  return next;
}

Clock::time_point Core::RunDueTasks() {
  while (!timers_.empty() && timers_.top().due <= Clock::now()) {
    // priority_queue::top is const; the task is moved out of a copy-free pop.
    std::function<void()> task = std::move(const_cast<Timer&>(timers_.top()).task);
    timers_.pop();
    if (task) task();
  }
  return timers_.empty() ? Clock::time_point::max() : timers_.top().due;
}

void Core::Finish() {
  std::deque<Command> commands;
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    commands.swap(commands_);
  }
  // From here, Start completes on its caller's thread and nothing else is
  // queued, so everything still owed a completion is in these two places.
  for (Command& command : commands) {
    if (command.kind != Command::Kind::kStart) continue;
    Completion done = std::move(command.transfer->done);
    const absl::Status status = ShutDownError(command.transfer->exchange.request);
    command.transfer.reset();
    if (done) done(status);
  }
  commands.clear();
  while (!active_.empty()) {
    Transfer* transfer = active_.begin()->second.get();
    Complete(transfer, ShutDownError(transfer->exchange.request));
  }
  timers_ = {};
  for (CURL* easy : idle_) curl_easy_cleanup(easy);
  idle_.clear();
  curl_multi_cleanup(multi_);
  multi_ = nullptr;
}

CURL* Core::Acquire() {
  if (idle_.empty()) return curl_easy_init();
  CURL* easy = idle_.back();
  idle_.pop_back();
  return easy;
}

void Core::Release(CURL* easy) {
  if (idle_.size() >= kMaxIdleHandles) return curl_easy_cleanup(easy);
  curl_easy_reset(easy);
  idle_.push_back(easy);
}

class AsyncHttpClientImpl : public AsyncHttpClient {
 public:
  explicit AsyncHttpClientImpl(AsyncHttpClientOptions options) : core_(std::make_shared<Core>(std::move(options))) {
    if (core_->usable()) thread_ = std::thread([core = core_] { core->Run(); });
  }
  ~AsyncHttpClientImpl() override { Shutdown(); }

  std::shared_ptr<TransferHandle> Start(Exchange exchange, Completion done) override {
    return core_->Start(std::move(exchange), std::move(done));
  }

  void RunAfter(std::chrono::milliseconds delay, std::function<void()> task) override {
    core_->Post(Command{.kind = Command::Kind::kTask, .due = Clock::now() + delay, .task = std::move(task)});
  }

  void Shutdown() override {
    core_->RequestStop();
    std::lock_guard lock(shutdown_mutex_);
    if (!thread_.joinable()) return;
    if (thread_.get_id() == std::this_thread::get_id()) {
      // Called from a completion or task: the loop ends (cancelling what is
      // left) once that returns; the thread keeps the core alive until then.
      thread_.detach();
    } else {
      thread_.join();
    }
  }

 private:
  const std::shared_ptr<Core> core_;
  std::mutex shutdown_mutex_;
  std::thread thread_;
};

}  // namespace

std::shared_ptr<AsyncHttpClient> AsyncHttpClient::Create(AsyncHttpClientOptions options) {
  return std::make_shared<AsyncHttpClientImpl>(std::move(options));
}

}  // namespace awsd::http
