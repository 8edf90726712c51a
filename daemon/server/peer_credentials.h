#pragma once

#include <sys/types.h>

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace awsd::server {

// Who is on the other end of a connection, as the kernel says (SO_PEERCRED),
// not as the caller claims.
struct PeerCredentials {
  pid_t pid = 0;
  uid_t uid = 0;
  gid_t gid = 0;
};

// Reads SO_PEERCRED of a connected Unix socket.
std::optional<PeerCredentials> ReadPeerCredentials(int fd);

// Maps the descriptors of accepted connections to their peers. gRPC names a
// connection added from a descriptor "fd:N" in ServerContext::peer(), which is
// the key a handler looks its caller up by.
class PeerTable {
 public:
  void Record(int fd, const PeerCredentials& peer);
  // The peer of a gRPC peer string ("fd:N"), if that connection was ours.
  std::optional<PeerCredentials> Lookup(std::string_view grpc_peer) const;

 private:
  mutable std::mutex mutex_;
  // Entries are overwritten when the kernel reuses a descriptor number for a
  // new connection, which it can only do after the old one was closed.
  std::unordered_map<int, PeerCredentials> by_fd_;
};

}  // namespace awsd::server
