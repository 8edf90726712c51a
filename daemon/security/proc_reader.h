#pragma once

// Reads what /proc says about a process. Every function takes the /proc root
// so tests can point it at a fake tree; the daemon passes "/proc".

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace awsd::security {

// Field 22 of /proc/<pid>/stat: when the process started, in clock ticks
// since boot. Two processes that share a pid over time differ here, which
// is how a recycled pid is told apart.
absl::StatusOr<uint64_t> ReadStartTime(const std::string& proc_root, pid_t pid);

// The target of /proc/<pid>/exe. " (deleted)" is kept: a binary replaced on
// disk is not the one a rule names.
absl::StatusOr<std::string> ReadExecutable(const std::string& proc_root, pid_t pid);

// The unified (cgroup v2) path from /proc/<pid>/cgroup ("0::/system.slice/x.service");
// on a v1-only host, the name=systemd hierarchy's path.
absl::StatusOr<std::string> ReadCgroup(const std::string& proc_root, pid_t pid);

// The supplementary groups from the "Groups:" line of /proc/<pid>/status.
absl::StatusOr<std::vector<gid_t>> ReadGroups(const std::string& proc_root, pid_t pid);

// Parses the text of a stat file (exposed for tests: the command name may
// hold spaces and parentheses).
absl::StatusOr<uint64_t> ParseStartTime(const std::string& stat_text);

}  // namespace awsd::security
