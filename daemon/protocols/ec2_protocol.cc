#include "daemon/protocols/ec2_protocol.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace awsd::protocols {

std::string Ec2Protocol::SerializedName(const model::Member& member, const std::string& default_name) const {
  if (!member.traits.query_name.empty()) return member.traits.query_name;
  if (member.traits.location_name.empty()) return default_name;
  // A locationName is always capitalised on input for ec2.
  std::string name = member.traits.location_name;
  name[0] = absl::ascii_toupper(static_cast<unsigned char>(name[0]));
  return name;
}

absl::Status Ec2Protocol::SerializeList(FormParams& form, const Value& value, const model::Member& member,
                                        const std::string& prefix, int depth) const {
  if (!value.is_array()) return absl::InvalidArgumentError(absl::StrCat("parameter ", prefix, " must be a list"));
  int i = 0;
  for (const Value& item : value) {
    if (absl::Status s = SerializeValue(form, item, member.shape->member, absl::StrCat(prefix, ".", ++i), depth + 1);
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status Ec2Protocol::InjectResponseMetadata(pugi::xml_node root, Value& result) const {
  const xml::ChildIndex children(root);
  const xml::Nodes* request_id = children.Find("requestId");
  if (request_id == nullptr) return absl::OkStatus();
  absl::StatusOr<std::string> text = xml::Text(request_id->first());
  if (!text.ok()) return text.status();
  result["ResponseMetadata"] = Value{{"RequestId", text->empty() ? Value() : Value(*std::move(text))}};
  return absl::OkStatus();
}

}  // namespace awsd::protocols
