#include "daemon/protocols/request_finishing.h"

#include <openssl/rand.h>
#include <zlib.h>

#include <cstdio>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace awsd::protocols {
namespace {

// botocore's _ALGORITHMS_PRIORITY_LIST, less the ones awsd cannot compute.
constexpr ChecksumAlgorithm kResponsePriority[] = {ChecksumAlgorithm::kCrc32c, ChecksumAlgorithm::kCrc32,
                                                   ChecksumAlgorithm::kSha1, ChecksumAlgorithm::kSha256,
                                                   ChecksumAlgorithm::kSha512};
constexpr ChecksumAlgorithm kDefaultAlgorithm = ChecksumAlgorithm::kCrc32;
constexpr std::size_t kAwsChunkSize = 1 << 20;

bool IsChecksumHeader(const std::string& name) {
  // ^X-Amz-Checksum-([a-z0-9]*)$, case-insensitive
  constexpr std::string_view kPrefix = "x-amz-checksum-";
  if (name.size() < kPrefix.size() || !absl::EqualsIgnoreCase(name.substr(0, kPrefix.size()), std::string(kPrefix)))
    return false;
  for (std::size_t i = kPrefix.size(); i < name.size(); ++i) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(name[i]))) return false;
  }
  return true;
}

bool HasChecksumHeader(const SerializedRequest& request) {
  for (const http::Header& header : request.headers) {
    if (IsChecksumHeader(header.name)) return true;
  }
  return false;
}

std::string Gzip(std::string_view data) {
  z_stream stream{};
  deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out;
  out.resize(deflateBound(&stream, static_cast<uLong>(data.size())) + 32);
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

}  // namespace

std::string RandomUuid() {
  unsigned char b[16];
  RAND_bytes(b, sizeof b);
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);
  char text[37];
  std::snprintf(text, sizeof text, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
  return text;
}

void PrepareParams(const model::Operation& operation, const FinishingSettings& settings,
                   const std::function<std::string()>& uuid, Value& params) {
  if (!params.is_object()) return;
  if (operation.input && uuid) {
    for (const model::Member& member : operation.input->shape->members) {
      if (member.traits.idempotency_token && !params.contains(member.name)) params[member.name] = uuid();
    }
  }
  if (operation.http_checksum && settings.response_checksum_when_supported) {
    const std::string& mode_member = operation.http_checksum->request_validation_mode_member;
    if (!mode_member.empty() && !params.contains(mode_member)) params[mode_member] = "ENABLED";
  }
}

absl::StatusOr<ChecksumPlan> PlanChecksums(const model::Operation& operation, const Value& params,
                                           const FinishingSettings& settings) {
  ChecksumPlan plan;
  const model::HttpChecksum none;
  const model::HttpChecksum& trait = operation.http_checksum ? *operation.http_checksum : none;
  const bool required = operation.http_checksum_required || trait.request_checksum_required;
  const std::string& algorithm_member = trait.request_algorithm_member;
  if (!algorithm_member.empty() && params.is_object() && params.contains(algorithm_member) &&
      params[algorithm_member].is_string()) {
    const std::string name = params[algorithm_member].get<std::string>();
    plan.request_algorithm = ChecksumAlgorithmNamed(name);
    if (!plan.request_algorithm) {
      return absl::InvalidArgumentError(absl::StrCat("Unsupported checksum algorithm: ", absl::AsciiStrToLower(name)));
    }
  } else if ((required || (!algorithm_member.empty() && settings.request_checksum_when_supported)) &&
             !settings.presign) {
    plan.request_algorithm = kDefaultAlgorithm;
    if (!algorithm_member.empty() && operation.input) {
      if (const model::Member* member = operation.input->shape->FindMember(algorithm_member)) {
        if (!member->traits.location_name.empty()) plan.request_algorithm_header = member->traits.location_name;
      }
    }
  }
  if (plan.request_algorithm) {
    plan.in_trailer = operation.has_streaming_input() && settings.https && settings.signature_version != "s3";
  }
  const std::string& mode_member = trait.request_validation_mode_member;
  if (!mode_member.empty() && params.is_object() && params.contains(mode_member)) {
    for (const ChecksumAlgorithm algorithm : kResponsePriority) {
      for (const std::string& listed : trait.response_algorithms) {
        if (ChecksumAlgorithmNamed(listed) == algorithm) {
          plan.response_algorithms.push_back(algorithm);
          break;
        }
      }
    }
  }
  return plan;
}

void MaybeCompressRequest(const model::Operation& operation, const FinishingSettings& settings,
                          SerializedRequest& request) {
  if (settings.disable_request_compression || operation.request_compression.empty()) return;
  if (operation.has_streaming_input()) {
    const model::Member* payload = operation.input->shape->FindMember(operation.input->shape->payload);
    if (payload != nullptr && payload->shape->requires_length) return;
  } else if (request.body.size() < settings.request_min_compression_size_bytes) {
    return;
  }
  for (const std::string& encoding : operation.request_compression) {
    if (encoding != "gzip") continue;
    request.body = Gzip(request.body);
    const std::string* existing = request.FindHeader("Content-Encoding");
    request.SetHeader("Content-Encoding", existing == nullptr ? "gzip" : *existing + ",gzip");
    return;
  }
}

std::string AwsChunkedBody(std::string_view body, ChecksumAlgorithm algorithm) {
  Checksum checksum(algorithm);
  std::string out;
  out.reserve(body.size() + 128);
  while (!body.empty()) {
    const std::string_view chunk = body.substr(0, kAwsChunkSize);
    checksum.Update(chunk);
    char size[24];
    std::snprintf(size, sizeof size, "%zx\r\n", chunk.size());
    out += size;
    out.append(chunk);
    out += "\r\n";
    body.remove_prefix(chunk.size());
  }
  absl::StrAppend(&out, "0\r\nx-amz-checksum-", ChecksumAlgorithmName(algorithm), ":", checksum.FinishBase64(),
                  "\r\n\r\n");
  return out;
}

void ApplyRequestChecksum(const ChecksumPlan& plan, SerializedRequest& request) {
  if (!plan.request_algorithm || HasChecksumHeader(request)) return;
  const ChecksumAlgorithm algorithm = *plan.request_algorithm;
  const std::string header = absl::StrCat("x-amz-checksum-", ChecksumAlgorithmName(algorithm));
  if (plan.in_trailer) {
    const std::size_t decoded_length = request.body.size();
    request.body = AwsChunkedBody(request.body, algorithm);
    const std::string* encoding = request.FindHeader("Content-Encoding");
    request.SetHeader("Content-Encoding", encoding == nullptr ? "aws-chunked" : *encoding + ",aws-chunked");
    request.SetHeader("X-Amz-Trailer", header);
    request.SetHeader("X-Amz-Decoded-Content-Length", std::to_string(decoded_length));
  } else {
    request.SetHeader(header, ChecksumBase64(algorithm, request.body));
  }
  if (!plan.request_algorithm_header.empty()) {
    request.SetHeader(plan.request_algorithm_header, absl::AsciiStrToUpper(ChecksumAlgorithmName(algorithm)));
  }
}

absl::Status ValidateResponseChecksum(const ChecksumPlan& plan, const http::HttpResponse& response) {
  for (const ChecksumAlgorithm algorithm : plan.response_algorithms) {
    const std::string* expected =
        response.FindHeader(absl::StrCat("x-amz-checksum-", ChecksumAlgorithmName(algorithm)));
    if (expected == nullptr) continue;
    if (expected->find('-') != std::string::npos) continue;  // a composite multipart checksum
    const std::string actual = ChecksumBase64(algorithm, response.body);
    if (actual != *expected) {
      return absl::DataLossError(
          absl::StrCat("Expected checksum ", *expected, " did not match calculated checksum: ", actual));
    }
    return absl::OkStatus();
  }
  return absl::OkStatus();
}

}  // namespace awsd::protocols
