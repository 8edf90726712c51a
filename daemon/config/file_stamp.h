#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

namespace awsd::config {

// Enough of a file's metadata to tell that it changed: edited in place
// (size, mtime), replaced by rename (inode), created or deleted.
struct FileStamp {
  bool exists = false;
  dev_t device = 0;
  ino_t inode = 0;
  off_t size = 0;
  int64_t mtime_ns = 0;

  bool operator==(const FileStamp&) const = default;
};

// The stamp of `path` now (a missing or unreadable path: exists=false).
FileStamp StampOf(const std::string& path);

}  // namespace awsd::config
