#include "daemon/app/daemon_config.h"
#include "tests/support/test_paths.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace awsd::app {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr std::string_view kOrigin = "awsd.toml";

std::filesystem::path ExamplePath() {
  return std::filesystem::path(awsd::test_support::SourceDir()) / "config" / "awsd.example.toml";
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Parses `text` expecting failure; returns the message for matching.
std::string ErrorOf(std::string_view text) {
  absl::StatusOr<DaemonConfig> config = ParseDaemonConfig(text, kOrigin);
  EXPECT_FALSE(config.ok()) << "parsed unexpectedly:\n" << text;
  if (config.ok()) return "";
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(config.status().message());
}

DaemonConfig ParseOk(std::string_view text) {
  absl::StatusOr<DaemonConfig> config = ParseDaemonConfig(text, kOrigin);
  EXPECT_TRUE(config.ok()) << config.status() << "\n" << text;
  return config.ok() ? *config : DaemonConfig{};
}

// ---------------------------------------------------------------- defaults

TEST(DaemonConfigTest, DefaultsAreTheDocumentedOnes) {
  const DaemonConfig d;
  EXPECT_FALSE(d.socket_path.has_value());
  EXPECT_EQ(d.socket_mode, 0600u);
  EXPECT_FALSE(d.socket_group.has_value());
  EXPECT_EQ(d.directory_mode, 0700u);
  EXPECT_EQ(d.drain_timeout, std::chrono::milliseconds(10000));
  EXPECT_EQ(d.log_level, "info");
  EXPECT_EQ(d.log_format, LogFormat::kText);
  EXPECT_FALSE(d.log_file.has_value());
  EXPECT_TRUE(d.model_dirs.empty());
  EXPECT_EQ(d.max_message_bytes, 4u * 1024 * 1024);
  EXPECT_EQ(d.max_concurrent_calls, 1024u);
  EXPECT_EQ(d.http_connect_timeout, std::chrono::milliseconds(60000));
  EXPECT_EQ(d.http_read_timeout, std::chrono::milliseconds(60000));
  EXPECT_EQ(d.http_max_connections_per_host, 32u);
}

TEST(DaemonConfigTest, EmptyTextGivesDefaults) {
  EXPECT_EQ(ParseOk(""), DaemonConfig{});
}

TEST(DaemonConfigTest, CommentsAndEmptyTablesGiveDefaults) {
  EXPECT_EQ(ParseOk("# nothing\n\n[server]\n[logging]\n[models]\n[limits]\n"),
            DaemonConfig{});
}

TEST(DaemonConfigTest, ExampleFileParsesToDefaults) {
  absl::StatusOr<DaemonConfig> config = LoadDaemonConfig(ExamplePath());
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(*config, DaemonConfig{});
}

// The example documents each key as a commented-out "# key = default" line.
// Uncommenting all of them must still parse, set every key there is, and
// give the defaults, so the documentation cannot drift from the code.
TEST(DaemonConfigTest, ExampleDocumentsEveryKeyWithItsDefault) {
  const std::string example = ReadFile(ExamplePath());
  ASSERT_FALSE(example.empty()) << ExamplePath();
  const std::regex setting(R"(^# ?([a-z_]+) = .*$)");
  std::istringstream in(example);
  std::string uncommented;
  std::set<std::string> keys;
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (std::regex_match(line, m, setting)) {
      keys.insert(m[1]);
      line = line.substr(line.find(m[1].str()));
    }
    uncommented += line + "\n";
  }
  EXPECT_EQ(keys, (std::set<std::string>{
                      "socket", "socket_mode", "socket_group", "directory_mode",
                      "drain_timeout_ms", "level", "format", "file", "dirs",
                      "max_message_bytes", "max_concurrent_calls", "connect_timeout_ms",
                      "read_timeout_ms", "max_connections_per_host",
                      // [secrets], [compat.*]
                      "lock_memory", "core_dumps", "port", "profile", "allow_export",
                      // [audit], [caller_limits] ("file", "max_concurrent_calls" above)
                      "calls_per_second", "burst", "total_timeout_ms"}));

  DaemonConfig config = ParseOk(uncommented);
  // Keys with no default show an example value instead.
  EXPECT_EQ(config.socket_path, "/run/awsd/awsd.sock");
  EXPECT_EQ(config.socket_group, "awsd");
  EXPECT_EQ(config.log_file, "/var/log/awsd.log");
  config.socket_path.reset();
  config.socket_group.reset();
  config.log_file.reset();
  // The compatibility endpoints are off by default; the example shows ports.
  EXPECT_EQ(config.compat_container_port, 8299);
  EXPECT_EQ(config.compat_imds_port, 8298);
  config.compat_container_port.reset();
  config.compat_imds_port.reset();
  // The audit log is off by default; the example shows a path.
  EXPECT_EQ(config.security.audit_file, "/var/log/awsd/audit.log");
  config.security.audit_file.reset();
  // So are the metrics; the example shows a socket.
  EXPECT_EQ(config.metrics_socket, "/run/awsd/metrics.sock");
  config.metrics_socket.reset();
  EXPECT_EQ(config, DaemonConfig{});
}

// --------------------------------------------------------------- overrides

TEST(DaemonConfigTest, EveryKeyCanBeOverridden) {
  const DaemonConfig config = ParseOk(R"(
[server]
socket = "/run/user/1000/awsd/awsd.sock"
socket_mode = "0660"
socket_group = "awsd-users"
directory_mode = "0750"
drain_timeout_ms = 2500

[logging]
level = "debug"
format = "json"
file = "/var/log/awsd/awsd.log"

[models]
dirs = ["/opt/models", "/home/me/models"]

[limits]
max_message_bytes = 65536
max_concurrent_calls = 16

[http]
connect_timeout_ms = 1500
read_timeout_ms = 20000
max_connections_per_host = 8
)");
  EXPECT_EQ(config.socket_path, "/run/user/1000/awsd/awsd.sock");
  EXPECT_EQ(config.socket_mode, 0660u);
  EXPECT_EQ(config.socket_group, "awsd-users");
  EXPECT_EQ(config.directory_mode, 0750u);
  EXPECT_EQ(config.drain_timeout, std::chrono::milliseconds(2500));
  EXPECT_EQ(config.log_level, "debug");
  EXPECT_EQ(config.log_format, LogFormat::kJson);
  EXPECT_EQ(config.log_file, "/var/log/awsd/awsd.log");
  EXPECT_EQ(config.model_dirs,
            (std::vector<std::string>{"/opt/models", "/home/me/models"}));
  EXPECT_EQ(config.max_message_bytes, 65536u);
  EXPECT_EQ(config.max_concurrent_calls, 16u);
  EXPECT_EQ(config.http_connect_timeout, std::chrono::milliseconds(1500));
  EXPECT_EQ(config.http_read_timeout, std::chrono::milliseconds(20000));
  EXPECT_EQ(config.http_max_connections_per_host, 8u);
}

TEST(DaemonConfigTest, UnsetKeysKeepDefaults) {
  DaemonConfig expected;
  expected.log_level = "warn";
  EXPECT_EQ(ParseOk("[logging]\nlevel = \"warn\"\n"), expected);
}

TEST(DaemonConfigTest, EveryLogLevelIsAccepted) {
  for (const char* level : {"trace", "debug", "info", "warn", "error"}) {
    EXPECT_EQ(ParseOk(std::string("[logging]\nlevel = \"") + level + "\"\n")
                  .log_level,
              level);
  }
  EXPECT_EQ(ParseOk("[logging]\nformat = \"text\"\n").log_format,
            LogFormat::kText);
}

TEST(DaemonConfigTest, ModesAcceptThreeToFiveOctalDigitsAndOctalIntegers) {
  EXPECT_EQ(ParseOk("[server]\nsocket_mode = \"660\"\n").socket_mode, 0660u);
  EXPECT_EQ(ParseOk("[server]\nsocket_mode = \"0666\"\n").socket_mode, 0666u);
  EXPECT_EQ(ParseOk("[server]\nsocket_mode = \"00600\"\n").socket_mode, 0600u);
  EXPECT_EQ(ParseOk("[server]\nsocket_mode = 0o640\n").socket_mode, 0640u);
  EXPECT_EQ(ParseOk("[server]\ndirectory_mode = \"2770\"\n").directory_mode,
            02770u);
  EXPECT_EQ(ParseOk("[server]\ndirectory_mode = 0o711\n").directory_mode,
            0711u);
}

TEST(DaemonConfigTest, RangeBoundsAreInclusive) {
  DaemonConfig low = ParseOk(
      "[server]\ndrain_timeout_ms = 0\n"
      "[limits]\nmax_message_bytes = 1024\nmax_concurrent_calls = 1\n");
  EXPECT_EQ(low.drain_timeout, std::chrono::milliseconds(0));
  EXPECT_EQ(low.max_message_bytes, 1024u);
  EXPECT_EQ(low.max_concurrent_calls, 1u);
  DaemonConfig high = ParseOk(
      "[server]\ndrain_timeout_ms = 3600000\n"
      "[limits]\nmax_message_bytes = 1073741824\n"
      "max_concurrent_calls = 1000000\n");
  EXPECT_EQ(high.drain_timeout, std::chrono::milliseconds(3600000));
  EXPECT_EQ(high.max_message_bytes, 1073741824u);
  EXPECT_EQ(high.max_concurrent_calls, 1000000u);
}

TEST(DaemonConfigTest, InlineTablesAndDottedKeysWork) {
  DaemonConfig config = ParseOk(
      "server = { socket = \"/tmp/a.sock\", drain_timeout_ms = 5 }\n"
      "logging.level = \"error\"\n");
  EXPECT_EQ(config.socket_path, "/tmp/a.sock");
  EXPECT_EQ(config.drain_timeout, std::chrono::milliseconds(5));
  EXPECT_EQ(config.log_level, "error");
}

TEST(DaemonConfigTest, EmptyModelDirsIsAllowed) {
  EXPECT_TRUE(ParseOk("[models]\ndirs = []\n").model_dirs.empty());
}

// ------------------------------------------------------------ syntax errors

TEST(DaemonConfigTest, SyntaxErrorNamesLineAndColumn) {
  const std::string message = ErrorOf("[server]\nsocket = \"/a\n");
  EXPECT_THAT(message, StartsWith("awsd.toml:2:"));
  EXPECT_THAT(message, testing::MatchesRegex(R"(awsd\.toml:2:[0-9]+: .+)"));
}

TEST(DaemonConfigTest, DuplicateKeyIsASyntaxError) {
  EXPECT_THAT(ErrorOf("[limits]\nmax_concurrent_calls = 1\n"
                      "max_concurrent_calls = 2\n"),
              StartsWith("awsd.toml:3:"));
}

TEST(DaemonConfigTest, DuplicateTableIsASyntaxError) {
  EXPECT_THAT(ErrorOf("[server]\n[logging]\n[server]\n"),
              StartsWith("awsd.toml:3:"));
}

// ---------------------------------------------------- unknown tables / keys

TEST(DaemonConfigTest, UnknownTableSuggestsCloseMatch) {
  EXPECT_EQ(ErrorOf("[logging]\n\n[srever]\nsocket = \"/a\"\n"),
            "awsd.toml:3: srever: unknown table (did you mean 'server'?)");
}

TEST(DaemonConfigTest, UnknownTableWithoutMatchListsKnownTables) {
  EXPECT_EQ(ErrorOf("[tls]\ncert = \"/x\"\n"),
            "awsd.toml:1: tls: unknown table (known tables: 'server', "
            "'logging', 'models', 'limits', 'http', 'policy', 'audit', 'caller_limits', 'secrets', 'compat', "
            "'metrics')");
}

TEST(DaemonConfigTest, UnknownArrayOfTablesIsAnUnknownTable) {
  EXPECT_THAT(ErrorOf("\n[[plugins]]\nname = \"x\"\n"),
              StartsWith("awsd.toml:2: plugins: unknown table"));
}

TEST(DaemonConfigTest, KnownTableAsArrayOfTablesIsWrongType) {
  EXPECT_EQ(ErrorOf("[[server]]\nsocket = \"/a\"\n"),
            "awsd.toml:1: server: must be a table, got an array");
}

TEST(DaemonConfigTest, KnownTableAsValueIsWrongType) {
  EXPECT_EQ(ErrorOf("# x\nlimits = 5\n"),
            "awsd.toml:2: limits: must be a table, got an integer");
}

TEST(DaemonConfigTest, UnknownKeySuggestsCloseMatch) {
  EXPECT_EQ(ErrorOf("# awsd\n[server]\nsockt = \"/run/awsd.sock\"\n"),
            "awsd.toml:3: server.sockt: unknown key (did you mean 'socket'?)");
}

TEST(DaemonConfigTest, UnknownKeySuggestsTransposition) {
  EXPECT_EQ(ErrorOf("[logging]\nlevle = \"info\"\n"),
            "awsd.toml:2: logging.levle: unknown key (did you mean 'level'?)");
}

TEST(DaemonConfigTest, UnknownKeySuggestsForStructFieldSpellings) {
  EXPECT_EQ(ErrorOf("[server]\nsocket_path = \"/a\"\n"),
            "awsd.toml:2: server.socket_path: unknown key (did you mean "
            "'socket'?)");
  EXPECT_EQ(ErrorOf("[logging]\nlog_level = \"info\"\n"),
            "awsd.toml:2: logging.log_level: unknown key (did you mean "
            "'level'?)");
  EXPECT_EQ(ErrorOf("[server]\ndrain_timeout = 5\n"),
            "awsd.toml:2: server.drain_timeout: unknown key (did you mean "
            "'drain_timeout_ms'?)");
  EXPECT_EQ(ErrorOf("[models]\nmodel_dirs = []\n"),
            "awsd.toml:2: models.model_dirs: unknown key (did you mean "
            "'dirs'?)");
}

TEST(DaemonConfigTest, KeyUnderWrongTableNamesItsTable) {
  EXPECT_EQ(ErrorOf("[server]\nlevel = \"debug\"\n"),
            "awsd.toml:2: server.level: unknown key (did you mean "
            "'logging.level'?)");
}

TEST(DaemonConfigTest, UnknownKeyWithoutMatchListsKnownKeys) {
  EXPECT_EQ(ErrorOf("[limits]\nqps = 5\n"),
            "awsd.toml:2: limits.qps: unknown key (known keys: "
            "'max_message_bytes', 'max_concurrent_calls')");
}

TEST(DaemonConfigTest, KeyAboveFirstTableIsRejected) {
  EXPECT_EQ(ErrorOf("socket = \"/a\"\n[server]\n"),
            "awsd.toml:1: socket: unknown key at the top level; keys belong "
            "in a table (did you mean 'server.socket'?)");
}

TEST(DaemonConfigTest, UnknownSubtableIsAnUnknownKey) {
  EXPECT_THAT(ErrorOf("[server]\n\n[server.tls]\ncert = \"/x\"\n"),
              StartsWith("awsd.toml:3: server.tls: unknown key"));
}

TEST(DaemonConfigTest, OddKeyIsQuotedInMessage) {
  EXPECT_THAT(ErrorOf("[server]\n\"a b\\n\" = 1\n"),
              StartsWith("awsd.toml:2: server.\"a b\\x0a\": unknown key"));
}

// -------------------------------------------------------------- wrong types

TEST(DaemonConfigTest, StringWhereIntegerExpected) {
  EXPECT_EQ(ErrorOf("[server]\ndrain_timeout_ms = \"10s\"\n"),
            "awsd.toml:2: server.drain_timeout_ms: must be an integer, got a "
            "string");
}

TEST(DaemonConfigTest, FloatWhereIntegerExpected) {
  EXPECT_EQ(ErrorOf("[limits]\n\nmax_message_bytes = 1.5e6\n"),
            "awsd.toml:3: limits.max_message_bytes: must be an integer, got a "
            "float");
}

TEST(DaemonConfigTest, IntegerWhereStringExpected) {
  EXPECT_EQ(ErrorOf("[server]\nsocket = 5\n"),
            "awsd.toml:2: server.socket: must be a string, got an integer");
  EXPECT_EQ(ErrorOf("[logging]\nlevel = 3\n"),
            "awsd.toml:2: logging.level: must be a string, got an integer");
  EXPECT_EQ(ErrorOf("[server]\nsocket_group = 1000\n"),
            "awsd.toml:2: server.socket_group: must be a string, got an "
            "integer");
}

TEST(DaemonConfigTest, BooleanWhereModeExpected) {
  EXPECT_EQ(ErrorOf("[server]\nsocket_mode = true\n"),
            "awsd.toml:2: server.socket_mode: must be an octal mode string "
            "such as \"0600\", got a boolean");
}

TEST(DaemonConfigTest, StringWhereArrayExpected) {
  EXPECT_EQ(ErrorOf("[models]\ndirs = \"/opt/models\"\n"),
            "awsd.toml:2: models.dirs: must be an array of strings, got a "
            "string");
}

TEST(DaemonConfigTest, WrongTypeInsideArrayNamesElementAndLine) {
  EXPECT_EQ(ErrorOf("[models]\ndirs = [\n  \"/a\",\n  7,\n]\n"),
            "awsd.toml:4: models.dirs[1]: must be a string, got an integer");
}

// ------------------------------------------------------------ out of range

TEST(DaemonConfigTest, MaxConcurrentCallsZero) {
  EXPECT_EQ(ErrorOf("[server]\n\n\n\n\n[limits]\nmax_concurrent_calls = 0\n"),
            "awsd.toml:7: limits.max_concurrent_calls: must be between 1 and "
            "1000000, got 0");
}

TEST(DaemonConfigTest, MaxConcurrentCallsTooHigh) {
  EXPECT_EQ(ErrorOf("[limits]\nmax_concurrent_calls = 1000001\n"),
            "awsd.toml:2: limits.max_concurrent_calls: must be between 1 and "
            "1000000, got 1000001");
}

TEST(DaemonConfigTest, MaxMessageBytesOutOfRange) {
  EXPECT_EQ(ErrorOf("[limits]\nmax_message_bytes = 1023\n"),
            "awsd.toml:2: limits.max_message_bytes: must be between 1024 and "
            "1073741824, got 1023");
  EXPECT_EQ(ErrorOf("[limits]\nmax_message_bytes = 1073741825\n"),
            "awsd.toml:2: limits.max_message_bytes: must be between 1024 and "
            "1073741824, got 1073741825");
}

TEST(DaemonConfigTest, HugeIntegerDoesNotWrapIntoRange) {
  // 2^32 + 16 would be 16 if narrowed to uint32_t before checking.
  EXPECT_THAT(ErrorOf("[limits]\nmax_concurrent_calls = 4294967312\n"),
              StartsWith("awsd.toml:2: limits.max_concurrent_calls: must be "
                         "between"));
}

TEST(DaemonConfigTest, DrainTimeoutOutOfRange) {
  EXPECT_EQ(ErrorOf("[server]\ndrain_timeout_ms = -1\n"),
            "awsd.toml:2: server.drain_timeout_ms: must be between 0 and "
            "3600000, got -1");
  EXPECT_EQ(ErrorOf("[server]\ndrain_timeout_ms = 3600001\n"),
            "awsd.toml:2: server.drain_timeout_ms: must be between 0 and "
            "3600000, got 3600001");
}

// ------------------------------------------------------------------- modes

TEST(DaemonConfigTest, ModeNotOctal) {
  EXPECT_EQ(ErrorOf("[server]\nsocket_mode = \"rw-rw----\"\n"),
            "awsd.toml:2: server.socket_mode: must be an octal mode string of "
            "3 to 5 digits such as \"0600\", got \"rw-rw----\"");
  EXPECT_THAT(ErrorOf("[server]\nsocket_mode = \"0680\"\n"),
              StartsWith("awsd.toml:2: server.socket_mode: must be an octal "
                         "mode string"));
  EXPECT_THAT(ErrorOf("[server]\ndirectory_mode = \"70\"\n"),
              StartsWith("awsd.toml:2: server.directory_mode: must be an "
                         "octal mode string"));
  EXPECT_THAT(ErrorOf("[server]\nsocket_mode = \"0o600\"\n"),
              StartsWith("awsd.toml:2: server.socket_mode: must be an octal "
                         "mode string"));
  EXPECT_THAT(ErrorOf("[server]\nsocket_mode = \"\"\n"),
              StartsWith("awsd.toml:2: server.socket_mode: must be an octal "
                         "mode string"));
}

TEST(DaemonConfigTest, DecimalIntegerModeIsRefused) {
  EXPECT_EQ(ErrorOf("[server]\nsocket_mode = 600\n"),
            "awsd.toml:2: server.socket_mode: must be an octal mode string "
            "such as \"0600\" (or an octal integer such as 0o600), got the "
            "decimal integer 600");
}

TEST(DaemonConfigTest, SocketModeAboveMaxIsRefused) {
  EXPECT_EQ(ErrorOf("[server]\nsocket_mode = \"4777\"\n"),
            "awsd.toml:2: server.socket_mode: must be at most 0777, got "
            "\"4777\"");
  EXPECT_EQ(ErrorOf("[server]\nsocket_mode = 0o1777\n"),
            "awsd.toml:2: server.socket_mode: must be at most 0777, got 01777");
  EXPECT_EQ(ErrorOf("[server]\ndirectory_mode = \"17777\"\n"),
            "awsd.toml:2: server.directory_mode: must be at most 07777, got "
            "\"17777\"");
}

TEST(DaemonConfigTest, DirectoryModeMustLetOwnerCreateTheSocket) {
  EXPECT_EQ(ErrorOf("[server]\ndirectory_mode = \"0500\"\n"),
            "awsd.toml:2: server.directory_mode: must give the owner write "
            "and search permission (0300) so awsd can create its socket "
            "there, got 0500");
}

// ------------------------------------------------------- log level / format

TEST(DaemonConfigTest, BadLogLevel) {
  EXPECT_EQ(ErrorOf("[logging]\nlevel = \"verbose\"\n"),
            "awsd.toml:2: logging.level: must be one of trace, debug, info, "
            "warn, error, got \"verbose\"");
}

TEST(DaemonConfigTest, BadLogLevelSuggestsCloseMatch) {
  EXPECT_THAT(ErrorOf("[logging]\nlevel = \"warning\"\n"),
              AllOf(StartsWith("awsd.toml:2: logging.level: must be one of"),
                    HasSubstr("(did you mean 'warn'?)")));
  // Levels are case-sensitive, as spdlog's are, but the hint helps.
  EXPECT_THAT(ErrorOf("[logging]\nlevel = \"INFO\"\n"),
              HasSubstr("(did you mean 'info'?)"));
}

TEST(DaemonConfigTest, BadLogFormat) {
  EXPECT_EQ(ErrorOf("[logging]\nformat = \"yaml\"\n"),
            "awsd.toml:2: logging.format: must be one of text, json, got "
            "\"yaml\"");
  EXPECT_THAT(ErrorOf("[logging]\nformat = \"jsno\"\n"),
              HasSubstr("(did you mean 'json'?)"));
}

// ------------------------------------------------------------------- paths

TEST(DaemonConfigTest, EmptySocketPath) {
  EXPECT_EQ(ErrorOf("[server]\nsocket = \"\"\n"),
            "awsd.toml:2: server.socket: must not be empty (leave the key out "
            "to use the default location)");
}

TEST(DaemonConfigTest, RelativeSocketPath) {
  EXPECT_EQ(ErrorOf("[server]\nsocket = \"run/awsd.sock\"\n"),
            "awsd.toml:2: server.socket: must be an absolute path, got "
            "\"run/awsd.sock\"");
  EXPECT_THAT(ErrorOf("[server]\nsocket = \"~/awsd.sock\"\n"),
              StartsWith("awsd.toml:2: server.socket: must be an absolute "
                         "path"));
}

TEST(DaemonConfigTest, SocketPathLongerThanSunPath) {
  const std::string ok_path = "/" + std::string(106, 'a');  // 107 bytes
  EXPECT_EQ(ParseOk("[server]\nsocket = \"" + ok_path + "\"\n").socket_path,
            ok_path);
  EXPECT_EQ(ErrorOf("[server]\nsocket = \"" + ok_path + "b\"\n"),
            "awsd.toml:2: server.socket: must be at most 107 bytes long (the "
            "limit of a Unix socket address), got 108");
}

TEST(DaemonConfigTest, PathWithNulIsRefused) {
  EXPECT_EQ(ErrorOf("[server]\nsocket = \"/run/a\\u0000b\"\n"),
            "awsd.toml:2: server.socket: must not contain a NUL character");
}

TEST(DaemonConfigTest, EmptySocketGroup) {
  EXPECT_EQ(ErrorOf("[server]\nsocket_group = \"\"\n"),
            "awsd.toml:2: server.socket_group: must not be empty (leave the "
            "key out to keep awsd's own group)");
}

TEST(DaemonConfigTest, LogFileMustBeAbsoluteAndNonEmpty) {
  EXPECT_EQ(ErrorOf("[logging]\nfile = \"\"\n"),
            "awsd.toml:2: logging.file: must not be empty (leave the key out "
            "to log to stderr)");
  EXPECT_EQ(ErrorOf("[logging]\nfile = \"awsd.log\"\n"),
            "awsd.toml:2: logging.file: must be an absolute path, got "
            "\"awsd.log\"");
}

TEST(DaemonConfigTest, ModelDirsMustBeAbsolute) {
  EXPECT_EQ(ErrorOf("[models]\ndirs = [\"/ok\", \"models\"]\n"),
            "awsd.toml:2: models.dirs[1]: must be an absolute path, got "
            "\"models\"");
  EXPECT_EQ(ErrorOf("[models]\ndirs = [\"\"]\n"),
            "awsd.toml:2: models.dirs[0]: must not be empty");
}

// ------------------------------------------------------------ many errors

TEST(DaemonConfigTest, EveryProblemIsReportedInLineOrder) {
  // toml++ keeps a table's keys sorted by name, not by line; the report
  // must still read top to bottom.
  EXPECT_EQ(ErrorOf("[server]\n"
                    "socket_mode = \"9\"\n"
                    "drain_timeout_ms = -5\n"
                    "[limits]\n"
                    "max_concurrent_calls = 0\n"
                    "[bogus]\n"),
            "awsd.toml:2: server.socket_mode: must be an octal mode string of "
            "3 to 5 digits such as \"0600\", got \"9\"\n"
            "awsd.toml:3: server.drain_timeout_ms: must be between 0 and "
            "3600000, got -5\n"
            "awsd.toml:5: limits.max_concurrent_calls: must be between 1 and "
            "1000000, got 0\n"
            "awsd.toml:6: bogus: unknown table (known tables: 'server', "
            "'logging', 'models', 'limits', 'http', 'policy', 'audit', 'caller_limits', 'secrets', 'compat', "
            "'metrics')");
}

TEST(DaemonConfigTest, InvalidValueLeavesNoPartialConfig) {
  // One bad key fails the whole file; nothing half-applied escapes.
  absl::StatusOr<DaemonConfig> config = ParseDaemonConfig(
      "[logging]\nlevel = \"debug\"\n[limits]\nmax_concurrent_calls = 0\n",
      kOrigin);
  EXPECT_FALSE(config.ok());
}

// ---------------------------------------------------------------- loading

class LoadDaemonConfigTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("daemon_config_test." + std::to_string(::getpid()) + "." +
            testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(std::string_view name, std::string_view text) {
    const std::filesystem::path path = dir_ / name;
    std::ofstream(path) << text;
    return path;
  }

  std::filesystem::path dir_;
};

TEST_F(LoadDaemonConfigTest, LoadsAFile) {
  const std::string path =
      Write("awsd.toml", "[limits]\nmax_concurrent_calls = 8\n");
  absl::StatusOr<DaemonConfig> config = LoadDaemonConfig(path);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->max_concurrent_calls, 8u);
}

TEST_F(LoadDaemonConfigTest, ErrorsNameThePath) {
  const std::string path =
      Write("bad.toml", "[limits]\nmax_concurrent_calls = 0\n");
  absl::StatusOr<DaemonConfig> config = LoadDaemonConfig(path);
  ASSERT_FALSE(config.ok());
  EXPECT_THAT(std::string(config.status().message()),
              StartsWith(path + ":2: limits.max_concurrent_calls: "));
}

TEST_F(LoadDaemonConfigTest, MissingFileIsNotFoundNamingIt) {
  const std::string path = (dir_ / "absent.toml").string();
  absl::StatusOr<DaemonConfig> config = LoadDaemonConfig(path);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(config.status().message()), HasSubstr(path));
}

TEST_F(LoadDaemonConfigTest, DirectoryIsRefusedNamingIt) {
  absl::StatusOr<DaemonConfig> config = LoadDaemonConfig(dir_.string());
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(config.status().message()),
              AllOf(HasSubstr(dir_.string()), HasSubstr("directory")));
}

TEST_F(LoadDaemonConfigTest, UnreadableFileIsAnErrorNamingIt) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads mode 000 files";
  const std::string path = Write("secret.toml", "");
  std::filesystem::permissions(path, std::filesystem::perms::none);
  absl::StatusOr<DaemonConfig> config = LoadDaemonConfig(path);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(std::string(config.status().message()), HasSubstr(path));
}

TEST_F(LoadDaemonConfigTest, OversizedFileIsRefused) {
  const std::string path = Write("big.toml", std::string(2 * 1024 * 1024, '#'));
  absl::StatusOr<DaemonConfig> config = LoadDaemonConfig(path);
  ASSERT_FALSE(config.ok());
  EXPECT_THAT(std::string(config.status().message()),
              AllOf(StartsWith(path + ": "), HasSubstr("larger than")));
}

TEST_F(LoadDaemonConfigTest, SyntaxErrorNamesPathLineAndColumn) {
  const std::string path = Write("syntax.toml", "[server\n");
  absl::StatusOr<DaemonConfig> config = LoadDaemonConfig(path);
  ASSERT_FALSE(config.ok());
  EXPECT_THAT(std::string(config.status().message()), StartsWith(path + ":1:"));
  EXPECT_THAT(std::string(config.status().message()), Not(HasSubstr("\n")));
}

// ------------------------------------------------ [secrets] and [compat.*]

TEST(DaemonConfigTest, SecretsAndCompatTablesAreRead) {
  const DaemonConfig config = ParseOk(R"(
[secrets]
core_dumps = true
lock_memory = false

[compat.container]
port = 8299
[[compat.container.profile]]
name = "dev"
token_file = "/etc/awsd/tokens/dev"
[[compat.container.profile]]
name = "ops"
token_file = "/etc/awsd/tokens/ops"

[compat.imds]
port = 8298
profile = "ops"

[compat.credential_process]
allow_export = true
)");
  EXPECT_TRUE(config.secrets_core_dumps);
  EXPECT_FALSE(config.secrets_lock_memory);
  EXPECT_EQ(config.compat_container_port, 8299);
  ASSERT_EQ(config.compat_container_profiles.size(), 2u);
  EXPECT_EQ(config.compat_container_profiles[1].name, "ops");
  EXPECT_EQ(config.compat_container_profiles[1].token_file, "/etc/awsd/tokens/ops");
  EXPECT_EQ(config.compat_imds_port, 8298);
  EXPECT_EQ(config.compat_imds_profile, "ops");
  EXPECT_TRUE(config.compat_allow_export);
}

TEST(DaemonConfigTest, CompatMistakesAreNamed) {
  EXPECT_THAT(ErrorOf("[compat.container]\nport = 0\n"), HasSubstr("compat.container.port: must be between 1"));
  EXPECT_THAT(ErrorOf("[[compat.container.profile]]\nname = \"dev\"\n"), HasSubstr("needs both name and token_file"));
  EXPECT_THAT(ErrorOf("[[compat.container.profile]]\nname = \"dev\"\ntoken_file = \"rel\"\n"),
              HasSubstr("must be an absolute path"));
  EXPECT_THAT(ErrorOf("[compat.imds]\nprot = 1\n"), HasSubstr("did you mean 'port'"));
  EXPECT_THAT(ErrorOf("[compat]\nimsd = {}\n"), HasSubstr("compat.imsd: unknown key"));
  EXPECT_THAT(ErrorOf("[secrets]\ncore_dumps = \"yes\"\n"), HasSubstr("secrets.core_dumps: must be a boolean"));
}

// --------------------------------------------------------------- [metrics]

TEST(DaemonConfigTest, MetricsAreOffByDefaultAndTakeASocketOrAPort) {
  const DaemonConfig off = ParseOk("[metrics]\n");
  EXPECT_FALSE(off.metrics_socket.has_value());
  EXPECT_FALSE(off.metrics_port.has_value());
  EXPECT_EQ(ParseOk("[metrics]\nsocket = \"/run/awsd/metrics.sock\"\n").metrics_socket, "/run/awsd/metrics.sock");
  EXPECT_EQ(ParseOk("[metrics]\nport = 9100\n").metrics_port, 9100);
}

TEST(DaemonConfigTest, MetricsMistakesAreNamed) {
  EXPECT_EQ(ErrorOf("[metrics]\nsocket = \"/run/m.sock\"\nport = 9100\n"),
            "awsd.toml:3: metrics.port: set either metrics.socket or metrics.port, not both");
  EXPECT_THAT(ErrorOf("[metrics]\nport = 0\n"), HasSubstr("metrics.port: must be between 1 and 65535, got 0"));
  EXPECT_THAT(ErrorOf("[metrics]\nport = 70000\n"), HasSubstr("metrics.port: must be between 1 and 65535"));
  EXPECT_THAT(ErrorOf("[metrics]\nport = \"9100\"\n"), HasSubstr("metrics.port: must be an integer"));
  EXPECT_THAT(ErrorOf("[metrics]\nsocket = \"metrics.sock\"\n"),
              HasSubstr("metrics.socket: must be an absolute path"));
  EXPECT_THAT(ErrorOf("[metrics]\nsocket = \"/" + std::string(200, 'a') + "\"\n"),
              HasSubstr("metrics.socket: must be at most"));
  EXPECT_THAT(ErrorOf("[metrics]\naddress = \"0.0.0.0:9100\"\n"), HasSubstr("metrics.address: unknown key"));
  EXPECT_THAT(ErrorOf("[metrics]\nprot = 9100\n"), HasSubstr("did you mean 'port'"));
  EXPECT_THAT(ErrorOf("metrics = 1\n"), HasSubstr("metrics: must be a table"));
}

}  // namespace
}  // namespace awsd::app
