#include "daemon/config/profile_file_parser.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace awsd::config {
namespace {

// ---------------------------------------------------------------------------
// Text helpers shared by both dialects.
// ---------------------------------------------------------------------------

absl::Status LineError(std::string_view file_name, int line, std::string_view message) {
  return absl::InvalidArgumentError(
      absl::StrCat(std::string(file_name), ":", line, ": ", std::string(message)));
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Decodes the code point at s[i] of an already validated UTF-8 string.
uint32_t DecodeAt(std::string_view s, size_t i, size_t* length) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    *length = 1;
    return b0;
  }
  size_t n = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : 2;
  uint32_t cp = b0 & (0x7F >> n);
  for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  *length = n;
  return cp;
}

// The offset of the first byte that Python's strict "utf-8" codec rejects
// (bad lead or continuation byte, overlong form, surrogate, > U+10FFFF), or
// npos. botocore decodes the files as UTF-8 and fails on such bytes.
size_t FindInvalidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
      ++i;
      continue;
    }
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF;  // bounds of the second byte
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      n = 2;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      n = 3;
      if (b0 == 0xE0) lo = 0xA0;  // overlong
      if (b0 == 0xED) hi = 0x9F;  // surrogates
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      n = 4;
      if (b0 == 0xF0) lo = 0x90;  // overlong
      if (b0 == 0xF4) hi = 0x8F;  // > U+10FFFF
    } else {
      return i;
    }
    if (i + n > s.size()) return i;
    for (size_t k = 1; k < n; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF)) return i;
    }
    i += n;
  }
  return std::string_view::npos;
}

// ---------------------------------------------------------------------------
// Python semantics, for the botocore dialect.
// ---------------------------------------------------------------------------

// Python's str.isspace(), which str.strip() and the regex class \s use.
bool IsPyWhitespace(uint32_t cp) {
  return (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x20) || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F ||
         cp == 0x3000;
}

// The line boundaries of str.splitlines() beyond "\r" and "\n".
bool IsPyExtraLineBreak(uint32_t cp) {
  return cp == 0x0B || cp == 0x0C || cp == 0x1C || cp == 0x1D || cp == 0x1E || cp == 0x85 || cp == 0x2028 ||
         cp == 0x2029;
}

std::string_view PyLstrip(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    size_t n;
    if (!IsPyWhitespace(DecodeAt(s, i, &n))) break;
    i += n;
  }
  return s.substr(i);
}

std::string_view PyRstrip(std::string_view s) {
  size_t end = s.size();
  while (end > 0) {
    size_t start = end - 1;
    while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
    size_t n;
    if (!IsPyWhitespace(DecodeAt(s, start, &n))) break;
    end = start;
  }
  return s.substr(0, end);
}

std::string_view PyStrip(std::string_view s) { return PyRstrip(PyLstrip(s)); }

// Number of code points before the first non-whitespace one: configparser's
// indentation level.
int PyIndent(std::string_view s) {
  int count = 0;
  size_t i = 0;
  while (i < s.size()) {
    size_t n;
    if (!IsPyWhitespace(DecodeAt(s, i, &n))) break;
    i += n;
    ++count;
  }
  return count;
}

// Lines as Python's text mode reads them: "\r\n", "\r" and "\n" all end one.
std::vector<std::string_view> UniversalLines(std::string_view s) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n' || s[i] == '\r') {
      lines.push_back(s.substr(start, i - start));
      if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
      start = i + 1;
    }
  }
  if (start < s.size()) lines.push_back(s.substr(start));
  return lines;
}

int UniversalLineOf(std::string_view s, size_t offset) {
  int line = 1;
  for (size_t i = 0; i < offset; ++i) {
    if (s[i] == '\n' || (s[i] == '\r' && !(i + 1 < s.size() && s[i + 1] == '\n'))) ++line;
  }
  return line;
}

// shlex.split(s) (POSIX mode, no comments); nullopt where it raises.
std::optional<std::vector<std::string>> ShlexSplit(std::string_view s) {
  enum class State { kWord, kSingle, kDouble };
  std::vector<std::string> tokens;
  std::string token;
  bool have_token = false;
  State state = State::kWord;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    switch (state) {
      case State::kWord:
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
          if (have_token) tokens.push_back(std::move(token));
          token.clear();
          have_token = false;
        } else if (c == '\\') {
          if (i + 1 >= s.size()) return std::nullopt;  // "No escaped character"
          token += s[++i];
          have_token = true;
        } else if (c == '\'') {
          state = State::kSingle;
          have_token = true;
        } else if (c == '"') {
          state = State::kDouble;
          have_token = true;
        } else {
          token += c;
          have_token = true;
        }
        break;
      case State::kSingle:
        if (c == '\'') {
          state = State::kWord;
        } else {
          token += c;
        }
        break;
      case State::kDouble:
        if (c == '"') {
          state = State::kWord;
        } else if (c == '\\') {
          if (i + 1 >= s.size()) return std::nullopt;
          const char next = s[++i];
          // Inside double quotes a backslash escapes only '"' and itself.
          if (next != '"' && next != '\\') token += '\\';
          token += next;
        } else {
          token += c;
        }
        break;
    }
  }
  if (state != State::kWord) return std::nullopt;  // "No closing quotation"
  if (have_token) tokens.push_back(std::move(token));
  return tokens;
}

// configloader._parse_nested over the lines of a value; each piece keeps the
// line it came from so that an error can name it.
struct Piece {
  std::string text;
  int line;
};

absl::StatusOr<SubProperties> ParseNestedBotocore(const std::vector<Piece>& pieces, std::string_view file_name) {
  SubProperties parsed;
  for (const Piece& piece : pieces) {
    // str.splitlines() also breaks at \v, \f, \x1c.. and U+2028 etc.
    std::string_view rest = piece.text;
    size_t start = 0, i = 0;
    std::vector<std::string_view> lines;
    while (i < rest.size()) {
      size_t n;
      if (IsPyExtraLineBreak(DecodeAt(rest, i, &n))) {
        lines.push_back(rest.substr(start, i - start));
        start = i + n;
      }
      i += n;
    }
    if (start < rest.size()) lines.push_back(rest.substr(start));
    for (std::string_view line : lines) {
      line = PyStrip(line);
      if (line.empty()) continue;
      const size_t eq = line.find('=');
      if (eq == std::string_view::npos) {
        return LineError(file_name, piece.line, "Expected an '=' sign defining a sub-property");
      }
      parsed[std::string(PyStrip(line.substr(0, eq)))] = std::string(PyStrip(line.substr(eq + 1)));
    }
  }
  return parsed;
}

struct RawOption {
  std::string key;
  std::vector<Piece> pieces;
};

struct RawSection {
  std::string name;
  std::vector<RawOption> options;
  std::map<std::string, size_t> index;  // key -> options[i]
};

// configparser.RawConfigParser.read_file, strict, default options.
absl::Status ReadConfigParser(std::string_view contents, std::string_view file_name,
                              std::vector<RawSection>& sections, RawSection& defaults) {
  std::map<std::string, size_t> section_index;
  RawSection* cursect = nullptr;
  RawOption* option = nullptr;  // configparser's optname
  int indent_level = 0;
  const std::vector<std::string_view> lines = UniversalLines(contents);
  for (size_t n = 0; n < lines.size(); ++n) {
    const int lineno = static_cast<int>(n) + 1;
    const std::string_view line = lines[n];
    const std::string_view value = PyStrip(line);
    if (!value.empty() && (value[0] == '#' || value[0] == ';')) continue;  // full-line comment
    if (value.empty()) {
      // empty_lines_in_values: a blank line inside a value is kept.
      if (cursect != nullptr && option != nullptr && !option->key.empty()) {
        option->pieces.push_back({"", lineno});
      }
      continue;
    }
    const int cur_indent_level = PyIndent(line);
    if (cursect != nullptr && option != nullptr && !option->key.empty() && cur_indent_level > indent_level) {
      option->pieces.push_back({std::string(value), lineno});
      continue;
    }
    indent_level = cur_indent_level;
    // SECTCRE: \[(?P<header>.+)\] matched at the start; .+ is greedy, so the
    // header runs to the last ']' and anything after it is ignored.
    const size_t close = value.rfind(']');
    if (value[0] == '[' && close != std::string_view::npos && close >= 2) {
      const std::string name(value.substr(1, close - 1));
      if (name == "DEFAULT") {
        cursect = &defaults;
      } else if (section_index.contains(name)) {
        return LineError(file_name, lineno, absl::StrCat("Duplicate section '", name, "'"));
      } else {
        section_index[name] = sections.size();
        sections.push_back(RawSection{name, {}, {}});
        cursect = &sections.back();
      }
      option = nullptr;
      continue;
    }
    if (cursect == nullptr) return LineError(file_name, lineno, "Expected a profile definition");
    // OPTCRE: (?P<option>.*?)\s*(?P<vi>=|:)\s*(?P<value>.*)$
    const size_t delimiter = value.find_first_of("=:");
    if (delimiter == std::string_view::npos) {
      return LineError(file_name, lineno, "Expected an '=' sign defining a property");
    }
    const std::string key = AsciiLower(PyRstrip(value.substr(0, delimiter)));
    if (key.empty()) return LineError(file_name, lineno, "Property did not have a name");
    if (cursect->index.contains(key)) {
      return LineError(file_name, lineno,
                       absl::StrCat("Duplicate property '", key, "' in section '", cursect->name, "'"));
    }
    cursect->index[key] = cursect->options.size();
    cursect->options.push_back(RawOption{key, {Piece{std::string(PyStrip(value.substr(delimiter + 1))), lineno}}});
    option = &cursect->options.back();
  }
  return absl::OkStatus();
}

// One option's value as raw_config_parse returns it.
absl::StatusOr<Value> BotocoreValue(const RawOption& option, std::string_view file_name) {
  Value value;
  for (size_t i = 0; i < option.pieces.size(); ++i) {
    if (i > 0) value.text += '\n';
    value.text += option.pieces[i].text;
  }
  value.text = std::string(PyRstrip(value.text));
  if (!value.text.empty() && value.text[0] == '\n') {
    absl::StatusOr<SubProperties> nested = ParseNestedBotocore(option.pieces, file_name);
    if (!nested.ok()) return nested.status();
    value.sub_properties = *std::move(nested);
  }
  return value;
}

absl::StatusOr<ProfileSet> ParseBotocore(std::string_view contents, std::string_view file_name, FileKind kind) {
  // ReadConfigParser keeps pointers into `sections`: reserve one slot per
  // possible header line so that the vector never reallocates.
  std::vector<RawSection> sections;
  size_t headers = 0;
  for (std::string_view line : UniversalLines(contents)) {
    const std::string_view v = PyStrip(line);
    if (!v.empty() && v[0] == '[') ++headers;
  }
  sections.reserve(headers);
  RawSection defaults{"DEFAULT", {}, {}};
  if (absl::Status status = ReadConfigParser(contents, file_name, sections, defaults); !status.ok()) return status;

  // raw_config_parse: each section's options plus the [DEFAULT] ones it
  // does not override.
  std::vector<std::pair<std::string, Section>> parsed;
  for (const RawSection& raw : sections) {
    Section section;
    for (const RawOption& option : raw.options) {
      absl::StatusOr<Value> value = BotocoreValue(option, file_name);
      if (!value.ok()) return value.status();
      section[option.key] = *std::move(value);
    }
    for (const RawOption& option : defaults.options) {
      if (section.contains(option.key)) continue;
      absl::StatusOr<Value> value = BotocoreValue(option, file_name);
      if (!value.ok()) return value.status();
      section[option.key] = *std::move(value);
    }
    parsed.emplace_back(raw.name, std::move(section));
  }

  ProfileSet set;
  for (auto& [name, section] : parsed) {
    if (kind == FileKind::kCredentials) {
      // Session.full_config: every credentials-file section is a profile,
      // under its name verbatim.
      set.profiles[name] = std::move(section);
      continue;
    }
    // build_profile_map, in section order: a later section replaces an
    // earlier one of the same profile name whole.
    std::map<std::string, Section>* target = nullptr;
    if (name.starts_with("profile")) {
      target = &set.profiles;
    } else if (name.starts_with("sso-session")) {
      target = &set.sso_sessions;
    } else if (name.starts_with("services")) {
      target = &set.services;
    } else if (name == "default") {
      set.profiles["default"] = std::move(section);
      continue;
    } else {
      continue;
    }
    std::optional<std::vector<std::string>> parts = ShlexSplit(name);
    if (parts.has_value() && parts->size() == 2) (*target)[(*parts)[1]] = std::move(section);
  }
  return set;
}

// ---------------------------------------------------------------------------
// The SDK-standard dialect (smithy-rs aws-config profile parser).
// ---------------------------------------------------------------------------

bool IsSdkWhitespace(char c) { return c == ' ' || c == '\t'; }

std::string_view SdkTrim(std::string_view s) {
  while (!s.empty() && IsSdkWhitespace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSdkWhitespace(s.back())) s.remove_suffix(1);
  return s;
}

// Trims, then cuts a comment: at any '#'/';' for section lines, only at one
// preceded by whitespace for property lines (so "value#x" keeps its '#').
std::string_view SdkPrepareLine(std::string_view line, bool comments_need_whitespace) {
  line = SdkTrim(line);
  bool prev_whitespace = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if ((c == '#' || c == ';') && (prev_whitespace || !comments_need_whitespace)) {
      line = line.substr(0, i);
      break;
    }
    prev_whitespace = c == ' ' || (c >= '\t' && c <= '\r');
  }
  return SdkTrim(line);
}

enum class PropertyError { kNone, kNoEquals, kNoName };

PropertyError SdkParseProperty(std::string_view line, std::string_view* key, std::string_view* value) {
  line = SdkPrepareLine(line, true);
  const size_t eq = line.find('=');
  if (eq == std::string_view::npos) return PropertyError::kNoEquals;
  *key = SdkTrim(line.substr(0, eq));
  *value = SdkTrim(line.substr(eq + 1));
  return key->empty() ? PropertyError::kNoName : PropertyError::kNone;
}

std::string PropertyErrorMessage(PropertyError error, std::string_view what) {
  if (error == PropertyError::kNoName) {
    std::string capitalised(what);
    capitalised[0] = static_cast<char>(capitalised[0] - 'a' + 'A');
    return absl::StrCat(capitalised, " did not have a name");
  }
  return absl::StrCat("Expected an '=' sign defining a ", std::string(what));
}

bool IsIdentifier(std::string_view s) {
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                    c == '-' || c == '/' || c == '.' || c == '%' || c == '@' || c == ':' || c == '+';
    if (!ok) return false;
  }
  return true;
}

struct SdkRawSection {
  std::string header;
  std::vector<std::pair<std::string, std::string>> properties;  // in order; later wins
};

absl::StatusOr<ProfileSet> ParseSdkStandard(std::string_view contents, std::string_view file_name, FileKind kind) {
  std::vector<SdkRawSection> raw;
  std::map<std::string, size_t> raw_index;
  size_t current = SIZE_MAX;   // index into raw, SIZE_MAX before the first section
  size_t property = SIZE_MAX;  // index into raw[current].properties
  bool is_sub_property = false;

  // Rust's str::lines(): split at '\n', drop one trailing '\r'.
  int lineno = 0;
  size_t start = 0;
  while (start < contents.size()) {
    size_t end = contents.find('\n', start);
    if (end == std::string_view::npos) end = contents.size();
    std::string_view line = contents.substr(start, end - start);
    start = end + 1;
    ++lineno;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

    if (SdkTrim(line).empty() || line[0] == '#' || line[0] == ';') continue;
    if (line[0] == '[') {
      std::string_view header = SdkPrepareLine(line, false);
      if (header.size() < 2 || header.back() != ']') {
        return LineError(file_name, lineno, "Profile definition must end with ']'");
      }
      header = header.substr(1, header.size() - 2);
      auto [it, inserted] = raw_index.try_emplace(std::string(header), raw.size());
      if (inserted) raw.push_back(SdkRawSection{std::string(header), {}});
      current = it->second;
      property = SIZE_MAX;
      is_sub_property = false;
    } else if (IsSdkWhitespace(line[0])) {
      if (current == SIZE_MAX) return LineError(file_name, lineno, "Expected a profile definition");
      if (property == SIZE_MAX) {
        return LineError(file_name, lineno, "Expected a property definition, found continuation");
      }
      if (is_sub_property) {
        std::string_view k, v;
        const PropertyError error = SdkParseProperty(line, &k, &v);
        if (error != PropertyError::kNone) {
          return LineError(file_name, lineno, PropertyErrorMessage(error, "sub-property"));
        }
      }
      std::string& text = raw[current].properties[property].second;
      text += '\n';
      text += SdkTrim(line);
    } else {
      if (current == SIZE_MAX) return LineError(file_name, lineno, "Expected a profile definition");
      std::string_view k, v;
      const PropertyError error = SdkParseProperty(line, &k, &v);
      if (error != PropertyError::kNone) {
        return LineError(file_name, lineno, PropertyErrorMessage(error, "property"));
      }
      auto& properties = raw[current].properties;
      const std::string key = AsciiLower(k);
      property = SIZE_MAX;
      for (size_t i = 0; i < properties.size(); ++i) {
        if (properties[i].first == key) property = i;
      }
      if (property == SIZE_MAX) {
        property = properties.size();
        properties.emplace_back(key, std::string(v));
      } else {
        properties[property].second = std::string(v);
      }
      is_sub_property = v.empty();
    }
  }

  // Normalisation: section names, validation, [profile default] priority.
  struct Key {
    std::optional<std::string> prefix;
    std::string suffix;
  };
  std::vector<std::pair<Key, const SdkRawSection*>> valid;
  bool has_prefixed_default = false;
  for (const SdkRawSection& section : raw) {
    const std::string_view header = SdkTrim(section.header);
    Key key;
    const size_t space = header.find_first_of(" \t");
    if (space == std::string_view::npos) {
      key.suffix = std::string(header);
    } else {
      key.prefix = std::string(SdkTrim(header.substr(0, space)));
      key.suffix = std::string(SdkTrim(header.substr(space + 1)));
    }
    bool ok;
    if (kind == FileKind::kConfig) {
      ok = key.prefix.has_value() ? IsIdentifier(key.suffix) : key.suffix == "default";
    } else {
      ok = !key.prefix.has_value() && IsIdentifier(key.suffix);
    }
    if (!ok) continue;
    if (key.prefix == "profile" && key.suffix == "default") has_prefixed_default = true;
    valid.emplace_back(std::move(key), &section);
  }

  ProfileSet set;
  for (const auto& [key, section] : valid) {
    Section* target = nullptr;
    if (!key.prefix.has_value() || *key.prefix == "profile") {
      if (has_prefixed_default && !key.prefix.has_value() && key.suffix == "default") continue;
      target = &set.profiles[key.suffix];
    } else if (*key.prefix == "sso-session") {
      target = &set.sso_sessions[key.suffix];
    } else if (*key.prefix == "services") {
      target = &set.services[key.suffix];
    } else {
      continue;  // an unknown prefix, e.g. a misspelt [sso-sesion x]
    }
    for (const auto& [name, text] : section->properties) {
      if (!IsIdentifier(name)) continue;
      Value value{text, std::nullopt};
      if (!text.empty() && text[0] == '\n') {
        SubProperties sub;
        std::string_view rest = text;
        while (!rest.empty()) {
          const size_t nl = rest.find('\n');
          const std::string_view sub_line = rest.substr(0, nl);
          rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
          const size_t eq = sub_line.find('=');
          if (eq == std::string_view::npos) continue;
          sub[std::string(SdkTrim(sub_line.substr(0, eq)))] = std::string(SdkTrim(sub_line.substr(eq + 1)));
        }
        value.sub_properties = std::move(sub);
      }
      (*target)[name] = std::move(value);
    }
  }
  return set;
}

}  // namespace

absl::StatusOr<ProfileSet> ParseProfileFile(std::string_view contents, std::string_view file_name, FileKind kind,
                                            Dialect dialect) {
  if (const size_t bad = FindInvalidUtf8(contents); bad != std::string_view::npos) {
    return LineError(file_name, UniversalLineOf(contents, bad), "File is not valid UTF-8");
  }
  return dialect == Dialect::kBotocore ? ParseBotocore(contents, file_name, kind)
                                       : ParseSdkStandard(contents, file_name, kind);
}

void MergeCredentialsInto(ProfileSet& config, const ProfileSet& credentials) {
  for (const auto& [name, profile] : credentials.profiles) {
    Profile& target = config.profiles[name];
    for (const auto& [key, value] : profile) target.insert_or_assign(key, value);
  }
}

}  // namespace awsd::config
