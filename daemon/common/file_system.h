#pragma once

#include <sys/types.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace awsd {

// The files credential providers read and write (web identity tokens, the
// SSO token cache, container authorization tokens), behind an interface so
// that conformance suites can lay out a whole fake root ("/home/.aws/...",
// "/token.jwt") without touching the machine's.
class FileSystem {
 public:
  virtual ~FileSystem() = default;

  // The whole file. NotFound when it does not exist ("<path>: No such file or
  // directory"), ResourceExhausted when it is larger than `max_bytes`,
  // PermissionDenied or Internal otherwise; messages name the path and the
  // OS error, never contents.
  virtual absl::StatusOr<std::string> ReadFile(const std::string& path, std::size_t max_bytes) const = 0;

  // Replaces `path` so that readers see the old file or the new one, never a
  // part: written to a temporary file in the same directory with `mode`,
  // flushed, then renamed over it. Missing parent directories are created
  // with 0700.
  virtual absl::Status WriteFileAtomically(const std::string& path, std::string_view contents, mode_t mode) const = 0;
};

// The machine's own files.
std::shared_ptr<const FileSystem> LocalFileSystem();

// The machine's files below `root`: "/a/b" is `root` + "/a/b". For tests that
// replay a recorded filesystem.
std::shared_ptr<const FileSystem> RootedFileSystem(std::string root);

}  // namespace awsd
