#include "daemon/encoding/python_repr.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace awsd::encoding {
namespace {

// Decodes one UTF-8 sequence at `i`; an invalid byte decodes to itself.
char32_t DecodeUtf8(std::string_view s, std::size_t& i) {
  auto c = static_cast<unsigned char>(s[i]);
  int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
  if (extra == 0 || i + extra >= s.size()) {
    ++i;
    return c;
  }
  char32_t cp = c & (0x3F >> extra);
  for (int k = 1; k <= extra; ++k) {
    auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) {
      ++i;
      return c;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  i += extra + 1;
  return cp;
}

bool IsPrintable(char32_t cp) {
  if (cp < 0x20 || cp == 0x7F) return false;
  if (cp >= 0x80 && cp <= 0xA0) return false;
  if (cp == 0xAD || cp == 0x2028 || cp == 0x2029 || (cp >= 0x200B && cp <= 0x200F)) return false;
  if (cp >= 0xD800 && cp <= 0xDFFF) return false;
  if (cp == 0xFEFF) return false;
  return true;
}

// repr(str) in Python 3.
std::string PyStrRepr(std::string_view s) {
  bool has_single = s.find('\'') != std::string_view::npos;
  bool has_double = s.find('"') != std::string_view::npos;
  char quote = has_single && !has_double ? '"' : '\'';
  std::string out(1, quote);
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t start = i;
    char32_t cp = DecodeUtf8(s, i);
    char buf[16];
    if (cp == static_cast<char32_t>(quote) || cp == '\\') {
      out += '\\';
      out += static_cast<char>(cp);
    } else if (cp == '\t') {
      out += "\\t";
    } else if (cp == '\n') {
      out += "\\n";
    } else if (cp == '\r') {
      out += "\\r";
    } else if (IsPrintable(cp)) {
      out.append(s.substr(start, i - start));
    } else {
      if (cp < 0x100) {
        std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(cp));
      } else if (cp < 0x10000) {
        std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(cp));
      } else {
        std::snprintf(buf, sizeof buf, "\\U%08x", static_cast<unsigned>(cp));
      }
      out += buf;
    }
  }
  out += quote;
  return out;
}

std::string PyRepr(const nlohmann::ordered_json& value) {
  if (value.is_string()) return PyStrRepr(value.get_ref<const std::string&>());
  if (value.is_object()) {
    std::string out = "{";
    bool first = true;
    for (const auto& [key, item] : value.items()) {
      if (!first) out += ", ";
      first = false;
      out += PyStrRepr(key) + ": " + PyRepr(item);
    }
    return out + "}";
  }
  if (value.is_array()) {
    std::string out = "[";
    bool first = true;
    for (const auto& item : value) {
      if (!first) out += ", ";
      first = false;
      out += PyRepr(item);
    }
    return out + "]";
  }
  return PyStr(value);
}

}  // namespace

std::string PyFloatRepr(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
  char buf[64];
  auto result = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  std::string sci(buf, result.ptr);  // "-1.2345e+02"
  bool negative = sci[0] == '-';
  if (negative) sci.erase(0, 1);
  std::size_t e = sci.find('e');
  int exponent = std::atoi(sci.c_str() + e + 1);
  std::string digits;
  for (std::size_t i = 0; i < e; ++i) {
    if (sci[i] != '.') digits += sci[i];
  }
  int decpt = exponent + 1;  // value = 0.DIGITS * 10^decpt
  std::string out = negative ? "-" : "";
  if (decpt <= -4 || decpt > 16) {
    out += digits[0];
    if (digits.size() > 1) out += "." + digits.substr(1);
    char exp_buf[16];
    std::snprintf(exp_buf, sizeof exp_buf, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
    out += exp_buf;
  } else if (decpt <= 0) {
    out += "0." + std::string(static_cast<std::size_t>(-decpt), '0') + digits;
  } else if (static_cast<std::size_t>(decpt) >= digits.size()) {
    out += digits + std::string(decpt - digits.size(), '0') + ".0";
  } else {
    out += digits.substr(0, decpt) + "." + digits.substr(decpt);
  }
  return out;
}

std::string PyStr(const nlohmann::ordered_json& value) {
  switch (value.type()) {
    case nlohmann::ordered_json::value_t::string:
      return value.get_ref<const std::string&>();
    case nlohmann::ordered_json::value_t::boolean:
      return value.get<bool>() ? "True" : "False";
    case nlohmann::ordered_json::value_t::null:
    case nlohmann::ordered_json::value_t::discarded:
      return "None";
    case nlohmann::ordered_json::value_t::number_integer:
      return std::to_string(value.get<std::int64_t>());
    case nlohmann::ordered_json::value_t::number_unsigned:
      return std::to_string(value.get<std::uint64_t>());
    case nlohmann::ordered_json::value_t::number_float:
      return PyFloatRepr(value.get<double>());
    default:
      return PyRepr(value);
  }
}

namespace {

void AppendEscape(std::string& out, unsigned code) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "\\u%04x", code);
  out += buf;
}

// json.dumps's string literal; with ensure_ascii, code points past U+007F
// are \\u escapes (UTF-16 surrogate pairs past U+FFFF).
std::string QuoteJson(std::string_view utf8, bool ensure_ascii) {
  std::string out = "\"";
  for (std::size_t i = 0; i < utf8.size();) {
    const char ch = utf8[i];
    auto c = static_cast<unsigned char>(ch);
    if (ensure_ascii && c >= 0x80) {
      const char32_t cp = DecodeUtf8(utf8, i);
      if (cp >= 0x10000) {
        AppendEscape(out, 0xD800 + ((cp - 0x10000) >> 10));
        AppendEscape(out, 0xDC00 + ((cp - 0x10000) & 0x3FF));
      } else {
        AppendEscape(out, cp);
      }
      continue;
    }
    ++i;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (c < 0x20) {
          AppendEscape(out, c);
        } else {
          out += ch;
        }
    }
  }
  return out + "\"";
}

}  // namespace

std::string PyJsonQuote(std::string_view utf8) { return QuoteJson(utf8, /*ensure_ascii=*/false); }

std::string PyJsonDumps(const nlohmann::ordered_json& value) {
  switch (value.type()) {
    case nlohmann::ordered_json::value_t::string:
      return QuoteJson(value.get_ref<const std::string&>(), /*ensure_ascii=*/true);
    case nlohmann::ordered_json::value_t::number_float: {
      const double number = value.get<double>();
      if (std::isnan(number)) return "NaN";
      if (std::isinf(number)) return number < 0 ? "-Infinity" : "Infinity";
      return PyFloatRepr(number);
    }
    case nlohmann::ordered_json::value_t::object: {
      std::string out = "{";
      for (auto it = value.begin(); it != value.end(); ++it) {
        if (out.size() > 1) out += ", ";
        out += QuoteJson(it.key(), /*ensure_ascii=*/true) + ": " + PyJsonDumps(it.value());
      }
      return out + "}";
    }
    case nlohmann::ordered_json::value_t::array: {
      std::string out = "[";
      for (const auto& item : value) {
        if (out.size() > 1) out += ", ";
        out += PyJsonDumps(item);
      }
      return out + "]";
    }
    default:
      return value.dump();  // integers, true, false, null: as Python writes them
  }
}

}  // namespace awsd::encoding
