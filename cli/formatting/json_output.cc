#include "cli/formatting/json_output.h"

#include <cstdlib>
#include <optional>

#include "daemon/encoding/python_repr.h"
#include "daemon/encoding/utf8.h"

namespace awsd::cli {
using encoding::PyJsonQuote;
using encoding::PyFloatRepr;
namespace {

// A re-indenting reader of strict JSON (plus NaN/Infinity, as Python writes).
class Reindenter {
 public:
  explicit Reindenter(std::string_view text) : text_(text) {}

  // Writes the value at the cursor; false if the text is not JSON.
  bool Value(std::string& out, int depth, bool top_level) {
    SkipWhitespace();
    if (pos_ >= text_.size()) return false;
    char c = text_[pos_];
    if (c == '{') return Object(out, depth, top_level);
    if (c == '[') return Array(out, depth);
    if (c == '"') {
      auto s = String();
      if (!s) return false;
      out += PyJsonQuote(*s);
      return true;
    }
    for (std::string_view literal : {"true", "false", "null", "NaN", "Infinity", "-Infinity"}) {
      if (text_.substr(pos_, literal.size()) == literal) {
        out += literal;
        pos_ += literal.size();
        return true;
      }
    }
    return Number(out);
  }

  bool AtEnd() {
    SkipWhitespace();
    return pos_ == text_.size();
  }

 private:
  void SkipWhitespace() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  static void Newline(std::string& out, int depth) {
    out += '\n';
    out.append(static_cast<std::size_t>(depth) * 4, ' ');
  }

  bool Object(std::string& out, int depth, bool top_level) {
    ++pos_;
    std::string body;
    bool empty = true;
    SkipWhitespace();
    if (pos_ < text_.size() && text_[pos_] == '}') {
      ++pos_;
    } else {
      while (true) {
        SkipWhitespace();
        if (pos_ >= text_.size() || text_[pos_] != '"') return false;
        auto key = String();
        if (!key) return false;
        SkipWhitespace();
        if (pos_ >= text_.size() || text_[pos_] != ':') return false;
        ++pos_;
        std::string item;
        if (!Value(item, depth + 1, false)) return false;
        if (!(top_level && *key == "ResponseMetadata")) {
          if (!empty) body += ',';
          Newline(body, depth + 1);
          body += PyJsonQuote(*key) + ": " + item;
          empty = false;
        }
        SkipWhitespace();
        if (pos_ < text_.size() && text_[pos_] == ',') {
          ++pos_;
          continue;
        }
        if (pos_ < text_.size() && text_[pos_] == '}') {
          ++pos_;
          break;
        }
        return false;
      }
    }
    if (empty) {
      out += "{}";
    } else {
      out += '{' + body;
      Newline(out, depth);
      out += '}';
    }
    return true;
  }

  bool Array(std::string& out, int depth) {
    ++pos_;
    SkipWhitespace();
    if (pos_ < text_.size() && text_[pos_] == ']') {
      ++pos_;
      out += "[]";
      return true;
    }
    out += '[';
    bool first = true;
    while (true) {
      if (!first) out += ',';
      first = false;
      Newline(out, depth + 1);
      if (!Value(out, depth + 1, false)) return false;
      SkipWhitespace();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == ']') {
        ++pos_;
        break;
      }
      return false;
    }
    Newline(out, depth);
    out += ']';
    return true;
  }

  int Hex4() {
    if (pos_ + 4 > text_.size()) return -1;
    int v = 0;
    for (int k = 0; k < 4; ++k) {
      char h = text_[pos_ + k];
      v <<= 4;
      if (h >= '0' && h <= '9') {
        v |= h - '0';
      } else if (h >= 'a' && h <= 'f') {
        v |= h - 'a' + 10;
      } else if (h >= 'A' && h <= 'F') {
        v |= h - 'A' + 10;
      } else {
        return -1;
      }
    }
    pos_ += 4;
    return v;
  }

  // The decoded UTF-8 of the string at the cursor (a lone surrogate is
  // encoded as is, as Python holds it).
  std::optional<std::string> String() {
    ++pos_;
    std::string s;
    while (pos_ < text_.size()) {
      char c = text_[pos_++];
      if (c == '"') return s;
      if (c != '\\') {
        s += c;
        continue;
      }
      if (pos_ >= text_.size()) return std::nullopt;
      char e = text_[pos_++];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          s += e;
          break;
        case 'b':
          s += '\b';
          break;
        case 'f':
          s += '\f';
          break;
        case 'n':
          s += '\n';
          break;
        case 'r':
          s += '\r';
          break;
        case 't':
          s += '\t';
          break;
        case 'u': {
          int cp = Hex4();
          if (cp < 0) return std::nullopt;
          if (cp >= 0xD800 && cp <= 0xDBFF && text_.substr(pos_, 2) == "\\u") {
            std::size_t save = pos_;
            pos_ += 2;
            int low = Hex4();
            if (low >= 0xDC00 && low <= 0xDFFF) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            } else {
              pos_ = save;
            }
          }
          encoding::AppendUtf8(s, static_cast<char32_t>(cp));
          break;
        }
        default:
          return std::nullopt;
      }
    }
    return std::nullopt;
  }

  bool Number(std::string& out) {
    std::size_t start = pos_;
    bool is_float = false;
    if (pos_ < text_.size() && text_[pos_] == '-') ++pos_;
    std::size_t digits = pos_;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c >= '0' && c <= '9') {
        ++pos_;
      } else if (c == '.' || c == 'e' || c == 'E' || ((c == '+' || c == '-') && pos_ > digits)) {
        is_float = true;
        ++pos_;
      } else {
        break;
      }
    }
    if (pos_ == digits) return false;
    std::string token(text_.substr(start, pos_ - start));
    if (!is_float) {
      out += token;
      return true;
    }
    char* end = nullptr;
    double value = std::strtod(token.c_str(), &end);
    if (end != token.c_str() + token.size()) return false;
    std::string repr = PyFloatRepr(value);
    out += repr == "inf" ? "Infinity" : repr == "-inf" ? "-Infinity" : repr == "nan" ? "NaN" : repr;
    return true;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

std::string FormatJsonOutput(std::string_view compact_json) {
  Reindenter reader(compact_json);
  std::string out;
  if (!reader.Value(out, 0, true) || !reader.AtEnd()) return std::string(compact_json) + "\n";
  if (out == "{}") return "";
  return out + "\n";
}

}  // namespace awsd::cli
