#pragma once

// What the call path will do for real, done here from the raw service-2 JSON
// for the suites' "operationInputs": an operation's staticContextParams,
// contextParams (input members) and operationContextParams (JMESPath).
//
// The JMESPath here covers the forms botocore's models use in
// operationContextParams (all four are DynamoDB's): "a.b", "keys(a)",
// "a[*].b.c" and "a[*].[b.c, d.e][]". A path outside that subset is an
// error, so a model that starts using more fails the test loudly.

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "daemon/endpoints/endpoint_parameters.h"
#include "nlohmann/json.hpp"
#include "tests/daemon/endpoints/endpoint_test_support.h"

namespace awsd::endpoints::testing {

class MiniJmesPath {
 public:
  static absl::StatusOr<nlohmann::json> Search(std::string_view expression, const nlohmann::json& data) {
    MiniJmesPath parser(expression);
    absl::StatusOr<std::vector<Token>> tokens = parser.ParseChain();
    if (!tokens.ok()) return tokens.status();
    if (parser.pos_ != expression.size()) return parser.Error("trailing text");
    return Evaluate(data, *tokens, 0);
  }

 private:
  struct Token {
    enum class Kind { kField, kProject, kFlatten, kMultiSelect, kKeys };
    Kind kind;
    std::string name;
    std::vector<std::vector<Token>> chains;  // kMultiSelect items, kKeys argument
  };

  explicit MiniJmesPath(std::string_view text) : text_(text) {}

  absl::Status Error(std::string_view what) const {
    return absl::InvalidArgumentError("unsupported JMESPath \"" + std::string(text_) + "\": " + std::string(what));
  }

  static bool IsIdentifierChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }

  void SkipSpaces() {
    while (pos_ < text_.size() && text_[pos_] == ' ') ++pos_;
  }

  absl::StatusOr<std::vector<Token>> ParseChain() {
    std::vector<Token> tokens;
    SkipSpaces();
    if (text_.substr(pos_, 5) == "keys(") {
      pos_ += 5;
      absl::StatusOr<std::vector<Token>> argument = ParseChain();
      if (!argument.ok()) return argument;
      if (pos_ >= text_.size() || text_[pos_] != ')') return Error("missing ')'");
      ++pos_;
      tokens.push_back(Token{Token::Kind::kKeys, "", {*std::move(argument)}});
    }
    bool expect_field = tokens.empty();
    while (pos_ < text_.size()) {
      SkipSpaces();
      const char c = text_[pos_];
      if (IsIdentifierChar(c)) {
        if (!expect_field) return Error("unexpected identifier");
        const size_t start = pos_;
        while (pos_ < text_.size() && IsIdentifierChar(text_[pos_])) ++pos_;
        tokens.push_back(Token{Token::Kind::kField, std::string(text_.substr(start, pos_ - start)), {}});
        expect_field = false;
      } else if (c == '.') {
        ++pos_;
        expect_field = true;
      } else if (text_.substr(pos_, 3) == "[*]") {
        pos_ += 3;
        tokens.push_back(Token{Token::Kind::kProject, "", {}});
        expect_field = false;
      } else if (text_.substr(pos_, 2) == "[]") {
        pos_ += 2;
        tokens.push_back(Token{Token::Kind::kFlatten, "", {}});
        expect_field = false;
      } else if (c == '[') {
        ++pos_;
        Token select{Token::Kind::kMultiSelect, "", {}};
        while (true) {
          absl::StatusOr<std::vector<Token>> item = ParseChain();
          if (!item.ok()) return item;
          select.chains.push_back(*std::move(item));
          SkipSpaces();
          if (pos_ < text_.size() && text_[pos_] == ',') {
            ++pos_;
            continue;
          }
          if (pos_ < text_.size() && text_[pos_] == ']') {
            ++pos_;
            break;
          }
          return Error("bad multiselect list");
        }
        tokens.push_back(std::move(select));
        expect_field = false;
      } else {
        break;  // ',' ']' ')' end the chain
      }
    }
    return tokens;
  }

  static nlohmann::json Evaluate(const nlohmann::json& value, const std::vector<Token>& tokens, size_t i) {
    if (i == tokens.size()) return value;
    const Token& token = tokens[i];
    switch (token.kind) {
      case Token::Kind::kField:
        if (!value.is_object() || !value.contains(token.name)) return nullptr;
        return Evaluate(value[token.name], tokens, i + 1);
      case Token::Kind::kKeys: {
        const nlohmann::json argument = Evaluate(value, token.chains.front(), 0);
        if (!argument.is_object()) return nullptr;
        nlohmann::json keys = nlohmann::json::array();
        for (auto it = argument.begin(); it != argument.end(); ++it) keys.push_back(it.key());
        return Evaluate(keys, tokens, i + 1);
      }
      case Token::Kind::kMultiSelect: {
        if (value.is_null()) return nullptr;
        nlohmann::json list = nlohmann::json::array();
        for (const std::vector<Token>& chain : token.chains) list.push_back(Evaluate(value, chain, 0));
        return Evaluate(list, tokens, i + 1);
      }
      case Token::Kind::kProject:
      case Token::Kind::kFlatten: {
        if (!value.is_array()) return nullptr;
        nlohmann::json elements = nlohmann::json::array();
        for (const nlohmann::json& element : value) {
          if (token.kind == Token::Kind::kFlatten && element.is_array()) {
            for (const nlohmann::json& inner : element) elements.push_back(inner);
          } else {
            elements.push_back(element);
          }
        }
        nlohmann::json projected = nlohmann::json::array();
        for (const nlohmann::json& element : elements) {
          nlohmann::json result = Evaluate(element, tokens, i + 1);
          if (!result.is_null()) projected.push_back(std::move(result));
        }
        return projected;
      }
    }
    return nullptr;
  }

  std::string_view text_;
  size_t pos_ = 0;
};

// The endpoint inputs of `operation` in `service_model` (service-2.json)
// for the call input `input`.
inline absl::StatusOr<OperationEndpointInputs> OperationInputs(const nlohmann::json& service_model,
                                                               const std::string& operation,
                                                               const nlohmann::json& input) {
  OperationEndpointInputs inputs;
  const nlohmann::json& operations = service_model["operations"];
  if (!operations.contains(operation)) return absl::NotFoundError("no operation " + operation);
  const nlohmann::json& model = operations[operation];
  if (model.contains("staticContextParams")) {
    for (auto it = model["staticContextParams"].begin(); it != model["staticContextParams"].end(); ++it) {
      absl::StatusOr<std::optional<ParamValue>> value = ParamFromJson(it.value()["value"]);
      if (!value.ok()) return value.status();
      if (value->has_value()) inputs.static_context.emplace(it.key(), **value);
    }
  }
  if (model.contains("input") && model["input"].contains("shape")) {
    const nlohmann::json& shape = service_model["shapes"][model["input"]["shape"].get<std::string>()];
    if (shape.contains("members")) {
      for (auto it = shape["members"].begin(); it != shape["members"].end(); ++it) {
        if (!it.value().contains("contextParam") || !input.is_object() || !input.contains(it.key())) continue;
        absl::StatusOr<std::optional<ParamValue>> value = ParamFromJson(input[it.key()]);
        if (!value.ok()) return value.status();
        if (value->has_value()) {
          inputs.context.emplace(it.value()["contextParam"]["name"].get<std::string>(), **value);
        }
      }
    }
  }
  if (model.contains("operationContextParams")) {
    for (auto it = model["operationContextParams"].begin(); it != model["operationContextParams"].end(); ++it) {
      absl::StatusOr<nlohmann::json> found =
          MiniJmesPath::Search(it.value()["path"].get<std::string>(), input.is_null() ? nlohmann::json() : input);
      if (!found.ok()) return found.status();
      absl::StatusOr<std::optional<ParamValue>> value = ParamFromJson(*found);
      if (!value.ok()) return value.status();
      if (value->has_value()) inputs.operation_context.emplace(it.key(), **value);
    }
  }
  return inputs;
}

// The service model's clientContextParams names.
inline std::vector<std::string> ClientContextParamNames(const nlohmann::json& service_model) {
  std::vector<std::string> names;
  if (service_model.contains("clientContextParams")) {
    for (auto it = service_model["clientContextParams"].begin(); it != service_model["clientContextParams"].end();
         ++it) {
      names.push_back(it.key());
    }
  }
  return names;
}

}  // namespace awsd::endpoints::testing
