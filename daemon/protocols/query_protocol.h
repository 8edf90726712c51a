#pragma once

// The query protocol (IAM, STS, SNS, SQS's old wire, ...): parameters as a
// form body of Action, Version and dotted names (Foo.member.1.Bar), results
// as XML under <OperationResult>. Mirrors botocore's QuerySerializer and
// QueryParser; Ec2Protocol (ec2_protocol.h) is the same with EC2's naming,
// list and request-id rules, through the hooks below.

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "daemon/protocols/protocol.h"
#include "daemon/protocols/xml_body.h"

namespace awsd::protocols {

// The form body as botocore's serializer builds it: a dict, so a name set
// twice keeps its first place and its last value.
class FormParams {
 public:
  void Set(const std::string& name, std::string value);
  const std::vector<std::pair<std::string, std::string>>& pairs() const { return pairs_; }
  // urlencode(): quote_plus of each name and value ("+" for space).
  std::string Encode() const;

 private:
  std::vector<std::pair<std::string, std::string>> pairs_;
};

class QueryProtocol : public Protocol {
 public:
  // POST (or the modelled method) to "/" with a form body and botocore's
  // Content-Type "application/x-www-form-urlencoded; charset=utf-8".
  // InvalidArgument for unknown members or values of the wrong JSON type.
  absl::StatusOr<SerializedRequest> Serialize(const model::ServiceModel& service, const model::Operation& operation,
                                              const Value& params, const SerializeOptions& options) const override;

  // Success: the output read from the resultWrapper element (DataLoss when
  // it is missing or the body is not XML), and ResponseMetadata. Errors
  // (status >= 301): xml_errors.h, then the error shape's members; an error
  // body that is not XML gives the generic error where botocore would raise.
  absl::StatusOr<ParsedResponse> Parse(const model::ServiceModel& service, const model::Operation& operation,
                                       const http::HttpResponse& response, const ParseOptions& options) const override;

 protected:
  // The dotted name of `member` (Serializer._get_serialized_name):
  // locationName, else `default_name`.
  virtual std::string SerializedName(const model::Member& member, const std::string& default_name) const;

  // A list parameter under `prefix`: "member.N" unless flattened; an empty
  // list still sends "prefix=".
  virtual absl::Status SerializeList(FormParams& form, const Value& value, const model::Member& member,
                                     const std::string& prefix, int depth) const;

  // Reads the request id a success document carries into ResponseMetadata
  // (query: <ResponseMetadata>'s children; ec2: <requestId>).
  virtual absl::Status InjectResponseMetadata(pugi::xml_node root, Value& result) const;

  virtual bool is_ec2() const { return false; }

  // One parameter under `prefix` (QuerySerializer._serialize).
  absl::Status SerializeValue(FormParams& form, const Value& value, const model::Member& member,
                              const std::string& prefix, int depth) const;

 private:
  absl::Status SerializeStructure(FormParams& form, const Value& value, const model::Member& member,
                                  const std::string& prefix, int depth) const;
  absl::Status SerializeMap(FormParams& form, const Value& value, const model::Member& member,
                            const std::string& prefix, int depth) const;

  absl::StatusOr<ParsedResponse> ParseSuccess(const model::Operation& operation, const http::HttpResponse& response,
                                              const ParseOptions& options) const;
  ParsedResponse ParseError(const model::ServiceModel& service, const http::HttpResponse& response,
                            const ParseOptions& options) const;
};

}  // namespace awsd::protocols
