#include "cli/arguments/python_json.h"

#include <absl/strings/str_format.h>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include "daemon/encoding/utf8.h"

namespace awsd::cli {
namespace {

using Json = nlohmann::ordered_json;

std::vector<char32_t> DecodeUtf8(std::string_view s) {
  std::vector<char32_t> out;
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    bool ok = extra > 0 && i + extra < s.size();
    char32_t cp = c & (0x3F >> extra);
    for (int k = 1; ok && k <= extra; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      ok = (cc & 0xC0) == 0x80;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (extra == 0 || !ok) {
      // ASCII, or an invalid byte: Python's surrogateescape would give U+DCxx.
      out.push_back(c < 0x80 ? c : 0xDC00 + c);
      ++i;
    } else {
      out.push_back(cp);
      i += extra + 1;
    }
  }
  return out;
}

struct DecodeError {
  std::string message;
  std::size_t pos;
};

// A port of CPython's _json.c scanner (scan_once_unicode and friends).
class Scanner {
 public:
  explicit Scanner(std::vector<char32_t> s) : s_(std::move(s)) {}

  std::size_t size() const { return s_.size(); }
  std::size_t SkipWhitespace(std::size_t idx) const {
    while (idx < s_.size() && (s_[idx] == ' ' || s_[idx] == '\t' || s_[idx] == '\n' || s_[idx] == '\r')) ++idx;
    return idx;
  }

  // Returns false with error_ set; a StopIteration is "Expecting value".
  bool ScanOnce(std::size_t idx, Json& out, std::size_t& next) {
    if (idx >= s_.size()) return Stop(idx);
    switch (s_[idx]) {
      case '"': {
        std::string str;
        if (!ScanString(idx + 1, str, next)) return false;
        out = std::move(str);
        return true;
      }
      case '{':
        return ParseObject(idx + 1, out, next);
      case '[':
        return ParseArray(idx + 1, out, next);
      case 'n':
        if (Matches(idx, U"null")) return Literal(out, nullptr, idx + 4, next);
        break;
      case 't':
        if (Matches(idx, U"true")) return Literal(out, true, idx + 4, next);
        break;
      case 'f':
        if (Matches(idx, U"false")) return Literal(out, false, idx + 5, next);
        break;
      case 'N':
        if (Matches(idx, U"NaN")) return Literal(out, std::numeric_limits<double>::quiet_NaN(), idx + 3, next);
        break;
      case 'I':
        if (Matches(idx, U"Infinity")) return Literal(out, std::numeric_limits<double>::infinity(), idx + 8, next);
        break;
      case '-':
        if (Matches(idx, U"-Infinity")) return Literal(out, -std::numeric_limits<double>::infinity(), idx + 9, next);
        break;
      default:
        break;
    }
    return MatchNumber(idx, out, next);
  }

  DecodeError error;

 private:
  bool Raise(std::string message, std::size_t pos) {
    error = {std::move(message), pos};
    return false;
  }
  bool Stop(std::size_t pos) { return Raise("Expecting value", pos); }

  bool Matches(std::size_t idx, std::u32string_view word) const {
    if (idx + word.size() > s_.size()) return false;
    for (std::size_t k = 0; k < word.size(); ++k) {
      if (s_[idx + k] != word[k]) return false;
    }
    return true;
  }

  static bool Literal(Json& out, Json value, std::size_t end, std::size_t& next) {
    out = std::move(value);
    next = end;
    return true;
  }

  static bool IsDigit(char32_t c) { return c >= '0' && c <= '9'; }

  bool MatchNumber(std::size_t start, Json& out, std::size_t& next) {
    const std::size_t len = s_.size();
    std::size_t idx = start;
    if (s_[idx] == '-') {
      ++idx;
      if (idx >= len) return Stop(start);
    }
    if (s_[idx] >= '1' && s_[idx] <= '9') {
      ++idx;
      while (idx < len && IsDigit(s_[idx])) ++idx;
    } else if (s_[idx] == '0') {
      ++idx;
    } else {
      return Stop(start);
    }
    bool is_float = false;
    if (idx + 1 < len && s_[idx] == '.' && IsDigit(s_[idx + 1])) {
      is_float = true;
      idx += 2;
      while (idx < len && IsDigit(s_[idx])) ++idx;
    }
    if (idx + 1 < len && (s_[idx] == 'e' || s_[idx] == 'E')) {
      std::size_t e_start = idx;
      ++idx;
      if (idx + 1 < len && (s_[idx] == '-' || s_[idx] == '+')) ++idx;
      while (idx < len && IsDigit(s_[idx])) ++idx;
      if (IsDigit(s_[idx - 1])) {
        is_float = true;
      } else {
        idx = e_start;
      }
    }
    std::string token;
    for (std::size_t k = start; k < idx; ++k) token += static_cast<char>(s_[k]);
    next = idx;
    if (is_float) {
      out = std::strtod(token.c_str(), nullptr);
      return true;
    }
    errno = 0;
    char* end = nullptr;
    if (token[0] == '-') {
      long long v = std::strtoll(token.c_str(), &end, 10);
      if (errno == 0) {
        out = static_cast<std::int64_t>(v);
        return true;
      }
    } else {
      unsigned long long v = std::strtoull(token.c_str(), &end, 10);
      if (errno == 0) {
        out = static_cast<std::uint64_t>(v);
        return true;
      }
    }
    out = std::strtod(token.c_str(), nullptr);  // Beyond 64 bits: Python's int has no limit.
    return true;
  }

  bool ScanString(std::size_t end, std::string& out, std::size_t& next) {
    const std::size_t len = s_.size();
    const std::size_t begin = end - 1;
    while (true) {
      std::size_t n = end;
      char32_t c = 0;
      for (; n < len; ++n) {
        c = s_[n];
        if (c == '"' || c == '\\') break;
        if (c <= 0x1f) return Raise("Invalid control character at", n);
      }
      if (n >= len) return Raise("Unterminated string starting at", begin);
      for (std::size_t k = end; k < n; ++k) encoding::AppendUtf8(out, s_[k]);
      ++n;
      if (c == '"') {
        end = n;
        break;
      }
      if (n == len) return Raise("Unterminated string starting at", begin);
      c = s_[n];
      if (c != 'u') {
        end = n + 1;
        switch (c) {
          case '"':
          case '\\':
          case '/':
            break;
          case 'b':
            c = '\b';
            break;
          case 'f':
            c = '\f';
            break;
          case 'n':
            c = '\n';
            break;
          case 'r':
            c = '\r';
            break;
          case 't':
            c = '\t';
            break;
          default:
            c = 0;
        }
        if (c == 0) return Raise("Invalid \\escape", end - 2);
      } else {
        c = 0;
        ++n;
        end = n + 4;
        if (end >= len) return Raise("Invalid \\uXXXX escape", n - 1);
        if (!Hex4(n, c)) return Raise("Invalid \\uXXXX escape", end - 5);
        n = end;
        if (c >= 0xD800 && c <= 0xDBFF && end + 6 < len && s_[n] == '\\' && s_[n + 1] == 'u') {
          char32_t c2 = 0;
          if (!Hex4(n + 2, c2)) return Raise("Invalid \\uXXXX escape", end + 1);
          if (c2 >= 0xDC00 && c2 <= 0xDFFF) {
            c = 0x10000 + (((c - 0xD800) << 10) | (c2 - 0xDC00));
            end += 6;
          }
        }
      }
      encoding::AppendUtf8(out, c);
    }
    next = end;
    return true;
  }

  bool Hex4(std::size_t at, char32_t& value) const {
    value = 0;
    for (std::size_t k = at; k < at + 4; ++k) {
      char32_t h = s_[k];
      value <<= 4;
      if (h >= '0' && h <= '9') {
        value |= h - '0';
      } else if (h >= 'a' && h <= 'f') {
        value |= h - 'a' + 10;
      } else if (h >= 'A' && h <= 'F') {
        value |= h - 'A' + 10;
      } else {
        return false;
      }
    }
    return true;
  }

  bool ParseObject(std::size_t idx, Json& out, std::size_t& next) {
    out = Json::object();
    const std::size_t len = s_.size();
    idx = SkipWhitespace(idx);
    if (idx >= len || s_[idx] != '}') {
      while (true) {
        if (idx >= len || s_[idx] != '"') return Raise("Expecting property name enclosed in double quotes", idx);
        std::string key;
        if (!ScanString(idx + 1, key, idx)) return false;
        idx = SkipWhitespace(idx);
        if (idx >= len || s_[idx] != ':') return Raise("Expecting ':' delimiter", idx);
        idx = SkipWhitespace(idx + 1);
        Json value;
        if (!ScanOnce(idx, value, idx)) return false;
        out[key] = std::move(value);
        idx = SkipWhitespace(idx);
        if (idx < len && s_[idx] == '}') break;
        if (idx >= len || s_[idx] != ',') return Raise("Expecting ',' delimiter", idx);
        idx = SkipWhitespace(idx + 1);
      }
    }
    next = idx + 1;
    return true;
  }

  bool ParseArray(std::size_t idx, Json& out, std::size_t& next) {
    out = Json::array();
    const std::size_t len = s_.size();
    idx = SkipWhitespace(idx);
    if (idx >= len || s_[idx] != ']') {
      while (true) {
        Json value;
        if (!ScanOnce(idx, value, idx)) return false;
        out.push_back(std::move(value));
        idx = SkipWhitespace(idx);
        if (idx < len && s_[idx] == ']') break;
        if (idx >= len || s_[idx] != ',') return Raise("Expecting ',' delimiter", idx);
        idx = SkipWhitespace(idx + 1);
      }
    }
    next = idx + 1;
    return true;
  }

  std::vector<char32_t> s_;
};

}  // namespace

absl::StatusOr<nlohmann::ordered_json> ParsePythonJson(std::string_view text) {
  std::vector<char32_t> doc = DecodeUtf8(text);
  Scanner scanner(doc);
  Json value;
  std::size_t end = 0;
  bool ok = scanner.ScanOnce(scanner.SkipWhitespace(0), value, end);
  if (ok) {
    end = scanner.SkipWhitespace(end);
    if (end != scanner.size()) {
      ok = false;
      scanner.error = {"Extra data", end};
    }
  }
  if (ok) return value;
  // JSONDecodeError: "%s: line %d column %d (char %d)".
  const std::size_t pos = scanner.error.pos;
  std::size_t line = 1;
  std::size_t last_newline = std::string::npos;
  for (std::size_t k = 0; k < pos && k < doc.size(); ++k) {
    if (doc[k] == '\n') {
      ++line;
      last_newline = k;
    }
  }
  std::size_t column = last_newline == std::string::npos ? pos + 1 : pos - last_newline;
  return absl::InvalidArgumentError(
      absl::StrFormat("%s: line %d column %d (char %d)", scanner.error.message, line, column, pos));
}

}  // namespace awsd::cli
