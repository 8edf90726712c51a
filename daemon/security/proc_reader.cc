#include "daemon/security/proc_reader.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace awsd::security {
namespace {

std::string ProcPath(const std::string& proc_root, pid_t pid, const char* leaf) {
  return absl::StrCat(proc_root, "/", pid, "/", leaf);
}

// /proc files report a size of 0, so they are read to the end.
absl::StatusOr<std::string> ReadSmallFile(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return absl::ErrnoToStatus(errno, absl::StrCat(path, ": cannot open"));
  std::string text;
  char buffer[4096];
  while (text.size() < 64 * 1024) {
    const ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error = errno;
      close(fd);
      return absl::ErrnoToStatus(error, absl::StrCat(path, ": cannot read"));
    }
    if (n == 0) break;
    text.append(buffer, static_cast<size_t>(n));
  }
  close(fd);
  return text;
}

}  // namespace

absl::StatusOr<uint64_t> ParseStartTime(const std::string& stat_text) {
  // "pid (comm) state ppid ...": comm may contain ") ", so fields are
  // counted from the last ')'. starttime is field 22, the 20th after comm.
  const size_t close_paren = stat_text.rfind(')');
  if (close_paren == std::string::npos) return absl::DataLossError("stat: no command name");
  std::istringstream fields(stat_text.substr(close_paren + 1));
  std::string field;
  for (int i = 0; i < 20; ++i) {
    if (!(fields >> field)) return absl::DataLossError("stat: too few fields");
  }
  uint64_t start = 0;
  auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), start);
  if (ec != std::errc() || end != field.data() + field.size()) return absl::DataLossError("stat: bad start time");
  return start;
}

absl::StatusOr<uint64_t> ReadStartTime(const std::string& proc_root, pid_t pid) {
  auto text = ReadSmallFile(ProcPath(proc_root, pid, "stat"));
  if (!text.ok()) return text.status();
  return ParseStartTime(*text);
}

absl::StatusOr<std::string> ReadExecutable(const std::string& proc_root, pid_t pid) {
  const std::string path = ProcPath(proc_root, pid, "exe");
  char target[4096];
  const ssize_t n = readlink(path.c_str(), target, sizeof(target));
  if (n < 0) return absl::ErrnoToStatus(errno, absl::StrCat(path, ": cannot read the link"));
  if (static_cast<size_t>(n) == sizeof(target)) return absl::OutOfRangeError(absl::StrCat(path, ": target too long"));
  return std::string(target, static_cast<size_t>(n));
}

absl::StatusOr<std::string> ReadCgroup(const std::string& proc_root, pid_t pid) {
  auto text = ReadSmallFile(ProcPath(proc_root, pid, "cgroup"));
  if (!text.ok()) return text.status();
  std::istringstream lines(*text);
  std::string line, v1_systemd;
  while (std::getline(lines, line)) {
    if (line.starts_with("0::")) return line.substr(3);
    if (const size_t at = line.find(":name=systemd:"); at != std::string::npos) {
      v1_systemd = line.substr(at + std::strlen(":name=systemd:"));
    }
  }
  if (!v1_systemd.empty()) return v1_systemd;
  return absl::NotFoundError(absl::StrCat(ProcPath(proc_root, pid, "cgroup"), ": no unified or systemd hierarchy"));
}

absl::StatusOr<std::vector<gid_t>> ReadGroups(const std::string& proc_root, pid_t pid) {
  auto text = ReadSmallFile(ProcPath(proc_root, pid, "status"));
  if (!text.ok()) return text.status();
  std::istringstream lines(*text);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.starts_with("Groups:")) continue;
    std::istringstream ids(line.substr(7));
    std::vector<gid_t> groups;
    unsigned long id = 0;
    while (ids >> id) groups.push_back(static_cast<gid_t>(id));
    return groups;
  }
  return absl::DataLossError("status: no Groups line");
}

}  // namespace awsd::security
