#include "tests/support/fake_http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <system_error>

namespace awsd::test_support {
namespace {

// Poll granularity: how quickly a blocked thread notices the server stop.
constexpr int kSliceMs = 20;
constexpr std::size_t kMaxHeaderBytes = 64 * 1024;
constexpr std::size_t kMaxBodyBytes = 16 * 1024 * 1024;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

const std::string* Find(const std::vector<http::Header>& headers, std::string_view name) {
  for (const auto& header : headers) {
    if (http::EqualsIgnoreCase(header.name, name)) return &header.value;
  }
  return nullptr;
}

const char* Reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    default: return "Status";
  }
}

std::string Serialize(const FakeResponse& response) {
  std::string out = "HTTP/1.1 " + std::to_string(response.status) + " " + Reason(response.status) + "\r\n";
  for (const auto& header : response.headers) out += header.name + ": " + header.value + "\r\n";
  if (!response.omit_content_length && Find(response.headers, "Content-Length") == nullptr) {
    out += "Content-Length: " + std::to_string(response.body.size() + response.generated_body_bytes) + "\r\n";
  }
  if (response.omit_content_length) out += "Connection: close\r\n";
  out += "\r\n";
  out += response.body;
  return out;
}

// Splits the head of a request (request line and headers, no final blank
// line). False when it is not HTTP/1.x.
bool ParseHead(std::string_view head, http::HttpRequest& request, bool& http10) {
  const size_t line_end = head.find("\r\n");
  std::string_view line = head.substr(0, line_end);
  const size_t sp1 = line.find(' ');
  const size_t sp2 = line.rfind(' ');
  if (sp1 == line.npos || sp2 == sp1) return false;
  request.method = std::string(line.substr(0, sp1));
  request.url = std::string(line.substr(sp1 + 1, sp2 - sp1 - 1));
  const std::string_view version = line.substr(sp2 + 1);
  if (version.substr(0, 7) != "HTTP/1.") return false;
  http10 = version == "HTTP/1.0";
  std::string_view rest = line_end == head.npos ? std::string_view() : head.substr(line_end + 2);
  while (!rest.empty()) {
    const size_t end = rest.find("\r\n");
    const std::string_view header = rest.substr(0, end);
    rest = end == rest.npos ? std::string_view() : rest.substr(end + 2);
    const size_t colon = header.find(':');
    if (colon == header.npos || colon == 0) return false;
    request.headers.push_back({std::string(header.substr(0, colon)), std::string(Trim(header.substr(colon + 1)))});
  }
  return true;
}

}  // namespace

FakeHttpServer::FakeHttpServer(Handler handler, Options options)
    : handler_(std::move(handler)), options_(options) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) throw std::system_error(errno, std::generic_category(), "FakeHttpServer: socket");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listen_fd_, 64) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    const int error = errno;
    ::close(listen_fd_);
    throw std::system_error(error, std::generic_category(), "FakeHttpServer: bind/listen on 127.0.0.1");
  }
  port_ = ntohs(address.sin_port);
  accept_thread_ = std::thread([this] { AcceptLoop(); });
}

FakeHttpServer::~FakeHttpServer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_signal_.notify_all();
  accept_thread_.join();
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mutex_);
    // Wakes any thread blocked on its socket; the fds stay valid (and are
    // closed by their own threads) because Forget takes this lock.
    for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);
    threads.swap(connection_threads_);
  }
  for (auto& thread : threads) thread.join();
  ::close(listen_fd_);
}

std::string FakeHttpServer::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::vector<http::HttpRequest> FakeHttpServer::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

std::size_t FakeHttpServer::connections() const {
  std::lock_guard lock(mutex_);
  return connections_;
}

void FakeHttpServer::AcceptLoop() {
  while (!stopping_) {
    pollfd pfd{listen_fd_, POLLIN, 0};
    const int ready = ::poll(&pfd, 1, kSliceMs);
    if (ready <= 0) continue;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    std::lock_guard lock(mutex_);
    if (stopping_) {
      ::close(fd);
      break;
    }
    ++connections_;
    open_fds_.push_back(fd);
    connection_threads_.emplace_back([this, fd] { Serve(fd); });
  }
}

void FakeHttpServer::Forget(int fd) {
  std::lock_guard lock(mutex_);
  std::erase(open_fds_, fd);
  ::close(fd);
}

FakeHttpServer::Read FakeHttpServer::ReadMore(int fd, std::string& buffer) {
  const auto deadline = std::chrono::steady_clock::now() + options_.read_timeout;
  while (!stopping_) {
    if (std::chrono::steady_clock::now() >= deadline) return Read::kTimedOut;
    pollfd pfd{fd, POLLIN, 0};
    const int ready = ::poll(&pfd, 1, kSliceMs);
    if (ready < 0 && errno != EINTR) return Read::kClosed;
    if (ready <= 0) continue;
    char chunk[16384];
    const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) return Read::kClosed;
    buffer.append(chunk, static_cast<size_t>(n));
    return Read::kData;
  }
  return Read::kStopping;
}

bool FakeHttpServer::WriteAll(int fd, std::string_view data) {
  const auto deadline = std::chrono::steady_clock::now() + options_.read_timeout;
  while (!data.empty()) {
    if (stopping_ || std::chrono::steady_clock::now() >= deadline) return false;
    pollfd pfd{fd, POLLOUT, 0};
    const int ready = ::poll(&pfd, 1, kSliceMs);
    if (ready < 0 && errno != EINTR) return false;
    if (ready <= 0) continue;
    const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

bool FakeHttpServer::Wait(std::chrono::milliseconds delay) {
  std::unique_lock lock(mutex_);
  return !stop_signal_.wait_for(lock, delay, [this] { return stopping_.load(); });
}

void FakeHttpServer::Serve(int fd) {
  std::string buffer;
  bool keep_alive = true;
  while (keep_alive) {
    size_t head_end;
    while ((head_end = buffer.find("\r\n\r\n")) == std::string::npos) {
      if (buffer.size() > kMaxHeaderBytes) {
        WriteAll(fd, Serialize(FakeResponse{.status = 431}));
        return Forget(fd);
      }
      if (ReadMore(fd, buffer) != Read::kData) return Forget(fd);
    }
    http::HttpRequest request;
    bool http10 = false;
    if (!ParseHead(std::string_view(buffer).substr(0, head_end), request, http10)) {
      WriteAll(fd, Serialize(FakeResponse{.status = 400}));
      return Forget(fd);
    }
    buffer.erase(0, head_end + 4);
    const std::string* transfer_encoding = Find(request.headers, "Transfer-Encoding");
    const bool chunked = transfer_encoding != nullptr && http::EqualsIgnoreCase(*transfer_encoding, "chunked");
    if (transfer_encoding != nullptr && !chunked) {
      WriteAll(fd, Serialize(FakeResponse{.status = 501}));
      return Forget(fd);
    }
    size_t length = 0;
    if (const std::string* value = Find(request.headers, "Content-Length"); value != nullptr && !chunked) {
      const auto [end, error] = std::from_chars(value->data(), value->data() + value->size(), length);
      if (error != std::errc() || end != value->data() + value->size() ||
          (length > kMaxBodyBytes && !options_.discard_request_bodies)) {
        WriteAll(fd, Serialize(FakeResponse{.status = 400}));
        return Forget(fd);
      }
    }
    const std::string* expect = Find(request.headers, "Expect");
    if (expect != nullptr && http::EqualsIgnoreCase(*expect, "100-continue") &&
        (chunked ? buffer.empty() : buffer.size() < length)) {
      if (!WriteAll(fd, "HTTP/1.1 100 Continue\r\n\r\n")) return Forget(fd);
    }
    bool malformed = false;
    if (!ReadBody(fd, buffer, chunked, length, request.body, malformed)) {
      if (malformed) WriteAll(fd, Serialize(FakeResponse{.status = 400}));
      return Forget(fd);
    }
    const std::string* connection = Find(request.headers, "Connection");
    keep_alive = !http10 && !(connection != nullptr && http::EqualsIgnoreCase(*connection, "close"));
    if (options_.record_requests) {
      std::lock_guard lock(mutex_);
      requests_.push_back(request);
    }

    FakeResponse response;
    try {
      response = handler_(request);
    } catch (...) {
      response = FakeResponse{.status = 500, .body = "FakeHttpServer: the handler threw"};
    }
    if (response.delay_before_response.count() > 0 && !Wait(response.delay_before_response)) return Forget(fd);
    if (response.close_without_response) return Forget(fd);
    if (!WriteAll(fd, Serialize(response))) return Forget(fd);
    if (response.generated_body_bytes > 0 && !WriteGenerated(fd, response.generated_body_bytes)) return Forget(fd);
    if (response.omit_content_length || response.close_after_response) keep_alive = false;
  }
  Forget(fd);
}

bool FakeHttpServer::WriteGenerated(int fd, std::uint64_t count) {
  // 251 is prime, so pieces of 251 * 256 bytes all start at pattern offset 0.
  static const std::string kPiece = [] {
    std::string piece(251 * 256, '\0');
    for (size_t i = 0; i < piece.size(); ++i) piece[i] = static_cast<char>(i % 251);
    return piece;
  }();
  while (count > 0) {
    const size_t n = static_cast<size_t>(std::min<std::uint64_t>(count, kPiece.size()));
    if (!WriteAll(fd, std::string_view(kPiece).substr(0, n))) return false;
    count -= n;
  }
  return true;
}

std::size_t FakeHttpServer::ReadLine(int fd, std::string& buffer) {
  size_t end;
  while ((end = buffer.find("\r\n")) == std::string::npos) {
    if (buffer.size() > kMaxHeaderBytes || ReadMore(fd, buffer) != Read::kData) return std::string::npos;
  }
  return end;
}

bool FakeHttpServer::ReadBody(int fd, std::string& buffer, bool chunked, std::size_t length, std::string& body,
                              bool& malformed) {
  const bool discard = options_.discard_request_bodies;
  // Takes up to `count` body bytes from the front of `buffer`.
  auto take = [&](std::size_t count) {
    const size_t n = std::min(count, buffer.size());
    if (discard) {
      discarded_body_bytes_ += n;
    } else {
      body.append(buffer, 0, n);
    }
    buffer.erase(0, n);
    return n;
  };
  auto read_exactly = [&](std::size_t count) {
    while (count > 0) {
      count -= take(count);
      if (count > 0 && ReadMore(fd, buffer) != Read::kData) return false;
    }
    return true;
  };
  if (!chunked) return read_exactly(length);
  while (true) {
    const size_t end = ReadLine(fd, buffer);
    if (end == std::string::npos) return false;
    // The size, in hex, maybe followed by ";extensions".
    std::string_view line = std::string_view(buffer).substr(0, end);
    line = Trim(line.substr(0, line.find(';')));
    size_t size = 0;
    const auto [ptr, error] = std::from_chars(line.data(), line.data() + line.size(), size, 16);
    if (error != std::errc() || ptr != line.data() + line.size() || line.empty() ||
        (!discard && body.size() + size > kMaxBodyBytes)) {
      malformed = true;
      return false;
    }
    buffer.erase(0, end + 2);
    if (size == 0) break;
    if (!read_exactly(size)) return false;
    const size_t crlf = ReadLine(fd, buffer);
    if (crlf != 0) {
      malformed = crlf != std::string::npos;
      return false;
    }
    buffer.erase(0, 2);
  }
  // Trailers, up to the blank line that ends the body.
  while (true) {
    const size_t end = ReadLine(fd, buffer);
    if (end == std::string::npos) return false;
    buffer.erase(0, end + 2);
    if (end == 0) return true;
  }
}

RefusingPort::RefusingPort() {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "RefusingPort: socket");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    const int error = errno;
    ::close(fd_);
    throw std::system_error(error, std::generic_category(), "RefusingPort: bind on 127.0.0.1");
  }
  port_ = ntohs(address.sin_port);
}

RefusingPort::~RefusingPort() { ::close(fd_); }

}  // namespace awsd::test_support
