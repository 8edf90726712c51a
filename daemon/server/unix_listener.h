#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

#include "absl/status/statusor.h"

namespace awsd::server {

// How the daemon's socket file is created.
struct SocketOptions {
  std::string path;
  // Mode of the socket file.
  mode_t socket_mode = 0600;
  // Group that owns the socket file; unset keeps the daemon's group.
  std::optional<std::string> group;
  // Mode of the parent directory when the daemon has to create it.
  mode_t directory_mode = 0700;
};

// A listening Unix stream socket the daemon owns. Connections are accepted by
// ConnectionAcceptor, not by gRPC, so that the kernel's SO_PEERCRED can be
// read for every caller before gRPC sees the connection.
class UnixListener {
 public:
  // Creates the socket at options.path. A live daemon answering there is an
  // error (FAILED_PRECONDITION, naming the path); a stale socket file left by
  // a dead one is replaced; anything that is not a socket is never removed.
  static absl::StatusOr<UnixListener> Bind(const SocketOptions& options);

  // Adopts the first socket systemd passed (LISTEN_FDS), or returns
  // std::nullopt when the daemon was not socket-activated. An error when
  // systemd passed something that is not a listening Unix stream socket.
  static absl::StatusOr<std::optional<UnixListener>> FromSystemd();

  UnixListener(UnixListener&& other) noexcept;
  UnixListener& operator=(UnixListener&& other) noexcept;
  UnixListener(const UnixListener&) = delete;
  UnixListener& operator=(const UnixListener&) = delete;
  // Closes the socket, and removes its file when this listener created it.
  ~UnixListener();

  int fd() const { return fd_; }
  // The path the socket is bound to ("" for an unnamed systemd socket).
  const std::string& path() const { return path_; }
  bool socket_activated() const { return !owns_file_; }

 private:
  void Close();
  UnixListener(int fd, std::string path, bool owns_file) : fd_(fd), path_(std::move(path)), owns_file_(owns_file) {}

  int fd_ = -1;
  std::string path_;
  bool owns_file_ = false;
};

}  // namespace awsd::server
