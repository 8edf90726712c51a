#include "daemon/security/caller_identity.h"

#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "daemon/security/proc_reader.h"

// Linux 6.5+: the peer's pidfd as of connect(), with no pid-reuse window.
#ifndef SO_PEERPIDFD
#define SO_PEERPIDFD 77
#endif

namespace awsd::security {
namespace {

int PeerPidfd(int fd) {
  int pidfd = -1;
  socklen_t len = sizeof(pidfd);
  if (fd >= 0 && getsockopt(fd, SOL_SOCKET, SO_PEERPIDFD, &pidfd, &len) == 0 && pidfd >= 0) return pidfd;
  return -1;
}

int OpenPidfd(pid_t pid) {
#ifdef SYS_pidfd_open
  return static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
#else
  return -1;
#endif
}

// A pidfd polls readable once its process has exited.
bool PidfdAlive(int pidfd) {
  pollfd p{pidfd, POLLIN, 0};
  int n;
  do {
    n = poll(&p, 1, 0);
  } while (n < 0 && errno == EINTR);
  return n == 0;
}

// Now, in the clock ticks of /proc/<pid>/stat's start time.
uint64_t TicksSinceBoot() {
  timespec now{};
  clock_gettime(CLOCK_BOOTTIME, &now);
  const long hz = sysconf(_SC_CLK_TCK);
  return static_cast<uint64_t>(now.tv_sec) * static_cast<uint64_t>(hz) +
         static_cast<uint64_t>(now.tv_nsec) / (1000000000ull / static_cast<uint64_t>(hz));
}

}  // namespace

std::shared_ptr<const PeerAttestation> PeerAttestation::Attest(int fd, pid_t pid, uid_t uid, gid_t gid,
                                                               const std::string& proc_root) {
  std::shared_ptr<PeerAttestation> self(new PeerAttestation());
  self->identity_.uid = uid;
  self->identity_.gid = gid;
  self->identity_.pid = pid;
  self->proc_root_ = proc_root;
  if (pid <= 0) return self;

  // With SO_PEERPIDFD the pidfd is the connecting process by construction.
  // Without it, pidfd_open(pid) might open a process that took the pid over
  // after the peer exited; such a process started after we accepted, which
  // the start-time check below refuses.
  const bool from_socket = (self->pidfd_ = PeerPidfd(fd)) >= 0;
  if (!from_socket) self->pidfd_ = OpenPidfd(pid);
  const uint64_t accepted_at = TicksSinceBoot();

  auto start = ReadStartTime(proc_root, pid);
  auto exe = ReadExecutable(proc_root, pid);
  auto cgroup = ReadCgroup(proc_root, pid);
  auto groups = ReadGroups(proc_root, pid);
  if (!start.ok() || !exe.ok()) return self;
  self->start_time_ = *start;
  if (!from_socket && *start > accepted_at) return self;
  // Read after the files: the process was alive (and, holding the pidfd,
  // still owned the pid) when they were read, so they describe it.
  auto again = ReadStartTime(proc_root, pid);
  if (!again.ok() || *again != *start) return self;
  if (self->pidfd_ >= 0 && !PidfdAlive(self->pidfd_)) return self;

  self->identity_.attested = true;
  self->identity_.exe = *std::move(exe);
  if (cgroup.ok()) self->identity_.cgroup = *std::move(cgroup);
  if (groups.ok()) self->identity_.groups = *std::move(groups);
  return self;
}

PeerAttestation::~PeerAttestation() {
  if (pidfd_ >= 0) close(pidfd_);
}

bool PeerAttestation::StillSameProcess() const {
  if (pidfd_ >= 0) return PidfdAlive(pidfd_);
  auto start = ReadStartTime(proc_root_, identity_.pid);
  return start.ok() && *start == start_time_;
}

CallerIdentity PeerAttestation::Current() const {
  if (identity_.attested && StillSameProcess()) return identity_;
  CallerIdentity bare;
  bare.uid = identity_.uid;
  bare.gid = identity_.gid;
  bare.pid = identity_.pid;
  return bare;
}

}  // namespace awsd::security
