#pragma once

// The last stages of a call: sign, send, retry, parse. Asynchronous: an
// attempt is a transfer on the shared transport, a backoff is a timer on
// it, and no thread waits on the network. Each attempt is signed afresh (a
// retry after a clock-skew error is signed with the corrected time).

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "daemon/http/async_http_client.h"
#include "daemon/invoke/request_preparation.h"
#include "daemon/invoke/service_client.h"
#include "daemon/protocols/protocol.h"
#include "daemon/retries/retry_policy.h"
#include "daemon/signing/signer.h"

namespace awsd::invoke {

// What the daemon lends every call.
struct CallServices {
  signing::Signer& signer;
  http::AsyncHttpClient& transport;
  // The host-wide table the retries record skew in.
  retries::ClockSkew& clock_skew;
  // Uniform in [0, 1): the retry jitter. Null: a real random source.
  std::function<double()> random;
};

struct CallSettings {
  protocols::TimestampOutput timestamps = protocols::TimestampOutput::kIso8601;
  // Total attempts; 0 keeps the client's retry configuration.
  int max_attempts = 0;
  std::optional<std::chrono::milliseconds> read_timeout;
  // A streamed request body (client stream), and its length when known.
  std::shared_ptr<http::BodyReader> body_reader;
  std::optional<uint64_t> body_length;
  // Where a 2xx response's streaming body goes; the rest is parsed as usual.
  std::shared_ptr<http::BodyWriter> body_writer;
};

struct CallOutcome {
  // Not ok when AWS gave no usable answer: a transport failure after the
  // retries, credentials that could not be had, a body that did not parse.
  absl::Status status;
  // The parsed answer (success or AWS's error) as client JSON.
  protocols::ClientReply reply;
  int http_status = 0;
  std::vector<http::Header> headers;
  int retry_attempts = 0;
  // The final outcome was one botocore retries (attempts or quota ran out).
  bool retryable = false;
};

using CallDone = std::function<void(CallOutcome)>;

// A call in flight, for its owner. Thread-safe; harmless after the call ended.
class CallHandle {
 public:
  virtual ~CallHandle() = default;
  // Stops the call: its `done` runs with Cancelled unless it already ran.
  virtual void Cancel() = 0;
  // Continues a transfer paused by its body reader or writer (kWouldBlock).
  // A resume that arrives before the transfer starts is kept for it.
  virtual void Resume() = 0;
};

// Runs the call; `done` runs once, on the transport's thread or (for a
// failure before the first attempt) on the caller's.
std::shared_ptr<CallHandle> StartCall(std::shared_ptr<const ServiceClient> client, PreparedRequest request,
                                      CallSettings settings, const CallServices& services, CallDone done);

}  // namespace awsd::invoke
