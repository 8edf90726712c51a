#include "daemon/protocols/checksums.h"

#include <openssl/evp.h>
#include <zlib.h>

#include <array>
#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"

namespace awsd::protocols {
namespace {

// CRC-32C (Castagnoli), reflected polynomial 0x82F63B78, table-driven.
const std::array<std::uint32_t, 256>& Crc32cTable() {
  static const std::array<std::uint32_t, 256> table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  return table;
}

std::uint32_t Crc32cUpdate(std::uint32_t crc, std::string_view data) {
  const auto& table = Crc32cTable();
  crc = ~crc;
  for (const char ch : data) crc = table[(crc ^ static_cast<unsigned char>(ch)) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

const EVP_MD* DigestFor(ChecksumAlgorithm algorithm) {
  switch (algorithm) {
    case ChecksumAlgorithm::kSha1:
      return EVP_sha1();
    case ChecksumAlgorithm::kSha256:
      return EVP_sha256();
    case ChecksumAlgorithm::kSha512:
      return EVP_sha512();
    default:
      return nullptr;
  }
}

std::string BigEndian32(std::uint32_t v) {
  const char bytes[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
                         static_cast<char>(v)};
  return std::string(bytes, 4);
}

}  // namespace

struct Checksum::Digest {
  EVP_MD_CTX* ctx = nullptr;
};

std::optional<ChecksumAlgorithm> ChecksumAlgorithmNamed(std::string_view name) {
  const std::string lower = absl::AsciiStrToLower(std::string(name));
  if (lower == "crc32") return ChecksumAlgorithm::kCrc32;
  if (lower == "crc32c") return ChecksumAlgorithm::kCrc32c;
  if (lower == "sha1") return ChecksumAlgorithm::kSha1;
  if (lower == "sha256") return ChecksumAlgorithm::kSha256;
  if (lower == "sha512") return ChecksumAlgorithm::kSha512;
  return std::nullopt;
}

const char* ChecksumAlgorithmName(ChecksumAlgorithm algorithm) {
  switch (algorithm) {
    case ChecksumAlgorithm::kCrc32:
      return "crc32";
    case ChecksumAlgorithm::kCrc32c:
      return "crc32c";
    case ChecksumAlgorithm::kSha1:
      return "sha1";
    case ChecksumAlgorithm::kSha256:
      return "sha256";
    case ChecksumAlgorithm::kSha512:
      return "sha512";
  }
  return "";
}

Checksum::Checksum(ChecksumAlgorithm algorithm) : algorithm_(algorithm) {
  if (const EVP_MD* md = DigestFor(algorithm)) {
    digest_ = new Digest{EVP_MD_CTX_new()};
    EVP_DigestInit_ex(digest_->ctx, md, nullptr);
  }
}

Checksum::~Checksum() {
  if (digest_ != nullptr) {
    EVP_MD_CTX_free(digest_->ctx);
    delete digest_;
  }
}

void Checksum::Update(std::string_view data) {
  switch (algorithm_) {
    case ChecksumAlgorithm::kCrc32:
      // zlib's length is uInt: feed large bodies in pieces.
      while (!data.empty()) {
        const std::size_t n = std::min<std::size_t>(data.size(), 1u << 30);
        crc_ = ::crc32(crc_, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(n));
        data.remove_prefix(n);
      }
      return;
    case ChecksumAlgorithm::kCrc32c:
      crc_ = Crc32cUpdate(static_cast<std::uint32_t>(crc_), data);
      return;
    default:
      EVP_DigestUpdate(digest_->ctx, data.data(), data.size());
  }
}

std::string Checksum::FinishBase64() {
  if (digest_ == nullptr) return absl::Base64Escape(BigEndian32(static_cast<std::uint32_t>(crc_)));
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(digest_->ctx, out, &length);
  return absl::Base64Escape(std::string(reinterpret_cast<const char*>(out), length));
}

std::string ChecksumBase64(ChecksumAlgorithm algorithm, std::string_view data) {
  Checksum checksum(algorithm);
  checksum.Update(data);
  return checksum.FinishBase64();
}

}  // namespace awsd::protocols
