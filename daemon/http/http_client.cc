#include "daemon/http/http_client.h"

#include "absl/strings/match.h"

namespace awsd::http {

const std::string* HttpResponse::FindHeader(std::string_view name) const {
  for (const auto& header : headers) {
    if (absl::EqualsIgnoreCase(header.name, absl::string_view(name.data(), name.size()))) return &header.value;
  }
  return nullptr;
}

}  // namespace awsd::http
