// JMESPath (daemon/jmespath): the lexer and parser on arbitrary expressions,
// then the evaluator and every built-in function on an arbitrary JSON
// document. Waiters, paginators and `awsctl --query` all go through here, and
// --query is typed by users.
//
// Input: the expression up to the first '\n', then the document as JSON (an
// unparsable document is searched as null, so the evaluator runs anyway).

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "daemon/jmespath/jmespath.h"
#include "nlohmann/json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const size_t eol = text.find('\n');
  const std::string_view expression = text.substr(0, eol);
  const std::string_view document = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);

  auto compiled = awsd::jmespath::Compile(expression);
  if (!compiled.ok()) {
    (void)awsd::jmespath::ErrorClass(compiled.status());
    return 0;
  }
  nlohmann::ordered_json json = nlohmann::ordered_json::parse(document, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) json = nullptr;
  auto result = compiled->Search(json);
  if (result.ok()) {
    (void)result->dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  } else {
    (void)awsd::jmespath::ErrorClass(result.status());
  }
  return 0;
}
