#include "daemon/server/unix_listener.h"

#include <errno.h>
#include <grp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace awsd::server {
namespace {

absl::Status ErrnoError(absl::string_view what, const std::string& path, int err) {
  return absl::FailedPreconditionError(absl::StrCat(what, " ", path, ": ", std::strerror(err)));
}

absl::StatusOr<sockaddr_un> SocketAddress(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof(addr.sun_path)) {
    return absl::InvalidArgumentError(
        absl::StrCat("socket path '", path, "' must be 1 to ", sizeof(addr.sun_path) - 1, " bytes long"));
  }
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  return addr;
}

// Creates each missing directory of `dir` with `mode`; existing ones are left
// as their owner set them.
absl::Status EnsureDirectory(const std::filesystem::path& dir, mode_t mode) {
  if (dir.empty()) return absl::OkStatus();
  std::vector<std::filesystem::path> missing;
  for (auto p = dir; !p.empty() && p != p.root_path(); p = p.parent_path()) {
    struct stat st {};
    if (stat(p.c_str(), &st) == 0) {
      if (!S_ISDIR(st.st_mode)) return absl::FailedPreconditionError(absl::StrCat(p.string(), " is not a directory"));
      break;
    }
    missing.push_back(p);
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    if (mkdir(it->c_str(), mode) != 0 && errno != EEXIST) return ErrnoError("cannot create directory", it->string(), errno);
    // mkdir's mode is filtered by the umask; the configured mode is what we promise.
    if (chmod(it->c_str(), mode) != 0) return ErrnoError("cannot set the mode of", it->string(), errno);
  }
  return absl::OkStatus();
}

// Decides what to do with whatever already sits at the socket's path.
absl::Status ClearStaleSocket(const std::string& path, const sockaddr_un& addr) {
  struct stat st {};
  if (lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return absl::OkStatus();
    return ErrnoError("cannot inspect", path, errno);
  }
  if (!S_ISSOCK(st.st_mode)) {
    return absl::FailedPreconditionError(absl::StrCat(path, " exists and is not a socket; refusing to replace it"));
  }
  int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (probe < 0) return ErrnoError("cannot create a socket to probe", path, errno);
  int rc = connect(probe, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr));
  int err = errno;
  close(probe);
  if (rc == 0) {
    return absl::FailedPreconditionError(absl::StrCat("another awsd is already serving on ", path));
  }
  if (err != ECONNREFUSED && err != ENOENT) return ErrnoError("cannot probe existing socket", path, err);
  if (unlink(path.c_str()) != 0 && errno != ENOENT) return ErrnoError("cannot remove stale socket", path, errno);
  return absl::OkStatus();
}

absl::StatusOr<gid_t> LookupGroup(const std::string& name) {
  std::vector<char> buf(16384);
  group grp{};
  group* found = nullptr;
  if (getgrnam_r(name.c_str(), &grp, buf.data(), buf.size(), &found) != 0 || found == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("socket_group: no group named '", name, "'"));
  }
  return found->gr_gid;
}

}  // namespace

absl::StatusOr<UnixListener> UnixListener::Bind(const SocketOptions& options) {
  auto addr = SocketAddress(options.path);
  if (!addr.ok()) return addr.status();
  if (auto st = EnsureDirectory(std::filesystem::path(options.path).parent_path(), options.directory_mode); !st.ok()) {
    return st;
  }
  if (auto st = ClearStaleSocket(options.path, *addr); !st.ok()) return st;

  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return ErrnoError("cannot create socket for", options.path, errno);
  UnixListener listener(fd, options.path, /*owns_file=*/true);

  // Bind under a umask that already gives the final mode, so the socket is
  // never reachable with wider permissions, even for an instant.
  mode_t old_umask = umask(static_cast<mode_t>(~options.socket_mode) & 0777);
  int rc = bind(fd, reinterpret_cast<const sockaddr*>(&*addr), sizeof(*addr));
  int err = errno;
  umask(old_umask);
  if (rc != 0) {
    listener.owns_file_ = false;  // nothing of ours to remove
    if (err == EADDRINUSE) {
      return absl::FailedPreconditionError(absl::StrCat("another awsd is already serving on ", options.path));
    }
    return ErrnoError("cannot bind", options.path, err);
  }
  if (chmod(options.path.c_str(), options.socket_mode) != 0) return ErrnoError("cannot set the mode of", options.path, errno);
  if (options.group) {
    auto gid = LookupGroup(*options.group);
    if (!gid.ok()) return gid.status();
    if (chown(options.path.c_str(), static_cast<uid_t>(-1), *gid) != 0) {
      return ErrnoError("cannot give the group of", options.path, errno);
    }
  }
  if (listen(fd, SOMAXCONN) != 0) return ErrnoError("cannot listen on", options.path, errno);
  return listener;
}

absl::StatusOr<std::optional<UnixListener>> UnixListener::FromSystemd() {
  int n = sd_listen_fds(/*unset_environment=*/1);
  if (n < 0) return absl::FailedPreconditionError(absl::StrCat("LISTEN_FDS: ", std::strerror(-n)));
  if (n == 0) return std::optional<UnixListener>();
  int fd = SD_LISTEN_FDS_START;
  if (sd_is_socket_unix(fd, SOCK_STREAM, /*listening=*/1, nullptr, 0) <= 0) {
    return absl::FailedPreconditionError("LISTEN_FDS: the first passed descriptor is not a listening Unix stream socket");
  }
  // Close the others: awsd serves one socket, and stray descriptors would leak.
  for (int extra = fd + 1; extra < SD_LISTEN_FDS_START + n; ++extra) close(extra);

  std::string path;
  sockaddr_un addr{};
  socklen_t len = sizeof(addr);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0 && addr.sun_path[0] != '\0') {
    path = addr.sun_path;
  }
  return std::optional<UnixListener>(UnixListener(fd, std::move(path), /*owns_file=*/false));
}

UnixListener::UnixListener(UnixListener&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), path_(std::move(other.path_)), owns_file_(std::exchange(other.owns_file_, false)) {}

UnixListener& UnixListener::operator=(UnixListener&& other) noexcept {
  if (this != &other) {
    Close();
    fd_ = std::exchange(other.fd_, -1);
    path_ = std::move(other.path_);
    owns_file_ = std::exchange(other.owns_file_, false);
  }
  return *this;
}

UnixListener::~UnixListener() { Close(); }

void UnixListener::Close() {
  if (fd_ >= 0) close(fd_);
  if (owns_file_ && !path_.empty()) unlink(path_.c_str());
  fd_ = -1;
  owns_file_ = false;
}

}  // namespace awsd::server
