#include "daemon/compat/loopback_peer.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace awsd::compat {
namespace {

constexpr char kTable[] =
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
    "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1\n"
    "   1: 0100007F:C350 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1001        0 2 1\n"
    "   2: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 3 1\n";

TEST(LoopbackPeerTest, FindsTheOwnerOfTheClientEnd) {
  // Client 127.0.0.1:50000 (C350) connected to the server's 8080 (1F90).
  EXPECT_EQ(FindLoopbackPeerUid(kTable, 50000, 8080), 1001u);
  EXPECT_EQ(FindLoopbackPeerUid(kTable, 50001, 8080), std::nullopt);
  EXPECT_EQ(FindLoopbackPeerUid("", 50000, 8080), std::nullopt);
}

TEST(LoopbackPeerTest, FindsThisProcessAsThePeerOfARealConnection) {
  const int server = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(server, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  ASSERT_EQ(listen(server, 1), 0);
  socklen_t length = sizeof(address);
  getsockname(server, reinterpret_cast<sockaddr*>(&address), &length);
  const int client = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_EQ(connect(client, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  sockaddr_in client_address{};
  length = sizeof(client_address);
  getsockname(client, reinterpret_cast<sockaddr*>(&client_address), &length);
  EXPECT_EQ(LoopbackPeerUid(ntohs(client_address.sin_port), ntohs(address.sin_port)), getuid());
  close(client);
  close(server);
}

}  // namespace
}  // namespace awsd::compat
