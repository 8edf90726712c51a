// smithy-rpc-v2-cbor beyond the conformance suites: the exact bytes botocore
// writes (float widths, special floats, integer widths, timestamps), values
// the wire cannot carry, shapes meeting items of the wrong type, botocore's
// decoder limits, errors, and hostile bodies (malformed, truncated, deeply
// nested, random), which must never crash.

#include "daemon/protocols/cbor_body.h"

#include <cmath>
#include <cstdint>
#include <iterator>
#include <limits>
#include <memory>
#include <random>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "daemon/encoding/cbor_decoder.h"
#include "daemon/encoding/cbor_encoder.h"
#include "daemon/encoding/cbor_item.h"
#include "daemon/model/service_model.h"
#include "daemon/protocols/rpc_v2_cbor_protocol.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace awsd::protocols {
namespace {

using encoding::CborItem;
using testing::HasSubstr;

std::string Unhex(const std::string& hex) { return absl::HexStringToBytes(hex); }
std::string Hex(const std::string& bytes) { return absl::BytesToHexString(bytes); }

// Equal as JSON, member order aside (the model keeps members sorted by name).
testing::AssertionResult SameJson(const Value& actual, const std::string& expected) {
  if (nlohmann::json::parse(actual.dump()) == nlohmann::json::parse(expected)) return testing::AssertionSuccess();
  return testing::AssertionFailure() << actual.dump() << " != " << expected;
}

// One service with every shape the tests need.
std::shared_ptr<const model::ServiceModel> TestModel(bool query_compatible = false, bool target_prefix = true) {
  nlohmann::json model = nlohmann::json::parse(R"({
    "metadata": {"protocol": "smithy-rpc-v2-cbor", "protocols": ["smithy-rpc-v2-cbor"], "apiVersion": "2020-01-01",
                 "targetPrefix": "Svc"},
    "operations": {
      "Op": {"name": "Op", "input": {"shape": "Input"}, "output": {"shape": "Output"},
             "errors": [{"shape": "Bad"}, {"shape": "Coded"}]},
      "NoIo": {"name": "NoIo"},
      "Hosted": {"name": "Hosted", "input": {"shape": "HostInput"}, "endpoint": {"hostPrefix": "{Account}.data-"}},
      "HostedNoInput": {"name": "HostedNoInput", "endpoint": {"hostPrefix": "data-"}},
      "Stream": {"name": "Stream", "input": {"shape": "Input"}, "output": {"shape": "StreamOutput"}}
    },
    "shapes": {
      "Input": {"type": "structure", "members": {
        "S": {"shape": "String"}, "I": {"shape": "Integer"}, "L": {"shape": "Long"}, "F": {"shape": "Float"},
        "D": {"shape": "Double"}, "B": {"shape": "Boolean"}, "T": {"shape": "Timestamp"}, "Blob": {"shape": "Blob"},
        "Named": {"shape": "String", "locationName": "wire"}, "List": {"shape": "StringList"},
        "Map": {"shape": "StringMap"}, "Nested": {"shape": "Input"}, "U": {"shape": "Choice"},
        "Token": {"shape": "String", "idempotencyToken": true}}},
      "Output": {"type": "structure", "members": {
        "S": {"shape": "String"}, "I": {"shape": "Integer"}, "F": {"shape": "Float"}, "T": {"shape": "Timestamp"},
        "Blob": {"shape": "Blob"}, "List": {"shape": "StringList"}, "Structs": {"shape": "StructList"},
        "Map": {"shape": "StringMap"}, "StructMap": {"shape": "StructMap"}, "Nested": {"shape": "Output"},
        "U": {"shape": "Choice"}, "Empty": {"shape": "Empty"}, "Named": {"shape": "String", "locationName": "wire"}}},
      "HostInput": {"type": "structure", "members": {"Account": {"shape": "String", "hostLabel": true}}},
      "StreamOutput": {"type": "structure", "members": {"Events": {"shape": "Events"}}},
      "Events": {"type": "structure", "eventstream": true, "members": {"E": {"shape": "Empty"}}},
      "Empty": {"type": "structure", "members": {}},
      "Choice": {"type": "structure", "union": true, "members": {"A": {"shape": "String"}, "B": {"shape": "Integer"}}},
      "StringList": {"type": "list", "member": {"shape": "String"}},
      "StructList": {"type": "list", "member": {"shape": "Empty2"}},
      "Empty2": {"type": "structure", "members": {"X": {"shape": "String"}}},
      "StringMap": {"type": "map", "key": {"shape": "String"}, "value": {"shape": "String"}},
      "StructMap": {"type": "map", "key": {"shape": "String"}, "value": {"shape": "Empty2"}},
      "Bad": {"type": "structure", "exception": true, "members": {"Message": {"shape": "String"},
                                                                  "Detail": {"shape": "Empty2"}}},
      "Coded": {"type": "structure", "exception": true, "error": {"code": "Customized", "httpStatusCode": 402},
                "members": {"message": {"shape": "String"}}},
      "String": {"type": "string"}, "Integer": {"type": "integer"}, "Long": {"type": "long"},
      "Float": {"type": "float"}, "Double": {"type": "double"}, "Boolean": {"type": "boolean"},
      "Timestamp": {"type": "timestamp"}, "Blob": {"type": "blob"}
    }})");
  if (query_compatible) model["metadata"]["awsQueryCompatible"] = nlohmann::json::object();
  if (!target_prefix) model["metadata"].erase("targetPrefix");
  absl::StatusOr<std::shared_ptr<const model::ServiceModel>> service = model::ServiceModel::FromJson(model, "svc");
  EXPECT_TRUE(service.ok()) << service.status();
  return *service;
}

const model::ServiceModel& Service() {
  static const std::shared_ptr<const model::ServiceModel> service = TestModel();
  return *service;
}

const model::Operation& Op(const std::string& name, const model::ServiceModel& service = Service()) {
  return **service.FindOperation(name);
}

const model::Shape& InputShape() { return *Op("Op").input->shape; }
const model::Shape& OutputShape() { return *Op("Op").output->shape; }

// The hex body botocore would send for `params`, or the error.
std::string BodyHex(const Value& params) {
  absl::StatusOr<CborItem> item = cbor::ParamsToCbor(params, InputShape());
  if (!item.ok()) return std::string(item.status().message());
  return Hex(encoding::EncodeCbor(*item));
}

absl::StatusCode SerializeCode(const Value& params) { return cbor::ParamsToCbor(params, InputShape()).status().code(); }

// ---- Serialising: botocore's bytes ---------------------------------------

TEST(CborSerializeTest, FloatsAreSinglesAndDoublesAreDoubles) {
  EXPECT_EQ(BodyHex({{"F", 7.625}}), "a16146fa40f40000");
  // 1.889 is not a single: it is rounded to one, as struct.pack(">f") does.
  EXPECT_EQ(BodyHex({{"F", 1.889}}), "a16146fa3ff1cac1");
  EXPECT_EQ(BodyHex({{"D", 1.889}}), "a16144fb3ffe395810624dd3");
  EXPECT_EQ(BodyHex({{"D", 1}}), "a16144fb3ff0000000000000");
  EXPECT_EQ(BodyHex({{"F", true}}), "a16146fa3f800000");  // a Python bool is a number
}

TEST(CborSerializeTest, SpecialFloatsAreHalves) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(BodyHex({{"F", nan}}), "a16146f97e00");
  EXPECT_EQ(BodyHex({{"D", nan}}), "a16144f97e00");
  EXPECT_EQ(BodyHex({{"D", -nan}}), "a16144f97e00");  // sign and payload are not kept
  EXPECT_EQ(BodyHex({{"F", inf}}), "a16146f97c00");
  EXPECT_EQ(BodyHex({{"D", -inf}}), "a16144f9fc00");
}

TEST(CborSerializeTest, FloatsBeyondSingleRangeFailAsPythonDoes) {
  EXPECT_EQ(SerializeCode({{"F", 1e300}}), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(SerializeCode({{"F", -3.5e38}}), absl::StatusCode::kInvalidArgument);
  // Just above FLT_MAX still rounds down to it.
  EXPECT_EQ(BodyHex({{"F", 3.4028235e38}}), "a16146fa7f7fffff");
  EXPECT_EQ(BodyHex({{"D", 1e300}}), "a16144fb7e37e43c8800759c");
}

TEST(CborSerializeTest, IntegersTakeTheirShortestForm) {
  EXPECT_EQ(BodyHex({{"I", 23}}), "a1614917");
  EXPECT_EQ(BodyHex({{"I", 24}}), "a161491818");
  EXPECT_EQ(BodyHex({{"I", 256}}), "a16149190100");
  EXPECT_EQ(BodyHex({{"I", -1}}), "a1614920");
  EXPECT_EQ(BodyHex({{"L", -4294967297LL}}), "a1614c3b0000000100000000");
  EXPECT_EQ(BodyHex({{"L", std::numeric_limits<std::uint64_t>::max()}}), "a1614c1bffffffffffffffff");
  EXPECT_EQ(BodyHex({{"I", true}}), "a1614901");
  EXPECT_EQ(SerializeCode({{"I", 1.5}}), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(SerializeCode({{"I", "1"}}), absl::StatusCode::kInvalidArgument);
}

TEST(CborSerializeTest, TimestampsAreTagOneWholeSeconds) {
  EXPECT_EQ(BodyHex({{"T", 1398796238}}), "a16154c11a535fefce");
  EXPECT_EQ(BodyHex({{"T", 1398796238.9}}), "a16154c11a535fefce");  // int(timegm(...)) drops the fraction
  EXPECT_EQ(BodyHex({{"T", "2014-04-29T18:30:38.5Z"}}), "a16154c11a535fefce");
  // botocore cannot write a negative one (OverflowError); awsd writes the
  // negative integer, its fraction dropped towards the past.
  EXPECT_EQ(BodyHex({{"T", -1.5}}), "a16154c121");
  EXPECT_EQ(SerializeCode({{"T", "yesterday"}}), absl::StatusCode::kInvalidArgument);
}

TEST(CborSerializeTest, BlobsStringsAndBooleans) {
  EXPECT_EQ(BodyHex({{"Blob", "foo"}}), "a164426c6f6243666f6f");
  EXPECT_EQ(BodyHex({{"Blob", Value::binary({0, 0xff})}}), "a164426c6f624200ff");
  EXPECT_EQ(BodyHex({{"S", "é"}}), "a1615362c3a9");
  EXPECT_EQ(BodyHex({{"B", false}}), "a16142f4");
  EXPECT_EQ(SerializeCode({{"B", 1}}), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(SerializeCode({{"Blob", 1}}), absl::StatusCode::kInvalidArgument);
}

TEST(CborSerializeTest, StructuresKeepParameterOrderDropNullsAndUseWireNames) {
  EXPECT_EQ(BodyHex({{"S", "a"}, {"I", nullptr}, {"Named", "b"}}),
            "a2615361616477697265"
            "6162");
  EXPECT_EQ(BodyHex(Value::object()), "a0");
  EXPECT_EQ(SerializeCode({{"Nope", 1}}), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(SerializeCode({{"Nested", "x"}}), absl::StatusCode::kInvalidArgument);
}

TEST(CborSerializeTest, CollectionsRejectNulls) {
  EXPECT_EQ(BodyHex({{"List", {"a"}}, {"Map", {{"k", "v"}}}}),
            "a2644c69737481616163"
            "4d6170a1616b6176");
  EXPECT_EQ(SerializeCode({{"List", {"a", nullptr}}}), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(SerializeCode({{"Map", {{"k", nullptr}}}}), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(SerializeCode({{"List", "a"}}), absl::StatusCode::kInvalidArgument);
}

TEST(CborSerializeTest, DeepRecursiveParametersAreRefused) {
  Value params = Value::object();
  for (int i = 0; i < cbor::kMaxParamDepth + 5; ++i) params = Value{{"Nested", std::move(params)}};
  absl::Status status = cbor::ParamsToCbor(params, InputShape()).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("nested too deeply"));
  Value shallow = Value::object();
  for (int i = 0; i < 100; ++i) shallow = Value{{"Nested", std::move(shallow)}};
  EXPECT_TRUE(cbor::ParamsToCbor(shallow, InputShape()).ok());
}

// ---- Serialising: the request --------------------------------------------

TEST(RpcV2CborSerializeTest, PathHeadersAndBody) {
  absl::StatusOr<SerializedRequest> request = RpcV2CborProtocol().Serialize(Service(), Op("Op"), {{"S", "x"}}, {});
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->method, "POST");
  EXPECT_EQ(RequestTarget(*request), "/service/Svc/operation/Op");
  EXPECT_EQ(Hex(request->body), "a161536178");
  ASSERT_EQ(request->headers.size(), 3u);
  EXPECT_EQ(request->headers[0].name, "smithy-protocol");
  EXPECT_EQ(request->headers[0].value, "rpc-v2-cbor");
  EXPECT_EQ(*request->FindHeader("Accept"), "application/cbor");
  EXPECT_EQ(*request->FindHeader("Content-Type"), "application/cbor");
  EXPECT_EQ(request->FindHeader("Content-Length"), nullptr);  // request preparation adds it
  EXPECT_EQ(request->FindHeader("x-amzn-query-mode"), nullptr);
}

TEST(RpcV2CborSerializeTest, NoInputMeansNoBodyAndNoContentType) {
  absl::StatusOr<SerializedRequest> request = RpcV2CborProtocol().Serialize(Service(), Op("NoIo"), Value(), {});
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->body, "");
  EXPECT_EQ(request->FindHeader("Content-Type"), nullptr);
  EXPECT_EQ(*request->FindHeader("Accept"), "application/cbor");
}

TEST(RpcV2CborSerializeTest, NullParamsForAnInputAreAnEmptyMap) {
  absl::StatusOr<SerializedRequest> request = RpcV2CborProtocol().Serialize(Service(), Op("Op"), Value(), {});
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(Hex(request->body), "a0");
}

TEST(RpcV2CborSerializeTest, QueryCompatibleServicesSayQueryMode) {
  auto service = TestModel(/*query_compatible=*/true);
  absl::StatusOr<SerializedRequest> request = RpcV2CborProtocol().Serialize(*service, Op("NoIo", *service), {}, {});
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(*request->FindHeader("x-amzn-query-mode"), "true");
}

TEST(RpcV2CborSerializeTest, EventStreamOutputAcceptsEventStreams) {
  absl::StatusOr<SerializedRequest> request = RpcV2CborProtocol().Serialize(Service(), Op("Stream"), {}, {});
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(*request->FindHeader("Accept"), "application/vnd.amazon.eventstream");
  EXPECT_EQ(*request->FindHeader("Content-Type"), "application/vnd.amazon.eventstream");
}

TEST(RpcV2CborSerializeTest, HostPrefixes) {
  absl::StatusOr<SerializedRequest> request =
      RpcV2CborProtocol().Serialize(Service(), Op("Hosted"), {{"Account", "123"}}, {});
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->host_prefix, "123.data-");
  EXPECT_EQ(RpcV2CborProtocol().Serialize(Service(), Op("Hosted"), {{"Account", "a/b"}}, {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  request = RpcV2CborProtocol().Serialize(Service(), Op("HostedNoInput"), {}, {});
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->host_prefix, "data-");
}

TEST(RpcV2CborSerializeTest, IdempotencyTokensAreFilledWhenLeftOut) {
  SerializeOptions options;
  options.idempotency_token = [] { return std::string("tok"); };
  absl::StatusOr<SerializedRequest> request = RpcV2CborProtocol().Serialize(Service(), Op("Op"), {}, options);
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(Hex(request->body), "a165546f6b656e63746f6b");
  request = RpcV2CborProtocol().Serialize(Service(), Op("Op"), {{"Token", "mine"}}, options);
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(Hex(request->body), "a165546f6b656e646d696e65");
}

TEST(RpcV2CborSerializeTest, AModelWithoutTargetPrefixCannotBeAddressed) {
  auto service = TestModel(false, /*target_prefix=*/false);
  EXPECT_EQ(RpcV2CborProtocol().Serialize(*service, Op("NoIo", *service), {}, {}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// ---- Reading bodies ---------------------------------------------------------

CborItem T(const std::string& text) { return CborItem::Text(text); }
CborItem MapOf(CborItem::Map entries) { return CborItem::MapOf(std::move(entries)); }

absl::StatusOr<Value> Read(const CborItem& item, TimestampOutput timestamps = TimestampOutput::kEpochSeconds) {
  if (absl::Status s = cbor::CheckBotocoreDecodable(item); !s.ok()) return s;
  return cbor::CborToResult(item, OutputShape(), timestamps);
}

TEST(CborReadTest, OnlyWhatBotocoreDecodesIsAccepted) {
  EXPECT_TRUE(cbor::CheckBotocoreDecodable(CborItem::Tagged(1, CborItem::Unsigned(1))).ok());
  EXPECT_TRUE(cbor::CheckBotocoreDecodable(CborItem::Tagged(1, CborItem::Float(1.5))).ok());
  // Everywhere in the body, read or not.
  EXPECT_EQ(cbor::CheckBotocoreDecodable(MapOf({{T("x"), CborItem::Tagged(2, CborItem::Bytes("a"))}})).code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(cbor::CheckBotocoreDecodable(CborItem::Tagged(1, T("2020"))).code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(cbor::CheckBotocoreDecodable(CborItem::Tagged(1, CborItem::Float(NAN))).code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(cbor::CheckBotocoreDecodable(CborItem::Tagged(1, CborItem::Unsigned(253402300800))).code(),
            absl::StatusCode::kDataLoss);  // year 10000
  EXPECT_EQ(cbor::CheckBotocoreDecodable(CborItem::ArrayOf({CborItem::Simple(16)})).code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(cbor::CheckBotocoreDecodable(MapOf({{CborItem::ArrayOf(), T("v")}})).code(), absl::StatusCode::kDataLoss);
  EXPECT_TRUE(cbor::CheckBotocoreDecodable(MapOf({{CborItem::Unsigned(1), T("v")}})).ok());
  // An entry with a null value is never stored, so its key is never hashed.
  EXPECT_TRUE(cbor::CheckBotocoreDecodable(MapOf({{CborItem::ArrayOf(), CborItem::Null()}})).ok());
}

TEST(CborReadTest, StructuresKeepModelledNonNullMembersByName) {
  absl::StatusOr<Value> result = Read(MapOf({{T("I"), CborItem::Unsigned(1)},
                                             {T("S"), T("s")},
                                             {T("extra"), T("skipped")},
                                             {T("wire"), T("by name, not locationName")},
                                             {T("Named"), T("n")},
                                             {T("F"), CborItem::Null()}}));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(SameJson(*result, R"({"S":"s","I":1,"Named":"n"})"));
}

TEST(CborReadTest, RepeatedKeysKeepTheLastNonNullValue) {
  absl::StatusOr<Value> result =
      Read(MapOf({{T("S"), T("first")}, {T("S"), T("second")}, {T("I"), CborItem::Unsigned(1)}, {T("I"), {}}}));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(SameJson(*result, R"({"S":"second","I":1})"));
}

TEST(CborReadTest, ScalarsComeBackAsDecodedWhateverTheShape) {
  absl::StatusOr<Value> result = Read(MapOf({{T("S"), CborItem::Unsigned(5)},
                                             {T("I"), T("five")},
                                             {T("Blob"), CborItem::Bytes(std::string("\x00\xff", 2))},
                                             {T("F"), CborItem::Negative(std::numeric_limits<std::uint64_t>::max())}}));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ((*result)["S"], 5);
  EXPECT_EQ((*result)["I"], "five");
  EXPECT_EQ((*result)["Blob"], Value::binary({0x00, 0xff}));
  EXPECT_EQ((*result)["F"].get<double>(), -18446744073709551616.0);
}

TEST(CborReadTest, ContainersOfTheWrongTypeAreDataLoss) {
  EXPECT_EQ(Read(MapOf({{T("Nested"), T("x")}})).status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(Read(MapOf({{T("List"), MapOf({})}})).status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(Read(CborItem::ArrayOf()).status().code(), absl::StatusCode::kDataLoss);
  // A structure with no members reads anything as {}, as botocore's does.
  absl::StatusOr<Value> result = Read(MapOf({{T("Empty"), CborItem::Unsigned(3)}}));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->dump(), R"({"Empty":{}})");
}

TEST(CborReadTest, ListsKeepNullsAndConvertMembers) {
  absl::StatusOr<Value> result =
      Read(MapOf({{T("List"), CborItem::ArrayOf({T("a"), CborItem::Null(), CborItem::Undefined()})},
                  {T("Structs"), CborItem::ArrayOf({MapOf({{T("X"), T("x")}, {T("Y"), T("dropped")}})})}}));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(SameJson(*result, R"({"List":["a",null,null],"Structs":[{"X":"x"}]})"));
}

TEST(CborReadTest, MapsComeBackRawWithoutNullValues) {
  // botocore's default handler returns a map as decoded: structure values
  // keep unmodelled keys.
  absl::StatusOr<Value> result =
      Read(MapOf({{T("Map"), MapOf({{T("a"), T("1")}, {T("b"), CborItem::Null()}})},
                  {T("StructMap"), MapOf({{T("k"), MapOf({{T("X"), T("x")}, {T("Y"), T("kept")}})}})}}));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(SameJson(*result, R"({"Map":{"a":"1"},"StructMap":{"k":{"X":"x","Y":"kept"}}})"));
  EXPECT_EQ(Read(MapOf({{T("Map"), MapOf({{CborItem::Unsigned(1), T("1")}})}})).status().code(),
            absl::StatusCode::kDataLoss);
}

TEST(CborReadTest, UnionsNeedExactlyOneMember) {
  absl::StatusOr<Value> result = Read(MapOf({{T("U"), MapOf({{T("__type"), T("x")}, {T("A"), T("a")}})}}));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->dump(), R"({"U":{"A":"a"}})");
  result = Read(MapOf({{T("U"), MapOf({{T("Unknown"), T("a")}})}}));  // botocore gives {} here
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->dump(), R"({"U":{}})");
  EXPECT_EQ(Read(MapOf({{T("U"), MapOf({{T("A"), T("a")}, {T("B"), CborItem::Unsigned(1)}})}})).status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(Read(MapOf({{T("U"), MapOf({{T("A"), CborItem::Null()}})}})).status().code(), absl::StatusCode::kDataLoss);
}

TEST(CborReadTest, TimestampsFollowTheOutputOption) {
  const CborItem body = MapOf({{T("T"), CborItem::Tagged(1, CborItem::Float(946845296.123))}});
  EXPECT_EQ(Read(body, TimestampOutput::kEpochSeconds)->at("T").get<double>(), 946845296.123);
  EXPECT_EQ(Read(body, TimestampOutput::kIso8601)->at("T"), "2000-01-02T20:34:56.123000+00:00");
  EXPECT_EQ(Read(body, TimestampOutput::kWire)->at("T").get<double>(), 946845296.123);
  const CborItem whole = MapOf({{T("T"), CborItem::Tagged(1, CborItem::Int(-1))}});
  EXPECT_EQ(Read(whole, TimestampOutput::kIso8601)->at("T"), "1969-12-31T23:59:59+00:00");
  // Untagged, a timestamp member is just the number (botocore's default handler).
  EXPECT_EQ(Read(MapOf({{T("T"), CborItem::Unsigned(5)}}), TimestampOutput::kIso8601)->at("T"), 5);
}

// ---- Responses --------------------------------------------------------------

http::HttpResponse Response(int status, const std::string& body, std::vector<http::Header> headers = {}) {
  http::HttpResponse response;
  response.status = status;
  response.body = body;
  response.headers = std::move(headers);
  return response;
}

absl::StatusOr<ParsedResponse> Parse(const http::HttpResponse& response, const std::string& op = "Op") {
  return RpcV2CborProtocol().Parse(Service(), Op(op), response, ParseOptions{});
}

TEST(RpcV2CborParseTest, SuccessCarriesResponseMetadata) {
  absl::StatusOr<ParsedResponse> parsed =
      Parse(Response(200, Unhex("a161536178"), {{"X-Amzn-RequestId", "rid"}, {"Content-Type", "application/cbor"}}));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_FALSE(parsed->is_error);
  EXPECT_EQ(parsed->result.dump(), R"({"S":"x","ResponseMetadata":{"RequestId":"rid","HTTPStatusCode":200,)"
                                   R"("HTTPHeaders":{"x-amzn-requestid":"rid","content-type":"application/cbor"}}})");
}

TEST(RpcV2CborParseTest, EmptyBodiesReadAsEmptyMaps) {
  absl::StatusOr<ParsedResponse> parsed = Parse(Response(200, ""));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->result.dump(), R"({"ResponseMetadata":{"HTTPStatusCode":200,"HTTPHeaders":{}}})");
}

TEST(RpcV2CborParseTest, WithoutAnOutputTheBodyIsNotRead) {
  absl::StatusOr<ParsedResponse> parsed = Parse(Response(200, "garbage", {{"x-amzn-requestid", "r"}}), "NoIo");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->result.dump(),
            R"({"ResponseMetadata":{"HTTPStatusCode":200,"HTTPHeaders":{"x-amzn-requestid":"r"}}})");
}

TEST(RpcV2CborParseTest, EventStreamOutputIsUnimplemented) {
  EXPECT_EQ(Parse(Response(200, Unhex("a0")), "Stream").status().code(), absl::StatusCode::kUnimplemented);
}

TEST(RpcV2CborParseTest, MalformedSuccessBodiesAreDataLoss) {
  for (const char* hex : {"a1615361", "bf", "ff", "1c", "c27f", "a16153f8", "a1615362c3"}) {
    absl::StatusOr<ParsedResponse> parsed = Parse(Response(200, Unhex(hex)));
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kDataLoss) << hex;
  }
  // Well-formed but not what botocore decodes.
  EXPECT_EQ(Parse(Response(200, Unhex("a16153c26178"))).status().code(), absl::StatusCode::kDataLoss);
  // Well-formed but the wrong item for the output.
  EXPECT_EQ(Parse(Response(200, Unhex("80"))).status().code(), absl::StatusCode::kDataLoss);
}

TEST(RpcV2CborParseTest, BytesAfterTheFirstItemAreIgnoredAsBotocoreIgnoresThem) {
  absl::StatusOr<ParsedResponse> parsed = Parse(Response(200, Unhex("a161536178ff00c2")));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->result["S"], "x");
  parsed = Parse(Response(400, Unhex("a1665f5f747970656342616478") + "trailing"));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->error_code, "Bad");
  // A first item that cannot be delimited is still an error.
  EXPECT_EQ(Parse(Response(200, Unhex("a3615361780000"))).status().code(), absl::StatusCode::kDataLoss);
}

TEST(CborBodyTest, BotocoreFirstItemFollowsBotocoresReader) {
  EXPECT_EQ(Hex(std::string(cbor::BotocoreFirstItem(Unhex("0001")))), "00");
  EXPECT_EQ(Hex(std::string(cbor::BotocoreFirstItem(Unhex("9f0102ff03")))), "9f0102ff");
  EXPECT_EQ(Hex(std::string(cbor::BotocoreFirstItem(Unhex("bf6161f6ff00")))), "bf6161f6ff");
  EXPECT_EQ(Hex(std::string(cbor::BotocoreFirstItem(Unhex("7f6161ff00")))), "7f6161ff");
  EXPECT_EQ(Hex(std::string(cbor::BotocoreFirstItem(Unhex("c11a535fefce00")))), "c11a535fefce");
  EXPECT_EQ(Hex(std::string(cbor::BotocoreFirstItem(Unhex("fb3ff000000000000001")))), "fb3ff0000000000000");
  // Undelimitable: the whole body, for the decoder to explain.
  for (const char* hex : {"", "1c00", "9b7fffffffffffffff00", "5a0000000500", "f800", "ff00"}) {
    EXPECT_EQ(Hex(std::string(cbor::BotocoreFirstItem(Unhex(hex)))), hex) << hex;
  }
  std::string deep(300, static_cast<char>(0x81));
  deep += '\0';
  EXPECT_EQ(cbor::BotocoreFirstItem(deep + "x").size(), deep.size() + 1);  // beyond max_depth
  EXPECT_EQ(cbor::BotocoreFirstItem(deep + "x", 400).size(), deep.size());
}

void ExpectGenericError(const absl::StatusOr<ParsedResponse>& parsed, const std::string& code,
                        const std::string& message) {
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(parsed->is_error);
  EXPECT_EQ(parsed->error_code, code);
  EXPECT_EQ(parsed->result["Error"].dump(), Value({{"Code", code}, {"Message", message}}).dump());
  EXPECT_EQ(parsed->result["ResponseMetadata"]["HTTPStatusCode"], std::stoi(code));
  EXPECT_FALSE(parsed->result["ResponseMetadata"].contains("RequestId"));
}

TEST(RpcV2CborParseTest, UnreadableErrorBodiesGiveTheGenericError) {
  ExpectGenericError(Parse(Response(400, Unhex("a1615361"))), "400", "Bad Request");  // truncated
  ExpectGenericError(Parse(Response(400, "")), "400", "Bad Request");
  ExpectGenericError(Parse(Response(404, Unhex("80"))), "404", "Not Found");                    // not a map
  ExpectGenericError(Parse(Response(400, Unhex("a1665f5f7479706501"))), "400", "Bad Request");  // __type: 1
  ExpectGenericError(Parse(Response(403, Unhex("a16178c26161"))), "403", "Forbidden");          // tag 2
  ExpectGenericError(Parse(Response(503, " \n", {{"x-amzn-requestid", "r"}})), "503", "Service Unavailable");
  ExpectGenericError(Parse(Response(500, "<html><body>oops</body></html>")), "500", "Internal Server Error");
}

TEST(RpcV2CborParseTest, ErrorCodesDropNamespacesAndSuffixes) {
  // {"__type": "aws.test#Bad:http://internal", "Message": "m", "Detail": {"X": "x"}}
  CborItem body = MapOf({{T("__type"), T("aws.test#Bad:http://internal")},
                         {T("Message"), T("m")},
                         {T("Detail"), MapOf({{T("X"), T("x")}})}});
  absl::StatusOr<ParsedResponse> parsed =
      Parse(Response(400, encoding::EncodeCbor(body), {{"x-amzn-requestid", "rid"}}));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(parsed->is_error);
  EXPECT_EQ(parsed->error_code, "Bad");
  // botocore's order: Error, ResponseMetadata, then the error shape's members.
  EXPECT_EQ(parsed->result.begin().key(), "Error");
  EXPECT_EQ(std::next(parsed->result.begin()).key(), "ResponseMetadata");
  EXPECT_TRUE(
      SameJson(parsed->result,
               R"({"Error":{"Message":"m","Code":"Bad"},"ResponseMetadata":{"RequestId":"rid","HTTPStatusCode":400,)"
               R"("HTTPHeaders":{"x-amzn-requestid":"rid"}},"Message":"m","Detail":{"X":"x"}})"));
}

TEST(RpcV2CborParseTest, WithoutTypeTheStatusIsTheCode) {
  absl::StatusOr<ParsedResponse> parsed = Parse(Response(418, encoding::EncodeCbor(MapOf({{T("message"), T("m")}}))));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->error_code, "418");
  EXPECT_EQ(parsed->result["Error"].dump(), R"({"Message":"m","Code":"418"})");
}

TEST(RpcV2CborParseTest, QueryErrorHeaderRenamesTheCode) {
  const std::string body =
      encoding::EncodeCbor(MapOf({{T("__type"), T("aws#CustomCodeError")}, {T("message"), T("Hi")}}));
  absl::StatusOr<ParsedResponse> parsed = Parse(Response(400, body, {{"X-Amzn-Query-Error", "Customized;Sender"}}));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->error_code, "Customized");
  EXPECT_EQ(parsed->result["Error"].dump(),
            R"({"Message":"Hi","Code":"Customized","QueryErrorCode":"CustomCodeError","Type":"Sender"})");
  EXPECT_EQ(parsed->result["message"], "Hi");  // the Coded shape's member, found by its error code
  // Anything but "Code;Type" with a code leaves the code alone.
  for (const char* header : {";Sender", "a;b;c", "Customized"}) {
    parsed = Parse(Response(400, body, {{"x-amzn-query-error", header}}));
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(parsed->error_code, "CustomCodeError") << header;
  }
}

TEST(RpcV2CborParseTest, ErrorMembersOfTheWrongTypeGiveTheGenericError) {
  const std::string body = encoding::EncodeCbor(MapOf({{T("__type"), T("Bad")}, {T("Detail"), T("not a map")}}));
  ExpectGenericError(Parse(Response(400, body)), "400", "Bad Request");
}

TEST(RpcV2CborParseTest, DeepNestingIsRefusedNotOverflowed) {
  std::string deep = Unhex("a1614e");  // {"Nested": ...
  for (int i = 0; i < 100000; ++i) deep += Unhex("81");
  deep += Unhex("00");
  EXPECT_EQ(Parse(Response(200, deep)).status().code(), absl::StatusCode::kDataLoss);
  ExpectGenericError(Parse(Response(400, deep)), "400", "Bad Request");
  // Deep but within the decoder's limit: read as far as the shapes go.
  std::string nested;
  for (int i = 0; i < 200; ++i) nested += Unhex("a1664e6573746564");
  nested += Unhex("a0");
  absl::StatusOr<ParsedResponse> parsed = Parse(Response(200, nested));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
}

TEST(RpcV2CborParseTest, ManyKeysStayLinear) {
  // Quadratic key handling would take minutes here.
  constexpr int kKeys = 200000;
  CborItem map = CborItem::MapOf();
  CborItem choice = CborItem::MapOf();
  CborItem output = CborItem::MapOf();
  for (int i = 0; i < kKeys; ++i) {
    map.Add(T("k" + std::to_string(i)), T("v"));
    output.Add(T("x" + std::to_string(i)), CborItem::Unsigned(1));
  }
  for (int i = 0; i < kKeys; ++i) choice.Add(CborItem::Unsigned(static_cast<uint64_t>(i)), T("v"));
  output.Add(T("Map"), std::move(map));
  absl::StatusOr<ParsedResponse> parsed = Parse(Response(200, encoding::EncodeCbor(output)));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->result["Map"].size(), static_cast<size_t>(kKeys));
  EXPECT_EQ(Parse(Response(200, encoding::EncodeCbor(MapOf({{T("U"), std::move(choice)}})))).status().code(),
            absl::StatusCode::kDataLoss);
}

TEST(RpcV2CborParseTest, ArbitraryBytesNeverCrash) {
  std::mt19937 random(1234);
  const std::string seeds[] = {Unhex("bf6153617865496e7465676572ff"), Unhex("a2665f5f747970656142674d657373616765"),
                               Unhex("a1614c9f63666f6fc11a535fefcef6ff"), ""};
  for (int round = 0; round < 20000; ++round) {
    std::string body = seeds[round % 4];
    const int edits = 1 + static_cast<int>(random() % 8);
    for (int e = 0; e < edits; ++e) {
      const int kind = static_cast<int>(random() % 3);
      if (kind == 0 || body.empty()) {
        body.insert(body.begin() + static_cast<long>(random() % (body.size() + 1)), static_cast<char>(random()));
      } else if (kind == 1) {
        body[random() % body.size()] = static_cast<char>(random());
      } else {
        body.erase(random() % body.size(), 1);
      }
    }
    for (int status : {200, 400, 500}) {
      absl::StatusOr<ParsedResponse> parsed = Parse(Response(status, body));
      if (status >= 400) {
        ASSERT_TRUE(parsed.ok()) << Hex(body) << ": " << parsed.status();
        EXPECT_TRUE(parsed->is_error);
      } else if (!parsed.ok()) {
        EXPECT_EQ(parsed.status().code(), absl::StatusCode::kDataLoss) << Hex(body);
      }
    }
  }
}

}  // namespace
}  // namespace awsd::protocols
