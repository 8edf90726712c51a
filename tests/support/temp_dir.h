#pragma once

#include <filesystem>
#include <string>

namespace awsd::test_support {

// A scratch directory removed with everything in it when the object goes.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Writes `text` to `path`, replacing it.
void WriteFile(const std::filesystem::path& path, const std::string& text);

}  // namespace awsd::test_support
