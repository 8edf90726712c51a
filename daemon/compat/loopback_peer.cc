#include "daemon/compat/loopback_peer.h"

#include <cstdio>
#include <fstream>
#include <sstream>

namespace awsd::compat {
namespace {

// 127.0.0.1:port as /proc/net/tcp writes it: the address in host byte order
// (little-endian here), the port big-endian, both in upper-case hex.
std::string LoopbackAddress(uint16_t port) {
  char text[16];
  std::snprintf(text, sizeof(text), "0100007F:%04X", port);
  return text;
}

}  // namespace

std::optional<uid_t> FindLoopbackPeerUid(std::string_view proc_net_tcp, uint16_t peer_port, uint16_t server_port) {
  const std::string local = LoopbackAddress(peer_port);
  const std::string remote = LoopbackAddress(server_port);
  std::istringstream lines{std::string(proc_net_tcp)};
  std::string line;
  std::getline(lines, line);  // the column titles
  while (std::getline(lines, line)) {
    // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid ...
    std::istringstream fields(line);
    std::string slot, local_address, remote_address, state, queues, timer, retransmits;
    long long uid = -1;
    if (!(fields >> slot >> local_address >> remote_address >> state >> queues >> timer >> retransmits >> uid)) {
      continue;
    }
    if (local_address == local && remote_address == remote && uid >= 0) return static_cast<uid_t>(uid);
  }
  return std::nullopt;
}

std::optional<uid_t> LoopbackPeerUid(uint16_t peer_port, uint16_t server_port) {
  std::ifstream file("/proc/net/tcp");
  if (!file) return std::nullopt;
  std::stringstream text;
  text << file.rdbuf();
  return FindLoopbackPeerUid(text.str(), peer_port, server_port);
}

}  // namespace awsd::compat
