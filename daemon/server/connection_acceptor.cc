#include "daemon/server/connection_acceptor.h"

#include <errno.h>
#include <fcntl.h>
#include <grpcpp/server.h>
#include <grpcpp/server_posix.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

#include "spdlog/spdlog.h"

namespace awsd::server {

ConnectionAcceptor::ConnectionAcceptor(UnixListener& listener, grpc::Server& server, PeerTable& peers)
    : listener_(listener), server_(server), peers_(peers) {
  if (pipe2(wake_pipe_, O_CLOEXEC | O_NONBLOCK) != 0) wake_pipe_[0] = wake_pipe_[1] = -1;
}

ConnectionAcceptor::~ConnectionAcceptor() {
  Stop();
  for (int fd : wake_pipe_) {
    if (fd >= 0) close(fd);
  }
}

void ConnectionAcceptor::Start() { thread_ = std::thread([this] { Run(); }); }

void ConnectionAcceptor::Stop() {
  if (!thread_.joinable()) return;
  char byte = 0;
  [[maybe_unused]] ssize_t n = write(wake_pipe_[1], &byte, 1);
  thread_.join();
}

void ConnectionAcceptor::Run() {
  pollfd fds[2] = {{listener_.fd(), POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
  while (true) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      spdlog::error("accept loop: poll failed: {}", std::strerror(errno));
      return;
    }
    if (fds[1].revents != 0) return;
    if ((fds[0].revents & POLLIN) == 0) continue;
    int fd = accept4(listener_.fd(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0) {
      // EAGAIN: another wake-up took it; EMFILE and friends: shed this one
      // and keep serving the connections we have.
      if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED) {
        spdlog::warn("accept on {} failed: {}", listener_.path(), std::strerror(errno));
        if (errno == EMFILE || errno == ENFILE) usleep(10000);
      }
      continue;
    }
    if (auto peer = ReadPeerCredentials(fd)) {
      // Attested now, while the connecting process is most likely alive;
      // the attestation pins it so later calls notice if it is gone.
      peers_.Record(fd, *peer, security::PeerAttestation::Attest(fd, peer->pid, peer->uid, peer->gid));
    }
    grpc::AddInsecureChannelFromFd(&server_, fd);
  }
}

}  // namespace awsd::server
