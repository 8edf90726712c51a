#pragma once

#include <atomic>
#include <thread>

#include "daemon/server/peer_credentials.h"
#include "daemon/server/unix_listener.h"

namespace grpc {
class Server;
}

namespace awsd::server {

// Accepts connections on the daemon's socket on a thread of its own, records
// each peer's kernel credentials, and hands the connection to gRPC.
class ConnectionAcceptor {
 public:
  ConnectionAcceptor(UnixListener& listener, grpc::Server& server, PeerTable& peers);
  ~ConnectionAcceptor();

  void Start();
  // Stops accepting; connections already handed to gRPC are untouched.
  void Stop();

 private:
  void Run();

  UnixListener& listener_;
  grpc::Server& server_;
  PeerTable& peers_;
  int wake_pipe_[2] = {-1, -1};
  std::thread thread_;
};

}  // namespace awsd::server
