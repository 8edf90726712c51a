#include "daemon/signing/uri_encoding.h"

#include <array>
#include <vector>

namespace awsd::signing {
namespace {

constexpr std::array<bool, 256> MakeUnreservedTable() {
  std::array<bool, 256> table{};
  for (int c = 'A'; c <= 'Z'; ++c) table[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) table[c] = true;
  for (int c = '0'; c <= '9'; ++c) table[c] = true;
  table['-'] = table['.'] = table['_'] = table['~'] = true;
  return table;
}

constexpr std::array<bool, 256> MakeUnreservedOrSlashTable() {
  std::array<bool, 256> table = MakeUnreservedTable();
  table['/'] = true;
  return table;
}

constexpr std::array<bool, 256> kUnreserved = MakeUnreservedTable();
constexpr std::array<bool, 256> kUnreservedOrSlash = MakeUnreservedOrSlashTable();
constexpr char kUpperHex[] = "0123456789ABCDEF";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void AppendEncodedByte(unsigned char c, std::string* out) {
  const char escaped[3] = {'%', kUpperHex[c >> 4], kUpperHex[c & 0x0f]};
  out->append(escaped, 3);
}

// Decodes the escape at in[i] ('%' followed by two hex digits) or returns -1.
int DecodeEscapeAt(std::string_view in, size_t i) {
  if (in[i] != '%' || i + 2 >= in.size()) return -1;
  const int high = HexValue(in[i + 1]);
  const int low = HexValue(in[i + 2]);
  if (high < 0 || low < 0) return -1;
  return high << 4 | low;
}

}  // namespace

bool IsUnreserved(unsigned char c) { return kUnreserved[c]; }

void AppendUriEncoded(std::string_view in, bool keep_slash, std::string* out) {
  // Runs of bytes kept as they are are appended in one go: most keys, values
  // and path segments are entirely unreserved. One table per mode keeps the
  // inner loop to a single lookup.
  const std::array<bool, 256>& keep = keep_slash ? kUnreservedOrSlash : kUnreserved;
  const char* const data = in.data();
  const size_t size = in.size();
  size_t run_start = 0;
  for (size_t i = 0; i < size; ++i) {
    const auto c = static_cast<unsigned char>(data[i]);
    if (keep[c]) continue;
    out->append(data + run_start, i - run_start);
    AppendEncodedByte(c, out);
    run_start = i + 1;
  }
  out->append(data + run_start, size - run_start);
}

namespace {

// AppendUriEncoded(AppendPercentDecoded(in)) in one pass, keeping '/' when
// `keep_slash`: decoding reads escapes left to right without overlap and
// encoding works byte by byte, so each valid escape can be decoded and the
// byte re-encoded on the spot.
void AppendEncodedOnce(std::string_view in, bool keep_slash, std::string* out) {
  const std::array<bool, 256>& keep = keep_slash ? kUnreservedOrSlash : kUnreserved;
  size_t run_start = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    const auto c = static_cast<unsigned char>(in[i]);
    if (keep[c]) continue;
    out->append(in.data() + run_start, i - run_start);
    const int decoded = DecodeEscapeAt(in, i);
    if (decoded < 0) {
      AppendEncodedByte(c, out);
    } else {
      i += 2;
      // Only unreserved bytes come out literal: an escaped '/' stays escaped
      // even in a path, where it is part of a segment, not a separator.
      if (kUnreserved[decoded]) {
        out->push_back(static_cast<char>(decoded));
      } else {
        AppendEncodedByte(static_cast<unsigned char>(decoded), out);
      }
    }
    run_start = i + 1;
  }
  out->append(in.data() + run_start, in.size() - run_start);
}

}  // namespace

void AppendPathEncodedOnce(std::string_view path, std::string* out) {
  AppendEncodedOnce(path, /*keep_slash=*/true, out);
}

void AppendDecodedThenEncoded(std::string_view in, std::string* out) {
  AppendEncodedOnce(in, /*keep_slash=*/false, out);
}

void AppendPercentDecoded(std::string_view in, std::string* out) {
  size_t run_start = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') continue;
    const int decoded = DecodeEscapeAt(in, i);
    if (decoded < 0) continue;
    out->append(in.data() + run_start, i - run_start);
    out->push_back(static_cast<char>(decoded));
    i += 2;
    run_start = i + 1;
  }
  out->append(in.data() + run_start, in.size() - run_start);
}

std::string NormalizePath(std::string_view path) {
  if (path.empty()) return "/";
  std::vector<std::string_view> segments;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view segment = path.substr(start, end - start);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    start = end + 1;
  }
  std::string normalized;
  normalized.reserve(path.size());
  if (path.front() == '/') normalized.push_back('/');
  for (size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) normalized.push_back('/');
    normalized.append(segments[i]);
  }
  if (path.back() == '/' && !segments.empty()) normalized.push_back('/');
  return normalized;
}

}  // namespace awsd::signing
