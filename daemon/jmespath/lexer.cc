#include "daemon/jmespath/lexer.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"
#include "daemon/jmespath/errors.h"
#include "daemon/jmespath/value.h"

namespace awsd::jmespath {
namespace {

// Numbers beyond this are saturated: no array is that long, so an index or
// slice bound this large behaves as jmespath.py's unbounded integers do, and
// adding a length to it cannot overflow.
constexpr int64_t kMaxNumber = int64_t{1} << 62;

bool IsIdentifierStart(char c) { return absl::ascii_isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsIdentifierChar(char c) { return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

class Lexer {
 public:
  explicit Lexer(absl::string_view expression) : expr_(expression) {}

  absl::StatusOr<std::vector<Token>> Run() {
    if (expr_.empty()) return MakeError("syntax", "Invalid JMESPath expression: cannot be empty.");
    std::vector<Token> tokens;
    while (pos_ < expr_.size()) {
      const char c = expr_[pos_];
      const size_t start = pos_;
      TokenType simple;
      if (Simple(c, &simple)) {
        tokens.push_back(Make(simple, start, std::string(1, c)));
        ++pos_;
      } else if (IsIdentifierStart(c)) {
        while (pos_ < expr_.size() && IsIdentifierChar(expr_[pos_])) ++pos_;
        tokens.push_back(Make(TokenType::kUnquotedIdentifier, start, std::string(expr_.substr(start, pos_ - start))));
      } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++pos_;
      } else if (c == '[') {
        ++pos_;
        if (Peek(']')) {
          ++pos_;
          tokens.push_back(Make(TokenType::kFlatten, start, "[]"));
        } else if (Peek('?')) {
          ++pos_;
          tokens.push_back(Make(TokenType::kFilter, start, "[?"));
        } else {
          tokens.push_back(Make(TokenType::kLbracket, start, "["));
        }
      } else if (c == '\'') {
        absl::StatusOr<std::string> raw = ConsumeUntil('\'');
        if (!raw.ok()) return raw.status();
        Token token = Make(TokenType::kLiteral, start, std::string(expr_.substr(start, pos_ - start)));
        token.value = absl::StrReplaceAll(*raw, {{"\\'", "'"}});
        tokens.push_back(std::move(token));
      } else if (c == '|') {
        tokens.push_back(MatchOrElse('|', TokenType::kOr, TokenType::kPipe));
      } else if (c == '&') {
        tokens.push_back(MatchOrElse('&', TokenType::kAnd, TokenType::kExpref));
      } else if (c == '`') {
        absl::StatusOr<Token> literal = ConsumeLiteral();
        if (!literal.ok()) return literal.status();
        tokens.push_back(*std::move(literal));
      } else if (IsDigit(c) || c == '-') {
        ++pos_;
        while (pos_ < expr_.size() && IsDigit(expr_[pos_])) ++pos_;
        std::string text(expr_.substr(start, pos_ - start));
        if (text == "-") return Error(start, "Unknown token '-'");
        Token token = Make(TokenType::kNumber, start, text);
        token.number = ParseSaturated(text);
        tokens.push_back(std::move(token));
      } else if (c == '"') {
        absl::StatusOr<std::string> body = ConsumeUntil('"');
        if (!body.ok()) return body.status();
        const std::string lexeme = absl::StrCat("\"", *body, "\"");
        nlohmann::ordered_json parsed = nlohmann::ordered_json::parse(lexeme, nullptr, false);
        if (parsed.is_discarded() || !parsed.is_string()) return Error(start, "Invalid quoted identifier");
        tokens.push_back(Make(TokenType::kQuotedIdentifier, start, parsed.get<std::string>()));
      } else if (c == '<') {
        tokens.push_back(MatchOrElse('=', TokenType::kLte, TokenType::kLt));
      } else if (c == '>') {
        tokens.push_back(MatchOrElse('=', TokenType::kGte, TokenType::kGt));
      } else if (c == '!') {
        tokens.push_back(MatchOrElse('=', TokenType::kNe, TokenType::kNot));
      } else if (c == '=') {
        if (pos_ + 1 < expr_.size() && expr_[pos_ + 1] == '=') {
          tokens.push_back(Make(TokenType::kEq, start, "=="));
          pos_ += 2;
        } else {
          return Error(start, "Unknown token '='");
        }
      } else {
        return Error(start, absl::StrCat("Unknown token ", CodePointAt(start)));
      }
    }
    tokens.push_back(Make(TokenType::kEof, expr_.size(), ""));
    return tokens;
  }

 private:
  static bool Simple(char c, TokenType* type) {
    switch (c) {
      case '.':
        *type = TokenType::kDot;
        return true;
      case '*':
        *type = TokenType::kStar;
        return true;
      case ']':
        *type = TokenType::kRbracket;
        return true;
      case ',':
        *type = TokenType::kComma;
        return true;
      case ':':
        *type = TokenType::kColon;
        return true;
      case '@':
        *type = TokenType::kCurrent;
        return true;
      case '(':
        *type = TokenType::kLparen;
        return true;
      case ')':
        *type = TokenType::kRparen;
        return true;
      case '{':
        *type = TokenType::kLbrace;
        return true;
      case '}':
        *type = TokenType::kRbrace;
        return true;
      default:
        return false;
    }
  }

  static Token Make(TokenType type, size_t position, std::string text) {
    Token token;
    token.type = type;
    token.position = position;
    token.text = std::move(text);
    return token;
  }

  static int64_t ParseSaturated(absl::string_view text) {
    const bool negative = text[0] == '-';
    int64_t value = 0;
    for (char c : text.substr(negative ? 1 : 0)) {
      // Checked before the step: value * 10 itself overflows past 2^62.
      if (value > (kMaxNumber - (c - '0')) / 10) {
        value = kMaxNumber;
        break;
      }
      value = value * 10 + (c - '0');
    }
    return negative ? -value : value;
  }

  bool Peek(char c) const { return pos_ < expr_.size() && expr_[pos_] == c; }

  // The whole UTF-8 sequence at `at`, for naming an unknown character.
  std::string CodePointAt(size_t at) const {
    size_t end = at + 1;
    while (end < expr_.size() && (static_cast<unsigned char>(expr_[end]) & 0xC0) == 0x80) ++end;
    return std::string(expr_.substr(at, end - at));
  }

  Token MatchOrElse(char expected, TokenType match, TokenType otherwise) {
    const size_t start = pos_;
    ++pos_;
    if (Peek(expected)) {
      ++pos_;
      return Make(match, start, std::string(expr_.substr(start, 2)));
    }
    return Make(otherwise, start, std::string(expr_.substr(start, 1)));
  }

  // Up to the unescaped delimiter; like jmespath.py, a backslash and the
  // character after it are both kept for the caller to interpret.
  absl::StatusOr<std::string> ConsumeUntil(char delimiter) {
    const size_t start = pos_;
    std::string buffer;
    ++pos_;
    while (true) {
      if (pos_ >= expr_.size()) {
        return Error(start, absl::StrCat("Unclosed ", std::string(1, delimiter), " delimiter"));
      }
      if (expr_[pos_] == delimiter) break;
      if (expr_[pos_] == '\\') {
        buffer += '\\';
        ++pos_;
        if (pos_ >= expr_.size()) {
          return Error(start, absl::StrCat("Unclosed ", std::string(1, delimiter), " delimiter"));
        }
      }
      buffer += expr_[pos_];
      ++pos_;
    }
    ++pos_;
    return buffer;
  }

  absl::StatusOr<Token> ConsumeLiteral() {
    const size_t start = pos_;
    absl::StatusOr<std::string> raw = ConsumeUntil('`');
    if (!raw.ok()) return raw.status();
    const std::string lexeme = absl::StrReplaceAll(*raw, {{"\\`", "`"}});
    Token token = Make(TokenType::kLiteral, start, std::string(expr_.substr(start, pos_ - start)));
    token.value = nlohmann::ordered_json::parse(lexeme, nullptr, false);
    if (token.value.is_discarded()) {
      // JEP-12's deprecated form: `foo` means the string "foo".
      const std::string quoted = absl::StrCat("\"", absl::StripLeadingAsciiWhitespace(lexeme), "\"");
      token.value = nlohmann::ordered_json::parse(quoted, nullptr, false);
      if (token.value.is_discarded()) return Error(start, absl::StrCat("Bad token ", lexeme));
    }
    // Checked before anything copies it: copying recurses once per level.
    if (DeeperThan(token.value, kMaxValueDepth)) {
      return MakeError("limit", absl::StrCat("JMESPath literal nested deeper than ", kMaxValueDepth, " levels"));
    }
    return token;
  }

  absl::Status Error(size_t position, absl::string_view message) const {
    return MakeError("syntax", LexerErrorMessage(expr_, position, message));
  }

  absl::string_view expr_;
  size_t pos_ = 0;
};

}  // namespace

absl::string_view TokenTypeName(TokenType type) {
  switch (type) {
    case TokenType::kEof:
      return "eof";
    case TokenType::kUnquotedIdentifier:
      return "unquoted_identifier";
    case TokenType::kQuotedIdentifier:
      return "quoted_identifier";
    case TokenType::kLiteral:
      return "literal";
    case TokenType::kRbracket:
      return "rbracket";
    case TokenType::kRparen:
      return "rparen";
    case TokenType::kComma:
      return "comma";
    case TokenType::kRbrace:
      return "rbrace";
    case TokenType::kNumber:
      return "number";
    case TokenType::kCurrent:
      return "current";
    case TokenType::kExpref:
      return "expref";
    case TokenType::kColon:
      return "colon";
    case TokenType::kPipe:
      return "pipe";
    case TokenType::kOr:
      return "or";
    case TokenType::kAnd:
      return "and";
    case TokenType::kEq:
      return "eq";
    case TokenType::kGt:
      return "gt";
    case TokenType::kLt:
      return "lt";
    case TokenType::kGte:
      return "gte";
    case TokenType::kLte:
      return "lte";
    case TokenType::kNe:
      return "ne";
    case TokenType::kFlatten:
      return "flatten";
    case TokenType::kStar:
      return "star";
    case TokenType::kFilter:
      return "filter";
    case TokenType::kDot:
      return "dot";
    case TokenType::kNot:
      return "not";
    case TokenType::kLbrace:
      return "lbrace";
    case TokenType::kLbracket:
      return "lbracket";
    case TokenType::kLparen:
      return "lparen";
  }
  return "unknown";
}

std::string LexerErrorMessage(absl::string_view expression, size_t position, absl::string_view message) {
  return absl::StrCat("Bad jmespath expression: ", message, ":\n", expression, "\n", std::string(position, ' '), "^");
}

absl::StatusOr<std::vector<Token>> Tokenize(absl::string_view expression) { return Lexer(expression).Run(); }

}  // namespace awsd::jmespath
