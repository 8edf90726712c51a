#pragma once

// The AWS CLI reads a streamed upload's file twice: once for its CRC32
// (botocore's default request checksum), once to send it. The daemon only
// sees the stream, so awsctl does the first read and passes the checksum as
// the operation's ChecksumCRC32 member.

#include <optional>
#include <string>

namespace awsd::cli {

// The file's CRC32 as S3 wants it (base64 of the big-endian value), or
// nullopt when it cannot be read.
std::optional<std::string> FileCrc32Base64(const std::string& path);

}  // namespace awsd::cli
