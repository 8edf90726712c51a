#pragma once

// The ec2 protocol: the query protocol with EC2's differences, as botocore's
// EC2Serializer and EC2QueryParser make them. Names come from queryName, else
// a capitalised locationName; lists are "Name.N" whether flattened or not
// and an empty list sends nothing; the request id is <requestId> on success
// and <RequestID> in <Response><Errors><Error> documents.

#include <string>

#include "daemon/protocols/query_protocol.h"

namespace awsd::protocols {

class Ec2Protocol final : public QueryProtocol {
 protected:
  std::string SerializedName(const model::Member& member, const std::string& default_name) const override;
  absl::Status SerializeList(FormParams& form, const Value& value, const model::Member& member,
                             const std::string& prefix, int depth) const override;
  absl::Status InjectResponseMetadata(pugi::xml_node root, Value& result) const override;
  bool is_ec2() const override { return true; }
};

}  // namespace awsd::protocols
