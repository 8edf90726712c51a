#include "daemon/http/curl_wire.h"

#include "absl/strings/ascii.h"

namespace awsd::http::internal {

bool AppendLine(Slist& list, const std::string& line) {
  curl_slist* appended = curl_slist_append(list.get(), line.c_str());
  if (appended == nullptr) return false;
  (void)list.release();
  list.reset(appended);
  return true;
}

bool HasLineBreakOrNul(std::string_view s) { return s.find_first_of(std::string_view("\r\n\0", 3)) != s.npos; }

bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    const bool ok = absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
                    std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

void AddHeaderLine(std::string_view line, std::vector<Header>& headers) {
  if ((line.front() == ' ' || line.front() == '\t') && !headers.empty()) {
    absl::string_view folded = absl::StripAsciiWhitespace(absl::string_view(line.data(), line.size()));
    headers.back().value += ' ';
    headers.back().value.append(folded.data(), folded.size());
    return;
  }
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos) return;
  absl::string_view value =
      absl::StripAsciiWhitespace(absl::string_view(line.data() + colon + 1, line.size() - colon - 1));
  headers.push_back(Header{std::string(line.substr(0, colon)), std::string(value.data(), value.size())});
}

}  // namespace awsd::http::internal
