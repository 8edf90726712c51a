#include "daemon/retries/retry_config.h"

#include <algorithm>
#include <cctype>
#include <climits>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "daemon/config/settings.h"

namespace awsd::retries {
namespace {

constexpr char kValidModes[] = "('legacy', 'standard', 'adaptive')";

// Python's repr() of a str, for the printable ASCII values config files hold;
// other bytes are escaped so a message never carries control characters.
std::string PythonRepr(std::string_view text) {
  const bool double_quote = text.find('\'') != std::string_view::npos && text.find('"') == std::string_view::npos;
  const char quote = double_quote ? '"' : '\'';
  std::string out(1, quote);
  for (unsigned char c : text) {
    if (c == '\\' || c == static_cast<unsigned char>(quote)) {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c < 0x20 || c >= 0x7f) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    } else {
      out += static_cast<char>(c);
    }
  }
  out += quote;
  return out;
}

// int(text) as Python parses it: surrounding whitespace, an optional sign,
// digits with single underscores between them. Values beyond int saturate,
// since any of them is "more attempts than will ever be made".
std::optional<int> PythonInt(std::string_view text) {
  size_t begin = 0;
  size_t end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  std::string_view body = text.substr(begin, end - begin);
  bool negative = false;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  if (body.empty() || body.front() == '_' || body.back() == '_') return std::nullopt;
  long long value = 0;
  char previous = '\0';
  for (char c : body) {
    if (c == '_') {
      if (previous == '_') return std::nullopt;
    } else if (c >= '0' && c <= '9') {
      value = std::min<long long>(value * 10 + (c - '0'), static_cast<long long>(INT_MAX) + 1);
    } else {
      return std::nullopt;
    }
    previous = c;
  }
  if (negative) value = -value;
  return static_cast<int>(std::clamp<long long>(value, INT_MIN, INT_MAX));
}

absl::Status InvalidMaxAttempts(int value, int min_value) {
  return absl::InvalidArgumentError(absl::StrCat("Value provided to \"max_attempts\": ", value,
                                                 " must be an integer greater than or equal to ", min_value, "."));
}

}  // namespace

std::string_view RetryModeName(RetryMode mode) {
  switch (mode) {
    case RetryMode::kLegacy:
      return "legacy";
    case RetryMode::kStandard:
      return "standard";
    case RetryMode::kAdaptive:
      return "adaptive";
  }
  return "legacy";
}

absl::StatusOr<RetryConfig> ResolveRetryConfig(const config::Profile* profile, const config::EnvLookup& env,
                                               const ClientRetryOptions& client) {
  // Client options are validated as Config.__init__ does, before anything
  // else is looked at.
  if (client.max_attempts.has_value() && *client.max_attempts < 0) return InvalidMaxAttempts(*client.max_attempts, 0);
  if (client.total_max_attempts.has_value() && *client.total_max_attempts < 1) {
    return InvalidMaxAttempts(*client.total_max_attempts, 1);
  }

  std::optional<int> total;
  if (client.total_max_attempts.has_value()) {
    total = client.total_max_attempts;
  } else if (client.max_attempts.has_value()) {
    total = *client.max_attempts == INT_MAX ? INT_MAX : *client.max_attempts + 1;
  } else if (std::optional<std::string> text = config::Resolve("max_attempts", profile, env)) {
    // The config store converts with int() before anything validates it.
    std::optional<int> value = PythonInt(*text);
    if (!value.has_value()) {
      return absl::InvalidArgumentError(absl::StrCat("invalid literal for int() with base 10: ", PythonRepr(*text)));
    }
    total = value;
  }
  // The resolved total goes through Config's validation (min_value 1), which
  // looks at it before the mode.
  if (total.has_value() && *total < 1) return InvalidMaxAttempts(*total, 1);

  std::string mode_text;
  if (client.mode.has_value()) {
    mode_text = *client.mode;
  } else {
    mode_text = config::Resolve("retry_mode", profile, env).value_or("legacy");
  }

  RetryConfig result;
  if (mode_text == "legacy") {
    result.mode = RetryMode::kLegacy;
    result.max_attempts = kLegacyDefaultMaxAttempts;
  } else if (mode_text == "standard") {
    result.mode = RetryMode::kStandard;
    result.max_attempts = kStandardDefaultMaxAttempts;
  } else if (mode_text == "adaptive") {
    result.mode = RetryMode::kAdaptive;
    result.max_attempts = kStandardDefaultMaxAttempts;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("Invalid value provided to \"mode\": \"", mode_text, "\" must be one of: ", kValidModes));
  }
  if (total.has_value()) {
    result.max_attempts = *total;
    result.max_attempts_configured = true;
  }
  return result;
}

}  // namespace awsd::retries
