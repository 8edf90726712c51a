#include "daemon/endpoints/arn.h"

#include <array>

namespace awsd::endpoints {
namespace {

// str.split(':', 5): at most six parts, the last keeping its colons.
bool SplitSix(std::string_view text, std::array<std::string_view, 6>* parts) {
  size_t start = 0;
  for (size_t i = 0; i < 5; ++i) {
    const size_t colon = text.find(':', start);
    if (colon == std::string_view::npos) return false;
    (*parts)[i] = text.substr(start, colon - start);
    start = colon + 1;
  }
  (*parts)[5] = text.substr(start);
  return true;
}

}  // namespace

bool LooksLikeArn(std::string_view text) {
  std::array<std::string_view, 6> parts;
  return text.substr(0, 4) == "arn:" && SplitSix(text, &parts);
}

std::optional<Arn> ParseArn(std::string_view text) {
  std::array<std::string_view, 6> parts;
  if (text.substr(0, 4) != "arn:" || !SplitSix(text, &parts)) return std::nullopt;
  if (parts[1].empty() || parts[2].empty() || parts[5].empty()) return std::nullopt;
  Arn arn{parts[1], parts[2], parts[3], parts[4], {}};
  const std::string_view resource = parts[5];
  size_t start = 0;
  while (true) {
    const size_t separator = resource.find_first_of(":/", start);
    if (separator == std::string_view::npos) {
      arn.resource_id.push_back(resource.substr(start));
      break;
    }
    arn.resource_id.push_back(resource.substr(start, separator - start));
    start = separator + 1;
  }
  return arn;
}

}  // namespace awsd::endpoints
