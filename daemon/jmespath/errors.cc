#include "daemon/jmespath/errors.h"

#include "absl/strings/cord.h"

namespace awsd::jmespath {
namespace {
constexpr std::string_view kPayloadUrl = "type.awsd/jmespath.error_class";
}  // namespace

absl::Status MakeError(std::string_view error_class, std::string_view message) {
  absl::Status status = absl::InvalidArgumentError(message);
  status.SetPayload(kPayloadUrl, absl::Cord(error_class));
  return status;
}

std::optional<std::string> ErrorClass(const absl::Status& status) {
  std::optional<absl::Cord> payload = status.GetPayload(kPayloadUrl);
  if (!payload.has_value()) return std::nullopt;
  return std::string(*payload);
}

}  // namespace awsd::jmespath
