#pragma once

// botocore's resume tokens (paginate.py TokenEncoder / TokenDecoder): the
// next input tokens, plus "boto_truncate_amount" when max_items cut a page,
// as json.dumps text in base64. Written byte for byte as botocore writes
// them, so a token from awsd resumes in boto3 or the AWS CLI and one of
// theirs resumes here.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"

namespace awsd::pagination {

// `tokens`: input token name → value (null for none), in input-token order.
std::string EncodeResumeToken(const nlohmann::ordered_json& tokens, std::optional<int64_t> truncate_amount);

struct StartingPoint {
  // Input token name → value (null: leave that member out).
  nlohmann::ordered_json tokens = nlohmann::ordered_json::object();
  // Items of the first page already handed out.
  int64_t truncate_amount = 0;
};

// Reads a starting token: botocore's encoded form, else the old
// "token___token___index" form (a service's own token passes as the first
// input token). InvalidArgument "Bad starting token: ..." when it names more
// tokens than the paginator has.
absl::StatusOr<StartingPoint> DecodeStartingToken(std::string_view token, const std::vector<std::string>& input_tokens);

}  // namespace awsd::pagination
