#include "daemon/http/http_request.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <string>

#include "absl/status/status.h"

namespace awsd::http {
namespace {

char ToLowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c; }

bool IsControl(unsigned char c) { return c < 0x20 || c == 0x7f; }

// Whether `s` holds a byte below 0x20 or 0x7f, eight bytes at a time (the
// byte loop does not vectorise at -O2, and URLs run to hundreds of bytes).
bool HasControlByte(std::string_view s) {
  constexpr uint64_t kOnes = 0x0101010101010101u;
  constexpr uint64_t kHighs = 0x8080808080808080u;
  uint64_t found = 0;
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    // Exact tests (no false positives) for "some byte < 0x20" and "some
    // byte == 0x7f" (a zero byte of w ^ 0x7f7f...).
    const uint64_t del = w ^ (kOnes * 0x7f);
    found |= ((w - kOnes * 0x20) & ~w & kHighs) | ((del - kOnes) & ~del & kHighs);
  }
  bool tail = false;
  for (; i < s.size(); ++i) tail |= IsControl(static_cast<unsigned char>(s[i]));
  return found != 0 || tail;
}

// Index of the first byte of `s` equal to `a`, `b` or `c`, or s.size().
// Eight bytes at a time: a byte loop with three compares cost more than the
// rest of parsing. (A byte is flagged when its XOR with the wanted value is
// zero; borrows can flag bytes above a true match, never below, so the
// lowest flag is exact.)
size_t FindFirstOf3(std::string_view s, char a, char b, char c) {
  size_t i = 0;
  if constexpr (std::endian::native == std::endian::little) {
    constexpr uint64_t kOnes = 0x0101010101010101u;
    constexpr uint64_t kHighs = 0x8080808080808080u;
    const uint64_t pa = kOnes * static_cast<unsigned char>(a);
    const uint64_t pb = kOnes * static_cast<unsigned char>(b);
    const uint64_t pc = kOnes * static_cast<unsigned char>(c);
    for (; i + 8 <= s.size(); i += 8) {
      uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      const uint64_t xa = w ^ pa, xb = w ^ pb, xc = w ^ pc;
      const uint64_t hits = (((xa - kOnes) & ~xa) | ((xb - kOnes) & ~xb) | ((xc - kOnes) & ~xc)) & kHighs;
      if (hits != 0) return i + static_cast<size_t>(std::countr_zero(hits) / 8);
    }
  }
  for (; i < s.size(); ++i) {
    if (s[i] == a || s[i] == b || s[i] == c) return i;
  }
  return s.size();
}

// Bytes urlsplit refuses in a host.
constexpr std::array<bool, 256> MakeInvalidHostCharTable() {
  std::array<bool, 256> table{};
  for (unsigned char c : std::string_view(" \\\"<>`{}|^")) table[c] = true;
  return table;
}
constexpr std::array<bool, 256> kInvalidHostChar = MakeInvalidHostCharTable();

bool StartsWithIgnoreCase(std::string_view s, std::string_view lower_prefix) {
  if (s.size() < lower_prefix.size()) return false;
  for (size_t i = 0; i < lower_prefix.size(); ++i) {
    if (ToLowerAscii(s[i]) != lower_prefix[i]) return false;
  }
  return true;
}

absl::Status UrlError(std::string_view what, std::string_view url) {
  std::string message(what);
  message += " in '";
  message += RedactUrl(url);
  message += "'";
  return absl::InvalidArgumentError(message);
}

}  // namespace

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (ToLowerAscii(a[i]) != ToLowerAscii(b[i])) return false;
  }
  return true;
}

std::string RedactUrl(std::string_view url) {
  constexpr size_t kMaxShown = 120;
  url = url.substr(0, url.find_first_of("?#"));
  // Userinfo sits between "//" and the last '@' before the path.
  const size_t authority = url.find("//");
  if (authority != std::string_view::npos) {
    const size_t start = authority + 2;
    const size_t end = url.find('/', start);
    const std::string_view host_port = url.substr(start, end == std::string_view::npos ? url.npos : end - start);
    const size_t at = host_port.rfind('@');
    if (at != std::string_view::npos) {
      std::string redacted(url.substr(0, start));
      redacted += url.substr(start + at + 1);
      return RedactUrl(redacted);
    }
  }
  std::string out;
  out.reserve(std::min(url.size(), kMaxShown + 3));
  for (char c : url.substr(0, kMaxShown)) out += IsControl(static_cast<unsigned char>(c)) ? '?' : c;
  if (url.size() > kMaxShown) out += "...";
  return out;
}

absl::StatusOr<UrlParts> ParseUrl(std::string_view url) {
  if (url.empty()) return absl::InvalidArgumentError("empty URL");
  // Python's urlsplit silently drops tabs and newlines; a URL carrying them
  // is more likely an injection attempt than a typo, so refuse it.
  if (HasControlByte(url)) return UrlError("control character", url);
  UrlParts parts;
  // Every URL signed starts "https://" or "http://": recognise those
  // directly. Neither scheme holds ':', so this is the first "://" the
  // general path below would find.
  size_t scheme_end;
  if (StartsWithIgnoreCase(url, "https://")) {
    parts.https = true;
    scheme_end = 5;
  } else if (StartsWithIgnoreCase(url, "http://")) {
    parts.https = false;
    scheme_end = 4;
  } else {
    scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos || scheme_end == 0 ||
        url.substr(0, scheme_end).find_first_of("/?#") != std::string_view::npos) {
      return UrlError("no host", url);
    }
    return UrlError("scheme is not http or https", url);
  }

  // No find_first_of below: it calls memchr once per byte scanned, which
  // dominated parsing.
  std::string_view rest = url.substr(scheme_end + 3);
  const size_t authority_end = FindFirstOf3(rest, '/', '?', '#');
  std::string_view authority = rest.substr(0, authority_end);
  rest.remove_prefix(authority_end);
  // Userinfo (rare) ends at the last '@'.
  if (FindFirstOf3(authority, '@', '@', '@') < authority.size()) {
    authority.remove_prefix(authority.rfind('@') + 1);
  }

  std::string_view port_text;
  bool has_port = false;
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return UrlError("unterminated IPv6 literal", url);
    parts.host = authority.substr(0, close + 1);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return UrlError("junk after IPv6 literal", url);
      has_port = true;
      port_text = after.substr(1);
    }
  } else {
    const size_t colon = FindFirstOf3(authority, ':', ':', ':');
    parts.host = authority.substr(0, colon);
    if (colon < authority.size()) {
      has_port = true;
      port_text = authority.substr(colon + 1);
    }
  }
  if (parts.host.empty() || parts.host == "[]") return UrlError("no host", url);
  bool bad_host_char = false;
  for (char c : parts.host) bad_host_char |= kInvalidHostChar[static_cast<unsigned char>(c)];
  if (bad_host_char) return UrlError("invalid character in host", url);
  if (has_port && !port_text.empty()) {
    uint32_t port = 0;
    for (char c : port_text) {
      if (c < '0' || c > '9') return UrlError("port is not a number", url);
      port = port * 10 + static_cast<uint32_t>(c - '0');
      if (port > 65535) return UrlError("port out of range", url);
    }
    parts.port = static_cast<uint16_t>(port);
  }

  // The path runs to the first '?' or '#'; a query, from a '?' before any
  // '#', to the '#' or the end.
  const size_t path_end = FindFirstOf3(rest, '?', '#', '#');
  parts.path = rest.substr(0, path_end);
  if (path_end < rest.size() && rest[path_end] == '?') {
    const std::string_view query = rest.substr(path_end + 1);
    parts.query = query.substr(0, query.find('#'));
  }
  return parts;
}

std::string HostHeaderValue(const UrlParts& url) {
  std::string host;
  AppendHostHeaderValue(url, &host);
  return host;
}

void AppendHostHeaderValue(const UrlParts& url, std::string* out) {
  const bool with_port = url.port.has_value() && *url.port != url.DefaultPort();
  const size_t start = out->size();
  out->resize(start + url.host.size() + (with_port ? 6 : 0));
  char* p = out->data() + start;
  for (char c : url.host) *p++ = ToLowerAscii(c);
  if (with_port) {
    *p++ = ':';
    char digits[5];
    int n = 0;
    unsigned port = *url.port;
    do {
      digits[n++] = static_cast<char>('0' + port % 10);
      port /= 10;
    } while (port != 0);
    while (n > 0) *p++ = digits[--n];
  }
  out->resize(static_cast<size_t>(p - out->data()));
}

}  // namespace awsd::http
