#include "daemon/signing/signer.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <utility>

#include "absl/status/status.h"
#include "daemon/signing/canonical_request.h"
#include "daemon/signing/chunk_signer.h"
#include "daemon/signing/crypto.h"
#include "daemon/signing/sigv4_signer.h"
#include "daemon/signing/sigv4a_signer.h"
#include "daemon/signing/uri_encoding.h"

namespace awsd::signing {
namespace {

using http::EqualsIgnoreCase;

constexpr int64_t kMaxExpiresSeconds = 604800;
constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";

// The signing instant in the three forms SigV4 uses.
struct SigningTime {
  char amz_date[17];   // 20150830T123600Z
  char date[9];        // 20150830
  char http_date[32];  // Sun, 30 Aug 2015 12:36:00 -0000 (botocore's Date)
  std::string_view AmzDate() const { return {amz_date, 16}; }
  std::string_view Date() const { return {date, 8}; }
  std::string_view HttpDate() const { return http_date; }
};

void PutDigits(unsigned value, int width, char* out) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

absl::Status FormatTime(std::chrono::system_clock::time_point time, SigningTime* out) {
  using namespace std::chrono;
  const auto seconds_since_epoch = floor<seconds>(time);
  const auto day = floor<days>(seconds_since_epoch);
  const year_month_day ymd(day);
  const int year = static_cast<int>(ymd.year());
  if (year < 1970 || year > 9999) {
    return absl::InvalidArgumentError("signing_time: must be between 1970 and 9999");
  }
  const hh_mm_ss<seconds> hms(seconds_since_epoch - day);
  const unsigned month = static_cast<unsigned>(ymd.month());
  const unsigned mday = static_cast<unsigned>(ymd.day());
  const auto hour = static_cast<unsigned>(hms.hours().count());
  const auto minute = static_cast<unsigned>(hms.minutes().count());
  const auto second = static_cast<unsigned>(hms.seconds().count());

  PutDigits(static_cast<unsigned>(year), 4, out->amz_date);
  PutDigits(month, 2, out->amz_date + 4);
  PutDigits(mday, 2, out->amz_date + 6);
  out->amz_date[8] = 'T';
  PutDigits(hour, 2, out->amz_date + 9);
  PutDigits(minute, 2, out->amz_date + 11);
  PutDigits(second, 2, out->amz_date + 13);
  out->amz_date[15] = 'Z';
  out->amz_date[16] = '\0';
  std::copy_n(out->amz_date, 8, out->date);
  out->date[8] = '\0';

  // email.utils.formatdate(timeval), which botocore writes into Date.
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char* p = out->http_date;
  p = std::copy_n(kDays[weekday(day).c_encoding()], 3, p);
  *p++ = ',';
  *p++ = ' ';
  PutDigits(mday, 2, p);
  p += 2;
  *p++ = ' ';
  p = std::copy_n(kMonths[month - 1], 3, p);
  *p++ = ' ';
  PutDigits(static_cast<unsigned>(year), 4, p);
  p += 4;
  *p++ = ' ';
  PutDigits(hour, 2, p);
  p[2] = ':';
  PutDigits(minute, 2, p + 3);
  p[5] = ':';
  PutDigits(second, 2, p + 6);
  p += 8;
  p = std::copy_n(" -0000", 6, p);
  *p = '\0';
  return absl::OkStatus();
}

// FormatTime, remembering the last second formatted on this thread: a busy
// client signs many requests within the same second.
absl::Status FormatTimeCached(std::chrono::system_clock::time_point time, SigningTime* out) {
  struct Cache {
    bool valid = false;
    int64_t seconds = 0;
    SigningTime formatted;
  };
  thread_local Cache cache;
  const int64_t seconds = std::chrono::floor<std::chrono::seconds>(time.time_since_epoch()).count();
  if (cache.valid && cache.seconds == seconds) {
    *out = cache.formatted;
    return absl::OkStatus();
  }
  if (absl::Status s = FormatTime(time, out); !s.ok()) return s;
  cache.valid = true;
  cache.seconds = seconds;
  cache.formatted = *out;
  return absl::OkStatus();
}

// "2015-08-30T12:36:00Z", for warnings.
std::string IsoTime(std::chrono::system_clock::time_point time) {
  SigningTime formatted;
  if (!FormatTime(time, &formatted).ok()) return "(out of range)";
  const std::string_view d = formatted.AmzDate();
  std::string iso;
  iso.append(d.substr(0, 4)).append("-").append(d.substr(4, 2)).append("-").append(d.substr(6, 2));
  iso.append("T").append(d.substr(9, 2)).append(":").append(d.substr(11, 2)).append(":").append(d.substr(13, 2));
  iso.append("Z");
  return iso;
}

// RFC 9110 token characters (method and header names).
bool IsTokenChar(unsigned char c) {
  if (c >= '0' && c <= '9') return true;
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+': case '-': case '.':
    case '^': case '_': case '`': case '|': case '~':
      return true;
    default:
      return false;
  }
}

bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsTokenChar(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// Branch-free, with no early exit: valid input is the common case, and
// session tokens run to a kilobyte.
bool HasCrLfOrNul(std::string_view s) {
  bool found = false;
  for (char c : s) found |= (c == '\r') | (c == '\n') | (c == '\0');
  return found;
}

absl::Status InvalidArgument(std::string_view field, std::string_view problem) {
  std::string message(field);
  message += ": ";
  message += problem;
  return absl::InvalidArgumentError(message);
}

// Bytes a credential scope part (access key id, region, service) may not
// hold: it is '/'-delimited and goes into a header, so only visible ASCII
// other than '/' is allowed.
constexpr std::array<bool, 256> MakeNotScopeTable() {
  std::array<bool, 256> table{};
  for (int c = 0; c < 256; ++c) table[c] = c <= 0x20 || c >= 0x7f || c == '/';
  return table;
}
constexpr std::array<bool, 256> kNotScope = MakeNotScopeTable();

// Branch-free, like HasCrLfOrNul.
bool IsScopeText(std::string_view s) {
  bool bad = false;
  for (char c : s) bad |= kNotScope[static_cast<unsigned char>(c)];
  return !bad;
}

absl::Status ValidateScopePart(std::string_view field, std::string_view value) {
  if (value.empty()) return InvalidArgument(field, "required");
  if (!IsScopeText(value)) {
    return InvalidArgument(field, "may only contain visible ASCII characters other than '/'");
  }
  return absl::OkStatus();
}

absl::Status ValidateCredentials(const credentials::Credentials& credentials) {
  if (credentials.access_key_id.empty()) {
    return absl::FailedPreconditionError("credentials: no access key id");
  }
  if (credentials.secret_access_key.empty()) {
    return absl::FailedPreconditionError("credentials: no secret access key");
  }
  if (!IsScopeText(credentials.access_key_id)) {
    return absl::FailedPreconditionError("credentials: the access key id contains characters no key id has");
  }
  if (HasCrLfOrNul(credentials.session_token.view())) {
    return absl::FailedPreconditionError("credentials: the session token contains CR, LF or NUL");
  }
  return absl::OkStatus();
}

// Checks shared by Sign and SignChunk.
absl::Status ValidateScope(const credentials::Credentials& credentials, const SigningParams& params,
                           SigningTime* time) {
  if (absl::Status s = ValidateScopePart("service", params.service); !s.ok()) return s;
  if (absl::Status s = ValidateScopePart("region", params.region); !s.ok()) return s;
  if (absl::Status s = FormatTimeCached(params.time, time); !s.ok()) return s;
  return ValidateCredentials(credentials);
}

absl::Status ValidateHeaders(const std::vector<http::Header>& headers) {
  for (size_t i = 0; i < headers.size(); ++i) {
    const http::Header& header = headers[i];
    if (!IsToken(header.name)) {
      return InvalidArgument("request.headers",
                             "header " + std::to_string(i) + " has an empty or invalid name (want an HTTP token)");
    }
    // Values are never quoted back: they may hold tokens or cookies.
    if (HasCrLfOrNul(header.value)) {
      return InvalidArgument("request.headers", "value of header '" + header.name + "' contains CR, LF or NUL");
    }
  }
  return absl::OkStatus();
}

bool HasHeader(const std::vector<http::Header>& headers, std::string_view name) {
  for (const http::Header& header : headers) {
    if (EqualsIgnoreCase(header.name, name)) return true;
  }
  return false;
}

// Query parameters a presigned URL gets from the signer; a URL that already
// has one was presigned before, and a second copy would make it ambiguous.
absl::Status CheckNoSigningParams(std::string_view query) {
  static constexpr std::string_view kReserved[] = {
      "X-Amz-Algorithm", "X-Amz-Credential",     "X-Amz-Date",       "X-Amz-Expires",
      "X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Security-Token", "X-Amz-Region-Set",
  };
  size_t start = 0;
  std::string key;
  while (start < query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view pair = query.substr(start, end - start);
    key.clear();
    AppendPercentDecoded(pair.substr(0, pair.find('=')), &key);
    for (std::string_view reserved : kReserved) {
      if (EqualsIgnoreCase(key, reserved)) {
        return InvalidArgument("request.url",
                               "query already has " + std::string(reserved) + ", which presigning adds");
      }
    }
    start = end + 1;
  }
  return absl::OkStatus();
}

void AppendUpperAscii(std::string_view in, std::string* out) {
  const size_t start = out->size();
  out->resize(start + in.size());
  char* p = out->data() + start;
  for (char c : in) *p++ = (c >= 'a' && c <= 'z') ? static_cast<char>(c - ('a' - 'A')) : c;
}

absl::Status OpenSslFailure() { return absl::InternalError("signing: OpenSSL failed to compute the signature"); }

}  // namespace

Signer::Signer(size_t key_cache_capacity, size_t sigv4a_key_cache_capacity)
    : keys_(key_cache_capacity), sigv4a_keys_(sigv4a_key_cache_capacity) {}

absl::StatusOr<SigningResult> Signer::Sign(const http::HttpRequest& request,
                                           const credentials::Credentials& credentials,
                                           const SigningParams& params) {
  const bool presign = params.location == SignatureLocation::kQueryString;
  const bool v4a = params.algorithm == Algorithm::kSigV4a;

  // --- Validation: every error names the field at fault.
  if (!IsToken(request.method)) {
    return InvalidArgument("request.method", "empty or not an HTTP method token");
  }
  absl::StatusOr<http::UrlParts> url = http::ParseUrl(request.url);
  if (!url.ok()) {
    const auto message = url.status().message();  // absl::string_view, not std:: on Debian's absl
    return InvalidArgument("request.url", std::string_view(message.data(), message.size()));
  }
  if (absl::Status s = ValidateHeaders(request.headers); !s.ok()) return s;
  SigningTime time;
  if (absl::Status s = ValidateScope(credentials, params, &time); !s.ok()) return s;
  if (presign) {
    if (params.expires_seconds < 1 || params.expires_seconds > kMaxExpiresSeconds) {
      return InvalidArgument("expires_seconds", "must be between 1 and 604800 (7 days), got " +
                                                    std::to_string(params.expires_seconds));
    }
    if (params.payload == PayloadSigning::kStreaming) {
      return InvalidArgument("payload_signing", "a streaming payload needs header signing, not a presigned URL");
    }
    if (url->query.has_value()) {
      if (absl::Status s = CheckNoSigningParams(*url->query); !s.ok()) return s;
    }
  }

  const std::string_view algorithm = v4a ? kSigV4aAlgorithm : kSigV4Algorithm;
  const std::string_view token = credentials.session_token.view();
  const bool has_token = !token.empty();
  // botocore's header signer honours a Date header: it rewrites it to the
  // signing time and sends no X-Amz-Date. (aws-c-auth, behind SigV4a,
  // always uses X-Amz-Date.)
  const bool use_date_header = !presign && !v4a && HasHeader(request.headers, "date");
  const bool set_content_sha256 =
      !presign && (params.content_sha256_header || params.payload != PayloadSigning::kSigned);

  SigningResult result;
  result.request.method = request.method;
  if (!presign) result.request.url = request.url;
  result.request.body = request.body;
  std::vector<http::Header>& headers = result.request.headers;
  headers.reserve(request.headers.size() + 6);
  if (!HasHeader(request.headers, "host")) headers.push_back({"Host", http::HostHeaderValue(*url)});
  // As botocore: an X-Amz-Content-SHA256 the caller set is the payload hash
  // unless the signer sets the header itself.
  const std::string* given_content_sha256 = nullptr;
  for (const http::Header& header : request.headers) {
    const std::string_view name = header.name;
    if (EqualsIgnoreCase(name, "authorization")) continue;
    if (!presign && (EqualsIgnoreCase(name, "x-amz-date") || (use_date_header && EqualsIgnoreCase(name, "date")) ||
                     (has_token && EqualsIgnoreCase(name, "x-amz-security-token")) ||
                     (v4a && EqualsIgnoreCase(name, "x-amz-region-set")))) {
      continue;
    }
    if (EqualsIgnoreCase(name, "x-amz-content-sha256")) {
      if (set_content_sha256) continue;
      if (given_content_sha256 == nullptr) given_content_sha256 = &header.value;
    }
    headers.push_back(header);
  }

  char payload_hex[2 * kSha256Size];
  std::string_view payload_hash;
  if (given_content_sha256 != nullptr) {
    payload_hash = *given_content_sha256;
  } else if (params.payload == PayloadSigning::kUnsigned) {
    payload_hash = kUnsignedPayload;
  } else if (params.payload == PayloadSigning::kStreaming) {
    payload_hash = v4a ? kSigV4aStreamingPayload : kSigV4StreamingPayload;
  } else if (request.body.empty()) {
    payload_hash = kEmptySha256Hex;
  } else {
    Sha256Digest digest;
    if (!Sha256(request.body, &digest)) return OpenSslFailure();
    HexEncode(digest.data(), digest.size(), payload_hex);
    payload_hash = std::string_view(payload_hex, sizeof(payload_hex));
  }

  if (!presign) {
    if (use_date_header) {
      headers.push_back({"Date", std::string(time.HttpDate())});
    } else {
      headers.push_back({"X-Amz-Date", std::string(time.AmzDate())});
    }
    if (has_token) headers.push_back({"X-Amz-Security-Token", std::string(token)});
    if (set_content_sha256) headers.push_back({"X-Amz-Content-SHA256", std::string(payload_hash)});
    if (v4a) headers.push_back({"X-Amz-Region-Set", params.region});
  }

  // --- Canonical request.
  // Views into `headers`; per thread so a hit on the key cache allocates only
  // what the result itself holds.
  thread_local std::vector<HeaderRef> signed_header_refs;
  signed_header_refs.clear();
  for (const http::Header& header : headers) {
    if (!IsUnsignedHeader(header.name)) signed_header_refs.push_back({header.name, header.value});
  }
  SortHeaders(&signed_header_refs);
  // Per thread, like the header views: neither outlives this call, and
  // neither holds anything secret.
  thread_local std::string signed_headers;
  signed_headers.clear();
  AppendSignedHeaders(signed_header_refs, &signed_headers);

  // "<access key id>/<scope>", the scope being date/region/service/aws4_request;
  // SigV4a leaves the region out (the region set is signed as
  // X-Amz-Region-Set instead).
  thread_local std::string credential;
  credential.clear();
  credential.append(credentials.access_key_id).push_back('/');
  const size_t scope_start = credential.size();
  credential.append(time.Date()).push_back('/');
  if (!v4a) credential.append(params.region).push_back('/');
  credential.append(params.service).append(std::string_view("/aws4_request"));
  const std::string_view scope = std::string_view(credential).substr(scope_start);

  std::array<QueryParam, 7> presign_params;
  size_t presign_param_count = 0;
  char expires_text[24];
  if (presign) {
    const std::to_chars_result expires_end =
        std::to_chars(expires_text, expires_text + sizeof(expires_text), params.expires_seconds);
    const std::string_view expires(expires_text, static_cast<size_t>(expires_end.ptr - expires_text));
    presign_params[presign_param_count++] = {"X-Amz-Algorithm", algorithm};
    presign_params[presign_param_count++] = {"X-Amz-Credential", credential};
    presign_params[presign_param_count++] = {"X-Amz-Date", time.AmzDate()};
    presign_params[presign_param_count++] = {"X-Amz-Expires", expires};
    presign_params[presign_param_count++] = {"X-Amz-SignedHeaders", signed_headers};
    if (v4a) presign_params[presign_param_count++] = {"X-Amz-Region-Set", params.region};
    if (has_token) presign_params[presign_param_count++] = {"X-Amz-Security-Token", token};
  }

  std::string& canonical = result.canonical_request;
  size_t header_bytes = 0;
  for (const HeaderRef& header : signed_header_refs) header_bytes += header.name.size() + header.value.size() + 2;
  size_t presign_bytes = 0;
  for (size_t i = 0; i < presign_param_count; ++i) {
    presign_bytes += presign_params[i].key.size() + presign_params[i].value.size() * 3 + 2;
  }
  canonical.reserve(request.method.size() + url->path.size() * 3 + url->query.value_or("").size() * 3 +
                    presign_bytes + header_bytes + signed_headers.size() + payload_hash.size() + 16);
  AppendUpperAscii(request.method, &canonical);
  canonical.push_back('\n');
  AppendCanonicalPath(url->path, params.normalize_path, params.double_encode_path, &canonical);
  canonical.push_back('\n');
  AppendCanonicalQuery(url->query.value_or(std::string_view()),
                       std::span<const QueryParam>(presign_params.data(), presign_param_count), &canonical);
  canonical.push_back('\n');
  AppendCanonicalHeaderBlock(signed_header_refs, &canonical);
  canonical.push_back('\n');
  canonical.append(signed_headers);
  canonical.push_back('\n');
  canonical.append(payload_hash);
  signed_header_refs.clear();

  // --- String to sign and signature.
  std::string& string_to_sign = result.string_to_sign;
  string_to_sign.reserve(algorithm.size() + 16 + scope.size() + 64 + 3);
  string_to_sign.append(algorithm).push_back('\n');
  string_to_sign.append(time.AmzDate()).push_back('\n');
  string_to_sign.append(scope).push_back('\n');
  if (!AppendSha256Hex(canonical, &string_to_sign)) return OpenSslFailure();

  if (v4a) {
    absl::StatusOr<EcKey> key = sigv4a_keys_.Get(credentials.access_key_id, credentials.secret_access_key);
    if (!key.ok()) return key.status();
    if (!AppendSigV4aSignature(*key, string_to_sign, &result.signature)) return OpenSslFailure();
  } else {
    KeyBytes key;
    if (!keys_.Get(credentials.access_key_id, credentials.secret_access_key, time.Date(), params.region,
                   params.service, &key) ||
        !AppendSigV4Signature(key, string_to_sign, &result.signature)) {
      return OpenSslFailure();
    }
  }

  // --- Put the signature where it goes.
  if (!presign) {
    std::string authorization;
    authorization.reserve(algorithm.size() + credential.size() + signed_headers.size() + result.signature.size() +
                          40);
    // string_view literals: append(const char*) pays a strlen each.
    authorization.append(algorithm).append(std::string_view(" Credential=")).append(credential);
    authorization.append(std::string_view(", SignedHeaders=")).append(signed_headers);
    authorization.append(std::string_view(", Signature=")).append(result.signature);
    headers.push_back({"Authorization", std::move(authorization)});
  } else {
    // The caller's query is kept byte for byte; the signing parameters are
    // appended in botocore's order, before any fragment.
    const std::string_view original = request.url;
    const size_t fragment = original.find('#');
    const std::string_view before_fragment = original.substr(0, fragment);
    std::string& out = result.request.url;
    out.reserve(original.size() + canonical.size() / 2 + 300);
    out.append(before_fragment);
    if (!url->query.has_value()) {
      out.push_back('?');
    } else if (!url->query->empty() && url->query->back() != '&') {
      out.push_back('&');
    }
    for (size_t i = 0; i < presign_param_count; ++i) {
      out.append(presign_params[i].key).push_back('=');
      AppendUriEncoded(presign_params[i].value, /*keep_slash=*/false, &out);
      out.push_back('&');
    }
    out.append(std::string_view("X-Amz-Signature=")).append(result.signature);
    if (fragment != std::string_view::npos) out.append(original.substr(fragment));
  }

  // --- Warnings.
  if (credentials.expiration.has_value()) {
    const auto expiration = *credentials.expiration;
    if (expiration <= params.time) {
      result.warnings.push_back({"CREDENTIALS_EXPIRED", "the credentials expired at " + IsoTime(expiration) +
                                                            ", before the signing time " + IsoTime(params.time)});
    } else if (presign && expiration < params.time + std::chrono::seconds(params.expires_seconds)) {
      result.warnings.push_back(
          {"PRESIGN_OUTLIVES_CREDENTIALS",
           "the presigned URL is valid until " + IsoTime(params.time + std::chrono::seconds(params.expires_seconds)) +
               " but its credentials expire at " + IsoTime(expiration) + "; it stops working then"});
    }
  }
  return result;
}

absl::StatusOr<std::string> Signer::SignChunk(std::string_view previous_signature, std::string_view chunk,
                                              const credentials::Credentials& credentials,
                                              const SigningParams& params, std::string* string_to_sign) {
  SigningTime time;
  if (absl::Status s = ValidateScope(credentials, params, &time); !s.ok()) return s;
  const bool v4a = params.algorithm == Algorithm::kSigV4a;
  if (v4a) {
    // aws-c-auth pads SigV4a chunk signatures to 144 characters with '*'
    // and signs the unpadded one.
    while (!previous_signature.empty() && previous_signature.back() == '*') previous_signature.remove_suffix(1);
  }
  std::string decoded;
  if (!HexDecode(previous_signature, &decoded) || (!v4a && decoded.size() != kSha256Size) ||
      (v4a && (decoded.empty() || decoded.size() > 72))) {
    return InvalidArgument("previous_signature",
                           v4a ? "want the hex DER signature of the seed or previous chunk"
                               : "want the 64 hex digits of the seed or previous chunk's signature");
  }

  std::string scope;
  scope.append(time.Date()).push_back('/');
  if (!v4a) scope.append(params.region).push_back('/');
  scope.append(params.service).append("/aws4_request");

  std::string sts;
  const std::string_view algorithm = v4a ? kSigV4aAlgorithm : kSigV4Algorithm;
  if (!AppendChunkStringToSign(algorithm, time.AmzDate(), scope, previous_signature, chunk, &sts)) {
    return OpenSslFailure();
  }
  std::string signature;
  if (v4a) {
    absl::StatusOr<EcKey> key = sigv4a_keys_.Get(credentials.access_key_id, credentials.secret_access_key);
    if (!key.ok()) return key.status();
    if (!AppendSigV4aSignature(*key, sts, &signature)) return OpenSslFailure();
  } else {
    KeyBytes key;
    if (!keys_.Get(credentials.access_key_id, credentials.secret_access_key, time.Date(), params.region,
                   params.service, &key) ||
        !AppendSigV4Signature(key, sts, &signature)) {
      return OpenSslFailure();
    }
  }
  if (string_to_sign != nullptr) *string_to_sign = std::move(sts);
  return signature;
}

}  // namespace awsd::signing
