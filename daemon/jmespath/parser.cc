#include "daemon/jmespath/parser.h"

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "daemon/jmespath/errors.h"
#include "daemon/jmespath/lexer.h"

namespace awsd::jmespath {
namespace {

// jmespath.py's BINDING_POWER; tokens under kProjectionStop end a projection.
int BindingPower(TokenType type) {
  switch (type) {
    case TokenType::kPipe:
      return 1;
    case TokenType::kOr:
      return 2;
    case TokenType::kAnd:
      return 3;
    case TokenType::kEq:
    case TokenType::kGt:
    case TokenType::kLt:
    case TokenType::kGte:
    case TokenType::kLte:
    case TokenType::kNe:
      return 5;
    case TokenType::kFlatten:
      return 9;
    case TokenType::kStar:
      return 20;
    case TokenType::kFilter:
      return 21;
    case TokenType::kDot:
      return 40;
    case TokenType::kNot:
      return 45;
    case TokenType::kLbrace:
      return 50;
    case TokenType::kLbracket:
      return 55;
    case TokenType::kLparen:
      return 60;
    default:
      return 0;
  }
}
constexpr int kProjectionStop = 10;

std::unique_ptr<Node> NewNode(NodeType type) {
  auto node = std::make_unique<Node>();
  node->type = type;
  return node;
}

// Carries a parse failure out of the recursive descent; thrown nowhere else
// and always caught in Parse.
struct ParseFailure {
  absl::Status status;
};

class Parser {
 public:
  Parser(absl::string_view expression, std::vector<Token> tokens) : expr_(expression), tokens_(std::move(tokens)) {}

  NodePtr Run() {
    NodePtr parsed = Expression(0);
    if (Current() != TokenType::kEof) {
      const Token& t = tokens_[index_];
      ErrorAt(t, absl::StrCat("Unexpected token: ", TokenValue(t)));
    }
    return parsed;
  }

 private:
  TokenType Current() const { return tokens_[index_].type; }
  TokenType Lookahead(size_t n) const { return tokens_[std::min(index_ + n, tokens_.size() - 1)].type; }
  void Advance() {
    if (index_ + 1 < tokens_.size()) ++index_;
  }

  NodePtr Finish(std::unique_ptr<Node> node) {
    int deepest = 0;
    for (const NodePtr& child : node->children) deepest = std::max(deepest, child->depth);
    node->depth = deepest + 1;
    if (node->depth > kMaxExpressionDepth) {
      throw ParseFailure{MakeError(
          "limit", absl::StrCat("Invalid jmespath expression: nested deeper than ", kMaxExpressionDepth, " levels"))};
    }
    return node;
  }

  NodePtr Leaf(NodeType type) { return Finish(NewNode(type)); }

  NodePtr Binary(NodeType type, NodePtr left, NodePtr right) {
    auto node = NewNode(type);
    node->children.push_back(std::move(left));
    node->children.push_back(std::move(right));
    return Finish(std::move(node));
  }

  NodePtr Expression(int binding_power) {
    if (++recursion_ > kMaxExpressionDepth) {
      throw ParseFailure{MakeError(
          "limit", absl::StrCat("Invalid jmespath expression: nested deeper than ", kMaxExpressionDepth, " levels"))};
    }
    const Token& left_token = tokens_[index_];
    Advance();
    NodePtr left = Nud(left_token);
    while (binding_power < BindingPower(Current())) {
      const TokenType type = Current();
      Advance();
      left = Led(type, std::move(left));
    }
    --recursion_;
    return left;
  }

  NodePtr Nud(const Token& token) {
    switch (token.type) {
      case TokenType::kLiteral: {
        auto node = NewNode(NodeType::kLiteral);
        node->literal = token.value;
        return Finish(std::move(node));
      }
      case TokenType::kUnquotedIdentifier:
        return Field(token.text);
      case TokenType::kQuotedIdentifier:
        if (Current() == TokenType::kLparen) {
          const Token& t = tokens_[index_];
          Throw(0, TokenValue(t), t.type, "Quoted identifier not allowed for function names.");
        }
        return Field(token.text);
      case TokenType::kStar: {
        NodePtr right = Current() == TokenType::kRbracket ? Leaf(NodeType::kIdentity)
                                                          : ProjectionRhs(BindingPower(TokenType::kStar));
        return Binary(NodeType::kValueProjection, Leaf(NodeType::kIdentity), std::move(right));
      }
      case TokenType::kFilter:
        return FilterLed(Leaf(NodeType::kIdentity));
      case TokenType::kLbrace:
        return MultiSelectHash();
      case TokenType::kLparen: {
        NodePtr inner = Expression(0);
        Match(TokenType::kRparen);
        return inner;
      }
      case TokenType::kFlatten: {
        NodePtr flatten = Unary(NodeType::kFlatten, Leaf(NodeType::kIdentity));
        return Binary(NodeType::kProjection, std::move(flatten), ProjectionRhs(BindingPower(TokenType::kFlatten)));
      }
      case TokenType::kNot:
        return Unary(NodeType::kNot, Expression(BindingPower(TokenType::kNot)));
      case TokenType::kLbracket:
        if (Current() == TokenType::kNumber || Current() == TokenType::kColon) {
          return ProjectIfSlice(Leaf(NodeType::kIdentity), IndexExpression());
        }
        if (Current() == TokenType::kStar && Lookahead(1) == TokenType::kRbracket) {
          Advance();
          Advance();
          return Binary(NodeType::kProjection, Leaf(NodeType::kIdentity),
                        ProjectionRhs(BindingPower(TokenType::kStar)));
        }
        return MultiSelectList();
      case TokenType::kCurrent:
        return Leaf(NodeType::kCurrent);
      case TokenType::kExpref:
        return Unary(NodeType::kExpref, Expression(BindingPower(TokenType::kExpref)));
      case TokenType::kEof:
        Incomplete();
      default:
        ErrorAt(token, "invalid token");
    }
  }

  NodePtr Led(TokenType type, NodePtr left) {
    switch (type) {
      case TokenType::kDot:
        if (Current() != TokenType::kStar) {
          NodePtr right = DotRhs(BindingPower(TokenType::kDot));
          if (left->type == NodeType::kSubexpression) {
            auto merged = std::unique_ptr<Node>(const_cast<Node*>(left.release()));
            merged->children.push_back(std::move(right));
            return Finish(std::move(merged));
          }
          auto node = NewNode(NodeType::kSubexpression);
          node->children.push_back(std::move(left));
          node->children.push_back(std::move(right));
          return Finish(std::move(node));
        }
        Advance();
        return Binary(NodeType::kValueProjection, std::move(left), ProjectionRhs(BindingPower(TokenType::kDot)));
      case TokenType::kPipe:
        return Binary(NodeType::kPipe, std::move(left), Expression(BindingPower(type)));
      case TokenType::kOr:
        return Binary(NodeType::kOr, std::move(left), Expression(BindingPower(type)));
      case TokenType::kAnd:
        return Binary(NodeType::kAnd, std::move(left), Expression(BindingPower(type)));
      case TokenType::kLparen:
        return Function(std::move(left));
      case TokenType::kFilter:
        return FilterLed(std::move(left));
      case TokenType::kEq:
        return Compare(Comparator::kEq, type, std::move(left));
      case TokenType::kNe:
        return Compare(Comparator::kNe, type, std::move(left));
      case TokenType::kGt:
        return Compare(Comparator::kGt, type, std::move(left));
      case TokenType::kGte:
        return Compare(Comparator::kGte, type, std::move(left));
      case TokenType::kLt:
        return Compare(Comparator::kLt, type, std::move(left));
      case TokenType::kLte:
        return Compare(Comparator::kLte, type, std::move(left));
      case TokenType::kFlatten: {
        NodePtr flatten = Unary(NodeType::kFlatten, std::move(left));
        return Binary(NodeType::kProjection, std::move(flatten), ProjectionRhs(BindingPower(TokenType::kFlatten)));
      }
      case TokenType::kLbracket:
        if (Current() == TokenType::kNumber || Current() == TokenType::kColon) {
          NodePtr right = IndexExpression();
          if (left->type == NodeType::kIndexExpression) {
            auto merged = std::unique_ptr<Node>(const_cast<Node*>(left.release()));
            merged->children.push_back(std::move(right));
            return Finish(std::move(merged));
          }
          return ProjectIfSlice(std::move(left), std::move(right));
        }
        Match(TokenType::kStar);
        Match(TokenType::kRbracket);
        return Binary(NodeType::kProjection, std::move(left), ProjectionRhs(BindingPower(TokenType::kStar)));
      default:
        // A token with binding power but no led rule (e.g. "a {" or "a !").
        ErrorAt(tokens_[index_ - 1], "invalid token");
    }
  }

  NodePtr Field(const std::string& name) {
    auto node = NewNode(NodeType::kField);
    node->name = name;
    return Finish(std::move(node));
  }

  NodePtr Unary(NodeType type, NodePtr child) {
    auto node = NewNode(type);
    node->children.push_back(std::move(child));
    return Finish(std::move(node));
  }

  NodePtr Compare(Comparator comparator, TokenType type, NodePtr left) {
    auto node = NewNode(NodeType::kComparator);
    node->comparator = comparator;
    node->children.push_back(std::move(left));
    node->children.push_back(Expression(BindingPower(type)));
    return Finish(std::move(node));
  }

  NodePtr Function(NodePtr left) {
    if (left->type != NodeType::kField) {
      const Token& prev = tokens_[index_ >= 2 ? index_ - 2 : 0];
      ErrorAt(prev, absl::StrCat("Invalid function name '", TokenValue(prev), "'"));
    }
    auto node = NewNode(NodeType::kFunction);
    node->name = left->name;
    // As in jmespath.py, the commas between arguments are optional.
    while (Current() != TokenType::kRparen) {
      NodePtr argument = Expression(0);
      if (Current() == TokenType::kComma) Match(TokenType::kComma);
      node->children.push_back(std::move(argument));
    }
    Match(TokenType::kRparen);
    return Finish(std::move(node));
  }

  NodePtr FilterLed(NodePtr left) {
    NodePtr condition = Expression(0);
    Match(TokenType::kRbracket);
    NodePtr right =
        Current() == TokenType::kFlatten ? Leaf(NodeType::kIdentity) : ProjectionRhs(BindingPower(TokenType::kFilter));
    auto node = NewNode(NodeType::kFilterProjection);
    node->children.push_back(std::move(left));
    node->children.push_back(std::move(right));
    node->children.push_back(std::move(condition));
    return Finish(std::move(node));
  }

  NodePtr IndexExpression() {
    if (Lookahead(0) == TokenType::kColon || Lookahead(1) == TokenType::kColon) return SliceExpression();
    auto node = NewNode(NodeType::kIndex);
    node->index = tokens_[index_].number;
    Advance();
    Match(TokenType::kRbracket);
    return Finish(std::move(node));
  }

  NodePtr SliceExpression() {
    auto node = NewNode(NodeType::kSlice);
    int part = 0;
    while (Current() != TokenType::kRbracket && part < 3) {
      if (Current() == TokenType::kColon) {
        ++part;
        if (part == 3) ErrorAt(tokens_[index_], "syntax error");
        Advance();
      } else if (Current() == TokenType::kNumber) {
        node->slice[part] = tokens_[index_].number;
        Advance();
      } else {
        ErrorAt(tokens_[index_], "syntax error");
      }
    }
    Match(TokenType::kRbracket);
    return Finish(std::move(node));
  }

  NodePtr ProjectIfSlice(NodePtr left, NodePtr right) {
    const bool is_slice = right->type == NodeType::kSlice;
    auto index_expression = NewNode(NodeType::kIndexExpression);
    index_expression->children.push_back(std::move(left));
    index_expression->children.push_back(std::move(right));
    NodePtr indexed = Finish(std::move(index_expression));
    if (!is_slice) return indexed;
    return Binary(NodeType::kProjection, std::move(indexed), ProjectionRhs(BindingPower(TokenType::kStar)));
  }

  NodePtr MultiSelectList() {
    auto node = NewNode(NodeType::kMultiSelectList);
    while (true) {
      node->children.push_back(Expression(0));
      if (Current() == TokenType::kRbracket) break;
      Match(TokenType::kComma);
    }
    Match(TokenType::kRbracket);
    return Finish(std::move(node));
  }

  NodePtr MultiSelectHash() {
    auto node = NewNode(NodeType::kMultiSelectHash);
    while (true) {
      const Token& key = tokens_[index_];
      if (Current() != TokenType::kQuotedIdentifier && Current() != TokenType::kUnquotedIdentifier) {
        MaybeEofError("['quoted_identifier', 'unquoted_identifier']", key);
      }
      Advance();
      Match(TokenType::kColon);
      node->keys.push_back(key.text);
      node->children.push_back(Expression(0));
      if (Current() == TokenType::kComma) {
        Match(TokenType::kComma);
      } else if (Current() == TokenType::kRbrace) {
        Match(TokenType::kRbrace);
        break;
      }
    }
    return Finish(std::move(node));
  }

  NodePtr ProjectionRhs(int binding_power) {
    const TokenType current = Current();
    if (BindingPower(current) < kProjectionStop) return Leaf(NodeType::kIdentity);
    if (current == TokenType::kLbracket || current == TokenType::kFilter) return Expression(binding_power);
    if (current == TokenType::kDot) {
      Match(TokenType::kDot);
      return DotRhs(binding_power);
    }
    ErrorAt(tokens_[index_], "syntax error");
  }

  NodePtr DotRhs(int binding_power) {
    const TokenType current = Current();
    if (current == TokenType::kQuotedIdentifier || current == TokenType::kUnquotedIdentifier ||
        current == TokenType::kStar) {
      return Expression(binding_power);
    }
    if (current == TokenType::kLbracket) {
      Match(TokenType::kLbracket);
      return MultiSelectList();
    }
    if (current == TokenType::kLbrace) {
      Match(TokenType::kLbrace);
      return MultiSelectHash();
    }
    ErrorAt(tokens_[index_],
            absl::StrCat("Expecting: ['quoted_identifier', 'unquoted_identifier', 'lbracket', 'lbrace'], got: ",
                         TokenTypeName(current)));
  }

  void Match(TokenType type) {
    if (Current() == type) {
      Advance();
      return;
    }
    MaybeEofError(absl::StrCat(TokenTypeName(type)), tokens_[index_]);
  }

  [[noreturn]] void MaybeEofError(absl::string_view expected, const Token& token) {
    if (token.type == TokenType::kEof) Incomplete();
    ErrorAt(token, absl::StrCat("Expecting: ", expected, ", got: ", TokenTypeName(token.type)));
  }

  // How jmespath.py prints a token's value: a literal's parsed value, else
  // its text.
  static std::string TokenValue(const Token& token) {
    if (token.type == TokenType::kLiteral && !token.value.is_string()) return token.value.dump();
    if (token.type == TokenType::kLiteral) return token.value.get<std::string>();
    return token.text;
  }

  [[noreturn]] void ErrorAt(const Token& token, absl::string_view reason) {
    Throw(token.position, TokenValue(token), token.type, reason);
  }

  [[noreturn]] void Throw(size_t position, absl::string_view value, TokenType type, absl::string_view reason) {
    std::string type_name(TokenTypeName(type));
    for (char& c : type_name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    throw ParseFailure{MakeError(
        "syntax", absl::StrCat(reason, ": Parse error at column ", position, ", token \"", value, "\" (", type_name,
                               "), for expression:\n\"", expr_, "\"\n", std::string(position + 1, ' '), "^"))};
  }

  [[noreturn]] void Incomplete() {
    throw ParseFailure{MakeError("syntax", absl::StrCat("Invalid jmespath expression: Incomplete expression:\n\"",
                                                        expr_, "\"\n", std::string(expr_.size() + 1, ' '), "^"))};
  }

  absl::string_view expr_;
  std::vector<Token> tokens_;
  size_t index_ = 0;
  int recursion_ = 0;
};

}  // namespace

absl::StatusOr<NodePtr> Parse(absl::string_view expression) {
  absl::StatusOr<std::vector<Token>> tokens = Tokenize(expression);
  if (!tokens.ok()) return tokens.status();
  try {
    return Parser(expression, *std::move(tokens)).Run();
  } catch (const ParseFailure& failure) {
    return failure.status;
  }
}

}  // namespace awsd::jmespath
