// The json protocol's direct path (simdjson → client JSON text) gives what
// Parse + ClientResultJson give, on every success case of the json output
// suites and on edge cases of its own.

#include "daemon/protocols/json_body_writer.h"

#include "absl/strings/escaping.h"
#include "daemon/protocols/json_protocol.h"
#include "daemon/protocols/result_json.h"
#include "gtest/gtest.h"
#include "tests/daemon/protocols/protocol_suite.h"

namespace awsd::protocols {
namespace {

using test::LoadProtocolCases;
using test::ProtocolCase;

http::HttpResponse ResponseOf(const Value& response) {
  http::HttpResponse out;
  out.status = response.value("status_code", 200);
  out.body = response.value("body", "");
  for (auto it = response["headers"].begin(); it != response["headers"].end(); ++it) {
    out.headers.push_back({it.key(), it->get<std::string>()});
  }
  return out;
}

void ExpectSameReply(const model::ServiceModel& service, const model::Operation& operation,
                     const http::HttpResponse& response, TimestampOutput timestamps) {
  const JsonProtocol protocol;
  const ParseOptions options{timestamps};
  absl::StatusOr<ParsedResponse> reference = protocol.Parse(service, operation, response, options);
  absl::StatusOr<ClientReply> direct = protocol.ParseToClientJson(service, operation, response, options, 3);
  ASSERT_EQ(reference.ok(), direct.ok()) << reference.status() << " / " << direct.status();
  if (!reference.ok()) {
    EXPECT_EQ(reference.status(), direct.status());
    return;
  }
  // Compared as values: key order is not part of the contract.
  EXPECT_EQ(nlohmann::json::parse(direct->json), nlohmann::json::parse(ClientResultJson(reference->result, 3)));
  EXPECT_EQ(direct->is_error, reference->is_error);
}

class JsonDirectPathTest : public testing::TestWithParam<ProtocolCase> {};

TEST_P(JsonDirectPathTest, SameAsTheValuePath) {
  const ProtocolCase& c = GetParam();
  ASSERT_FALSE(c.data.contains("missing")) << c.data.dump();
  auto service = test::CaseModel(c);
  ASSERT_TRUE(service.ok()) << service.status();
  const model::Operation& operation = **(*service)->FindOperation(c.data["given"].value("name", "OperationName"));
  for (const TimestampOutput output :
       {TimestampOutput::kIso8601, TimestampOutput::kEpochSeconds, TimestampOutput::kWire}) {
    ExpectSameReply(**service, operation, ResponseOf(c.data["response"]), output);
  }
}

INSTANTIATE_TEST_SUITE_P(Suites, JsonDirectPathTest,
                         testing::ValuesIn(LoadProtocolCases({"output/json.json", "output/json_1_0.json",
                                                              "legacy/output/json.json"})),
                         test::ProtocolCaseName);

std::shared_ptr<const model::ServiceModel> EdgeModel() {
  static const auto model = *model::ServiceModel::Parse(R"({
    "metadata": {"protocol": "json", "jsonVersion": "1.0", "targetPrefix": "T"},
    "operations": {"Op": {"name": "Op", "output": {"shape": "Out"}}},
    "shapes": {
      "Out": {"type": "structure", "members": {
        "M": {"shape": "IntMap"}, "L": {"shape": "StrList"}, "B": {"shape": "Blob"}, "N": {"shape": "Int"},
        "Doc": {"shape": "Doc"}, "U": {"shape": "Union"}}},
      "IntMap": {"type": "map", "key": {"shape": "Str"}, "value": {"shape": "Int"}},
      "StrList": {"type": "list", "member": {"shape": "Str"}},
      "Union": {"type": "structure", "union": true, "members": {"A": {"shape": "Str"}}},
      "Doc": {"type": "structure", "members": {}, "document": true},
      "Str": {"type": "string"}, "Int": {"type": "integer"}, "Blob": {"type": "blob"}
    }})",
                                                        "edge");
  return model;
}

TEST(JsonDirectPathEdgeTest, AgreesOnOddBodies) {
  const auto service = EdgeModel();
  const model::Operation& op = **service->FindOperation("Op");
  for (const char* body : {
           R"({"M": {"a": 1, "a": 2}, "N": 1, "N": 5})",          // repeated keys: Python keeps the last
           R"({"M": {"x": null}, "L": ["a", null, "b"]})",        // nulls in maps and lists
           R"({"B": "aGVsbG8=", "N": 12345678901234567890123})",  // a big integer
           R"({"N": NaN})",                                       // a literal simdjson refuses
           R"({"L": "not a list"})",                              // the wrong kind
           R"({"B": "***"})",                                     // bad base64
           R"({"Doc": {"deep": [1, {"x": [true, null]}]}, "U": {"Z": "unknown"}})",
           R"([1, 2])",
           "null",
           "",
           "{",
           "{\"N\": \"\xff\"}",
       }) {
    http::HttpResponse response;
    response.status = 200;
    response.body = body;
    response.headers = {{"x-amzn-RequestId", "R"}};
    SCOPED_TRACE(body);
    ExpectSameReply(*service, op, response, TimestampOutput::kIso8601);
  }
}

}  // namespace
}  // namespace awsd::protocols
