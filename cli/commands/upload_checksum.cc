#include "cli/commands/upload_checksum.h"

#include <zlib.h>

#include <fstream>
#include <vector>

#include "absl/strings/escaping.h"

namespace awsd::cli {

std::optional<std::string> FileCrc32Base64(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::vector<char> buffer(1 << 20);
  uLong crc = crc32(0L, Z_NULL, 0);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const std::streamsize n = in.gcount();
    if (n > 0) crc = crc32(crc, reinterpret_cast<const Bytef*>(buffer.data()), static_cast<uInt>(n));
  }
  if (in.bad()) return std::nullopt;
  const char bytes[4] = {static_cast<char>((crc >> 24) & 0xff), static_cast<char>((crc >> 16) & 0xff),
                         static_cast<char>((crc >> 8) & 0xff), static_cast<char>(crc & 0xff)};
  std::string encoded;
  absl::Base64Escape(absl::string_view(bytes, 4), &encoded);
  return encoded;
}

}  // namespace awsd::cli
