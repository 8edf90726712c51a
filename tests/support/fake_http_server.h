#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "daemon/http/http_request.h"

namespace awsd::test_support {

// What the server does with one request.
struct FakeResponse {
  int status = 200;
  // Sent as given. Content-Length is added unless given here (so a test can
  // send a lying one) or omit_content_length is set.
  std::vector<http::Header> headers{};
  std::string body{};
  // Real time, waited before answering: how a test makes a client time out.
  // Cut short when the server stops.
  std::chrono::milliseconds delay_before_response{0};
  // Drop the connection after reading the request, answering nothing.
  bool close_without_response = false;
  // No Content-Length: the body ends when the connection closes, so the
  // client cannot know its size in advance.
  bool omit_content_length = false;
  // Close the connection once the answer is written (with a lying
  // Content-Length: a body cut short).
  bool close_after_response = false;
  // Bytes appended to `body`, generated while they are written (byte i is
  // i % 251), so a test can send gigabytes without holding them.
  std::uint64_t generated_body_bytes = 0;
};

// A real HTTP/1.1 server on 127.0.0.1 and an ephemeral port, for tests of
// the transport and of the providers that sit on it (through the real curl
// client). One thread per connection, keep-alive honoured. Every read and
// write is bounded in time, so a client that stalls or disappears costs a
// connection thread a few seconds at most, never a hang.
//
// Request bodies may be chunked (decoded before the handler sees them). A
// request to a proxy (absolute-form target, "GET http://host/path") is
// recorded with that target in `url`, so the server also stands in for a
// forward proxy. "Expect: 100-continue" is answered with "100 Continue"
// before the body is read.
//
// Not for production: no TLS.
class FakeHttpServer {
 public:
  // Called on a connection thread, possibly on several at once: it must be
  // thread-safe. `request.url` is the request target as received (path and
  // query), headers are as received, the body is exactly Content-Length
  // bytes.
  using Handler = std::function<FakeResponse(const http::HttpRequest& request)>;

  struct Options {
    // How long a connection may sit idle (or dribble) before it is dropped.
    std::chrono::milliseconds read_timeout{5000};
    // Read request bodies of any size and drop them (`requests()` shows them
    // empty; discarded_body_bytes() counts them), for streaming tests.
    // Otherwise bodies over 16 MiB are refused (400).
    bool discard_request_bodies = false;
    // Keep every request for requests(); off for load runs, where the record
    // would grow without bound.
    bool record_requests = true;
  };

  // Throws std::system_error when no loopback port can be bound.
  explicit FakeHttpServer(Handler handler) : FakeHttpServer(std::move(handler), Options()) {}
  FakeHttpServer(Handler handler, Options options);
  // Stops accepting, drops every connection and joins every thread.
  ~FakeHttpServer();
  FakeHttpServer(const FakeHttpServer&) = delete;
  FakeHttpServer& operator=(const FakeHttpServer&) = delete;

  uint16_t port() const { return port_; }
  // "http://127.0.0.1:<port>"
  std::string url() const;
  // Every complete request received, in arrival order.
  std::vector<http::HttpRequest> requests() const;
  // Connections accepted so far (a client reusing one shows as one).
  std::size_t connections() const;
  // Request body bytes read and dropped (Options::discard_request_bodies).
  std::uint64_t discarded_body_bytes() const { return discarded_body_bytes_; }

 private:
  enum class Read { kData, kClosed, kTimedOut, kStopping };

  void AcceptLoop();
  void Serve(int fd);
  Read ReadMore(int fd, std::string& buffer);
  bool WriteAll(int fd, std::string_view data);
  // Reads a request body (Content-Length `length`, or chunked) after the
  // head, leaving what follows it in `buffer`. Appends it to `body`, or
  // counts it when bodies are discarded. False when the connection must be
  // dropped; `malformed` then says whether to answer 400 first.
  bool ReadBody(int fd, std::string& buffer, bool chunked, std::size_t length, std::string& body, bool& malformed);
  // Waits for "\r\n" in `buffer`; its offset, or npos when the connection ended.
  std::size_t ReadLine(int fd, std::string& buffer);
  bool WriteGenerated(int fd, std::uint64_t count);
  // Waits `delay` unless the server stops first; false when it stopped.
  bool Wait(std::chrono::milliseconds delay);
  void Forget(int fd);

  const Handler handler_;
  const Options options_;
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint64_t> discarded_body_bytes_{0};

  mutable std::mutex mutex_;
  std::condition_variable stop_signal_;
  std::vector<std::thread> connection_threads_;
  std::vector<int> open_fds_;
  std::vector<http::HttpRequest> requests_;
  std::size_t connections_ = 0;

  // Last, so that everything above exists before it starts.
  std::thread accept_thread_;
};

// A loopback port that nothing listens on, held for the object's life (bound,
// never listening), so a connection to it is refused at once and no other
// test can take the port meanwhile.
class RefusingPort {
 public:
  RefusingPort();
  ~RefusingPort();
  RefusingPort(const RefusingPort&) = delete;
  RefusingPort& operator=(const RefusingPort&) = delete;
  uint16_t port() const { return port_; }

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
};

}  // namespace awsd::test_support
