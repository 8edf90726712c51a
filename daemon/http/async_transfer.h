#pragma once

// Internal to AsyncHttpClient: one exchange's state, the curl options that
// drive it and the callbacks curl calls while it runs. Everything here is
// touched only under the client's curl lock (the transport thread, or a
// caller starting a transfer inline), except Prepare (the caller's thread,
// before the transfer is handed over).

#include <curl/curl.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "daemon/http/async_http_client.h"
#include "daemon/http/curl_wire.h"

namespace awsd::http::internal {

using Clock = std::chrono::steady_clock;

struct Transfer {
  uint64_t id = 0;
  Exchange exchange;
  Completion done;
  // Set by Prepare when the request cannot be sent; the transfer then
  // completes with it without touching curl.
  absl::Status invalid;
  // The URL handed to curl (the request's, or its loopback rewrite).
  std::string target;
  Slist headers;
  // The request body's length for curl: the exchange's content_length, or a
  // Content-Length header the caller put in, or unset (chunked).
  std::optional<uint64_t> upload_length;
  CURL* easy = nullptr;
  char error_buffer[CURL_ERROR_SIZE] = {0};

  HttpResponse response;
  int status = 0;  // of the latest status line, interim ones included
  bool head_complete = false;
  bool streaming = false;  // the body goes to exchange.body_writer
  std::size_t header_bytes = 0;
  uint64_t uploaded = 0;
  curl_off_t seen_down = 0;
  curl_off_t seen_up = 0;

  // Why a callback stopped the transfer; ErrorFor reads these first.
  bool headers_over_cap = false;
  bool body_over_cap = false;
  bool reader_failed = false;
  bool reader_short = false;
  bool writer_failed = false;

  // Paused on our side (a reader or writer said kWouldBlock): the silence
  // is ours, so the read timeout does not run.
  bool read_paused = false;
  bool write_paused = false;
  // A connection is established (or reused): the read timeout runs from here;
  // before, the connect timeout (curl's) does.
  bool connected = false;
  Clock::time_point started;
  Clock::time_point last_progress;

  void Touch() { last_progress = Clock::now(); }
};

// Checks the request (method and header names are tokens, no CR/LF/NUL in a
// value, an absolute http(s) URL) and builds the target and header list.
// InvalidArgument otherwise, naming the method and the redacted URL only.
absl::Status Prepare(Transfer& transfer, const AsyncHttpClientOptions& client);

// Sets every option on `easy` (a fresh or reset handle) for `transfer`.
void Configure(CURL* easy, Transfer& transfer);

// The status for a transfer curl ended with `code` (not CURLE_OK).
absl::Status ErrorFor(const Transfer& transfer, CURLcode code);

// "METHOD redacted-url", the prefix of every message about the transfer.
std::string Describe(const Transfer& transfer);

}  // namespace awsd::http::internal
