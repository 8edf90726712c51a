#include "daemon/common/file_system.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>
#include <utility>

#include "absl/strings/str_cat.h"

namespace awsd {
namespace {

absl::Status ErrnoStatus(const std::string& path, int error) {
  std::string message = absl::StrCat(path, ": ", std::strerror(error));
  switch (error) {
    case ENOENT:
    case ENOTDIR:
      return absl::NotFoundError(message);
    case EACCES:
    case EPERM:
      return absl::PermissionDeniedError(message);
    default:
      return absl::InternalError(message);
  }
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

class LocalFiles : public FileSystem {
 public:
  absl::StatusOr<std::string> ReadFile(const std::string& path, std::size_t max_bytes) const override {
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) return ErrnoStatus(path, errno);
    struct stat info {};
    if (::fstat(fd.get(), &info) != 0) return ErrnoStatus(path, errno);
    if (S_ISDIR(info.st_mode)) return ErrnoStatus(path, EISDIR);
    std::string contents;
    char buffer[8192];
    while (true) {
      const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
      if (n < 0) {
        if (errno == EINTR) continue;
        return ErrnoStatus(path, errno);
      }
      if (n == 0) break;
      if (contents.size() + static_cast<std::size_t>(n) > max_bytes) {
        return absl::ResourceExhaustedError(absl::StrCat(path, ": larger than ", max_bytes, " bytes"));
      }
      contents.append(buffer, static_cast<std::size_t>(n));
    }
    return contents;
  }

  absl::Status WriteFileAtomically(const std::string& path, std::string_view contents, mode_t mode) const override {
    const std::filesystem::path target(path);
    if (target.has_parent_path()) {
      std::filesystem::path built;
      for (const auto& part : target.parent_path()) {
        built /= part;
        if (::mkdir(built.c_str(), 0700) != 0 && errno != EEXIST) return ErrnoStatus(built.string(), errno);
      }
    }
    std::random_device random;
    const std::string temporary = absl::StrCat(path, ".tmp", random(), random());
    Fd fd(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode));
    if (fd.get() < 0) return ErrnoStatus(temporary, errno);
    // The umask may have narrowed `mode`; never widened, so set it exactly.
    ::fchmod(fd.get(), mode);
    std::size_t written = 0;
    while (written < contents.size()) {
      const ssize_t n = ::write(fd.get(), contents.data() + written, contents.size() - written);
      if (n < 0) {
        if (errno == EINTR) continue;
        const int error = errno;
        ::unlink(temporary.c_str());
        return ErrnoStatus(temporary, error);
      }
      written += static_cast<std::size_t>(n);
    }
    if (::fsync(fd.get()) != 0 || ::close(fd.release()) != 0 || ::rename(temporary.c_str(), path.c_str()) != 0) {
      const int error = errno;
      ::unlink(temporary.c_str());
      return ErrnoStatus(path, error);
    }
    return absl::OkStatus();
  }
};

class RootedFiles : public FileSystem {
 public:
  explicit RootedFiles(std::string root) : root_(std::move(root)) {}

  absl::StatusOr<std::string> ReadFile(const std::string& path, std::size_t max_bytes) const override {
    auto contents = local_.ReadFile(root_ + path, max_bytes);
    if (!contents.ok()) return Unrooted(contents.status());
    return contents;
  }

  absl::Status WriteFileAtomically(const std::string& path, std::string_view contents, mode_t mode) const override {
    return Unrooted(local_.WriteFileAtomically(root_ + path, contents, mode));
  }

 private:
  // Errors name the path the caller asked for, as on a real machine.
  absl::Status Unrooted(const absl::Status& status) const {
    if (status.ok()) return status;
    std::string message(status.message());
    if (message.rfind(root_, 0) == 0) message.erase(0, root_.size());
    return absl::Status(status.code(), message);
  }

  std::string root_;
  LocalFiles local_;
};

}  // namespace

std::shared_ptr<const FileSystem> LocalFileSystem() {
  static const auto files = std::make_shared<const LocalFiles>();
  return files;
}

std::shared_ptr<const FileSystem> RootedFileSystem(std::string root) {
  while (!root.empty() && root.back() == '/') root.pop_back();
  return std::make_shared<const RootedFiles>(std::move(root));
}

}  // namespace awsd
