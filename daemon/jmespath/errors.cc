#include "daemon/jmespath/errors.h"

#include "absl/strings/cord.h"
#include "absl/strings/string_view.h"

namespace awsd::jmespath {
namespace {
constexpr absl::string_view kPayloadUrl = "type.awsd/jmespath.error_class";
}  // namespace

absl::Status MakeError(absl::string_view error_class, absl::string_view message) {
  absl::Status status = absl::InvalidArgumentError(message);
  status.SetPayload(kPayloadUrl, absl::Cord(error_class));
  return status;
}

std::optional<std::string> ErrorClass(const absl::Status& status) {
  auto payload = status.GetPayload(kPayloadUrl);
  if (!payload.has_value()) return std::nullopt;
  return std::string(*payload);
}

}  // namespace awsd::jmespath
