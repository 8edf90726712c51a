#pragma once

#include <sys/types.h>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "daemon/security/caller_identity.h"

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
  // `attestation` pins the peer's process for the policy (null: unattested).
  // Also drops the entries of connections closed since the last Record: gRPC
  // does not say when it closes a descriptor, and each entry holds a pidfd.
  void Record(int fd, const PeerCredentials& peer,
              std::shared_ptr<const security::PeerAttestation> attestation = nullptr);
  // The peer of a gRPC peer string ("fd:N"), if that connection was ours.
  std::optional<PeerCredentials> Lookup(std::string_view grpc_peer) const;
  // Its attestation; null when the connection is unknown or was not attested.
  std::shared_ptr<const security::PeerAttestation> LookupAttestation(std::string_view grpc_peer) const;
  // Connections held (live ones, and closed ones not yet dropped).
  size_t size() const;

 private:
  // The open file a descriptor number stands for. A closed connection's
  // number may be taken by any other file (a pidfd, an eventfd) rather than
  // by a connection that would overwrite the entry; the identity tells.
  struct FileIdentity {
    dev_t dev = 0;
    ino_t ino = 0;
    bool operator==(const FileIdentity&) const = default;
  };
  static std::optional<FileIdentity> IdentityOf(int fd);

  mutable std::mutex mutex_;
  struct Entry {
    PeerCredentials credentials;
    std::shared_ptr<const security::PeerAttestation> attestation;
    std::optional<FileIdentity> identity;
  };
  std::unordered_map<int, Entry> by_fd_;
};

}  // namespace awsd::server
