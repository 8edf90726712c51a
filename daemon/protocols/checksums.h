#pragma once

// The checksum algorithms of botocore's flexible checksums. (botocore 1.43
// no longer sends Content-MD5: operations that require a checksum get CRC32.)

#include <optional>
#include <string>
#include <string_view>

namespace awsd::protocols {

enum class ChecksumAlgorithm { kCrc32, kCrc32c, kSha1, kSha256, kSha512 };

// "crc32" / "CRC32" → kCrc32, ...; nullopt for algorithms awsd does not
// compute (crc64nvme, xxhash*).
std::optional<ChecksumAlgorithm> ChecksumAlgorithmNamed(std::string_view name);
// Lower-case: "crc32", "crc32c", "sha1", "sha256", "sha512".
const char* ChecksumAlgorithmName(ChecksumAlgorithm algorithm);

// An incremental digest; Finish() returns it base64-encoded, as headers
// carry it (CRCs big-endian).
class Checksum {
 public:
  explicit Checksum(ChecksumAlgorithm algorithm);
  ~Checksum();
  Checksum(const Checksum&) = delete;
  Checksum& operator=(const Checksum&) = delete;

  void Update(std::string_view data);
  std::string FinishBase64();

 private:
  ChecksumAlgorithm algorithm_;
  unsigned long crc_ = 0;
  struct Digest;
  Digest* digest_ = nullptr;  // SHA family (OpenSSL EVP)
};

std::string ChecksumBase64(ChecksumAlgorithm algorithm, std::string_view data);

}  // namespace awsd::protocols
