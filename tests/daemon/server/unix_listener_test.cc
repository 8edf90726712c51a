#include "daemon/server/unix_listener.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <filesystem>

#include "daemon/server/peer_credentials.h"
#include "tests/support/daemon_process.h"

namespace awsd::server {
namespace {

int Connect(const std::string& path) {
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

TEST(UnixListenerTest, BindsWithTheRequestedModesAndRemovesItsFileWhenClosed) {
  awsd::test_support::TempDir dir;
  SocketOptions options;
  options.path = (dir.path() / "a" / "b" / "awsd.sock").string();
  options.socket_mode = 0640;
  options.directory_mode = 0710;
  {
    auto listener = UnixListener::Bind(options);
    ASSERT_TRUE(listener.ok()) << listener.status();
    struct stat st {};
    ASSERT_EQ(stat(options.path.c_str(), &st), 0);
    EXPECT_TRUE(S_ISSOCK(st.st_mode));
    EXPECT_EQ(st.st_mode & 0777, 0640u);
    ASSERT_EQ(stat((dir.path() / "a" / "b").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0710u);
    ASSERT_EQ(stat((dir.path() / "a").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0710u);
  }
  EXPECT_FALSE(std::filesystem::exists(options.path));
}

TEST(UnixListenerTest, SecondBindOnALiveSocketFailsAndLeavesTheFirstAlone) {
  awsd::test_support::TempDir dir;
  SocketOptions options;
  options.path = (dir.path() / "awsd.sock").string();
  auto first = UnixListener::Bind(options);
  ASSERT_TRUE(first.ok());
  auto second = UnixListener::Bind(options);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(std::string(second.status().message()).find("already serving"), std::string::npos);
  int fd = Connect(options.path);
  EXPECT_GE(fd, 0) << "the first listener's socket must survive";
  if (fd >= 0) close(fd);
}

TEST(UnixListenerTest, PathTooLongIsRefused) {
  SocketOptions options;
  options.path = "/tmp/" + std::string(200, 'x');
  auto listener = UnixListener::Bind(options);
  ASSERT_FALSE(listener.ok());
  EXPECT_EQ(listener.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(UnixListenerTest, UnknownGroupIsRefused) {
  awsd::test_support::TempDir dir;
  SocketOptions options;
  options.path = (dir.path() / "awsd.sock").string();
  options.group = "no-such-group-awsd";
  auto listener = UnixListener::Bind(options);
  ASSERT_FALSE(listener.ok());
  EXPECT_NE(std::string(listener.status().message()).find("no-such-group-awsd"), std::string::npos);
}

TEST(UnixListenerTest, NotSocketActivatedWithoutListenFds) {
  unsetenv("LISTEN_FDS");
  auto activated = UnixListener::FromSystemd();
  ASSERT_TRUE(activated.ok());
  EXPECT_FALSE(activated->has_value());
}

TEST(PeerCredentialsTest, KernelReportsThisProcessAsThePeer) {
  int pair[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, pair), 0);
  auto peer = ReadPeerCredentials(pair[0]);
  ASSERT_TRUE(peer.has_value());
  EXPECT_EQ(peer->pid, getpid());
  EXPECT_EQ(peer->uid, getuid());
  EXPECT_EQ(peer->gid, getgid());
  close(pair[0]);
  close(pair[1]);
}

TEST(PeerTableTest, LooksUpGrpcFdPeerStrings) {
  int pair[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, pair), 0);
  const int fd = pair[0];
  const std::string peer_name = "fd:" + std::to_string(fd);
  PeerTable table;
  table.Record(fd, {123, 1000, 1000});
  auto peer = table.Lookup(peer_name);
  ASSERT_TRUE(peer.has_value());
  EXPECT_EQ(peer->pid, 123);
  EXPECT_FALSE(table.Lookup("fd:" + std::to_string(pair[1])).has_value());
  EXPECT_FALSE(table.Lookup("unix:/tmp/x").has_value());
  EXPECT_FALSE(table.Lookup(peer_name + "x").has_value());
  table.Record(fd, {456, 0, 0});  // the descriptor number reused by a new connection
  EXPECT_EQ(table.Lookup(peer_name)->pid, 456);
  close(pair[0]);
  close(pair[1]);
}

// Found by the soak (bench/load/soak.sh): a closed connection's number taken
// by another kind of file was never overwritten, so its entry, and the pidfd
// in its attestation, were held for good: one descriptor leaked per client.
TEST(PeerTableTest, DropsConnectionsClosedSinceTheLastRecord) {
  PeerTable table;
  int first[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, first), 0);
  table.Record(first[0], {1, 0, 0});
  close(first[0]);
  close(first[1]);
  // The old number now names a pipe, not a connection.
  int reuse[2];
  ASSERT_EQ(pipe(reuse), 0);
  int second[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, second), 0);
  table.Record(second[0], {2, 0, 0});
  EXPECT_EQ(table.size(), 1u);
  EXPECT_EQ(table.Lookup("fd:" + std::to_string(second[0]))->pid, 2);
  for (int fd : {reuse[0], reuse[1], second[0], second[1]}) close(fd);
}

}  // namespace
}  // namespace awsd::server
