// SigV4 / SigV4a signing of arbitrary requests (daemon/signing): URL
// splitting, path normalisation and encoding, query canonicalisation, header
// folding and sorting, the payload hash modes, presigning, and chunk
// signatures.
//
// Input (text, so seeds read like requests):
//   byte 0      flags: bit 0 SigV4a, bit 1 presign, bits 2-3 payload mode,
//               bit 4 x-amz-content-sha256, bit 5 no path normalisation,
//               bit 6 no double encoding
//   line 1      "<service> <region> <epoch seconds>"
//   line 2      "<METHOD> <URL>"
//   lines       "Name: value" headers, up to an empty line
//   rest        the body

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/numbers.h"
#include "daemon/credentials/credentials.h"
#include "daemon/signing/canonical_request.h"
#include "daemon/signing/signer.h"

namespace {

std::string_view NextLine(std::string_view& text) {
  const size_t eol = text.find('\n');
  std::string_view line = text.substr(0, eol);
  text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
  return line;
}

std::string_view NextWord(std::string_view& line) {
  const size_t space = line.find(' ');
  std::string_view word = line.substr(0, space);
  line = space == std::string_view::npos ? std::string_view() : line.substr(space + 1);
  return word;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // One signer for the run, as the daemon has: its key caches are part of
  // what is exercised (and the SigV4a key is derived once, not per input).
  static awsd::signing::Signer* const signer = new awsd::signing::Signer();
  static const awsd::credentials::Credentials* const credentials = [] {
    auto* c = new awsd::credentials::Credentials();
    c->access_key_id = "AKIDEXAMPLE";
    c->secret_access_key = awsd::Secret("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    c->session_token = awsd::Secret("fuzz-session-token");
    return c;
  }();
  if (size < 1) return 0;
  const uint8_t flags = data[0];
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);

  awsd::signing::SigningParams params;
  std::string_view scope = NextLine(text);
  params.service = std::string(NextWord(scope));
  params.region = std::string(NextWord(scope));
  int64_t seconds = 0;
  // Bounded so the chrono conversion below cannot overflow; the signer's own
  // lower bound (1970) is still crossed.
  if (!absl::SimpleAtoi(absl::string_view(scope.data(), scope.size()), &seconds) || seconds < -(int64_t{1} << 33) ||
      seconds > (int64_t{1} << 33)) {
    seconds = 1440938160;
  }
  params.time = std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
  params.algorithm = (flags & 1) ? awsd::signing::Algorithm::kSigV4a : awsd::signing::Algorithm::kSigV4;
  params.location =
      (flags & 2) ? awsd::signing::SignatureLocation::kQueryString : awsd::signing::SignatureLocation::kHeaders;
  params.payload = static_cast<awsd::signing::PayloadSigning>(((flags >> 2) & 3) % 3);
  params.content_sha256_header = (flags & 16) != 0;
  params.normalize_path = (flags & 32) == 0;
  params.double_encode_path = (flags & 64) == 0;
  if (flags & 128) params.expires_seconds = static_cast<int64_t>(seconds % 1000000);

  awsd::http::HttpRequest request;
  std::string_view request_line = NextLine(text);
  request.method = std::string(NextWord(request_line));
  request.url = std::string(request_line);
  for (std::string_view line = NextLine(text); !line.empty(); line = NextLine(text)) {
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      request.headers.push_back({std::string(line), ""});
    } else {
      request.headers.push_back({std::string(line.substr(0, colon)), std::string(line.substr(colon + 1))});
    }
  }
  request.body = std::string(text);

  auto signed_request = signer->Sign(request, *credentials, params);
  if (signed_request.ok() && params.payload == awsd::signing::PayloadSigning::kStreaming) {
    (void)signer->SignChunk(signed_request->signature, request.body, *credentials, params);
  }

  // The canonicalisation helpers on the raw pieces too, without the URL
  // parser in front: the Sign RPC is not their only caller.
  std::string out;
  awsd::signing::AppendCanonicalPath(request.url, params.normalize_path, params.double_encode_path, &out);
  out.clear();
  const std::vector<awsd::signing::QueryParam> extra = {{"X-Amz-Date", "20150830T123600Z"}};
  awsd::signing::AppendCanonicalQuery(request.body, extra, &out);
  std::vector<awsd::signing::HeaderRef> headers;
  for (const auto& header : request.headers) headers.push_back({header.name, header.value});
  std::string canonical, signed_headers;
  awsd::signing::AppendCanonicalHeaders(&headers, &canonical, &signed_headers);
  return 0;
}
