#include "awsd/resources/names.h"

namespace awsd::resources {
namespace {

bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// re.sub('(.)([A-Z][a-z]+)', r'\1_\2', text).
std::string SplitBeforeCapitalisedWords(std::string_view text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] != '\n' && i + 2 < text.size() && IsUpper(text[i + 1]) && IsLower(text[i + 2])) {
      size_t end = i + 2;
      while (end < text.size() && IsLower(text[end])) ++end;
      out.push_back(text[i]);
      out.push_back('_');
      out.append(text.substr(i + 1, end - i - 1));
      i = end;
    } else {
      out.push_back(text[i]);
      ++i;
    }
  }
  return out;
}

// re.sub('([a-z0-9])([A-Z])', r'\1_\2', text).
std::string SplitBeforeCapitals(std::string_view text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    if ((IsLower(text[i]) || IsDigit(text[i])) && i + 1 < text.size() && IsUpper(text[i + 1])) {
      out.push_back(text[i]);
      out.push_back('_');
      out.push_back(text[i + 1]);
      i += 2;
    } else {
      out.push_back(text[i]);
      ++i;
    }
  }
  return out;
}

}  // namespace

std::string XformName(std::string_view name) {
  if (name.find('_') != std::string_view::npos) return std::string(name);
  std::string text(name);
  // '[A-Z]{2,}s$': a pluralised acronym ("GatewayARNs") becomes "_arns".
  if (text.size() >= 3 && text.back() == 's') {
    size_t start = text.size() - 1;
    while (start > 0 && IsUpper(text[start - 1])) --start;
    if (text.size() - 1 - start >= 2) {
      std::string matched = text.substr(start);
      for (char& c : matched) c = static_cast<char>(IsUpper(c) ? c - 'A' + 'a' : c);
      text = text.substr(0, start) + '_' + matched;
    }
  }
  std::string transformed = SplitBeforeCapitals(SplitBeforeCapitalisedWords(text));
  for (char& c : transformed) c = static_cast<char>(IsUpper(c) ? c - 'A' + 'a' : c);
  return transformed;
}

bool NameMatches(std::string_view query, std::string_view model_name) {
  return query == model_name || XformName(query) == XformName(model_name);
}

}  // namespace awsd::resources
