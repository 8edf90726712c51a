#include "daemon/signing/canonical_request.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

#include "daemon/signing/uri_encoding.h"

namespace awsd::signing {
namespace {

char ToLowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c; }

// Python's str.split() whitespace within ASCII: space, \t \n \v \f \r and the
// separators \x1c-\x1f.
constexpr std::array<bool, 256> MakeWhitespaceTable() {
  std::array<bool, 256> table{};
  for (unsigned char c : {' ', '\t', '\n', '\v', '\f', '\r', '\x1c', '\x1d', '\x1e', '\x1f'}) table[c] = true;
  return table;
}
constexpr std::array<bool, 256> kWhitespace = MakeWhitespaceTable();

bool LessIgnoreCase(std::string_view a, std::string_view b) {
  const size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    const auto ca = static_cast<unsigned char>(ToLowerAscii(a[i]));
    const auto cb = static_cast<unsigned char>(ToLowerAscii(b[i]));
    if (ca != cb) return ca < cb;
  }
  return a.size() < b.size();
}

bool EqualIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (ToLowerAscii(a[i]) != ToLowerAscii(b[i])) return false;
  }
  return true;
}

// Lower-cases the ASCII letters of eight bytes at once. For each byte, with
// its top bit cleared: adding 0x80 - 'A' sets the top bit when it is >= 'A',
// adding 0x7f - 'Z' when it is > 'Z'; neither addition carries into the next
// byte. Bytes >= 0x80 are left alone.
uint64_t LowerAscii8(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101u;
  constexpr uint64_t kHighs = 0x8080808080808080u;
  const uint64_t low7 = w & ~kHighs;
  const uint64_t at_least_a = low7 + kOnes * (0x80 - 'A');
  const uint64_t above_z = low7 + kOnes * (0x7f - 'Z');
  const uint64_t upper = (at_least_a ^ above_z) & ~w & kHighs;
  return w | (upper >> 2);  // 0x80 >> 2 == 'a' - 'A'
}

void AppendLower(std::string_view in, std::string* out) {
  // Lower-cased through a stack buffer and appended in chunks: push_back per
  // byte re-checks capacity, and resize first zero-fills.
  char chunk[64];
  while (!in.empty()) {
    const size_t n = std::min(in.size(), sizeof(chunk));
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
      uint64_t w;
      std::memcpy(&w, in.data() + i, 8);
      w = LowerAscii8(w);
      std::memcpy(chunk + i, &w, 8);
    }
    for (; i < n; ++i) chunk[i] = ToLowerAscii(in[i]);
    out->append(chunk, n);
    in.remove_prefix(n);
  }
}

// Appends `in` canonically encoded; with `decode_first`, its escapes are
// decoded first.
void AppendEncodedComponent(std::string_view in, bool decode_first, std::string* out) {
  if (decode_first) {
    AppendDecodedThenEncoded(in, out);
  } else {
    AppendUriEncoded(in, /*keep_slash=*/false, out);
  }
}

// True when NormalizePath would return `path` unchanged: it starts with '/'
// and has no empty, "." or ".." segment (a trailing slash is fine). Most
// paths are, and checking is cheaper than rebuilding.
bool IsNormalized(std::string_view path) {
  if (path.empty() || path.front() != '/') return false;
  size_t start = 1;
  while (start < path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view segment = path.substr(start, end - start);
    if (segment.empty() || segment == "." || segment == "..") return false;
    start = end + 1;
  }
  return true;
}

// Offsets of one encoded parameter inside a shared buffer; views are taken
// only once the buffer has stopped growing.
struct EncodedParam {
  uint32_t key_start, key_size, value_start, value_size;
};

void EncodeParam(std::string_view key, std::string_view value, bool decode_first, std::string* buffer,
                 std::vector<EncodedParam>* params) {
  EncodedParam param;
  param.key_start = static_cast<uint32_t>(buffer->size());
  AppendEncodedComponent(key, decode_first, buffer);
  param.key_size = static_cast<uint32_t>(buffer->size() - param.key_start);
  param.value_start = static_cast<uint32_t>(buffer->size());
  AppendEncodedComponent(value, decode_first, buffer);
  param.value_size = static_cast<uint32_t>(buffer->size() - param.value_start);
  params->push_back(param);
}

// True when `query` is its own canonical form: every piece non-empty with
// exactly one '=', every other byte unreserved (so decoding and re-encoding
// change nothing), and the pieces already in sorted order. Query APIs (IAM,
// STS, EC2, ...) send such queries, and copying one skips the per-parameter
// buffer, sort and wipe.
enum QueryByte : uint8_t { kOtherByte, kUnreservedByte, kEqualsByte, kAmpersandByte };

constexpr std::array<QueryByte, 256> MakeQueryByteTable() {
  // IsUnreserved's set, which is not constexpr.
  std::array<QueryByte, 256> table{};
  for (int c = 'A'; c <= 'Z'; ++c) table[c] = kUnreservedByte;
  for (int c = 'a'; c <= 'z'; ++c) table[c] = kUnreservedByte;
  for (int c = '0'; c <= '9'; ++c) table[c] = kUnreservedByte;
  table['-'] = table['.'] = table['_'] = table['~'] = kUnreservedByte;
  table['='] = kEqualsByte;
  table['&'] = kAmpersandByte;
  return table;
}
constexpr std::array<QueryByte, 256> kQueryByte = MakeQueryByteTable();

bool IsAlreadyCanonicalQuery(std::string_view query) {
  std::string_view previous_key, previous_value;
  bool has_previous = false;
  size_t piece_start = 0;
  size_t eq = std::string_view::npos;
  for (size_t i = 0; i <= query.size(); ++i) {
    const QueryByte kind = i == query.size() ? kAmpersandByte : kQueryByte[static_cast<unsigned char>(query[i])];
    if (kind == kUnreservedByte) continue;
    if (kind == kAmpersandByte) {
      if (eq == std::string_view::npos) return false;  // an empty piece or a bare key
      const std::string_view key = query.substr(piece_start, eq - piece_start);
      const std::string_view value = query.substr(eq + 1, i - eq - 1);
      if (has_previous) {
        const int by_key = previous_key.compare(key);
        if (by_key > 0 || (by_key == 0 && previous_value > value)) return false;
      }
      previous_key = key;
      previous_value = value;
      has_previous = true;
      piece_start = i + 1;
      eq = std::string_view::npos;
    } else if (kind == kEqualsByte) {
      if (eq != std::string_view::npos) return false;  // a second '=' is encoded
      eq = i;
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

bool IsUnsignedHeader(std::string_view name) {
  // Dispatch on length first: this runs for every header of every request.
  switch (name.size()) {
    case 2:
      return EqualIgnoreCase(name, "te");
    case 6:
      return EqualIgnoreCase(name, "expect");
    case 7:
      return EqualIgnoreCase(name, "trailer") || EqualIgnoreCase(name, "upgrade");
    case 10:
      return EqualIgnoreCase(name, "connection") || EqualIgnoreCase(name, "keep-alive") ||
             EqualIgnoreCase(name, "user-agent");
    case 13:
      return EqualIgnoreCase(name, "authorization");
    case 15:
      return EqualIgnoreCase(name, "x-amzn-trace-id");
    case 17:
      return EqualIgnoreCase(name, "transfer-encoding");
    case 18:
      return EqualIgnoreCase(name, "proxy-authenticate");
    case 19:
      return EqualIgnoreCase(name, "proxy-authorization");
    default:
      return false;
  }
}

void AppendCanonicalHeaderValue(std::string_view value, std::string* out) {
  size_t i = 0;
  bool first = true;
  while (i < value.size()) {
    while (i < value.size() && kWhitespace[static_cast<unsigned char>(value[i])]) ++i;
    if (i == value.size()) break;
    size_t end = i;
    while (end < value.size() && !kWhitespace[static_cast<unsigned char>(value[end])]) ++end;
    if (!first) out->push_back(' ');
    out->append(value.data() + i, end - i);
    first = false;
    i = end;
  }
}

void SortHeaders(std::vector<HeaderRef>* headers) {
  auto less = [](const HeaderRef& a, const HeaderRef& b) { return LessIgnoreCase(a.name, b.name); };
  // A request has a handful of headers: a stable insertion sort beats
  // std::stable_sort there, which allocates a temporary buffer per call.
  constexpr size_t kInsertionSortMax = 32;
  if (headers->size() > kInsertionSortMax) {
    std::stable_sort(headers->begin(), headers->end(), less);
    return;
  }
  HeaderRef* const data = headers->data();
  for (size_t i = 1; i < headers->size(); ++i) {
    const HeaderRef item = data[i];
    size_t j = i;
    // Strictly less only, so equal names keep their order.
    for (; j > 0 && less(item, data[j - 1]); --j) data[j] = data[j - 1];
    data[j] = item;
  }
}

void AppendSignedHeaders(const std::vector<HeaderRef>& sorted_headers, std::string* out) {
  for (size_t i = 0; i < sorted_headers.size(); ++i) {
    if (i > 0) {
      if (EqualIgnoreCase(sorted_headers[i - 1].name, sorted_headers[i].name)) continue;
      out->push_back(';');
    }
    AppendLower(sorted_headers[i].name, out);
  }
}

void AppendCanonicalHeaderBlock(const std::vector<HeaderRef>& sorted_headers, std::string* out) {
  for (size_t i = 0; i < sorted_headers.size(); ++i) {
    const HeaderRef& header = sorted_headers[i];
    if (i > 0 && EqualIgnoreCase(sorted_headers[i - 1].name, header.name)) {
      out->push_back(',');
    } else {
      if (i > 0) out->push_back('\n');
      AppendLower(header.name, out);
      out->push_back(':');
    }
    AppendCanonicalHeaderValue(header.value, out);
  }
  if (!sorted_headers.empty()) out->push_back('\n');
}

void AppendCanonicalHeaders(std::vector<HeaderRef>* headers, std::string* canonical, std::string* signed_headers) {
  SortHeaders(headers);
  AppendCanonicalHeaderBlock(*headers, canonical);
  AppendSignedHeaders(*headers, signed_headers);
}

void AppendCanonicalPath(std::string_view path, bool normalize, bool double_encode, std::string* out) {
  std::string normalized;
  if (path.empty()) {
    path = "/";
  } else if (normalize && !IsNormalized(path)) {
    normalized = NormalizePath(path);
    path = normalized;
  }
  if (double_encode) {
    AppendUriEncoded(path, /*keep_slash=*/true, out);
  } else {
    AppendPathEncodedOnce(path, out);
  }
}

void AppendCanonicalQuery(std::string_view raw_query, std::span<const QueryParam> extra, std::string* out) {
  if (raw_query.empty() && extra.empty()) return;
  if (extra.empty() && IsAlreadyCanonicalQuery(raw_query)) {
    out->append(raw_query);
    return;
  }
  // Per-thread buffers: after the first few requests, canonicalising a query
  // allocates nothing. The encoded buffer may hold a session token
  // (presigning), so it is wiped after use.
  thread_local std::string buffer;
  thread_local std::vector<EncodedParam> params;
  buffer.clear();
  params.clear();
  size_t start = 0;
  while (start < raw_query.size()) {
    size_t end = raw_query.find('&', start);
    if (end == std::string_view::npos) end = raw_query.size();
    const std::string_view pair = raw_query.substr(start, end - start);
    if (!pair.empty()) {
      const size_t eq = pair.find('=');
      const std::string_view key = pair.substr(0, eq);
      const std::string_view value = eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
      EncodeParam(key, value, /*decode_first=*/true, &buffer, &params);
    }
    start = end + 1;
  }
  for (const QueryParam& param : extra) {
    EncodeParam(param.key, param.value, /*decode_first=*/false, &buffer, &params);
  }
  const std::string_view all(buffer);
  auto key = [&](const EncodedParam& p) { return all.substr(p.key_start, p.key_size); };
  auto value = [&](const EncodedParam& p) { return all.substr(p.value_start, p.value_size); };
  std::sort(params.begin(), params.end(), [&](const EncodedParam& a, const EncodedParam& b) {
    const int by_key = key(a).compare(key(b));
    return by_key != 0 ? by_key < 0 : value(a) < value(b);
  });
  for (size_t i = 0; i < params.size(); ++i) {
    if (i > 0) out->push_back('&');
    out->append(key(params[i]));
    out->push_back('=');
    out->append(value(params[i]));
  }
  OPENSSL_cleanse(buffer.data(), buffer.size());
}

}  // namespace awsd::signing
