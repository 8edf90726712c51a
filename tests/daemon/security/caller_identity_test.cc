// Caller identity from SO_PEERCRED and /proc, and its pinning to the
// connecting process: a process that connects and exits, leaving a child
// with the socket, is not credited with what the child does.
#include "daemon/security/caller_identity.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "daemon/security/proc_reader.h"
#include "tests/support/temp_dir.h"

namespace awsd::security {
namespace {

ucred PeerOf(int fd) {
  ucred cred{};
  socklen_t len = sizeof(cred);
  EXPECT_EQ(getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len), 0);
  return cred;
}

std::string SelfExe() { return std::filesystem::read_symlink("/proc/self/exe").string(); }

// A listening Unix socket in a scratch directory.
class Listener {
 public:
  Listener() {
    addr_.sun_family = AF_UNIX;
    const std::string path = (dir_.path() / "s").string();
    std::snprintf(addr_.sun_path, sizeof(addr_.sun_path), "%s", path.c_str());
    fd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&addr_), sizeof(addr_)), 0);
    EXPECT_EQ(listen(fd_, 4), 0);
  }
  ~Listener() { close(fd_); }
  int Accept() { return accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC); }
  // For a child process: connects, or -1.
  int Connect() const {
    const int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (connect(fd, reinterpret_cast<const sockaddr*>(&addr_), sizeof(addr_)) != 0) return -1;
    return fd;
  }

 private:
  test_support::TempDir dir_;
  sockaddr_un addr_{};
  int fd_ = -1;
};

TEST(PeerAttestation, ALiveProcessIsAttestedWithItsExeAndCgroup) {
  int fds[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
  const ucred peer = PeerOf(fds[0]);
  ASSERT_EQ(peer.pid, getpid());
  auto attestation = PeerAttestation::Attest(fds[0], peer.pid, peer.uid, peer.gid);
  const CallerIdentity now = attestation->Current();
  EXPECT_TRUE(now.attested);
  EXPECT_EQ(now.pid, getpid());
  EXPECT_EQ(now.uid, getuid());
  EXPECT_EQ(now.gid, getgid());
  EXPECT_EQ(now.exe, SelfExe());
  auto cgroup = ReadCgroup("/proc", getpid());
  if (cgroup.ok()) {
    EXPECT_EQ(now.cgroup, *cgroup);
  }
  close(fds[0]);
  close(fds[1]);
}

// The case the pid check exists for: the connecting process exits, and a
// child it forked keeps the connection and calls on.
TEST(PeerAttestation, AProcessThatExitsLeavingAChildWithTheSocketIsNoLongerCredited) {
  Listener listener;
  int go[2], child_pid_pipe[2];
  ASSERT_EQ(pipe(go), 0);
  ASSERT_EQ(pipe(child_pid_pipe), 0);
  const pid_t connector = fork();
  ASSERT_GE(connector, 0);
  if (connector == 0) {
    const int fd = listener.Connect();
    if (fd < 0) _exit(2);
    const pid_t child = fork();
    if (child == 0) {
      // The child keeps the socket open and waits to be killed.
      close(go[0]);
      pause();
      _exit(0);
    }
    [[maybe_unused]] ssize_t n = write(child_pid_pipe[1], &child, sizeof(child));
    char byte;
    n = read(go[0], &byte, 1);  // exits when told to
    _exit(0);
  }
  close(child_pid_pipe[1]);
  const int conn = listener.Accept();
  ASSERT_GE(conn, 0);
  pid_t child = -1;
  ASSERT_EQ(read(child_pid_pipe[0], &child, sizeof(child)), static_cast<ssize_t>(sizeof(child)));

  const ucred peer = PeerOf(conn);
  EXPECT_EQ(peer.pid, connector);
  auto attestation = PeerAttestation::Attest(conn, peer.pid, peer.uid, peer.gid);
  EXPECT_TRUE(attestation->Current().attested);
  EXPECT_EQ(attestation->Current().exe, SelfExe());

  // The connector exits; its child still holds the connection.
  const char exit_now = 'x';
  ASSERT_EQ(write(go[1], &exit_now, 1), 1);
  int status = 0;
  ASSERT_EQ(waitpid(connector, &status, 0), connector);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  ASSERT_EQ(kill(child, 0), 0) << "the child should still be alive";

  const CallerIdentity after = attestation->Current();
  EXPECT_FALSE(after.attested);
  EXPECT_EQ(after.pid, connector);
  EXPECT_EQ(after.uid, peer.uid);
  EXPECT_TRUE(after.exe.empty()) << after.exe;
  EXPECT_TRUE(after.cgroup.empty());
  EXPECT_TRUE(after.groups.empty());

  kill(child, SIGKILL);
  close(go[1]);
  close(go[0]);
  close(child_pid_pipe[0]);
  close(conn);
}

// Without SO_PEERPIDFD (kernels before 6.5) the pid is pinned with
// pidfd_open after checking the process started before the accept.
TEST(PeerAttestation, WithoutAPeerPidfdThePidIsPinnedByPidfdOpen) {
  int go[2];
  ASSERT_EQ(pipe(go), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    char byte;
    [[maybe_unused]] ssize_t n = read(go[0], &byte, 1);
    _exit(0);
  }
  auto attestation = PeerAttestation::Attest(/*fd=*/-1, child, getuid(), getgid());
  EXPECT_TRUE(attestation->Current().attested);
  EXPECT_EQ(attestation->Current().exe, SelfExe());
  ASSERT_EQ(write(go[1], "x", 1), 1);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_FALSE(attestation->Current().attested);
  EXPECT_TRUE(attestation->Current().exe.empty());
  close(go[0]);
  close(go[1]);
}

TEST(PeerAttestation, APeerGoneBeforeAcceptIsNeverAttested) {
  Listener listener;
  const pid_t connector = fork();
  ASSERT_GE(connector, 0);
  if (connector == 0) {
    const int fd = listener.Connect();
    _exit(fd < 0 ? 2 : 0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(connector, &status, 0), connector);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  const int conn = listener.Accept();
  ASSERT_GE(conn, 0);
  const ucred peer = PeerOf(conn);
  auto attestation = PeerAttestation::Attest(conn, peer.pid, peer.uid, peer.gid);
  EXPECT_FALSE(attestation->at_accept().attested);
  EXPECT_FALSE(attestation->Current().attested);
  EXPECT_TRUE(attestation->Current().exe.empty());
  close(conn);
}

TEST(ProcReader, StartTimeIsCountedFromTheLastParenthesis) {
  auto start = ParseStartTime("123 (a) b (c) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 987654 20 21");
  ASSERT_TRUE(start.ok()) << start.status();
  EXPECT_EQ(*start, 987654u);
  EXPECT_FALSE(ParseStartTime("123 (a) S 1 2").ok());
  EXPECT_FALSE(ParseStartTime("no parenthesis").ok());
  // Our own, live.
  auto self = ReadStartTime("/proc", getpid());
  ASSERT_TRUE(self.ok());
  EXPECT_GT(*self, 0u);
}

TEST(ProcReader, CgroupAndGroupsFromAFakeProc) {
  test_support::TempDir dir;
  std::filesystem::create_directories(dir.path() / "42");
  test_support::WriteFile(dir.path() / "42" / "cgroup", "12:cpu:/x\n1:name=systemd:/system.slice/ci.service\n");
  test_support::WriteFile(dir.path() / "42" / "status", "Name:\tx\nGroups:\t4 24 27 \nUid:\t1\n");
  EXPECT_EQ(*ReadCgroup(dir.path().string(), 42), "/system.slice/ci.service");
  test_support::WriteFile(dir.path() / "42" / "cgroup", "0::/user.slice/user-1000.slice/session-2.scope\n");
  EXPECT_EQ(*ReadCgroup(dir.path().string(), 42), "/user.slice/user-1000.slice/session-2.scope");
  EXPECT_EQ(*ReadGroups(dir.path().string(), 42), (std::vector<gid_t>{4, 24, 27}));
  EXPECT_FALSE(ReadExecutable(dir.path().string(), 42).ok());
  EXPECT_FALSE(ReadCgroup(dir.path().string(), 43).ok());
}

}  // namespace
}  // namespace awsd::security
