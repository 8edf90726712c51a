#include "daemon/http/async_http_client.h"

#include <curl/curl.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

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

// A completion to run once the curl lock is released (a completion may
// start the next attempt, which takes that lock again).
struct Ready {
  Completion done;
  absl::StatusOr<HttpResponse> result;
};

// Everything the transport thread owns. Shared with the thread itself, so
// that a client destroyed on its own transport thread (the last reference
// dropped by a task) can detach it instead of joining itself.
//
// curl runs on its socket interface over our own epoll set, so that the
// thread can wait for the network without holding curl: a caller may then
// take the curl lock and start its transfer at once on its own thread. On a
// 2-core VM a thread wake costs ~40 µs, as much as the whole keep-alive
// exchange with a local server; starting inline takes that wake off the
// call's path (the thread wakes for the answer, which it must anyway).
class Core : public std::enable_shared_from_this<Core> {
 public:
  explicit Core(AsyncHttpClientOptions options) : options_(std::move(options)) {
    if (GlobalInit() != CURLE_OK || (multi_ = curl_multi_init()) == nullptr) {
      init_failed_ = true;
      closed_ = true;
      return;
    }
    epoll_ = epoll_create1(EPOLL_CLOEXEC);
    wake_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = wake_;
    if (epoll_ < 0 || wake_ < 0 || epoll_ctl(epoll_, EPOLL_CTL_ADD, wake_, &event) != 0) {
      init_failed_ = true;
      closed_ = true;
      return;
    }
    curl_multi_setopt(multi_, CURLMOPT_MAX_HOST_CONNECTIONS, static_cast<long>(options_.max_connections_per_host));
    curl_multi_setopt(multi_, CURLMOPT_MAX_TOTAL_CONNECTIONS, static_cast<long>(options_.max_total_connections));
    curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, static_cast<long>(options_.max_total_connections));
    curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &Core::OnSocket);
    curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &Core::OnTimer);
    curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
  }

  ~Core() {
    // Only reached without a thread (Create failed to init curl), or after
    // Run cleaned up.
    if (multi_ != nullptr) curl_multi_cleanup(multi_);
    if (epoll_ >= 0) close(epoll_);
    if (wake_ >= 0) close(wake_);
  }

  bool usable() const { return !init_failed_; }

  std::shared_ptr<TransferHandle> Start(Exchange exchange, Completion done);
  void Post(Command command);
  void RequestStop() {
    std::lock_guard lock(mutex_);
    stop_requested_ = true;
    if (!closed_) Wake();
  }
  void Run();

 private:
  static int OnSocket(CURL* easy, curl_socket_t socket, int what, void* core, void* assigned);
  static int OnTimer(CURLM* multi, long timeout_ms, void* core);

  void Wake() {
    const uint64_t one = 1;
    (void)!write(wake_, &one, sizeof one);
  }
  bool OnTransportThread() const {
    return transport_thread_.load(std::memory_order_relaxed) == std::this_thread::get_id();
  }

  // The rest run under curl_mutex_.
  void Handle(Command& command);
  void Begin(std::unique_ptr<Transfer> transfer);
  void Resume(uint64_t id);
  // Runs curl's timer if it is due.
  void RunCurlTimer();
  // Removes the transfer from curl and queues its completion in ready_.
  void Complete(Transfer* transfer, absl::StatusOr<HttpResponse> result);
  void CollectFinished();
  // Ends transfers past their read or total timeout; the nearest deadline
  // left, for the poll.
  Clock::time_point ExpireTimeouts(Clock::time_point now);
  // Moves the due tasks into `due`; the next task's time.
  Clock::time_point TakeDueTasks(std::vector<std::function<void()>>& due);
  void Finish();
  CURL* Acquire();
  void Release(CURL* easy);

  const AsyncHttpClientOptions options_;
  bool init_failed_ = false;
  std::atomic<uint64_t> next_id_{1};
  std::atomic<std::thread::id> transport_thread_{};
  int epoll_ = -1;
  int wake_ = -1;  // an eventfd in epoll_: commands and stop requests

  std::mutex mutex_;
  std::deque<Command> commands_;  // guarded by mutex_
  bool stop_requested_ = false;   // guarded by mutex_
  // No more commands: the thread has stopped (or never could start), and
  // multi_ is gone. Guarded by mutex_.
  bool closed_ = false;

  // Held by whoever drives curl: the transport thread while it works (never
  // while it waits), or a caller starting a transfer inline. Taken before
  // mutex_ when both are.
  std::mutex curl_mutex_;
  CURLM* multi_ = nullptr;
  std::unordered_map<uint64_t, std::unique_ptr<Transfer>> active_;
  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers_;
  uint64_t timer_sequence_ = 0;
  std::vector<CURL*> idle_;
  std::vector<Ready> ready_;
  // When curl wants its timer run; max when it has none.
  Clock::time_point curl_due_ = Clock::time_point::max();
  // When the thread's current wait ends at the latest: an inline start that
  // moves curl's timer earlier than this must wake it.
  Clock::time_point sleeping_until_ = Clock::time_point::max();
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

int Core::OnSocket(CURL*, curl_socket_t socket, int what, void* core_ptr, void* assigned) {
  Core* core = static_cast<Core*>(core_ptr);
  if (what == CURL_POLL_REMOVE) {
    // Fails harmlessly when curl has closed the socket already.
    epoll_ctl(core->epoll_, EPOLL_CTL_DEL, socket, nullptr);
    curl_multi_assign(core->multi_, socket, nullptr);
    return 0;
  }
  epoll_event event{};
  event.events = ((what & CURL_POLL_IN) ? EPOLLIN : 0u) | ((what & CURL_POLL_OUT) ? EPOLLOUT : 0u);
  event.data.fd = socket;
  if (assigned == nullptr) {
    // A number curl closed and reopened can still be in the set.
    if (epoll_ctl(core->epoll_, EPOLL_CTL_ADD, socket, &event) != 0 && errno == EEXIST) {
      epoll_ctl(core->epoll_, EPOLL_CTL_MOD, socket, &event);
    }
    curl_multi_assign(core->multi_, socket, core);  // any non-null: "in the set"
  } else {
    epoll_ctl(core->epoll_, EPOLL_CTL_MOD, socket, &event);
  }
  return 0;
}

int Core::OnTimer(CURLM*, long timeout_ms, void* core_ptr) {
  Core* core = static_cast<Core*>(core_ptr);
  core->curl_due_ = timeout_ms < 0 ? Clock::time_point::max() : Clock::now() + std::chrono::milliseconds(timeout_ms);
  return 0;
}

std::shared_ptr<TransferHandle> Core::Start(Exchange exchange, Completion done) {
  auto transfer = std::make_unique<Transfer>();
  transfer->id = next_id_++;
  transfer->exchange = std::move(exchange);
  transfer->done = std::move(done);
  // Validated here, on the caller's thread, to keep that work off the
  // transport thread; a refusal still completes there, like any other error.
  transfer->invalid = internal::Prepare(*transfer, options_);
  const uint64_t id = transfer->id;
  // Started inline when curl is free: a buffered exchange only, so that body
  // readers and writers keep being called on the transport thread alone; and
  // never from the transport thread itself (a completion or task), whose
  // loop starts queued transfers before it waits again.
  if (transfer->invalid.ok() && transfer->exchange.body_reader == nullptr &&
      transfer->exchange.body_writer == nullptr && !OnTransportThread()) {
    std::unique_lock curl(curl_mutex_, std::try_to_lock);
    if (curl.owns_lock()) {
      bool open;
      {
        std::lock_guard lock(mutex_);
        open = !closed_ && !stop_requested_;
      }
      if (open) {
        Begin(std::move(transfer));
        RunCurlTimer();
        CollectFinished();
        const bool wake = curl_due_ < sleeping_until_;
        std::vector<Ready> ready;
        ready.swap(ready_);
        curl.unlock();
        if (wake) Wake();
        for (Ready& r : ready) r.done(std::move(r.result));
        return std::make_shared<TransferHandleImpl>(weak_from_this(), id);
      }
    }
  }
  {
    std::unique_lock lock(mutex_);
    if (!closed_) {
      commands_.push_back(Command{.kind = Command::Kind::kStart, .id = id, .transfer = std::move(transfer)});
      Wake();
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
  Wake();
}

void Core::Run() {
  transport_thread_.store(std::this_thread::get_id(), std::memory_order_relaxed);
  constexpr int kMaxEvents = 64;
  epoll_event events[kMaxEvents];
  int wait_ms = 0;
  std::vector<Ready> ready;
  std::vector<std::function<void()>> due;
  while (true) {
    int count = epoll_wait(epoll_, events, kMaxEvents, wait_ms);
    if (count < 0) count = 0;  // EINTR: go round
    {
      std::lock_guard curl(curl_mutex_);
      std::deque<Command> commands;
      bool stop;
      {
        std::lock_guard lock(mutex_);
        // Drained before the commands are taken, so a command posted after
        // this point wakes the next wait.
        uint64_t wakes;
        (void)!read(wake_, &wakes, sizeof wakes);
        stop = stop_requested_;
        // Left queued at a stop: Finish completes them.
        if (!stop) commands.swap(commands_);
      }
      if (stop) break;
      for (Command& command : commands) Handle(command);
      int running = 0;
      for (int i = 0; i < count; ++i) {
        const int fd = events[i].data.fd;
        if (fd == wake_) continue;
        int flags = 0;
        if (events[i].events & EPOLLIN) flags |= CURL_CSELECT_IN;
        if (events[i].events & EPOLLOUT) flags |= CURL_CSELECT_OUT;
        if (events[i].events & (EPOLLERR | EPOLLHUP)) flags |= CURL_CSELECT_ERR;
        curl_multi_socket_action(multi_, fd, flags, &running);
      }
      RunCurlTimer();
      CollectFinished();
      const auto now = Clock::now();
      Clock::time_point next = std::min({ExpireTimeouts(now), TakeDueTasks(due), curl_due_});
      next = std::min(next, now + std::chrono::milliseconds(kMaxPollMs));
      // Rounded up: waking a little early would only spin until the deadline.
      wait_ms = next <= now ? 0 : static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(next - now).count());
      sleeping_until_ = next;
      ready.swap(ready_);
      // A task's captures and a command's transfer go here, not under mutex_.
      commands.clear();
    }
    // Outside the curl lock: completions and tasks may start transfers.
    for (Ready& r : ready) r.done(std::move(r.result));
    ready.clear();
    for (auto& task : due) {
      if (task) task();
    }
    due.clear();
  }
  Finish();
}

void Core::RunCurlTimer() {
  if (curl_due_ > Clock::now()) return;
  curl_due_ = Clock::time_point::max();
  int running = 0;
  curl_multi_socket_action(multi_, CURL_SOCKET_TIMEOUT, 0, &running);
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
  if (done) ready_.push_back(Ready{std::move(done), std::move(result)});
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

Clock::time_point Core::TakeDueTasks(std::vector<std::function<void()>>& due) {
  const auto now = Clock::now();
  while (!timers_.empty() && timers_.top().due <= now) {
    // priority_queue::top is const; the task is moved out of a copy-free pop.
    due.push_back(std::move(const_cast<Timer&>(timers_.top()).task));
    timers_.pop();
  }
  return timers_.empty() ? Clock::time_point::max() : timers_.top().due;
}

void Core::Finish() {
  std::deque<Command> commands;
  std::vector<Ready> ready;
  {
    std::lock_guard curl(curl_mutex_);
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
      commands.swap(commands_);
    }
    // From here, Start completes on its caller's thread and nothing else is
    // queued, so everything still owed a completion is in these places.
    for (Command& command : commands) {
      if (command.kind != Command::Kind::kStart) continue;
      Completion done = std::move(command.transfer->done);
      const absl::Status status = ShutDownError(command.transfer->exchange.request);
      command.transfer.reset();
      if (done) ready_.push_back(Ready{std::move(done), status});
    }
    while (!active_.empty()) {
      Transfer* transfer = active_.begin()->second.get();
      Complete(transfer, ShutDownError(transfer->exchange.request));
    }
    timers_ = {};
    for (CURL* easy : idle_) curl_easy_cleanup(easy);
    idle_.clear();
    curl_multi_cleanup(multi_);
    multi_ = nullptr;
    ready.swap(ready_);
  }
  commands.clear();
  for (Ready& r : ready) r.done(std::move(r.result));
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
