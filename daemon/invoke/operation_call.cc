#include "daemon/invoke/operation_call.h"

#include <atomic>
#include <mutex>
#include <random>
#include <utility>

#include "absl/strings/str_cat.h"
#include "daemon/invoke/s3_list_encoding.h"

namespace awsd::invoke {
namespace {

double RealRandom() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

class OperationCall : public CallHandle, public std::enable_shared_from_this<OperationCall> {
 public:
  OperationCall(std::shared_ptr<const ServiceClient> client, PreparedRequest request, CallSettings settings,
                const CallServices& services, CallDone done)
      : client_(std::move(client)),
        request_(std::move(request)),
        settings_(std::move(settings)),
        signer_(services.signer),
        transport_(services.transport),
        clock_skew_(services.clock_skew),
        retries_(RetryConfigFor(*client_, settings_), client_->retry_state(), client_->model().service_name(),
                 services.random ? services.random : RealRandom),
        done_(std::move(done)) {}

  void Begin() { ScheduleAttempt(); }

  void Cancel() override {
    std::shared_ptr<http::TransferHandle> transfer;
    {
      std::lock_guard lock(mutex_);
      cancelled_ = true;
      transfer = transfer_;
    }
    if (transfer) transfer->Cancel();
  }

  void Resume() override {
    std::shared_ptr<http::TransferHandle> transfer;
    {
      std::lock_guard lock(mutex_);
      transfer = transfer_;
      if (!transfer) resume_pending_ = true;
    }
    if (transfer) transfer->Resume();
  }

 private:
  static retries::RetryConfig RetryConfigFor(const ServiceClient& client, const CallSettings& settings) {
    retries::RetryConfig config = client.retry_config();
    if (settings.max_attempts > 0) {
      config.max_attempts = settings.max_attempts;
      config.max_attempts_configured = true;
    }
    return config;
  }

  void ScheduleAttempt() {
    const std::chrono::milliseconds wait = retries_.DelayBeforeAttempt();
    if (wait.count() > 0) {
      transport_.RunAfter(wait, [self = shared_from_this()] { self->Attempt(); });
      return;
    }
    Attempt();
  }

  void Attempt() {
    {
      std::lock_guard lock(mutex_);
      if (cancelled_) {
        CallOutcome outcome;
        outcome.status = absl::CancelledError("the call was cancelled");
        outcome.retry_attempts = std::max(0, retries_.attempts() - 1);
        Finish(std::move(outcome));
        return;
      }
    }
    http::Exchange exchange;
    signed_at_ = clock_skew_.Now(request_.host);
    if (request_.sign) {
      auto credentials = client_->session().Credentials();
      if (!credentials.ok()) return FailEarly(credentials.status());
      signing::SigningParams params = request_.signing;
      params.time = signed_at_;
      auto signed_request = signer_.Sign(request_.request, **credentials, params);
      if (!signed_request.ok()) return FailEarly(signed_request.status());
      exchange.request = std::move(signed_request->request);
    } else {
      exchange.request = request_.request;
    }
    exchange.options = client_->exchange_options();
    if (settings_.read_timeout.has_value()) exchange.options.read_timeout = *settings_.read_timeout;
    exchange.options.expect_continue = request_.expect_continue;
    exchange.options.proxy = http::ProxyFor(exchange.request.url, client_->environment());
    exchange.body_reader = settings_.body_reader;
    exchange.content_length = settings_.body_length;
    exchange.body_writer = settings_.body_writer;
    auto transfer = transport_.Start(
        std::move(exchange), [self = shared_from_this()](auto response) { self->OnResponse(std::move(response)); });
    bool resume = false;
    {
      std::lock_guard lock(mutex_);
      transfer_ = transfer;
      resume = std::exchange(resume_pending_, false);
    }
    if (resume) transfer->Resume();
  }

  // A failure before anything was sent ends the call at once: no retry
  // would cure missing credentials or a request the signer refuses.
  void FailEarly(absl::Status status) {
    CallOutcome outcome;
    outcome.status = std::move(status);
    outcome.retry_attempts = std::max(0, retries_.attempts() - 1);
    Finish(std::move(outcome));
  }

  void OnResponse(absl::StatusOr<http::HttpResponse> response) {
    // This attempt is counted by AfterAttempt below; RetryAttempts in the
    // result is the number made before it.
    const int retry_attempts = retries_.attempts();
    retries::AttemptResult attempt;
    attempt.signed_at = signed_at_;
    attempt.host = request_.host;
    attempt.replayable = settings_.body_reader == nullptr;
    CallOutcome outcome;
    outcome.retry_attempts = retry_attempts;
    if (!response.ok()) {
      attempt.transport = response.status();
      outcome.status = response.status();
    } else {
      attempt.http_status = response->status;
      attempt.headers = &response->headers;
      outcome.http_status = response->status;
      auto reply = client_->protocol().ParseToClientJson(client_->model(), *request_.operation, *response,
                                                         protocols::ParseOptions{settings_.timestamps}, retry_attempts);
      if (!reply.ok()) {
        outcome.status = reply.status();
      } else {
        if (reply->is_error) {
          attempt.error_code = reply->error_code;
        } else {
          if (settings_.body_writer == nullptr) {
            absl::Status checksum = protocols::ValidateResponseChecksum(request_.checksums, *response);
            if (!checksum.ok()) outcome.status = checksum;
          }
          if (request_.decode_list_keys) DecodeListObjectKeys(request_.operation->name, reply->json);
        }
        outcome.reply = *std::move(reply);
      }
    }
    const retries::RetryDecision decision = retries_.AfterAttempt(attempt);
    outcome.retryable = decision.retryable;
    bool cancelled;
    {
      std::lock_guard lock(mutex_);
      cancelled = cancelled_;
      transfer_.reset();
    }
    if (decision.retry && !cancelled) {
      transport_.RunAfter(decision.delay, [self = shared_from_this()] { self->ScheduleAttempt(); });
      return;
    }
    if (response.ok()) outcome.headers = std::move(response->headers);
    Finish(std::move(outcome));
  }

  void Finish(CallOutcome outcome) {
    CallDone done;
    {
      std::lock_guard lock(mutex_);
      done = std::move(done_);
      done_ = nullptr;
    }
    if (done) done(std::move(outcome));
  }

  const std::shared_ptr<const ServiceClient> client_;
  const PreparedRequest request_;
  const CallSettings settings_;
  signing::Signer& signer_;
  http::AsyncHttpClient& transport_;
  retries::ClockSkew& clock_skew_;
  // Touched only by the attempt in progress: attempts never overlap.
  retries::CallRetries retries_;
  std::chrono::system_clock::time_point signed_at_{};
  std::mutex mutex_;
  bool cancelled_ = false;
  bool resume_pending_ = false;
  std::shared_ptr<http::TransferHandle> transfer_;
  CallDone done_;
};

}  // namespace

std::shared_ptr<CallHandle> StartCall(std::shared_ptr<const ServiceClient> client, PreparedRequest request,
                                      CallSettings settings, const CallServices& services, CallDone done) {
  auto call = std::make_shared<OperationCall>(std::move(client), std::move(request), std::move(settings), services,
                                              std::move(done));
  call->Begin();
  return call;
}

}  // namespace awsd::invoke
