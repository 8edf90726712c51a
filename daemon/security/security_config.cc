#include "daemon/security/security_config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <span>

namespace awsd::security {
namespace {

constexpr std::string_view kRuleKeys[] = {"name",     "users", "groups", "executables", "cgroups",
                                          "profiles", "allow", "deny",   "sign",        "export"};
constexpr std::string_view kAuditKeys[] = {"file"};
constexpr std::string_view kLimitKeys[] = {"max_concurrent_calls", "calls_per_second", "burst"};

std::string KnownList(std::span<const std::string_view> keys) {
  std::string out;
  for (std::string_view k : keys) {
    if (!out.empty()) out += ", ";
    out.append("'").append(k).append("'");
  }
  return out;
}

class Parser {
 public:
  Parser(std::string_view origin, SecurityConfig& config) : origin_(origin), config_(config) {}

  void Root(const toml::table& root) {
    if (const toml::node* policy = root.get("policy")) Policy(*policy);
    if (const toml::node* audit = root.get("audit")) Audit(*audit);
    if (const toml::node* limits = root.get("caller_limits")) Limits(*limits);
  }

  std::vector<ConfigProblem> problems() { return std::move(problems_); }

 private:
  void Report(const toml::node& node, std::string_view name, std::string_view what) {
    const uint32_t line = node.source().begin.line;
    std::string text(origin_);
    if (line > 0) text.append(":").append(std::to_string(line));
    text.append(": ").append(name).append(": ").append(what);
    problems_.push_back({line, node.source().begin.column, std::move(text)});
  }

  const toml::table* Table(const toml::node& node, std::string_view name) {
    if (const toml::table* t = node.as_table()) return t;
    Report(node, name, "must be a table");
    return nullptr;
  }

  void Unknown(const toml::node& node, std::string_view table, std::string_view key,
               std::span<const std::string_view> known) {
    Report(node, std::string(table) + "." + std::string(key), "unknown key (known keys: " + KnownList(known) + ")");
  }

  std::optional<std::string> String(const toml::node& node, const std::string& name, bool absolute = false) {
    const auto* s = node.as_string();
    if (s == nullptr) {
      Report(node, name, "must be a string");
      return std::nullopt;
    }
    if (s->get().empty() || s->get().find('\0') != std::string::npos) {
      Report(node, name, "must be a non-empty string without NUL");
      return std::nullopt;
    }
    if (absolute && s->get()[0] != '/') {
      Report(node, name, "must be an absolute path, got \"" + s->get() + "\"");
      return std::nullopt;
    }
    return s->get();
  }

  std::optional<std::vector<std::string>> Strings(const toml::node& node, const std::string& name,
                                                  bool absolute = false) {
    const toml::array* array = node.as_array();
    if (array == nullptr) {
      Report(node, name, "must be an array of strings");
      return std::nullopt;
    }
    std::vector<std::string> out;
    bool good = true;
    for (size_t i = 0; i < array->size(); ++i) {
      auto s = String((*array)[i], name + "[" + std::to_string(i) + "]", absolute);
      if (s) out.push_back(std::move(*s));
      good = good && s.has_value();
    }
    if (!good) return std::nullopt;
    return out;
  }

  // "s3:GetObject", "s3:*", "*": a service, a colon, an operation (globs).
  std::optional<std::vector<std::string>> Operations(const toml::node& node, const std::string& name) {
    auto patterns = Strings(node, name);
    if (!patterns) return std::nullopt;
    for (size_t i = 0; i < patterns->size(); ++i) {
      const std::string& p = (*patterns)[i];
      if (p != "*" && (p.find(':') == std::string::npos || p.front() == ':' || p.back() == ':')) {
        Report(*node.as_array()->get(i), name + "[" + std::to_string(i) + "]",
               "must be \"service:Operation\" (globs allowed, e.g. \"s3:Get*\") or \"*\", got \"" + p + "\"");
        return std::nullopt;
      }
    }
    return patterns;
  }

  // Names or ids: "alice", 1001.
  std::optional<std::vector<Principal>> Principals(const toml::node& node, const std::string& name) {
    const toml::array* array = node.as_array();
    if (array == nullptr) {
      Report(node, name, "must be an array of names (strings) or ids (integers)");
      return std::nullopt;
    }
    std::vector<Principal> out;
    bool good = true;
    for (size_t i = 0; i < array->size(); ++i) {
      const toml::node& item = (*array)[i];
      const std::string item_name = name + "[" + std::to_string(i) + "]";
      if (const auto* id = item.as_integer()) {
        if (id->get() < 0 || id->get() > 0xfffffffe) {
          Report(item, item_name, "must be between 0 and 4294967294, got " + std::to_string(id->get()));
          good = false;
        } else {
          out.emplace_back(id->get());
        }
      } else if (auto s = String(item, item_name)) {
        out.emplace_back(std::move(*s));
      } else {
        good = false;
      }
    }
    if (!good) return std::nullopt;
    return out;
  }

  std::optional<bool> Bool(const toml::node& node, const std::string& name) {
    if (const auto* b = node.as_boolean()) return b->get();
    Report(node, name, "must be a boolean");
    return std::nullopt;
  }

  void Policy(const toml::node& node) {
    const toml::table* table = Table(node, "policy");
    if (table == nullptr) return;
    for (auto&& [key, value] : *table) {
      if (key.str() != "rule") {
        Report(value, "policy." + std::string(key.str()), "unknown key (rules are [[policy.rule]] tables)");
        continue;
      }
      const toml::array* rules = value.as_array();
      if (rules == nullptr || !rules->is_array_of_tables()) {
        Report(value, "policy.rule", "must be an array of tables ([[policy.rule]])");
        continue;
      }
      for (size_t i = 0; i < rules->size(); ++i) Rule(*rules->get(i)->as_table(), i);
    }
  }

  void Rule(const toml::table& table, size_t index) {
    RuleConfig rule;
    const std::string prefix = "policy.rule[" + std::to_string(index) + "]";
    bool good = true;
    for (auto&& [key, value] : table) {
      const std::string_view k = key.str();
      const std::string name = prefix + "." + std::string(k);
      auto fill = [&](auto parsed, auto& into) {
        if (parsed) {
          into = *std::move(parsed);
        } else {
          good = false;
        }
      };
      if (k == "name") {
        fill(String(value, name), rule.name);
      } else if (k == "users") {
        fill(Principals(value, name), rule.users);
      } else if (k == "groups") {
        fill(Principals(value, name), rule.groups);
      } else if (k == "executables") {
        fill(Strings(value, name, /*absolute=*/true), rule.executables);
      } else if (k == "cgroups") {
        fill(Strings(value, name), rule.cgroups);
      } else if (k == "profiles") {
        fill(Strings(value, name), rule.profiles);
      } else if (k == "allow") {
        fill(Operations(value, name), rule.allow);
      } else if (k == "deny") {
        fill(Operations(value, name), rule.deny);
      } else if (k == "sign") {
        fill(Bool(value, name), rule.sign);
      } else if (k == "export") {
        fill(Bool(value, name), rule.export_credentials);
      } else {
        Unknown(value, prefix, k, kRuleKeys);
        good = false;
      }
    }
    if (rule.name.empty() && good) {
      Report(table, prefix + ".name", "required: refusals and audit lines name the rule");
      return;
    }
    if (good && rule.users.empty() && rule.groups.empty() && rule.executables.empty() && rule.cgroups.empty()) {
      // A rule for everyone is almost always a mistake; say it with users.
      Report(table, prefix, "needs at least one of users, groups, executables, cgroups");
      return;
    }
    if (good && std::any_of(config_.rules.begin(), config_.rules.end(),
                            [&](const RuleConfig& r) { return r.name == rule.name; })) {
      Report(table, prefix + ".name", "\"" + rule.name + "\" is already the name of another rule");
      return;
    }
    if (good) config_.rules.push_back(std::move(rule));
  }

  void Audit(const toml::node& node) {
    const toml::table* table = Table(node, "audit");
    if (table == nullptr) return;
    for (auto&& [key, value] : *table) {
      if (key.str() == "file") {
        if (auto path = String(value, "audit.file", /*absolute=*/true)) config_.audit_file = std::move(*path);
      } else {
        Unknown(value, "audit", key.str(), kAuditKeys);
      }
    }
  }

  std::optional<int64_t> Integer(const toml::node& node, const std::string& name, int64_t max) {
    const auto* i = node.as_integer();
    if (i == nullptr || i->get() < 0 || i->get() > max) {
      Report(node, name, "must be an integer between 0 and " + std::to_string(max));
      return std::nullopt;
    }
    return i->get();
  }

  void Limits(const toml::node& node) {
    const toml::table* table = Table(node, "caller_limits");
    if (table == nullptr) return;
    for (auto&& [key, value] : *table) {
      const std::string_view k = key.str();
      const std::string name = "caller_limits." + std::string(k);
      if (k == "max_concurrent_calls") {
        if (auto n = Integer(value, name, 1'000'000)) config_.caller_max_concurrent_calls = static_cast<uint32_t>(*n);
      } else if (k == "calls_per_second") {
        // An integer or a float: 0.5 is one call every two seconds.
        std::optional<double> rate;
        if (const auto* f = value.as_floating_point()) rate = f->get();
        if (const auto* i = value.as_integer()) rate = static_cast<double>(i->get());
        if (!rate || !(*rate >= 0 && *rate <= 1e6)) {
          Report(value, name, "must be a number between 0 and 1000000");
        } else {
          config_.caller_calls_per_second = *rate;
        }
      } else if (k == "burst") {
        if (auto n = Integer(value, name, 1'000'000)) config_.caller_burst = static_cast<uint32_t>(*n);
      } else {
        Unknown(value, "caller_limits", k, kLimitKeys);
      }
    }
  }

  std::string_view origin_;
  SecurityConfig& config_;
  std::vector<ConfigProblem> problems_;
};

}  // namespace

std::vector<ConfigProblem> ParseSecurityConfig(std::string_view toml_text, std::string_view origin,
                                               SecurityConfig& config) {
  toml::table root;
  try {
    root = toml::parse(toml_text, origin);
  } catch (const std::exception& e) {
    // The caller parsed the same text first and reports syntax errors.
    return {{0, 0, std::string(origin) + ": cannot parse: " + e.what()}};
  }
  Parser parser(origin, config);
  parser.Root(root);
  return parser.problems();
}

}  // namespace awsd::security
