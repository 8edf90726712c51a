#include "daemon/invoke/blob_params.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "daemon/protocols/python_compat.h"

namespace awsd::invoke {
namespace {

// Deeper inputs are refused by the validator anyway; the bound keeps a
// hostile nesting from exhausting the stack.
constexpr int kMaxDepth = 64;

absl::Status Decode(const model::Shape& shape, protocols::Value& value, const std::string& path, int depth) {
  if (depth > kMaxDepth) return absl::InvalidArgumentError(absl::StrCat(path, ": nested too deeply"));
  switch (shape.type) {
    case model::ShapeType::kBlob: {
      if (!value.is_string()) return absl::OkStatus();
      auto bytes = protocols::py::B64Decode(value.get_ref<const std::string&>());
      if (!bytes.ok()) {
        return absl::InvalidArgumentError(absl::StrCat("Invalid base64 for blob parameter ", path));
      }
      value = protocols::Value::binary(std::vector<std::uint8_t>(bytes->begin(), bytes->end()));
      return absl::OkStatus();
    }
    case model::ShapeType::kStructure: {
      if (!value.is_object() || shape.is_document) return absl::OkStatus();
      for (const model::Member& member : shape.members) {
        auto found = value.find(member.name);
        if (found == value.end()) continue;
        absl::Status status = Decode(*member.shape, *found, path + "." + member.name, depth + 1);
        if (!status.ok()) return status;
      }
      return absl::OkStatus();
    }
    case model::ShapeType::kList: {
      if (!value.is_array() || shape.member.shape == nullptr) return absl::OkStatus();
      for (std::size_t i = 0; i < value.size(); ++i) {
        absl::Status status = Decode(*shape.member.shape, value[i], absl::StrCat(path, "[", i, "]"), depth + 1);
        if (!status.ok()) return status;
      }
      return absl::OkStatus();
    }
    case model::ShapeType::kMap: {
      if (!value.is_object() || shape.value.shape == nullptr) return absl::OkStatus();
      for (auto it = value.begin(); it != value.end(); ++it) {
        absl::Status status = Decode(*shape.value.shape, it.value(), path + "." + it.key(), depth + 1);
        if (!status.ok()) return status;
      }
      return absl::OkStatus();
    }
    default:
      return absl::OkStatus();
  }
}

}  // namespace

absl::Status DecodeBlobParams(const model::Shape& shape, protocols::Value& params) {
  return Decode(shape, params, "params", 0);
}

}  // namespace awsd::invoke
