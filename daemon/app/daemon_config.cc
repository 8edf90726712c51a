#include "daemon/app/daemon_config.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <toml++/toml.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "daemon/security/security_config.h"

namespace awsd::app {
namespace {

// The keys each table accepts; also the candidates for "did you mean".
constexpr std::string_view kServerKeys[] = {"socket", "socket_mode",
                                            "socket_group", "directory_mode",
                                            "drain_timeout_ms"};
constexpr std::string_view kLoggingKeys[] = {"level", "format", "file"};
constexpr std::string_view kModelsKeys[] = {"dirs"};
constexpr std::string_view kLimitsKeys[] = {"max_message_bytes",
                                            "max_concurrent_calls"};
constexpr std::string_view kHttpKeys[] = {"connect_timeout_ms", "read_timeout_ms",
                                          "max_connections_per_host", "total_timeout_ms"};
// [secrets] and [compat.*] (issue 9: secret hygiene, compatibility endpoints).
constexpr std::string_view kSecretsKeys[] = {"core_dumps", "lock_memory"};
constexpr std::string_view kCompatKeys[] = {"container", "imds", "credential_process"};
constexpr std::string_view kCompatContainerKeys[] = {"port", "profile"};
constexpr std::string_view kCompatProfileKeys[] = {"name", "token_file"};
constexpr std::string_view kCompatImdsKeys[] = {"port", "profile"};
constexpr std::string_view kCompatCredentialProcessKeys[] = {"allow_export"};
// [metrics] (issue 10: Prometheus metrics).
constexpr std::string_view kMetricsKeys[] = {"socket", "port"};

// [policy], [audit], [caller_limits] (issue 9: policy, audit, per-caller
// limits) are parsed by daemon/security/security_config; listed here for
// "did you mean" and misplaced-key hints.
constexpr std::string_view kPolicyKeys[] = {"rule"};
constexpr std::string_view kAuditKeys[] = {"file"};
constexpr std::string_view kCallerLimitsKeys[] = {"max_concurrent_calls", "calls_per_second", "burst"};

struct TableSpec {
  std::string_view name;
  std::span<const std::string_view> keys;
};
constexpr TableSpec kTables[] = {
    {"server", kServerKeys},
    {"logging", kLoggingKeys},
    {"models", kModelsKeys},
    {"limits", kLimitsKeys},
    {"http", kHttpKeys},
    {"policy", kPolicyKeys},
    {"audit", kAuditKeys},
    {"caller_limits", kCallerLimitsKeys},
    {"secrets", kSecretsKeys},
    {"compat", kCompatKeys},
    {"metrics", kMetricsKeys},
};

constexpr std::string_view kLogLevels[] = {"trace", "debug", "info", "warn",
                                           "error"};
constexpr std::string_view kLogFormats[] = {"text", "json"};

// sun_path holds the socket path and its terminating NUL; a longer path
// would only fail later, at bind(), with a less helpful message.
constexpr size_t kMaxSocketPathBytes = sizeof(sockaddr_un::sun_path) - 1;

constexpr int64_t kMaxDrainTimeoutMs = 3'600'000;
constexpr int64_t kMaxHttpTimeoutMs = 3'600'000;
constexpr int64_t kMinMessageBytes = 1024;
constexpr int64_t kMaxMessageBytes = 1024 * 1024 * 1024;
constexpr int64_t kMaxConcurrentCalls = 1'000'000;

// Bigger than any sane config; stops `--config /dev/zero` from eating memory.
constexpr size_t kMaxFileBytes = 1024 * 1024;

// Debian's Abseil is built with its own absl::string_view, which
// absl::StrCat cannot take from a std::string_view, so messages are put
// together with these few helpers instead.
inline std::string_view Piece(std::string_view s) { return s; }
template <typename T>
requires std::is_integral_v<T> std::string Piece(T value) {
  return std::to_string(value);
}
template <typename... Args>
std::string Cat(const Args&... args) {
  std::string out;
  (out.append(Piece(args)), ...);
  return out;
}

std::string Join(std::span<const std::string_view> items,
                 std::string_view separator, std::string_view quote = "") {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out.append(separator);
    out.append(quote).append(items[i]).append(quote);
  }
  return out;
}

// A mode as people write it: "0" then at least three octal digits ("0600",
// "02770", "0000").
std::string Octal(int64_t value) {
  char digits[32];
  const auto result = std::to_chars(digits, digits + sizeof(digits), value, 8);
  const std::string_view text(digits, static_cast<size_t>(result.ptr - digits));
  return Cat("0", std::string(text.size() < 3 ? 3 - text.size() : 0, '0'),
             text);
}

// Optimal string alignment distance: Levenshtein plus adjacent
// transpositions, since "sokcet" is as likely a typo as "sockt".
size_t EditDistance(std::string_view a, std::string_view b) {
  const size_t n = a.size();
  const size_t m = b.size();
  std::vector<std::vector<size_t>> d(n + 1, std::vector<size_t>(m + 1));
  for (size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] =
          std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[n][m];
}

// The candidate `typed` most likely meant, if any is close enough. Besides
// small edit distances this catches the names people carry over from other
// spellings: "socket_path" for "socket", "log_level" for "level",
// "drain_timeout" for "drain_timeout_ms", "warning" for "warn".
std::optional<std::string_view> Suggest(
    std::string_view typed, std::span<const std::string_view> candidates) {
  std::string lower(typed);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  std::optional<std::string_view> best;
  size_t best_distance = SIZE_MAX;
  for (std::string_view candidate : candidates) {
    const size_t distance = EditDistance(lower, candidate);
    const size_t allowed = candidate.size() >= 5 ? 2 : 1;
    if (distance <= allowed && distance < lower.size() &&
        distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  if (best) return best;
  for (std::string_view candidate : candidates) {
    const std::string_view shorter =
        lower.size() < candidate.size() ? std::string_view(lower) : candidate;
    const std::string_view longer =
        lower.size() < candidate.size() ? candidate : std::string_view(lower);
    if (shorter.size() < 3) continue;
    if (longer.starts_with(shorter) ||
        (lower.size() > candidate.size() && lower.ends_with(candidate) &&
         lower[lower.size() - candidate.size() - 1] == '_')) {
      return candidate;
    }
  }
  return std::nullopt;
}

std::string_view TypeName(toml::node_type type) {
  switch (type) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

// Renders a string value for an error message: quoted, with control
// characters escaped so a stray NUL or newline cannot garble the log line.
std::string Quote(std::string_view value) {
  std::string out = "\"";
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20 || byte == 0x7f) {
      constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

// A key as it should appear in a message: bare if TOML would allow it bare,
// else quoted, so an odd quoted key ("a\nb" = 1) stays on one line.
std::string DisplayKey(std::string_view key) {
  const bool bare =
      !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               (c >= '0' && c <= '9') || c == '_' || c == '-';
      });
  return bare ? std::string(key) : Quote(key);
}

std::string QuotedList(std::span<const std::string_view> names) {
  return Join(names, ", ", "'");
}

struct Problem {
  uint32_t line;
  uint32_t column;
  std::string text;
};

// Walks the parsed document, filling `config` and collecting every problem
// rather than stopping at the first, so one edit fixes them all.
class Checker {
 public:
  explicit Checker(std::string_view origin) : origin_(origin) {}

  void CheckRoot(const toml::table& root, DaemonConfig& config) {
    for (auto&& [key, node] : root) {
      const std::string_view name = key.str();
      if (name == "server") {
        if (const toml::table* t = TableOrReport(name, node)) {
          CheckServer(*t, config);
        }
      } else if (name == "logging") {
        if (const toml::table* t = TableOrReport(name, node)) {
          CheckLogging(*t, config);
        }
      } else if (name == "models") {
        if (const toml::table* t = TableOrReport(name, node)) {
          CheckModels(*t, config);
        }
      } else if (name == "limits") {
        if (const toml::table* t = TableOrReport(name, node)) {
          CheckLimits(*t, config);
        }
      } else if (name == "http") {
        if (const toml::table* t = TableOrReport(name, node)) {
          CheckHttp(*t, config);
        }
      } else if (name == "secrets") {
        if (const toml::table* t = TableOrReport(name, node)) CheckSecrets(*t, config);
      } else if (name == "compat") {
        if (const toml::table* t = TableOrReport(name, node)) CheckCompat(*t, config);
      } else if (name == "metrics") {
        if (const toml::table* t = TableOrReport(name, node)) CheckMetrics(*t, config);
      } else if (name == "policy" || name == "audit" || name == "caller_limits") {
        // Checked by security::ParseSecurityConfig (see ParseDaemonConfig).
      } else {
        ReportUnknownTopLevel(key, node);
      }
    }
  }

  bool ok() const { return problems_.empty(); }

  // A problem found by another module's parser, already formatted.
  void AddProblem(uint32_t line, uint32_t column, std::string text) {
    problems_.push_back({line, column, std::move(text)});
  }

  absl::Status ToStatus() {
    std::stable_sort(problems_.begin(), problems_.end(),
                     [](const Problem& a, const Problem& b) {
                       return std::pair(a.line, a.column) <
                              std::pair(b.line, b.column);
                     });
    std::string message;
    for (const Problem& p : problems_) {
      if (!message.empty()) message += '\n';
      message += p.text;
    }
    return absl::InvalidArgumentError(message);
  }

 private:
  // `name` is "table.key" (or "table" / "key" at the top level).
  void Report(const toml::source_region& where, std::string_view name,
              std::string_view what) {
    const uint32_t line = where.begin.line;
    std::string text = line > 0
                           ? Cat(origin_, ":", line, ": ", name, ": ", what)
                           : Cat(origin_, ": ", name, ": ", what);
    problems_.push_back({line, where.begin.column, std::move(text)});
  }

  void ReportType(const toml::node& node, std::string_view name,
                  std::string_view expected) {
    Report(node.source(), name,
           Cat("must be ", expected, ", got ", TypeName(node.type())));
  }

  const toml::table* TableOrReport(std::string_view name,
                                   const toml::node& node) {
    const toml::table* table = node.as_table();
    if (table == nullptr) ReportType(node, name, "a table");
    return table;
  }

  void ReportUnknownTopLevel(const toml::key& key, const toml::node& node) {
    const std::string_view name = key.str();
    std::vector<std::string_view> table_names;
    for (const TableSpec& spec : kTables) table_names.push_back(spec.name);
    if (node.is_table() || node.is_array_of_tables()) {
      std::string what = "unknown table";
      if (auto guess = Suggest(name, table_names)) {
        what += Cat(" (did you mean '", *guess, "'?)");
      } else {
        what += Cat(" (known tables: ", QuotedList(table_names), ")");
      }
      Report(key.source(), DisplayKey(name), what);
      return;
    }
    // A plain key above the first [table] header: say where it belongs.
    std::string what = "unknown key at the top level; keys belong in a table";
    if (auto home = FindInOtherTables(name, "")) {
      what += Cat(" (did you mean '", *home, "'?)");
    }
    Report(key.source(), DisplayKey(name), what);
  }

  // "table.key" for the table that defines `name` exactly, other than
  // `except`. Catches a right key under the wrong header.
  static std::optional<std::string> FindInOtherTables(std::string_view name,
                                                      std::string_view except) {
    for (const TableSpec& spec : kTables) {
      if (spec.name == except) continue;
      for (std::string_view k : spec.keys) {
        if (k == name) return Cat(spec.name, ".", k);
      }
    }
    return std::nullopt;
  }

  void ReportUnknownKey(std::string_view table, const toml::key& key,
                        std::span<const std::string_view> known) {
    const std::string_view name = key.str();
    std::string what = "unknown key";
    if (auto guess = Suggest(name, known)) {
      what += Cat(" (did you mean '", *guess, "'?)");
    } else if (auto home = FindInOtherTables(name, table)) {
      what += Cat(" (did you mean '", *home, "'?)");
    } else {
      what += Cat(" (known keys: ", QuotedList(known), ")");
    }
    Report(key.source(), Cat(table, ".", DisplayKey(name)), what);
  }

  std::optional<std::string> String(const toml::node& node,
                                    std::string_view name) {
    if (const auto* s = node.as_string()) return s->get();
    ReportType(node, name, "a string");
    return std::nullopt;
  }

  std::optional<std::string> NonEmptyString(const toml::node& node,
                                            std::string_view name,
                                            std::string_view if_empty) {
    std::optional<std::string> s = String(node, name);
    if (!s) return std::nullopt;
    if (s->empty()) {
      Report(node.source(), name, Cat("must not be empty", if_empty));
      return std::nullopt;
    }
    if (s->find('\0') != std::string::npos) {
      Report(node.source(), name, "must not contain a NUL character");
      return std::nullopt;
    }
    return s;
  }

  // Relative paths are refused rather than resolved: a daemon's working
  // directory (often "/" under systemd) is not where the user was standing.
  std::optional<std::string> AbsolutePath(const toml::node& node,
                                          std::string_view name,
                                          std::string_view if_empty) {
    std::optional<std::string> s = NonEmptyString(node, name, if_empty);
    if (!s) return std::nullopt;
    if ((*s)[0] != '/') {
      Report(node.source(), name,
             Cat("must be an absolute path, got ", Quote(*s)));
      return std::nullopt;
    }
    return s;
  }

  std::optional<int64_t> Integer(const toml::node& node, std::string_view name,
                                 int64_t min, int64_t max) {
    const auto* i = node.as_integer();
    if (i == nullptr) {
      ReportType(node, name, "an integer");
      return std::nullopt;
    }
    if (i->get() < min || i->get() > max) {
      Report(node.source(), name,
             Cat("must be between ", min, " and ", max, ", got ", i->get()));
      return std::nullopt;
    }
    return i->get();
  }

  // A file mode, as an octal string ("0660") or a TOML octal integer
  // (0o660). A decimal integer is refused: `socket_mode = 660` would
  // otherwise mean mode 01224 without anyone noticing.
  std::optional<uint32_t> Mode(const toml::node& node, std::string_view name,
                               uint32_t max) {
    uint32_t mode = 0;
    if (const auto* i = node.as_integer()) {
      if ((i->flags() & toml::value_flags::format_as_octal) ==
          toml::value_flags::none) {
        Report(node.source(), name,
               Cat("must be an octal mode string such as \"0600\" "
                   "(or an octal integer such as 0o600), got the "
                   "decimal integer ",
                   i->get()));
        return std::nullopt;
      }
      if (i->get() < 0 || i->get() > max) {
        Report(node.source(), name,
               Cat("must be at most ", Octal(max), ", got ", Octal(i->get())));
        return std::nullopt;
      }
      mode = static_cast<uint32_t>(i->get());
    } else if (const auto* s = node.as_string()) {
      const std::string& text = s->get();
      const bool octal = text.size() >= 3 && text.size() <= 5 &&
                         std::all_of(text.begin(), text.end(), [](char c) {
                           return c >= '0' && c <= '7';
                         });
      if (!octal) {
        Report(node.source(), name,
               Cat("must be an octal mode string of 3 to 5 digits "
                   "such as \"0600\", got ",
                   Quote(text)));
        return std::nullopt;
      }
      for (const char c : text)
        mode = mode * 8 + static_cast<uint32_t>(c - '0');
      if (mode > max) {
        Report(node.source(), name,
               Cat("must be at most ", Octal(max), ", got ", Quote(text)));
        return std::nullopt;
      }
    } else {
      ReportType(node, name, "an octal mode string such as \"0600\"");
      return std::nullopt;
    }
    return mode;
  }

  std::optional<std::string> OneOf(const toml::node& node,
                                   std::string_view name,
                                   std::span<const std::string_view> allowed) {
    std::optional<std::string> s = String(node, name);
    if (!s) return std::nullopt;
    if (std::find(allowed.begin(), allowed.end(), *s) != allowed.end()) {
      return s;
    }
    std::string what =
        Cat("must be one of ", Join(allowed, ", "), ", got ", Quote(*s));
    if (auto guess = Suggest(*s, allowed)) {
      what += Cat(" (did you mean '", *guess, "'?)");
    }
    Report(node.source(), name, what);
    return std::nullopt;
  }

  void CheckServer(const toml::table& table, DaemonConfig& config) {
    for (auto&& [key, node] : table) {
      const std::string_view k = key.str();
      const std::string name = Cat("server.", k);
      if (k == "socket") {
        auto path = AbsolutePath(
            node, name, " (leave the key out to use the default location)");
        if (path && path->size() > kMaxSocketPathBytes) {
          Report(node.source(), name,
                 Cat("must be at most ", kMaxSocketPathBytes,
                     " bytes long (the limit of a Unix socket "
                     "address), got ",
                     path->size()));
        } else if (path) {
          config.socket_path = std::move(*path);
        }
      } else if (k == "socket_mode") {
        if (auto mode = Mode(node, name, 0777)) config.socket_mode = *mode;
      } else if (k == "socket_group") {
        if (auto group = NonEmptyString(
                node, name, " (leave the key out to keep awsd's own group)")) {
          config.socket_group = std::move(*group);
        }
      } else if (k == "directory_mode") {
        auto mode = Mode(node, name, 07777);
        if (mode && (*mode & 0300) != 0300) {
          Report(node.source(), name,
                 Cat("must give the owner write and search permission "
                     "(0300) so awsd can create its socket there, got ",
                     Octal(*mode)));
        } else if (mode) {
          config.directory_mode = *mode;
        }
      } else if (k == "drain_timeout_ms") {
        if (auto ms = Integer(node, name, 0, kMaxDrainTimeoutMs)) {
          config.drain_timeout = std::chrono::milliseconds(*ms);
        }
      } else {
        ReportUnknownKey("server", key, kServerKeys);
      }
    }
  }

  void CheckLogging(const toml::table& table, DaemonConfig& config) {
    for (auto&& [key, node] : table) {
      const std::string_view k = key.str();
      const std::string name = Cat("logging.", k);
      if (k == "level") {
        if (auto level = OneOf(node, name, kLogLevels)) {
          config.log_level = std::move(*level);
        }
      } else if (k == "format") {
        if (auto format = OneOf(node, name, kLogFormats)) {
          config.log_format =
              *format == "json" ? LogFormat::kJson : LogFormat::kText;
        }
      } else if (k == "file") {
        if (auto path = AbsolutePath(node, name,
                                     " (leave the key out to log to stderr)")) {
          config.log_file = std::move(*path);
        }
      } else {
        ReportUnknownKey("logging", key, kLoggingKeys);
      }
    }
  }

  void CheckModels(const toml::table& table, DaemonConfig& config) {
    for (auto&& [key, node] : table) {
      const std::string_view k = key.str();
      const std::string name = Cat("models.", k);
      if (k == "dirs") {
        const toml::array* dirs = node.as_array();
        if (dirs == nullptr) {
          ReportType(node, name, "an array of strings");
          continue;
        }
        std::vector<std::string> paths;
        bool all_good = true;
        for (size_t i = 0; i < dirs->size(); ++i) {
          auto path = AbsolutePath((*dirs)[i], Cat(name, "[", i, "]"), "");
          if (path) {
            paths.push_back(std::move(*path));
          } else {
            all_good = false;
          }
        }
        if (all_good) config.model_dirs = std::move(paths);
      } else {
        ReportUnknownKey("models", key, kModelsKeys);
      }
    }
  }

  void CheckLimits(const toml::table& table, DaemonConfig& config) {
    for (auto&& [key, node] : table) {
      const std::string_view k = key.str();
      const std::string name = Cat("limits.", k);
      if (k == "max_message_bytes") {
        if (auto n = Integer(node, name, kMinMessageBytes, kMaxMessageBytes)) {
          config.max_message_bytes = static_cast<uint32_t>(*n);
        }
      } else if (k == "max_concurrent_calls") {
        if (auto n = Integer(node, name, 1, kMaxConcurrentCalls)) {
          config.max_concurrent_calls = static_cast<uint32_t>(*n);
        }
      } else {
        ReportUnknownKey("limits", key, kLimitsKeys);
      }
    }
  }

  void CheckHttp(const toml::table& table, DaemonConfig& config) {
    for (auto&& [key, node] : table) {
      const std::string_view k = key.str();
      const std::string name = Cat("http.", k);
      if (k == "connect_timeout_ms") {
        if (auto n = Integer(node, name, 1, kMaxHttpTimeoutMs)) config.http_connect_timeout = std::chrono::milliseconds(*n);
      } else if (k == "read_timeout_ms") {
        if (auto n = Integer(node, name, 1, kMaxHttpTimeoutMs)) config.http_read_timeout = std::chrono::milliseconds(*n);
      } else if (k == "total_timeout_ms") {
        if (auto n = Integer(node, name, 0, kMaxHttpTimeoutMs)) config.http_total_timeout = std::chrono::milliseconds(*n);
      } else if (k == "max_connections_per_host") {
        if (auto n = Integer(node, name, 1, 1024)) config.http_max_connections_per_host = static_cast<uint32_t>(*n);
      } else {
        ReportUnknownKey("http", key, kHttpKeys);
      }
    }
  }

  // --- [secrets] and [compat.*] ---

  std::optional<bool> Bool(const toml::node& node, std::string_view name) {
    if (const auto* b = node.as_boolean()) return b->get();
    ReportType(node, name, "a boolean");
    return std::nullopt;
  }

  void CheckSecrets(const toml::table& table, DaemonConfig& config) {
    for (auto&& [key, node] : table) {
      const std::string_view k = key.str();
      const std::string name = Cat("secrets.", k);
      if (k == "core_dumps") {
        if (auto b = Bool(node, name)) config.secrets_core_dumps = *b;
      } else if (k == "lock_memory") {
        if (auto b = Bool(node, name)) config.secrets_lock_memory = *b;
      } else {
        ReportUnknownKey("secrets", key, kSecretsKeys);
      }
    }
  }

  void CheckCompat(const toml::table& table, DaemonConfig& config) {
    for (auto&& [key, node] : table) {
      const std::string_view k = key.str();
      const std::string name = Cat("compat.", k);
      if (k == "container") {
        if (const toml::table* t = TableOrReport(name, node)) CheckCompatContainer(*t, config);
      } else if (k == "imds") {
        if (const toml::table* t = TableOrReport(name, node)) CheckCompatImds(*t, config);
      } else if (k == "credential_process") {
        const toml::table* t = TableOrReport(name, node);
        if (t == nullptr) continue;
        for (auto&& [sub, value] : *t) {
          if (sub.str() == "allow_export") {
            if (auto b = Bool(value, Cat(name, ".allow_export"))) config.compat_allow_export = *b;
          } else {
            ReportUnknownKey(name, sub, kCompatCredentialProcessKeys);
          }
        }
      } else {
        ReportUnknownKey("compat", key, kCompatKeys);
      }
    }
  }

  void CheckCompatContainer(const toml::table& table, DaemonConfig& config) {
    for (auto&& [key, node] : table) {
      const std::string_view k = key.str();
      const std::string name = Cat("compat.container.", k);
      if (k == "port") {
        if (auto n = Integer(node, name, 1, 65535)) config.compat_container_port = static_cast<uint16_t>(*n);
      } else if (k == "profile") {
        const toml::array* profiles = node.as_array();
        if (profiles == nullptr) {
          ReportType(node, name, "an array of tables ([[compat.container.profile]])");
          continue;
        }
        for (size_t i = 0; i < profiles->size(); ++i) {
          const std::string entry_name = Cat(name, "[", i, "]");
          const toml::table* entry = TableOrReport(entry_name, (*profiles)[i]);
          if (entry == nullptr) continue;
          DaemonConfig::CompatContainerProfile profile;
          for (auto&& [sub, value] : *entry) {
            const std::string sub_name = Cat(entry_name, ".", sub.str());
            if (sub.str() == "name") {
              if (auto s = NonEmptyString(value, sub_name, "")) profile.name = std::move(*s);
            } else if (sub.str() == "token_file") {
              if (auto s = AbsolutePath(value, sub_name, "")) profile.token_file = std::move(*s);
            } else {
              ReportUnknownKey(entry_name, sub, kCompatProfileKeys);
            }
          }
          if (profile.name.empty() || profile.token_file.empty()) {
            Report(entry->source(), entry_name, "needs both name and token_file");
            continue;
          }
          config.compat_container_profiles.push_back(std::move(profile));
        }
      } else {
        ReportUnknownKey("compat.container", key, kCompatContainerKeys);
      }
    }
  }

  void CheckCompatImds(const toml::table& table, DaemonConfig& config) {
    for (auto&& [key, node] : table) {
      const std::string_view k = key.str();
      const std::string name = Cat("compat.imds.", k);
      if (k == "port") {
        if (auto n = Integer(node, name, 1, 65535)) config.compat_imds_port = static_cast<uint16_t>(*n);
      } else if (k == "profile") {
        if (auto s = NonEmptyString(node, name, "")) config.compat_imds_profile = std::move(*s);
      } else {
        ReportUnknownKey("compat.imds", key, kCompatImdsKeys);
      }
    }
  }

  void CheckMetrics(const toml::table& table, DaemonConfig& config) {
    for (auto&& [key, node] : table) {
      const std::string_view k = key.str();
      const std::string name = Cat("metrics.", k);
      if (k == "socket") {
        auto path = AbsolutePath(node, name, " (leave the key out to turn metrics off)");
        if (path && path->size() > kMaxSocketPathBytes) {
          Report(node.source(), name,
                 Cat("must be at most ", kMaxSocketPathBytes, " bytes long (the limit of a Unix socket address), got ",
                     path->size()));
        } else if (path) {
          config.metrics_socket = std::move(*path);
        }
      } else if (k == "port") {
        if (auto n = Integer(node, name, 1, 65535)) config.metrics_port = static_cast<uint16_t>(*n);
      } else {
        ReportUnknownKey("metrics", key, kMetricsKeys);
      }
    }
    // Both named: which one was meant cannot be guessed.
    if (table.contains("socket") && table.contains("port")) {
      Report(table.get("port")->source(), "metrics.port",
             "set either metrics.socket or metrics.port, not both");
      config.metrics_socket.reset();
      config.metrics_port.reset();
    }
  }

  std::string origin_;
  std::vector<Problem> problems_;
};

}  // namespace

absl::StatusOr<DaemonConfig> ParseDaemonConfig(std::string_view text,
                                               std::string_view origin) {
  toml::table root;
  try {
    root = toml::parse(text, origin);
  } catch (const toml::parse_error& e) {
    return absl::InvalidArgumentError(Cat(origin, ":", e.source().begin.line,
                                          ":", e.source().begin.column, ": ",
                                          e.description()));
  } catch (const std::exception& e) {
    // Nothing but parse_error is documented, but no exception may leave
    // this module.
    return absl::InternalError(Cat(origin, ": cannot parse: ", e.what()));
  }
  DaemonConfig config;
  Checker checker(origin);
  checker.CheckRoot(root, config);
  for (security::ConfigProblem& problem : security::ParseSecurityConfig(text, origin, config.security)) {
    checker.AddProblem(problem.line, problem.column, std::move(problem.text));
  }
  if (!checker.ok()) return checker.ToStatus();
  return config;
}

absl::StatusOr<DaemonConfig> LoadDaemonConfig(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return absl::ErrnoToStatus(errno, Cat(path, ": cannot open"));
  }
  // Closes fd on every return below.
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};

  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    return absl::ErrnoToStatus(errno, Cat(path, ": cannot stat"));
  }
  if (S_ISDIR(st.st_mode)) {
    return absl::InvalidArgumentError(
        Cat(path, ": is a directory, not a config file"));
  }

  std::string text;
  char buffer[16 * 1024];
  while (true) {
    const ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n < 0) {
      if (errno == EINTR) continue;
      return absl::ErrnoToStatus(errno, Cat(path, ": cannot read"));
    }
    if (n == 0) break;
    text.append(buffer, static_cast<size_t>(n));
    if (text.size() > kMaxFileBytes) {
      return absl::InvalidArgumentError(Cat(
          path, ": larger than ", kMaxFileBytes, " bytes; not a config file"));
    }
  }
  return ParseDaemonConfig(text, path);
}

}  // namespace awsd::app
