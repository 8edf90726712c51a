#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace awsd::compat {

// The uid owning the client end of a loopback TCP connection, from the text
// of /proc/net/tcp: the row whose local address is 127.0.0.1:peer_port and
// whose remote address is 127.0.0.1:server_port. TCP has no SO_PEERCRED, but
// on loopback both ends are sockets of this host, so the kernel's table says
// who holds the other one. nullopt when no row matches (the client is gone,
// or is in another network namespace).
std::optional<uid_t> FindLoopbackPeerUid(std::string_view proc_net_tcp, uint16_t peer_port, uint16_t server_port);

// The same, reading /proc/net/tcp.
std::optional<uid_t> LoopbackPeerUid(uint16_t peer_port, uint16_t server_port);

}  // namespace awsd::compat
