#include "daemon/protocols/python_compat.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace awsd::protocols::py {
namespace {

// str.strip() for ASCII: Python's whitespace includes the separators
// \x1c-\x1f beside the usual ones.
bool IsPyspace(char c) { return c == ' ' || (c >= '\t' && c <= '\r') || (c >= '\x1c' && c <= '\x1f'); }

std::string_view Strip(std::string_view text) {
  while (!text.empty() && IsPyspace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsPyspace(text.back())) text.remove_suffix(1);
  return text;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Digits with single '_' between them (Python's numeric literal grammar);
// appends the digits to `out`. False when the run is empty or misplaces '_'.
bool TakeDigits(std::string_view& text, std::string& out) {
  if (text.empty() || !IsDigit(text.front())) return false;
  while (!text.empty()) {
    if (IsDigit(text.front())) {
      out += text.front();
      text.remove_prefix(1);
    } else if (text.front() == '_' && text.size() > 1 && IsDigit(text[1])) {
      text.remove_prefix(1);
    } else {
      break;
    }
  }
  return true;
}

absl::Status NotA(std::string_view what, std::string_view text) {
  std::string shown(text.substr(0, 64));
  return absl::InvalidArgumentError(absl::StrCat("invalid literal for ", std::string(what), "(): '", shown, "'"));
}

}  // namespace

absl::StatusOr<Value> ParseInt(std::string_view text) {
  std::string_view rest = Strip(text);
  bool negative = false;
  if (!rest.empty() && (rest.front() == '+' || rest.front() == '-')) {
    negative = rest.front() == '-';
    rest.remove_prefix(1);
  }
  std::string digits;
  if (!TakeDigits(rest, digits) || !rest.empty()) return NotA("int", text);
  std::uint64_t magnitude = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude);
  if (ec != std::errc() || end != digits.data() + digits.size()) {
    return absl::InvalidArgumentError(absl::StrCat("integer out of range: '", std::string(text.substr(0, 64)), "'"));
  }
  if (!negative) {
    if (magnitude <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return Value(static_cast<std::int64_t>(magnitude));
    }
    return Value(magnitude);
  }
  if (magnitude > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + 1) {
    return absl::InvalidArgumentError(absl::StrCat("integer out of range: '", std::string(text.substr(0, 64)), "'"));
  }
  return Value(static_cast<std::int64_t>(0 - magnitude));
}

absl::StatusOr<Value> Int(const Value& value) {
  if (value.is_boolean()) return Value(value.get<bool>() ? 1 : 0);
  if (value.is_number_integer()) return value;
  if (value.is_number_float()) {
    const double d = std::trunc(value.get<double>());
    if (!std::isfinite(d) || d < -9223372036854775808.0 || d >= 18446744073709551616.0) {
      return absl::InvalidArgumentError(
          absl::StrCat("cannot convert float ", FloatRepr(value.get<double>()), " to a 64-bit integer"));
    }
    if (d < 0) return Value(static_cast<std::int64_t>(d));
    if (d < 9223372036854775808.0) return Value(static_cast<std::int64_t>(d));
    return Value(static_cast<std::uint64_t>(d));
  }
  if (value.is_string()) return ParseInt(value.get_ref<const std::string&>());
  return absl::InvalidArgumentError(
      absl::StrCat("int() argument must be a string or a number, not ", value.type_name()));
}

absl::StatusOr<double> ParseFloat(std::string_view text) {
  std::string_view rest = Strip(text);
  bool negative = false;
  if (!rest.empty() && (rest.front() == '+' || rest.front() == '-')) {
    negative = rest.front() == '-';
    rest.remove_prefix(1);
  }
  const std::string lower = absl::AsciiStrToLower(std::string(rest));
  if (lower == "nan") return negative ? -std::nan("") : std::nan("");
  if (lower == "inf" || lower == "infinity") {
    return negative ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
  }
  // [digits] ["." [digits]] [e [sign] digits], at least one digit before the exponent.
  std::string cleaned;
  bool mantissa_digits = TakeDigits(rest, cleaned);
  if (!rest.empty() && rest.front() == '.') {
    cleaned += '.';
    rest.remove_prefix(1);
    if (!rest.empty() && IsDigit(rest.front())) {
      if (!TakeDigits(rest, cleaned)) return NotA("float", text);
      mantissa_digits = true;
    }
  }
  if (!mantissa_digits) return NotA("float", text);
  if (!rest.empty() && (rest.front() == 'e' || rest.front() == 'E')) {
    cleaned += 'e';
    rest.remove_prefix(1);
    if (!rest.empty() && (rest.front() == '+' || rest.front() == '-')) {
      cleaned += rest.front();
      rest.remove_prefix(1);
    }
    if (!TakeDigits(rest, cleaned)) return NotA("float", text);
  }
  if (!rest.empty()) return NotA("float", text);
  double result = 0;
  const auto [end, ec] = std::from_chars(cleaned.data(), cleaned.data() + cleaned.size(), result);
  if (ec == std::errc::result_out_of_range) {
    // Python rounds to infinity or zero rather than failing.
    result = std::strtod(cleaned.c_str(), nullptr);
  } else if (ec != std::errc() || end != cleaned.data() + cleaned.size()) {
    return NotA("float", text);
  }
  return negative ? -result : result;
}

absl::StatusOr<double> Float(const Value& value) {
  if (value.is_boolean()) return value.get<bool>() ? 1.0 : 0.0;
  if (value.is_number()) return value.get<double>();
  if (value.is_string()) return ParseFloat(value.get_ref<const std::string&>());
  return absl::InvalidArgumentError(
      absl::StrCat("float() argument must be a string or a real number, not ", value.type_name()));
}

std::string FloatRepr(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
  if (value == 0) return std::signbit(value) ? "-0.0" : "0.0";
  // The shortest round-trip digits, laid out as Python's float_repr_style
  // 'short' does: positional for exponents -4..15, else d.ddde+XX.
  std::array<char, 64> buffer;
  const auto [end, ec] =
      std::to_chars(buffer.data(), buffer.data() + buffer.size(), value, std::chars_format::scientific);
  if (ec != std::errc()) return "nan";
  std::string_view text(buffer.data(), static_cast<std::size_t>(end - buffer.data()));
  const bool negative = text.front() == '-';
  if (negative) text.remove_prefix(1);
  const std::size_t e = text.find('e');
  std::string digits;
  for (char c : text.substr(0, e)) {
    if (c != '.') digits += c;
  }
  int exponent = 0;
  std::from_chars(text.data() + e + 1 + (text[e + 1] == '+' ? 1 : 0), text.data() + text.size(), exponent);
  std::string out(negative ? 1 : 0, '-');
  if (exponent >= -4 && exponent < 16) {
    const int point = exponent + 1;  // digits before the decimal point
    if (point <= 0) {
      out += "0.";
      out.append(static_cast<std::size_t>(-point), '0');
      out += digits;
    } else if (static_cast<std::size_t>(point) >= digits.size()) {
      out += digits;
      out.append(static_cast<std::size_t>(point) - digits.size(), '0');
      out += ".0";
    } else {
      out += digits.substr(0, static_cast<std::size_t>(point));
      out += '.';
      out += digits.substr(static_cast<std::size_t>(point));
    }
    return out;
  }
  out += digits.substr(0, 1);
  if (digits.size() > 1) {
    out += '.';
    out += digits.substr(1);
  }
  out += exponent < 0 ? "e-" : "e+";
  const int magnitude = exponent < 0 ? -exponent : exponent;
  if (magnitude < 10) out += '0';
  out += std::to_string(magnitude);
  return out;
}

std::string FloatStr(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value < 0 ? "-Infinity" : "Infinity";
  return FloatRepr(value);
}

std::string Str(const Value& value) {
  switch (value.type()) {
    case Value::value_t::string:
      return value.get<std::string>();
    case Value::value_t::boolean:
      return value.get<bool>() ? "True" : "False";
    case Value::value_t::null:
      return "None";
    case Value::value_t::number_integer:
      return std::to_string(value.get<std::int64_t>());
    case Value::value_t::number_unsigned:
      return std::to_string(value.get<std::uint64_t>());
    case Value::value_t::number_float:
      return FloatRepr(value.get<double>());
    case Value::value_t::binary: {
      const auto& bytes = value.get_binary();
      return std::string(bytes.begin(), bytes.end());
    }
    default:
      return value.dump(-1, ' ', false, Value::error_handler_t::replace);
  }
}

bool IsSpecialFloatName(const Value& value) {
  if (!value.is_string()) return false;
  const std::string& s = value.get_ref<const std::string&>();
  return s == "NaN" || s == "Infinity" || s == "-Infinity";
}

absl::StatusOr<std::string> B64Decode(std::string_view text) {
  static constexpr auto kTable = [] {
    std::array<signed char, 256> table{};
    for (auto& v : table) v = -1;
    const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < 64; ++i) table[static_cast<unsigned char>(alphabet[i])] = static_cast<signed char>(i);
    return table;
  }();
  std::string out;
  out.reserve(text.size() / 4 * 3 + 3);
  int quad_pos = 0;
  int pads = 0;
  unsigned left = 0;
  for (const char ch : text) {
    if (ch == '=') {
      if (quad_pos >= 2 && quad_pos + ++pads >= 4) return out;  // padding complete: the rest is ignored
      continue;
    }
    const int v = kTable[static_cast<unsigned char>(ch)];
    if (v < 0) continue;
    pads = 0;
    const unsigned bits = static_cast<unsigned>(v);
    switch (quad_pos) {
      case 0:
        left = bits;
        quad_pos = 1;
        break;
      case 1:
        out += static_cast<char>((left << 2) | (bits >> 4));
        left = bits & 0x0f;
        quad_pos = 2;
        break;
      case 2:
        out += static_cast<char>((left << 4) | (bits >> 2));
        left = bits & 0x03;
        quad_pos = 3;
        break;
      default:
        out += static_cast<char>((left << 6) | bits);
        left = 0;
        quad_pos = 0;
        break;
    }
  }
  if (quad_pos == 1) {
    return absl::InvalidArgumentError(
        "Invalid base64-encoded string: number of data characters cannot be 1 more than a multiple of 4");
  }
  if (quad_pos != 0) return absl::InvalidArgumentError("Incorrect padding");
  return out;
}

std::string B64Encode(std::string_view bytes) { return absl::Base64Escape(std::string(bytes)); }

bool IsUtf8(std::string_view bytes) {
  std::size_t i = 0;
  const std::size_t n = bytes.size();
  while (i < n) {
    const unsigned char c = static_cast<unsigned char>(bytes[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    int extra = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // bounds of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      extra = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      extra = 2;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;  // no surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      extra = 3;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (i + static_cast<std::size_t>(extra) >= n) return false;
    for (int k = 1; k <= extra; ++k) {
      const unsigned char b = static_cast<unsigned char>(bytes[i + static_cast<std::size_t>(k)]);
      if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return false;
    }
    i += static_cast<std::size_t>(extra) + 1;
  }
  return true;
}

}  // namespace awsd::protocols::py
