#pragma once

// Who is calling, as the kernel says: SO_PEERCRED's uid/gid/pid at connect
// time, and, when the process can be attested, its executable and cgroup
// from /proc. The policy only ever sees a CallerIdentity; how it was
// established lives in PeerAttestation.

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

namespace awsd::security {

struct CallerIdentity {
  uid_t uid = static_cast<uid_t>(-1);
  gid_t gid = static_cast<gid_t>(-1);
  pid_t pid = 0;
  // True only while the connecting process is known to be alive and the
  // same process whose /proc entries were read. When false, exe, cgroup and
  // groups are empty, and only uid/gid rules can match.
  bool attested = false;
  std::string exe;
  std::string cgroup;
  // Supplementary groups (the primary gid is `gid`).
  std::vector<gid_t> groups;
};

// One connection's peer, established at accept time and pinned to the
// process: a pidfd (SO_PEERPIDFD, race-free, or pidfd_open checked against
// the process start time) tells later whether the process still exists. A
// connecting process that exits, leaving a child or a passed descriptor to
// carry on, stops being credited: Current() is then unattested.
class PeerAttestation {
 public:
  // Reads /proc (under `proc_root`) for the peer of connected socket `fd`
  // whose SO_PEERCRED said pid/uid/gid. Never fails: what cannot be
  // established is left unattested.
  static std::shared_ptr<const PeerAttestation> Attest(int fd, pid_t pid, uid_t uid, gid_t gid,
                                                       const std::string& proc_root = "/proc");
  ~PeerAttestation();
  PeerAttestation(const PeerAttestation&) = delete;
  PeerAttestation& operator=(const PeerAttestation&) = delete;

  // The identity to decide this call with: as attested while the process
  // lives, else only its uid/gid/pid. Costs one poll(2) on the pidfd (or a
  // read of /proc/<pid>/stat where pidfds are not available).
  CallerIdentity Current() const;

  // As established at accept time (for tests and logs).
  const CallerIdentity& at_accept() const { return identity_; }

 private:
  PeerAttestation() = default;
  bool StillSameProcess() const;

  CallerIdentity identity_;
  std::string proc_root_;
  int pidfd_ = -1;
  uint64_t start_time_ = 0;
};

}  // namespace awsd::security
