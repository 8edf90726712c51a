#include "cli/arguments/operation_arguments.h"

#include <absl/strings/escaping.h>
#include <absl/strings/str_cat.h>
#include <absl/strings/str_join.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>
#include <vector>

#include "cli/arguments/python_json.h"
#include "awsd/xform_name.h"

namespace awsd::cli {
namespace {

using Json = nlohmann::ordered_json;

// awscli/paramfile.py PARAMFILE_DISABLED: "<endpoint prefix>.<operation>.<param>".
const std::set<std::string>& ParamfileDisabled() {
  static const auto* names = new std::set<std::string>{
      "api-gateway.put-integration.uri",
      "api-gateway.create-integration.integration-uri",
      "api-gateway.update-integration.integration-uri",
      "api-gateway.create-api.target",
      "api-gateway.update-api.target",
      "appstream.create-stack.redirect-url",
      "appstream.create-stack.feedback-url",
      "appstream.update-stack.redirect-url",
      "appstream.update-stack.feedback-url",
      "cloudformation.create-stack.template-url",
      "cloudformation.update-stack.template-url",
      "cloudformation.create-stack-set.template-url",
      "cloudformation.update-stack-set.template-url",
      "cloudformation.create-change-set.template-url",
      "cloudformation.validate-template.template-url",
      "cloudformation.estimate-template-cost.template-url",
      "cloudformation.get-template-summary.template-url",
      "cloudformation.create-stack.stack-policy-url",
      "cloudformation.update-stack.stack-policy-url",
      "cloudformation.set-stack-policy.stack-policy-url",
      "custom.package.template-file",
      "custom.deploy.template-file",
      "cloudformation.update-stack.stack-policy-during-update-url",
      "cloudformation.register-type.schema-handler-package",
      "custom.cp.website-redirect",
      "custom.mv.website-redirect",
      "custom.sync.website-redirect",
      "guardduty.create-ip-set.location",
      "guardduty.update-ip-set.location",
      "guardduty.create-threat-intel-set.location",
      "guardduty.update-threat-intel-set.location",
      "comprehend.detect-dominant-language.text",
      "comprehend.batch-detect-dominant-language.text-list",
      "comprehend.detect-entities.text",
      "comprehend.batch-detect-entities.text-list",
      "comprehend.detect-key-phrases.text",
      "comprehend.batch-detect-key-phrases.text-list",
      "comprehend.detect-sentiment.text",
      "comprehend.batch-detect-sentiment.text-list",
      "emr.create-studio.idp-auth-url",
      "iam.create-open-id-connect-provider.url",
      "machine-learning.predict.predict-endpoint",
      "mediatailor.put-playback-configuration.ad-decision-server-url",
      "mediatailor.put-playback-configuration.slate-ad-url",
      "mediatailor.put-playback-configuration.video-content-source-url",
      "rds.copy-db-cluster-snapshot.pre-signed-url",
      "rds.create-db-cluster.pre-signed-url",
      "rds.copy-db-snapshot.pre-signed-url",
      "rds.create-db-instance-read-replica.pre-signed-url",
      "sagemaker.create-notebook-instance.default-code-repository",
      "sagemaker.create-notebook-instance.additional-code-repositories",
      "sagemaker.update-notebook-instance.default-code-repository",
      "sagemaker.update-notebook-instance.additional-code-repositories",
      "serverlessapplicationrepository.create-application.home-page-url",
      "serverlessapplicationrepository.create-application.license-url",
      "serverlessapplicationrepository.create-application.readme-url",
      "serverlessapplicationrepository.create-application.source-code-url",
      "serverlessapplicationrepository.create-application.template-url",
      "serverlessapplicationrepository.create-application-version.source-code-url",
      "serverlessapplicationrepository.create-application-version.template-url",
      "serverlessapplicationrepository.update-application.home-page-url",
      "serverlessapplicationrepository.update-application.readme-url",
      "service-catalog.create-product.support-url",
      "service-catalog.update-product.support-url",
      "ses.create-custom-verification-email-template.failure-redirection-url",
      "ses.create-custom-verification-email-template.success-redirection-url",
      "ses.put-account-details.website-url",
      "ses.update-custom-verification-email-template.failure-redirection-url",
      "ses.update-custom-verification-email-template.success-redirection-url",
      "sqs.add-permission.queue-url",
      "sqs.change-message-visibility.queue-url",
      "sqs.change-message-visibility-batch.queue-url",
      "sqs.delete-message.queue-url",
      "sqs.delete-message-batch.queue-url",
      "sqs.delete-queue.queue-url",
      "sqs.get-queue-attributes.queue-url",
      "sqs.list-dead-letter-source-queues.queue-url",
      "sqs.receive-message.queue-url",
      "sqs.remove-permission.queue-url",
      "sqs.send-message.queue-url",
      "sqs.send-message-batch.queue-url",
      "sqs.set-queue-attributes.queue-url",
      "sqs.purge-queue.queue-url",
      "sqs.list-queue-tags.queue-url",
      "sqs.tag-queue.queue-url",
      "sqs.untag-queue.queue-url",
      "s3.copy-object.website-redirect-location",
      "s3.create-multipart-upload.website-redirect-location",
      "s3.put-object.website-redirect-location",
      "sns.subscribe.notification-endpoint",
      "iot.create-job.document-source",
      "translate.translate-text.text",
      "workdocs.create-notification-subscription.notification-endpoint",
  };
  return *names;
}

absl::Status UsageError(std::string message) { return absl::InvalidArgumentError(std::move(message)); }
absl::Status ParamError(const std::string& cli_name, const std::string& message) {
  return absl::InvalidArgumentError(absl::StrCat("Error parsing parameter '", cli_name, "': ", message));
}

// Python's repr() of a str, for argparse's messages ("invalid int value: 'x'").
std::string PyQuote(const std::string& s) {
  bool has_single = s.find('\'') != std::string::npos;
  bool has_double = s.find('"') != std::string::npos;
  char quote = has_single && !has_double ? '"' : '\'';
  std::string out(1, quote);
  for (char c : s) {
    if (c == quote || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(c));
      out += buf;
    } else {
      out += c;
    }
  }
  return out + quote;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string Strip(const std::string& s) {
  std::size_t b = 0, e = s.size();
  while (b < e && IsSpace(s[b])) ++b;
  while (e > b && IsSpace(s[e - 1])) --e;
  return s.substr(b, e - b);
}

std::string LStrip(const std::string& s) {
  std::size_t b = 0;
  while (b < s.size() && IsSpace(s[b])) ++b;
  return s.substr(b);
}

// Digits with single underscores between them, as Python's int() and
// float() accept; the underscores removed.
std::optional<std::string> Digits(const std::string& s) {
  if (s.empty() || s.front() == '_' || s.back() == '_') return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '_') {
      if (s[i + 1] == '_') return std::nullopt;
      continue;
    }
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    out += s[i];
  }
  return out;
}

// Python's int(text).
std::optional<Json> PyInt(const std::string& text) {
  std::string s = Strip(text);
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s = s.substr(1);
  }
  auto digits = Digits(s);
  if (!digits) return std::nullopt;
  errno = 0;
  unsigned long long magnitude = std::strtoull(digits->c_str(), nullptr, 10);
  if (errno == ERANGE || (negative && magnitude > 9223372036854775808ULL)) {
    return Json(std::strtod((negative ? "-" + *digits : *digits).c_str(), nullptr));
  }
  if (!negative) return Json(static_cast<std::uint64_t>(magnitude));
  if (magnitude == 9223372036854775808ULL) return Json(std::numeric_limits<std::int64_t>::min());
  return Json(-static_cast<std::int64_t>(magnitude));
}

// Python's float(text).
std::optional<double> PyFloat(const std::string& text) {
  std::string s = Strip(text);
  std::string body = s;
  double sign = 1;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
    sign = body[0] == '-' ? -1 : 1;
    body = body.substr(1);
  }
  std::string lower;
  for (char c : body) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "inf" || lower == "infinity") return sign * HUGE_VAL;
  if (lower == "nan") return std::nan("");
  // [digits][.digits][e[+-]digits], at least one digit in the mantissa.
  std::size_t e = lower.find('e');
  std::string mantissa = lower.substr(0, e);
  std::string exponent = e == std::string::npos ? "" : lower.substr(e + 1);
  std::size_t dot = mantissa.find('.');
  std::string int_part = mantissa.substr(0, dot);
  std::string frac_part = dot == std::string::npos ? "" : mantissa.substr(dot + 1);
  if (int_part.empty() && frac_part.empty()) return std::nullopt;
  std::string clean;
  if (!int_part.empty()) {
    auto d = Digits(int_part);
    if (!d) return std::nullopt;
    clean += *d;
  }
  clean += '.';
  if (!frac_part.empty()) {
    auto d = Digits(frac_part);
    if (!d) return std::nullopt;
    clean += *d;
  }
  if (e != std::string::npos) {
    std::string exp_body = exponent;
    std::string exp_sign;
    if (!exp_body.empty() && (exp_body[0] == '+' || exp_body[0] == '-')) {
      exp_sign = exp_body.substr(0, 1);
      exp_body = exp_body.substr(1);
    }
    auto d = Digits(exp_body);
    if (!d) return std::nullopt;
    clean += "e" + exp_sign + *d;
  }
  return sign * std::strtod(clean.c_str(), nullptr);
}

// os.path.expandvars(os.path.expanduser(path)) with "~" for the home folder.
std::string ExpandPath(const std::string& path, bool vars_first) {
  auto expand_user = [](const std::string& p) -> std::string {
    if (p.empty() || p[0] != '~') return p;
    std::size_t slash = p.find('/');
    if (slash != 1 && !(slash == std::string::npos && p.size() == 1)) return p;  // ~user: left as is.
    const char* home = std::getenv("HOME");
    if (home == nullptr) return p;
    std::string h = home;
    while (h.size() > 1 && h.back() == '/') h.pop_back();
    return h + p.substr(1);
  };
  auto expand_vars = [](const std::string& p) {
    std::string out;
    std::size_t i = 0;
    auto is_name = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
    while (i < p.size()) {
      if (p[i] != '$') {
        out += p[i++];
        continue;
      }
      std::size_t start = i + 1;
      std::string name;
      std::size_t end;
      if (start < p.size() && p[start] == '{') {
        std::size_t close = p.find('}', start + 1);
        if (close == std::string::npos) {
          out += p[i++];
          continue;
        }
        name = p.substr(start + 1, close - start - 1);
        end = close + 1;
      } else {
        end = start;
        while (end < p.size() && is_name(p[end])) ++end;
        name = p.substr(start, end - start);
      }
      const char* value = name.empty() ? nullptr : std::getenv(name.c_str());
      if (value == nullptr) {
        out += p.substr(i, end - i);
      } else {
        out += value;
      }
      if (end == i) ++end;
      i = end;
    }
    return out;
  };
  return vars_first ? expand_user(expand_vars(path)) : expand_vars(expand_user(path));
}

bool IsValidUtf8(const std::string& s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    int extra = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xE ? 2 : (c >> 3) == 0x1E ? 3 : -1;
    if (extra < 0 || i + extra >= s.size() + (extra == 0 ? 1 : 0)) {
      if (extra != 0) return false;
    }
    for (int k = 1; k <= extra; ++k) {
      if (i + k >= s.size() || (static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += extra + 1;
  }
  return true;
}

// A value as argparse left it, then as paramfile.py loaded it.
struct Value {
  enum class Kind { kString, kBytes, kList, kBool };
  Kind kind = Kind::kString;
  std::string text;  // kString, kBytes
  std::vector<std::string> list;
  bool flag = false;

  static Value String(std::string s) {
    Value v;
    v.text = std::move(s);
    return v;
  }
  static Value Bytes(std::string s) {
    Value v;
    v.kind = Kind::kBytes;
    v.text = std::move(s);
    return v;
  }
  static Value List(std::vector<std::string> items) {
    Value v;
    v.kind = Kind::kList;
    v.list = std::move(items);
    return v;
  }
  static Value Bool(bool b) {
    Value v;
    v.kind = Kind::kBool;
    v.flag = b;
    return v;
  }
};

enum class Nargs { kOne, kAny, kZero };

enum class ArgKind { kMember, kBooleanMember, kOutfile, kStartingToken, kPageSize, kMaxItems, kCliInputJson };

struct Argument {
  std::string name;  // "bucket", "no-enabled", "outfile"
  std::string dest;  // argparse's dest: "bucket", "enabled"
  ArgKind kind = ArgKind::kMember;
  const MemberSchema* member = nullptr;
  Nargs nargs = Nargs::kOne;
  bool store_value = true;  // for booleans: store_true or store_false
  bool required = false;
  // argparse's type= conversion: "" (str), "int", "float".
  std::string parse_type;
  std::string limit_type;  // the page arguments' type (integer, long, string)
  bool positional = false;
  std::string cli_name() const { return positional ? name : "--" + name; }
};

std::string DestOf(const std::string& name) {
  std::string dest = name;
  std::replace(dest.begin(), dest.end(), '-', '_');
  return dest;
}

Argument Custom(const std::string& name, ArgKind kind, const std::string& parse_type = "",
                const std::string& limit_type = "") {
  Argument arg;
  arg.name = name;
  arg.dest = DestOf(name);
  arg.kind = kind;
  arg.parse_type = parse_type;
  arg.limit_type = limit_type;
  return arg;
}

bool IsScalarType(const std::string& type) { return type != "structure" && type != "list" && type != "map"; }

// The argument table, in the CLI's order: the members, the streaming outfile,
// the paging arguments (shadowing members of the same name) and
// --cli-input-json.
std::vector<Argument> BuildArgumentTable(const OperationSchema& schema, std::vector<Argument>& shadowed) {
  std::vector<Argument> table;
  for (const MemberSchema& member : schema.input) {
    Argument arg;
    arg.name = XformName(member.name, '-');
    arg.dest = DestOf(arg.name);
    arg.member = &member;
    arg.required = member.required;
    if (member.type == "boolean" && !member.document) {
      arg.kind = ArgKind::kBooleanMember;
      arg.nargs = Nargs::kZero;
      arg.required = false;
      table.push_back(arg);
      Argument negative = arg;
      negative.name = "no-" + arg.name;
      negative.store_value = false;
      table.push_back(negative);
      continue;
    }
    if (member.type == "list") arg.nargs = Nargs::kAny;
    if (member.type == "long") arg.parse_type = "int";
    if (member.type == "float" || member.type == "double") arg.parse_type = "float";
    table.push_back(arg);
  }
  if (schema.streaming_output) {
    Argument outfile;
    outfile.name = "outfile";
    outfile.dest = "outfile";
    outfile.kind = ArgKind::kOutfile;
    outfile.positional = true;
    outfile.required = true;
    table.push_back(outfile);
  }
  if (schema.paginated) {
    auto add_paging = [&](Argument arg) {
      for (Argument& existing : table) {
        if (existing.name == arg.name) {
          shadowed.push_back(existing);
          existing = arg;
          return;
        }
      }
      table.push_back(arg);
    };
    std::string type = "integer";
    if (!schema.paginator_limit_key.empty()) {
      for (const MemberSchema& member : schema.input) {
        if (member.name == schema.paginator_limit_key) type = member.type;
      }
    }
    add_paging(Custom("starting-token", ArgKind::kStartingToken));
    std::string parse_type = type == "string" ? "" : "int";
    if (!schema.paginator_limit_key.empty()) {
      add_paging(Custom("page-size", ArgKind::kPageSize, parse_type, type));
    }
    add_paging(Custom("max-items", ArgKind::kMaxItems, parse_type, type));
  }
  table.push_back(Custom("cli-input-json", ArgKind::kCliInputJson));
  return table;
}

// argparse's type conversion of one string.
absl::Status Convert(const Argument& arg, const std::string& text) {
  if (arg.parse_type == "int" && !PyInt(text)) {
    return UsageError(absl::StrCat("argument ", arg.cli_name(), ": invalid int value: ", PyQuote(text)));
  }
  if (arg.parse_type == "float" && !PyFloat(text)) {
    return UsageError(absl::StrCat("argument ", arg.cli_name(), ": invalid float value: ", PyQuote(text)));
  }
  return absl::OkStatus();
}

// One command-line word as argparse classifies it.
struct Word {
  bool is_option = false;
  int action = -1;  // index in the table; -1 for an unknown option
  std::optional<std::string> explicit_arg;
};

Word Option(int action, std::optional<std::string> explicit_arg = std::nullopt) {
  Word word;
  word.is_option = true;
  word.action = action;
  word.explicit_arg = std::move(explicit_arg);
  return word;
}

class Parser {
 public:
  Parser(std::vector<Argument>& table, std::span<const std::string> args) : table_(table), args_(args) {}

  absl::Status Parse() {
    // The option strings, in the parser's order (for abbreviations).
    for (std::size_t i = 0; i < table_.size(); ++i) {
      if (!table_[i].positional) options_.emplace_back("--" + table_[i].name, static_cast<int>(i));
    }
    options_.emplace_back("--no-paginate", kNoPaginate);
    for (std::size_t i = 0; i < table_.size(); ++i) {
      if (table_[i].positional) positionals_.push_back(static_cast<int>(i));
    }
    positionals_.push_back(kHelp);

    bool all_positional = false;
    for (const std::string& arg : args_) {
      if (all_positional) {
        pattern_ += 'A';
        words_.push_back({});
        continue;
      }
      if (arg == "--") {
        pattern_ += '-';
        words_.push_back({});
        all_positional = true;
        continue;
      }
      auto word = Classify(arg);
      if (!word.ok()) return word.status();
      pattern_ += word->is_option ? 'O' : 'A';
      words_.push_back(*word);
    }

    std::size_t start = 0;
    int max_option = -1;
    for (std::size_t i = 0; i < pattern_.size(); ++i) {
      if (pattern_[i] == 'O') max_option = static_cast<int>(i);
    }
    while (static_cast<int>(start) <= max_option) {
      std::size_t next_option = start;
      while (pattern_[next_option] != 'O') ++next_option;
      if (start != next_option) {
        auto end = ConsumePositionals(start);
        if (!end.ok()) return end.status();
        if (*end > start) {
          start = *end;
          continue;
        }
        start = *end;
      }
      if (pattern_[start] != 'O') {
        for (std::size_t i = start; i < next_option; ++i) extras_.push_back(args_[i]);
        start = next_option;
      }
      auto end = ConsumeOptional(start);
      if (!end.ok()) return end.status();
      start = *end;
    }
    auto stop = ConsumePositionals(start);
    if (!stop.ok()) return stop.status();
    for (std::size_t i = *stop; i < args_.size(); ++i) extras_.push_back(args_[i]);

    std::vector<std::string> missing;
    for (std::size_t i = 0; i < table_.size(); ++i) {
      if (table_[i].required && !seen_.contains(static_cast<int>(i))) missing.push_back(table_[i].cli_name());
    }
    if (!missing.empty()) {
      return UsageError("the following arguments are required: " + absl::StrJoin(missing, ", "));
    }
    return absl::OkStatus();
  }

  static constexpr int kNoPaginate = -2;
  static constexpr int kHelp = -3;

  std::map<std::string, Value> values;  // by dest
  std::optional<std::string> help;
  bool no_paginate = false;
  std::vector<std::string> extras_;

 private:
  absl::StatusOr<Word> Classify(const std::string& arg) {
    if (arg.empty() || arg[0] != '-') return Word{};
    for (const auto& [option, index] : options_) {
      if (option == arg) return Option(index);
    }
    if (arg.size() == 1) return Word{};
    std::size_t eq = arg.find('=');
    if (eq != std::string::npos) {
      std::string option = arg.substr(0, eq);
      for (const auto& [name, index] : options_) {
        if (name == option) return Option(index, arg.substr(eq + 1));
      }
    }
    if (arg.starts_with("--")) {
      std::string prefix = eq == std::string::npos ? arg : arg.substr(0, eq);
      std::optional<std::string> explicit_arg;
      if (eq != std::string::npos) explicit_arg = arg.substr(eq + 1);
      std::vector<std::pair<std::string, int>> matches;
      for (const auto& option : options_) {
        if (option.first.starts_with(prefix)) matches.push_back(option);
      }
      if (matches.size() > 1) {
        std::vector<std::string> names;
        for (const auto& m : matches) names.push_back(m.first);
        return UsageError(absl::StrCat("ambiguous option: ", arg, " could match ", absl::StrJoin(names, ", ")));
      }
      if (matches.size() == 1) return Option(matches[0].second, explicit_arg);
    }
    // A negative number ("-5", "-.5") or a word with a space is a value.
    bool negative_number = false;
    {
      std::string rest = arg.substr(1);
      std::size_t dot = rest.find('.');
      if (dot == std::string::npos) {
        negative_number = !rest.empty() && std::all_of(rest.begin(), rest.end(), ::isdigit);
      } else {
        std::string a = rest.substr(0, dot), b = rest.substr(dot + 1);
        negative_number =
            std::all_of(a.begin(), a.end(), ::isdigit) && !b.empty() && std::all_of(b.begin(), b.end(), ::isdigit);
      }
    }
    if (negative_number) return Word{};
    if (arg.find(' ') != std::string::npos) return Word{};
    return Option(-1);
  }

  // argparse's nargs patterns against the rest of pattern_: how many words
  // each positional takes, as many positionals as can match.
  absl::StatusOr<std::size_t> ConsumePositionals(std::size_t start) {
    std::string rest = pattern_.substr(start);
    // Positionals here: "outfile" (exactly one A) then "help" (an optional A).
    std::size_t count = positionals_.size();
    std::vector<std::size_t> taken;
    for (; count > 0; --count) {
      taken.clear();
      std::size_t pos = 0;
      bool ok = true;
      for (std::size_t k = 0; k < count; ++k) {
        bool optional = positionals_[k] == kHelp;
        std::size_t begin = pos;
        while (pos < rest.size() && rest[pos] == '-') ++pos;
        if (pos < rest.size() && rest[pos] == 'A') {
          ++pos;
        } else if (!optional) {
          ok = false;
          break;
        }
        while (pos < rest.size() && rest[pos] == '-') ++pos;
        taken.push_back(pos - begin);
      }
      if (ok) break;
    }
    std::size_t index = start;
    for (std::size_t k = 0; k < count; ++k) {
      std::vector<std::string> strings;
      for (std::size_t i = index; i < index + taken[k]; ++i) {
        if (pattern_[i] == 'A') strings.push_back(args_[i]);
      }
      index += taken[k];
      int action = positionals_[k];
      if (action == kHelp) {
        if (!strings.empty()) help = strings[0];
      } else {
        const Argument& arg = table_[action];
        seen_.insert(action);
        values[arg.dest] = Value::String(strings.at(0));
      }
    }
    positionals_.erase(positionals_.begin(), positionals_.begin() + static_cast<std::ptrdiff_t>(count));
    return index;
  }

  absl::StatusOr<std::size_t> ConsumeOptional(std::size_t start) {
    const Word& word = words_[start];
    if (word.action == -1) {
      extras_.push_back(args_[start]);
      return start + 1;
    }
    if (word.action == kNoPaginate) {
      if (word.explicit_arg) {
        return UsageError(
            absl::StrCat("argument --no-paginate: ignored explicit argument ", PyQuote(*word.explicit_arg)));
      }
      no_paginate = true;
      return start + 1;
    }
    const Argument& arg = table_[word.action];
    std::vector<std::string> strings;
    std::size_t stop = start + 1;
    if (word.explicit_arg) {
      if (arg.nargs == Nargs::kZero) {
        return UsageError(
            absl::StrCat("argument ", arg.cli_name(), ": ignored explicit argument ", PyQuote(*word.explicit_arg)));
      }
      strings.push_back(*word.explicit_arg);
    } else if (arg.nargs == Nargs::kOne) {
      std::size_t pos = start + 1;
      while (pos < pattern_.size() && pattern_[pos] == '-') ++pos;
      if (pos >= pattern_.size() || pattern_[pos] != 'A') {
        return UsageError(absl::StrCat("argument ", arg.cli_name(), ": expected one argument"));
      }
      ++pos;
      while (pos < pattern_.size() && pattern_[pos] == '-') ++pos;
      for (std::size_t i = start + 1; i < pos; ++i) {
        if (pattern_[i] == 'A') strings.push_back(args_[i]);
      }
      stop = pos;
    } else if (arg.nargs == Nargs::kAny) {
      std::size_t pos = start + 1;
      while (pos < pattern_.size() && (pattern_[pos] == 'A' || pattern_[pos] == '-')) ++pos;
      for (std::size_t i = start + 1; i < pos; ++i) {
        if (pattern_[i] == 'A') strings.push_back(args_[i]);
      }
      stop = pos;
    }
    seen_.insert(word.action);
    for (const std::string& s : strings) {
      if (auto status = Convert(arg, s); !status.ok()) return status;
    }
    if (arg.nargs == Nargs::kZero) {
      values[arg.dest] = Value::Bool(arg.store_value);
    } else if (arg.nargs == Nargs::kAny) {
      values[arg.dest] = Value::List(strings);
    } else {
      values[arg.dest] = Value::String(strings[0]);
    }
    return stop;
  }

  std::vector<Argument>& table_;
  std::span<const std::string> args_;
  std::vector<std::pair<std::string, int>> options_;
  std::vector<int> positionals_;
  std::string pattern_;
  std::vector<Word> words_;
  std::set<int> seen_;
};

// paramfile.py get_paramfile for file:// and fileb://: nullopt when `value`
// names no file.
absl::StatusOr<std::optional<Value>> LoadParamFile(const std::string& value, const FileReader& files) {
  for (auto [prefix, binary] : {std::pair{"file://", false}, std::pair{"fileb://", true}}) {
    std::string_view p = prefix;
    if (!value.starts_with(p)) continue;
    std::string path = ExpandPath(value.substr(p.size()), /*vars_first=*/false);
    auto content = files(path);
    if (!content.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("Unable to load paramfile ", value, ": ", content.status().message()));
    }
    if (binary) return std::optional<Value>(Value::Bytes(*content));
    if (!IsValidUtf8(*content)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "Unable to load paramfile (", path,
          "), text contents could not be decoded.  If this is a binary file, please use the fileb:// prefix "
          "instead of the file:// prefix."));
    }
    // Text mode: universal newlines.
    std::string text;
    for (std::size_t i = 0; i < content->size(); ++i) {
      char c = (*content)[i];
      if (c == '\r') {
        text += '\n';
        if (i + 1 < content->size() && (*content)[i + 1] == '\n') ++i;
      } else {
        text += c;
      }
    }
    return std::optional<Value>(Value::String(text));
  }
  return std::optional<Value>();
}

Json BytesOrText(const Value& value) {
  return value.kind == Value::Kind::kBytes ? Json(absl::Base64Escape(value.text)) : Json(value.text);
}

absl::StatusOr<Json> UnpackJson(const std::string& text, const std::string& cli_name) {
  auto parsed = ParsePythonJson(text);
  if (!parsed.ok()) {
    return ParamError(cli_name, absl::StrCat("Invalid JSON: ", parsed.status().message(), "\nJSON received: ", text));
  }
  return *parsed;
}

// argprocess.unpack_scalar_cli_arg for a non-streaming scalar.
absl::StatusOr<Json> UnpackScalar(const std::string& type, const Value& value) {
  if (type == "integer" || type == "long") {
    auto n = PyInt(value.text);
    if (!n)
      return absl::InvalidArgumentError(absl::StrCat("invalid literal for int() with base 10: ", PyQuote(value.text)));
    return *n;
  }
  if (type == "float" || type == "double") {
    auto f = PyFloat(value.text);
    if (!f) return absl::InvalidArgumentError(absl::StrCat("could not convert string to float: ", PyQuote(value.text)));
    return Json(*f);
  }
  if (type == "boolean") {
    std::string lower;
    for (char c : value.text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (value.kind == Value::Kind::kString && lower == "false") return Json(false);
    return Json(!value.text.empty());
  }
  return BytesOrText(value);
}

absl::StatusOr<Json> UnpackMember(const std::string& type, bool document, const std::string& list_member_type,
                                  const Value& value, const std::string& cli_name);

// Passed as list_member_type when unpacking one element of a list.
constexpr char kListElement[] = "<list element>";

// For a list's members: the member's type alone is known.
absl::StatusOr<Json> UnpackListElement(const std::string& type, const std::string& text, const std::string& cli_name,
                                       bool& value_error) {
  Value v = Value::String(text);
  if (IsScalarType(type)) {
    auto scalar = UnpackScalar(type, v);
    if (!scalar.ok()) value_error = true;
    return scalar;
  }
  return UnpackMember(type, false, kListElement, v, cli_name);
}

absl::StatusOr<Json> UnpackMember(const std::string& type, bool document, const std::string& list_member_type,
                                  const Value& value, const std::string& cli_name) {
  if (document) return UnpackJson(value.text, cli_name);
  if (IsScalarType(type)) return UnpackScalar(type, value);
  if (type == "structure" || type == "map") {
    std::string stripped = LStrip(value.text);
    if (stripped.empty()) return absl::InvalidArgumentError("string index out of range");
    if (value.kind == Value::Kind::kString && stripped[0] == '{') return UnpackJson(value.text, cli_name);
    // A list's element that is not JSON (the shorthand parser only looks at
    // a list's first value).
    if (list_member_type == kListElement) return ParamError(cli_name, "Invalid JSON:\n" + value.text);
    return ParamError(
        cli_name, "awsctl does not support the AWS CLI's shorthand syntax yet; give the value as JSON: " + value.text);
  }
  // A list.
  std::vector<std::string> items;
  if (value.kind != Value::Kind::kList) {
    std::string stripped = LStrip(value.text);
    if (stripped.empty()) return absl::InvalidArgumentError("string index out of range");
    if (stripped[0] == '[') return UnpackJson(value.text, cli_name);
    // A loaded file's text is iterated as Python iterates a str.
    std::size_t i = 0;
    while (i < value.text.size()) {
      std::size_t len = 1;
      auto c = static_cast<unsigned char>(value.text[i]);
      if (c >= 0xF0) {
        len = 4;
      } else if (c >= 0xE0) {
        len = 3;
      } else if (c >= 0xC0) {
        len = 2;
      }
      items.push_back(value.text.substr(i, len));
      i += len;
    }
  } else {
    items = value.list;
    if (items.size() == 1) {
      std::string single = Strip(items[0]);
      if (!single.empty() && single[0] == '[') return UnpackJson(items[0], cli_name);
    }
    if (!items.empty() && !IsScalarType(list_member_type)) {
      std::string check = Strip(items[0]);
      if (!(check.starts_with("[") || check.starts_with("{"))) {
        return ParamError(
            cli_name,
            "awsctl does not support the AWS CLI's shorthand syntax yet; give the value as JSON: " + items[0]);
      }
    }
  }
  Json out = Json::array();
  for (const std::string& item : items) {
    bool value_error = false;
    auto element = UnpackListElement(list_member_type, item, cli_name, value_error);
    if (!element.ok()) {
      if (value_error) return ParamError(cli_name, items.empty() ? "" : items[0]);
      return element.status();
    }
    out.push_back(*element);
  }
  return out;
}

}  // namespace

FileReader DiskFileReader() {
  return [](const std::string& path) -> absl::StatusOr<std::string> {
    std::ifstream in(path, std::ios::binary);
    if (!in || std::filesystem::is_directory(path)) {
      int err = std::filesystem::is_directory(path) ? EISDIR : errno;
      if (err == 0) err = ENOENT;
      return absl::NotFoundError(absl::StrCat("[Errno ", err, "] ", std::strerror(err), ": ", PyQuote(path)));
    }
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
  };
}

FileChecker DiskFileChecker() {
  return [](const std::string& path) {
    std::error_code ec;
    return std::filesystem::is_regular_file(path, ec);
  };
}

absl::StatusOr<ParsedArguments> ParseOperationArguments(const OperationSchema& schema,
                                                        std::span<const std::string> args, const FileReader& files,
                                                        const FileChecker& is_file) {
  ParsedArguments result;
  if (args.size() == 1 && args[0] == "help") {
    result.help = true;
    return result;
  }
  // The CLI's global parser (argparse, parse_known_args) takes the first "--"
  // out before the operation's parser sees the rest.
  std::vector<std::string> words(args.begin(), args.end());
  if (auto dashes = std::find(words.begin(), words.end(), "--"); dashes != words.end()) words.erase(dashes);
  args = words;
  std::vector<Argument> shadowed;
  std::vector<Argument> table = BuildArgumentTable(schema, shadowed);
  // --cli-input-json on the command line: no member is required any more.
  if (std::find(args.begin(), args.end(), "--cli-input-json") != args.end()) {
    for (Argument& arg : table) {
      if (!arg.positional) arg.required = false;
    }
  }
  Parser parser(table, args);
  if (auto status = parser.Parse(); !status.ok()) return status;
  std::vector<std::string> remaining = parser.extras_;
  if (parser.help) {
    if (*parser.help == "help") {
      result.help = true;
      return result;
    }
    remaining.push_back(*parser.help);
  }
  if (!remaining.empty()) return UsageError("Unknown options: " + absl::StrJoin(remaining, ", "));

  // customizations/paginate.py check_should_enable_pagination.
  bool paginate = !parser.no_paginate;
  if (schema.paginated) {
    std::vector<std::string> tokens;
    for (const std::string& token : schema.paginator_input_tokens) tokens.push_back(XformName(token, '-'));
    if (!schema.paginator_limit_key.empty()) tokens.push_back(XformName(schema.paginator_limit_key, '-'));
    for (const std::string& token : tokens) {
      std::string dest = DestOf(token);
      if (parser.values.contains(dest) && dest != "start_token" && dest != "max_items") paginate = false;
    }
    if (!paginate) {
      std::vector<std::string> used;
      for (const char* param : {"starting_token", "page_size", "max_items"}) {
        bool is_shadowed = false;
        for (const Argument& s : shadowed) is_shadowed = is_shadowed || s.dest == param;
        auto it = parser.values.find(param);
        bool truthy = it != parser.values.end() && !it->second.text.empty();
        if (truthy && std::string(param) != "starting_token") {
          auto n = PyInt(it->second.text);
          truthy = !n || *n != Json(0);
        }
        if (!is_shadowed && truthy) {
          std::string name = param;
          std::replace(name.begin(), name.end(), '_', '-');
          used.push_back("--" + name);
        }
      }
      if (!used.empty()) {
        return UsageError("Error during pagination: Cannot specify --no-paginate along with pagination arguments: " +
                          absl::StrJoin(used, ", "));
      }
      for (const Argument& s : shadowed) {
        for (Argument& arg : table) {
          if (arg.name == s.name) arg = s;
        }
      }
    }
  }
  result.no_paginate = schema.paginated ? !paginate : parser.no_paginate;

  const std::string prefix = schema.endpoint_prefix.empty() ? schema.service : schema.endpoint_prefix;
  for (const Argument& arg : table) {
    auto it = parser.values.find(arg.dest);
    if (it == parser.values.end()) continue;
    // A boolean pair shares one dest: only the first of the pair adds it.
    if (arg.kind == ArgKind::kBooleanMember && !arg.store_value) continue;
    Value value = it->second;
    // paramfile.py: the load-cli-arg handler.
    std::string qualified = absl::StrCat(prefix, ".", schema.cli_operation, ".", arg.name);
    if (!ParamfileDisabled().contains(qualified)) {
      std::optional<std::string> candidate;
      if (value.kind == Value::Kind::kString) candidate = value.text;
      if (value.kind == Value::Kind::kList && value.list.size() == 1) candidate = value.list[0];
      if (candidate) {
        auto loaded = LoadParamFile(*candidate, files);
        if (!loaded.ok()) return ParamError(arg.cli_name(), std::string(loaded.status().message()));
        if (loaded->has_value()) value = **loaded;
      }
    }
    switch (arg.kind) {
      case ArgKind::kBooleanMember:
        result.params[arg.member->name] = value.kind == Value::Kind::kBool ? Json(value.flag) : BytesOrText(value);
        break;
      case ArgKind::kOutfile:
        result.outfile = value.text;
        break;
      case ArgKind::kCliInputJson:
        break;
      case ArgKind::kStartingToken:
        result.starting_token = value.text;
        break;
      case ArgKind::kPageSize:
      case ArgKind::kMaxItems: {
        Json converted = value.text;
        if (arg.parse_type == "int" && value.kind == Value::Kind::kString) converted = *PyInt(value.text);
        (arg.kind == ArgKind::kPageSize ? result.page_size : result.max_items) = converted;
        break;
      }
      case ArgKind::kMember: {
        const MemberSchema& member = *arg.member;
        if (member.type == "blob" && member.streaming) {
          std::string path = ExpandPath(value.text, /*vars_first=*/true);
          if (!is_file(path)) return ParamError(arg.cli_name(), "Blob values must be a path to a file.");
          result.streaming_input_member = member.name;
          result.streaming_input_path = path;
          break;
        }
        auto unpacked = UnpackMember(member.type, member.document, member.list_member_type, value, arg.cli_name());
        if (!unpacked.ok()) return unpacked.status();
        result.params[member.name] = *unpacked;
        break;
      }
    }
  }

  // customizations/cliinputjson.py: the input JSON under the explicit members.
  if (auto it = parser.values.find("cli_input_json"); it != parser.values.end()) {
    std::string input = it->second.text;
    auto loaded = LoadParamFile(input, files);
    if (!loaded.ok()) return ParamError("--cli-input-json", std::string(loaded.status().message()));
    if (loaded->has_value()) input = (*loaded)->text;
    auto data = ParsePythonJson(input);
    if (!data.ok()) {
      return ParamError("cli-input-json",
                        absl::StrCat("Invalid JSON: ", data.status().message(), "\nJSON received: ", input));
    }
    if (!data->is_object()) {
      return absl::InvalidArgumentError(
          absl::StrCat("'", data->is_array() ? "list" : "str", "' object has no attribute 'keys'"));
    }
    for (auto& [key, item] : data->items()) {
      if (!result.params.contains(key)) result.params[key] = item;
    }
  }
  // awsctl sends the parameters as JSON text, which must be UTF-8. A word of
  // the command line that is not, or a JSON escape of a lone surrogate, would
  // otherwise end awsctl with an exception when the parameters are written.
  try {
    (void)result.params.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::strict);
  } catch (const nlohmann::ordered_json::type_error&) {
    return absl::InvalidArgumentError("Invalid parameters: they are not valid UTF-8 text");
  }
  return result;
}

}  // namespace awsd::cli
