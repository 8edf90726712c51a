#include "daemon/server/peer_credentials.h"

#include <sys/socket.h>
#include <sys/stat.h>

#include <charconv>

namespace awsd::server {

std::optional<PeerCredentials> ReadPeerCredentials(int fd) {
  ucred cred{};
  socklen_t len = sizeof(cred);
  if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) return std::nullopt;
  return PeerCredentials{cred.pid, cred.uid, cred.gid};
}

namespace {

// The descriptor of a gRPC peer string "fd:N".
std::optional<int> PeerFd(std::string_view grpc_peer) {
  constexpr std::string_view kPrefix = "fd:";
  if (!grpc_peer.starts_with(kPrefix)) return std::nullopt;
  grpc_peer.remove_prefix(kPrefix.size());
  int fd = -1;
  auto [end, ec] = std::from_chars(grpc_peer.data(), grpc_peer.data() + grpc_peer.size(), fd);
  if (ec != std::errc() || end != grpc_peer.data() + grpc_peer.size()) return std::nullopt;
  return fd;
}

}  // namespace

std::optional<PeerTable::FileIdentity> PeerTable::IdentityOf(int fd) {
  struct stat st {};
  if (fstat(fd, &st) != 0) return std::nullopt;
  return FileIdentity{st.st_dev, st.st_ino};
}

void PeerTable::Record(int fd, const PeerCredentials& peer,
                       std::shared_ptr<const security::PeerAttestation> attestation) {
  const auto identity = IdentityOf(fd);
  std::lock_guard lock(mutex_);
  // One fstat per held connection per accept: cheap beside the accept.
  std::erase_if(by_fd_, [](const auto& entry) {
    const auto now = IdentityOf(entry.first);
    return !now || !entry.second.identity || *now != *entry.second.identity;
  });
  by_fd_[fd] = Entry{peer, std::move(attestation), identity};
}

size_t PeerTable::size() const {
  std::lock_guard lock(mutex_);
  return by_fd_.size();
}

std::optional<PeerCredentials> PeerTable::Lookup(std::string_view grpc_peer) const {
  const auto fd = PeerFd(grpc_peer);
  if (!fd) return std::nullopt;
  std::lock_guard lock(mutex_);
  auto it = by_fd_.find(*fd);
  if (it == by_fd_.end()) return std::nullopt;
  return it->second.credentials;
}

std::shared_ptr<const security::PeerAttestation> PeerTable::LookupAttestation(std::string_view grpc_peer) const {
  const auto fd = PeerFd(grpc_peer);
  if (!fd) return nullptr;
  std::lock_guard lock(mutex_);
  auto it = by_fd_.find(*fd);
  if (it == by_fd_.end()) return nullptr;
  return it->second.attestation;
}

}  // namespace awsd::server
