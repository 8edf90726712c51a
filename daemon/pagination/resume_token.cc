#include "daemon/pagination/resume_token.h"

#include <charconv>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "daemon/encoding/python_repr.h"
#include "daemon/protocols/python_compat.h"

namespace awsd::pagination {
namespace {

// The encoded form, or nullopt where botocore's decoder raises ValueError or
// TypeError and falls back to the old form.
std::optional<StartingPoint> DecodeEncoded(std::string_view token) {
  auto text = protocols::py::B64Decode(token);
  if (!text.ok() || !protocols::py::IsUtf8(*text)) return std::nullopt;
  auto decoded = nlohmann::ordered_json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (!decoded.is_object()) return std::nullopt;
  // Values botocore base64-encoded because they were bytes stay base64
  // here: blob parameters are base64 text on the daemon's side.
  decoded.erase("boto_encoded_keys");
  StartingPoint point;
  if (auto amount = decoded.find("boto_truncate_amount"); amount != decoded.end()) {
    if (!amount->is_number_integer()) return std::nullopt;
    point.truncate_amount = amount->get<int64_t>();
    decoded.erase(amount);
  }
  point.tokens = std::move(decoded);
  return point;
}

std::optional<int64_t> PyInt(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

}  // namespace

std::string EncodeResumeToken(const nlohmann::ordered_json& tokens, std::optional<int64_t> truncate_amount) {
  nlohmann::ordered_json token = tokens;
  if (truncate_amount.has_value()) token["boto_truncate_amount"] = *truncate_amount;
  return protocols::py::B64Encode(encoding::PyJsonDumps(token));
}

absl::StatusOr<StartingPoint> DecodeStartingToken(std::string_view token,
                                                  const std::vector<std::string>& input_tokens) {
  if (auto point = DecodeEncoded(token)) return *std::move(point);
  // paginate.py _parse_starting_token_deprecated.
  std::vector<std::string> parts = absl::StrSplit(std::string(token), "___");
  StartingPoint point;
  if (parts.size() == input_tokens.size() + 1) {
    if (auto index = PyInt(parts.back())) {
      point.truncate_amount = *index;
      parts.pop_back();
    } else {
      parts = {std::string(token)};
    }
  }
  if (parts.size() > input_tokens.size()) {
    return absl::InvalidArgumentError(absl::StrCat("Bad starting token: ", std::string(token)));
  }
  for (std::size_t i = 0; i < input_tokens.size(); ++i) {
    point.tokens[input_tokens[i]] =
        i < parts.size() && parts[i] != "None" ? nlohmann::ordered_json(parts[i]) : nlohmann::ordered_json();
  }
  return point;
}

}  // namespace awsd::pagination
