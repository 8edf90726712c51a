#pragma once

// Splits an expression into tokens the way jmespath.py's Lexer does,
// including its quirks (backslashes kept inside raw strings, the JEP-12
// fallback that reads an invalid JSON literal as a string).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace awsd::jmespath {

enum class TokenType {
  kEof,
  kUnquotedIdentifier,
  kQuotedIdentifier,
  kLiteral,
  kRbracket,
  kRparen,
  kComma,
  kRbrace,
  kNumber,
  kCurrent,
  kExpref,
  kColon,
  kPipe,
  kOr,
  kAnd,
  kEq,
  kGt,
  kLt,
  kGte,
  kLte,
  kNe,
  kFlatten,
  kStar,
  kFilter,
  kDot,
  kNot,
  kLbrace,
  kLbracket,
  kLparen,
};

// jmespath.py's name for the type ("unquoted_identifier"), used in messages.
absl::string_view TokenTypeName(TokenType type);

struct Token {
  TokenType type = TokenType::kEof;
  std::string text;              // the identifier's name, or the source text
  nlohmann::ordered_json value;  // a literal's value
  int64_t number = 0;            // a number's value, saturated
  size_t position = 0;           // byte offset in the expression
};

// All tokens, ending with kEof. InvalidArgument (class "syntax") with
// jmespath.py's LexerError message otherwise.
absl::StatusOr<std::vector<Token>> Tokenize(absl::string_view expression);

// jmespath.py's LexerError text.
std::string LexerErrorMessage(absl::string_view expression, size_t position, absl::string_view message);

}  // namespace awsd::jmespath
