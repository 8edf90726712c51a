#include "daemon/signing/canonical_request.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <array>
#include <cstdint>

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

void AppendLower(std::string_view in, std::string* out) {
  for (char c : in) out->push_back(ToLowerAscii(c));
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
                 std::string* scratch, std::vector<EncodedParam>* params) {
  EncodedParam param;
  param.key_start = static_cast<uint32_t>(buffer->size());
  if (decode_first) {
    scratch->clear();
    AppendPercentDecoded(key, scratch);
    AppendUriEncoded(*scratch, /*keep_slash=*/false, buffer);
  } else {
    AppendUriEncoded(key, /*keep_slash=*/false, buffer);
  }
  param.key_size = static_cast<uint32_t>(buffer->size() - param.key_start);
  param.value_start = static_cast<uint32_t>(buffer->size());
  if (decode_first) {
    scratch->clear();
    AppendPercentDecoded(value, scratch);
    AppendUriEncoded(*scratch, /*keep_slash=*/false, buffer);
  } else {
    AppendUriEncoded(value, /*keep_slash=*/false, buffer);
  }
  param.value_size = static_cast<uint32_t>(buffer->size() - param.value_start);
  params->push_back(param);
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
  std::stable_sort(headers->begin(), headers->end(),
                   [](const HeaderRef& a, const HeaderRef& b) { return LessIgnoreCase(a.name, b.name); });
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
  // Per-thread buffers: after the first few requests, canonicalising a query
  // allocates nothing. The encoded buffer may hold a session token
  // (presigning), so it is wiped after use.
  thread_local std::string buffer;
  thread_local std::string scratch;
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
      EncodeParam(key, value, /*decode_first=*/true, &buffer, &scratch, &params);
    }
    start = end + 1;
  }
  for (const QueryParam& param : extra) {
    EncodeParam(param.key, param.value, /*decode_first=*/false, &buffer, &scratch, &params);
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
  OPENSSL_cleanse(scratch.data(), scratch.size());
}

}  // namespace awsd::signing
