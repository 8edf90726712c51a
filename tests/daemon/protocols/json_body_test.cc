// JSON text, the shape walk, and the json / rest-json parsers on hostile
// input: what the conformance suites do not reach.

#include "daemon/protocols/json_body.h"

#include <cmath>
#include <random>
#include <string>

#include "daemon/protocols/json_protocol.h"
#include "daemon/protocols/python_compat.h"
#include "daemon/protocols/rest_json_protocol.h"
#include "gtest/gtest.h"

namespace awsd::protocols {
namespace {

using json::Dialect;
using json::ParseContext;

std::shared_ptr<const model::ServiceModel> Model(const char* protocol) {
  Value model = Value::parse(R"({
    "metadata": {"protocol": "PROTOCOL", "jsonVersion": "1.1", "targetPrefix": "Svc"},
    "operations": {
      "Op": {"name": "Op", "http": {"method": "POST", "requestUri": "/op"},
             "input": {"shape": "Struct"}, "output": {"shape": "Struct"}, "errors": [{"shape": "Boom"}]}
    },
    "shapes": {
      "Struct": {"type": "structure", "members": {
        "S": {"shape": "Str"}, "I": {"shape": "Int"}, "F": {"shape": "Dbl"}, "B": {"shape": "Bool"},
        "T": {"shape": "Time"}, "TI": {"shape": "Time", "timestampFormat": "iso8601"}, "Bl": {"shape": "Blob"},
        "L": {"shape": "StrList"}, "M": {"shape": "ListMap"}, "Nested": {"shape": "Struct"},
        "U": {"shape": "Union"}, "D": {"shape": "Doc"}, "Renamed": {"shape": "Str", "locationName": "wire"}
      }},
      "Boom": {"type": "structure", "exception": true, "error": {"code": "Boom", "httpStatusCode": 400},
               "members": {"message": {"shape": "Str"}, "Reason": {"shape": "Str"}}},
      "Union": {"type": "structure", "union": true, "members": {"A": {"shape": "Str"}, "Bx": {"shape": "Int"}}},
      "Doc": {"type": "structure", "document": true, "members": {}},
      "Str": {"type": "string"}, "Int": {"type": "integer"}, "Dbl": {"type": "double"}, "Bool": {"type": "boolean"},
      "Time": {"type": "timestamp"}, "Blob": {"type": "blob"},
      "StrList": {"type": "list", "member": {"shape": "Str"}},
      "ListMap": {"type": "map", "key": {"shape": "Str"}, "value": {"shape": "StrList"}}
    }
  })");
  model["metadata"]["protocol"] = protocol;
  return *model::ServiceModel::FromJson(model, "test");
}

const model::Shape& StructShape(const model::ServiceModel& service) { return *service.FindShape("Struct"); }

// ------------------------------------------------------------------ text ----

TEST(JsonTextTest, DumpsAsPython) {
  Value v = Value::parse(R"({"a": 1, "b": [1.0, 1e16, 1e-05, 0.1, -0.0, 123456789012345678], "s": "é😀\n\u0001\"\\"})");
  EXPECT_EQ(
      json::Dumps(v),
      R"({"a": 1, "b": [1.0, 1e+16, 1e-05, 0.1, -0.0, 123456789012345678], "s": "\u00e9\ud83d\ude00\n\u0001\"\\"})");
  EXPECT_EQ(json::Dumps(v["b"], /*compact=*/true), "[1.0,1e+16,1e-05,0.1,-0.0,123456789012345678]");
  EXPECT_EQ(json::Dumps(Value{std::nan(""), INFINITY, -INFINITY}), "[NaN, Infinity, -Infinity]");
  EXPECT_EQ(json::Dumps(Value("\x7f\xff")), "\"\\u007f\\ufffd\"");
}

TEST(JsonTextTest, LoadsAsPython) {
  absl::StatusOr<Value> v =
      json::Loads(R"( {"a": NaN, "b": -Infinity, "a": 2, "big": 123456789012345678901234567890} )");
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->begin().key(), "a");  // first place, last value
  EXPECT_EQ((*v)["a"], 2);
  EXPECT_TRUE(std::isinf((*v)["b"].get<double>()));
  EXPECT_TRUE((*v)["big"].is_number_float());
  EXPECT_EQ(json::Loads(R"("\ud83d\ude00 \ud800")")->get<std::string>(), "😀 \xEF\xBF\xBD");
}

TEST(JsonTextTest, LoadsKeepsTheLastOfManyRepeatedKeys) {
  std::string body = "{";
  for (int i = 0; i < 200; ++i) body += "\"k" + std::to_string(i % 70) + "\": " + std::to_string(i) + ",";
  body.back() = '}';
  absl::StatusOr<Value> v = json::Loads(body);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->size(), 70u);
  EXPECT_EQ(v->begin().key(), "k0");
  EXPECT_EQ((*v)["k0"], 140);
  EXPECT_EQ((*v)["k69"], 139);
}

TEST(JsonTextTest, RefusesWhatPythonRefuses) {
  for (const char* bad : {"",
                          "{",
                          "{\"a\": ",
                          "{\"a\": 1,}",
                          "[1, 2",
                          "\"abc",
                          "tru",
                          "01",
                          "1.",
                          "-",
                          "{} {}",
                          "{'a': 1}",
                          "\"\t\"",
                          "\"\\x\"",
                          "\"\\u12\"",
                          "\xEF\xBB\xBF{}",
                          "{\"a\": \"\xC3\"}",
                          "nan",
                          "+1",
                          "[1 2]"}) {
    absl::StatusOr<Value> v = json::Loads(bad);
    EXPECT_FALSE(v.ok()) << bad;
    if (!v.ok()) {
      EXPECT_EQ(v.status().code(), absl::StatusCode::kDataLoss) << bad;
    }
  }
}

TEST(JsonTextTest, BoundsNesting) {
  EXPECT_TRUE(json::Loads(std::string(json::kMaxDepth, '[') + std::string(json::kMaxDepth, ']')).ok());
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  absl::StatusOr<Value> v = json::Loads(deep);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().code(), absl::StatusCode::kDataLoss);
}

TEST(PythonCompatTest, NumbersAsPythonConvertsThem) {
  EXPECT_EQ(py::FloatRepr(1.1), "1.1");
  EXPECT_EQ(py::FloatRepr(1e22), "1e+22");
  EXPECT_EQ(py::FloatRepr(123456789.125), "123456789.125");
  EXPECT_EQ(py::FloatRepr(0.0001), "0.0001");
  EXPECT_EQ(py::FloatRepr(5e-324), "5e-324");
  EXPECT_EQ(py::FloatStr(-INFINITY), "-Infinity");
  EXPECT_EQ(*py::ParseInt(" -1_000 "), -1000);
  EXPECT_EQ(*py::ParseInt("18446744073709551615"), 18446744073709551615ULL);
  EXPECT_FALSE(py::ParseInt("1__0").ok());
  EXPECT_FALSE(py::ParseInt("1.5").ok());
  EXPECT_FALSE(py::ParseInt("99999999999999999999").ok());
  EXPECT_EQ(*py::Int(Value(-2.9)), -2);
  EXPECT_EQ(*py::Int(Value(true)), 1);
  EXPECT_DOUBLE_EQ(*py::ParseFloat(" 1e3 "), 1000.0);
  EXPECT_TRUE(std::isnan(*py::ParseFloat("-NaN")));
  EXPECT_TRUE(std::isinf(*py::ParseFloat("1e400")));
  EXPECT_FALSE(py::ParseFloat("0x10").ok());
  EXPECT_FALSE(py::ParseFloat("").ok());
}

TEST(PythonCompatTest, B64DecodeIsAsLenientAsPython) {
  EXPECT_EQ(*py::B64Decode("Zm9v"), "foo");
  EXPECT_EQ(*py::B64Decode("Zm 9v\n"), "foo");     // junk skipped
  EXPECT_EQ(*py::B64Decode("Zg==trailing"), "f");  // stops at padding
  EXPECT_EQ(*py::B64Decode(""), "");
  EXPECT_FALSE(py::B64Decode("Zg").ok());  // incorrect padding
  EXPECT_FALSE(py::B64Decode("Z").ok());
}

// ------------------------------------------------------------ serialising ----

TEST(JsonBodySerializeTest, ConvertsByShape) {
  auto service = Model("json");
  Value params = Value::parse(R"({
    "S": "x", "I": 5, "F": "NaN", "T": "2014-04-29T18:30:38.5Z", "TI": 1398796238.25, "Bl": "foo",
    "L": ["a", null], "Renamed": "r", "Nested": {"S": null, "B": true}, "D": {"any": [1, {"x": null}]}, "Unknown": 1
  })");
  absl::StatusOr<Value> body = json::SerializeStructure(StructShape(*service), params);
  ASSERT_TRUE(body.ok()) << body.status();
  EXPECT_EQ(json::Dumps(*body),
            R"({"S": "x", "I": 5, "F": "NaN", "T": 1398796238, "TI": "2014-04-29T18:30:38.250000Z", "Bl": "Zm9v", )"
            R"("L": ["a", null], "wire": "r", "Nested": {"B": true}, "D": {"any": [1, {"x": null}]}})");
  Value binary = {{"Bl", Value::binary({0xff, 0x00})}, {"F", std::nan("")}};
  EXPECT_EQ(json::Dumps(*json::SerializeStructure(StructShape(*service), binary)), R"({"Bl": "/wA=", "F": "NaN"})");
}

TEST(JsonBodySerializeTest, RefusesValuesOfTheWrongKind) {
  auto service = Model("json");
  for (const char* bad : {R"({"L": "a"})", R"({"M": []})", R"({"Nested": 1})", R"({"T": "yesterday"})", R"({"Bl": 1})",
                          R"({"F": "x"})"}) {
    absl::StatusOr<Value> body = json::SerializeStructure(StructShape(*service), Value::parse(bad));
    EXPECT_EQ(body.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  Value deep = Value::object();
  Value* cursor = &deep;
  for (int i = 0; i < 5000; ++i) cursor = &((*cursor)["Nested"] = Value::object());
  EXPECT_EQ(json::SerializeStructure(StructShape(*service), deep).status().code(), absl::StatusCode::kInvalidArgument);
}

// --------------------------------------------------------------- parsing ----

TEST(JsonBodyParseTest, JsonLeavesScalarsAndRestJsonConvertsThem) {
  auto service = Model("json");
  const Value wire = Value::parse(R"({"I": "12", "F": "NaN", "B": "TRUE", "S": 3})");
  const Value as_json = *json::ParseStructure(StructShape(*service), wire, ParseContext{Dialect::kJson});
  EXPECT_EQ(as_json.size(), wire.size());
  for (auto it = wire.begin(); it != wire.end(); ++it) EXPECT_EQ(as_json[it.key()], it.value()) << it.key();
  const Value as_rest = *json::ParseStructure(StructShape(*service), wire, ParseContext{Dialect::kRestJson});
  EXPECT_EQ(as_rest["I"], 12);
  EXPECT_TRUE(std::isnan(as_rest["F"].get<double>()));
  EXPECT_EQ(as_rest["B"], true);
  EXPECT_EQ(as_rest["S"], 3);
}

TEST(JsonBodyParseTest, TypesByShape) {
  auto service = Model("json");
  const Value wire = Value::parse(R"({"T": 1398796238.5, "Bl": "Zm9v", "L": ["a", null], "wire": "r",
                                      "M": {"k": ["v"], "gone": null}, "U": {"__type": "x", "A": "a"},
                                      "Nested": null, "S": null, "D": [1, null]})");
  absl::StatusOr<Value> v =
      json::ParseStructure(StructShape(*service), wire, ParseContext{Dialect::kJson, TimestampOutput::kIso8601});
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ((*v)["T"], "2014-04-29T18:30:38.500000+00:00");
  EXPECT_EQ((*v)["Bl"], Value::binary({'f', 'o', 'o'}));
  EXPECT_EQ((*v)["L"], Value::parse(R"(["a", null])"));
  EXPECT_EQ((*v)["Renamed"], "r");
  EXPECT_EQ((*v)["M"], Value::parse(R"({"k": ["v"]})"));  // a null list value is dropped, not a crash
  EXPECT_EQ((*v)["U"], Value::parse(R"({"A": "a"})"));
  EXPECT_EQ((*v)["D"], Value::parse(R"([1, null])"));
  EXPECT_FALSE(v->contains("Nested"));
  EXPECT_FALSE(v->contains("S"));
  const Value unknown = *json::ParseStructure(StructShape(*service), Value::parse(R"({"U": {"Zed": 1}})"), {});
  EXPECT_EQ(unknown["U"], Value::parse(R"({"SDK_UNKNOWN_MEMBER": {"name": "Zed"}})"));
}

TEST(JsonBodyParseTest, WrongKindsAreDataLoss) {
  auto service = Model("rest-json");
  for (const char* bad : {R"({"L": "a"})", R"({"M": [1]})", R"({"Nested": [1]})", R"({"T": "soon"})", R"({"T": [1]})",
                          R"({"Bl": 1})", R"({"Bl": "Zg"})", R"({"Bl": "Zé=="})", R"({"I": "x"})", R"({"I": [1]})",
                          R"({"F": {}})", R"({"U": {"A": "a", "Bx": 1}})", R"({"U": {}})"}) {
    absl::StatusOr<Value> v =
        json::ParseStructure(StructShape(*service), Value::parse(bad), ParseContext{Dialect::kRestJson});
    ASSERT_FALSE(v.ok()) << bad;
    EXPECT_EQ(v.status().code(), absl::StatusCode::kDataLoss) << bad;
  }
}

// ----------------------------------------------- protocols on hostile input ----

http::HttpResponse Response(int status, std::string body) {
  http::HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers.push_back({"x-amzn-RequestId", "req-1"});
  return r;
}

class HostileBodyTest : public testing::TestWithParam<const char*> {
 protected:
  const Protocol& protocol() const {
    static const JsonProtocol json;
    static const RestJsonProtocol rest_json;
    return std::string(GetParam()) == "json" ? static_cast<const Protocol&>(json) : rest_json;
  }
};

TEST_P(HostileBodyTest, TruncatedOrMalformedSuccessIsDataLoss) {
  auto service = Model(GetParam());
  const model::Operation& op = **service->FindOperation("Op");
  for (const char* body : {"{\"S\": \"x\"", "{\"S\": ", "<html>", "\xff\xfe", "[1, 2]", "\"text\"", "{\"I\": 1}}",
                           "{\"Nested\": []}", "{\"L\": {}}"}) {
    absl::StatusOr<ParsedResponse> parsed = protocol().Parse(*service, op, Response(200, body), {});
    ASSERT_FALSE(parsed.ok()) << body;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kDataLoss) << body;
  }
  absl::StatusOr<ParsedResponse> empty = protocol().Parse(*service, op, Response(200, ""), {});
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->result["ResponseMetadata"]["RequestId"], "req-1");
  EXPECT_EQ(empty->result["ResponseMetadata"]["HTTPStatusCode"], 200);
}

TEST_P(HostileBodyTest, ErrorsAlwaysYieldAnError) {
  auto service = Model(GetParam());
  const model::Operation& op = **service->FindOperation("Op");
  struct Case {
    int status;
    const char* body;
    const char* code;
    Value message;
  };
  for (const Case& c : std::vector<Case>{
           {503, "", "503", "Service Unavailable"},
           {500, "  <html><body>oops</body></html>", "500", "Internal Server Error"},
           {400, "{\"__type\": \"Boom\", \"message\": \"m\", \"Reason\": \"r\"", "400",
            "{\"__type\": \"Boom\", \"message\": \"m\", \"Reason\": \"r\""},
           {400, "\xff", "400", "Bad Request"},
           {400, "[\"Boom\"]", "400", "[\"Boom\"]"},
           {404, "", "404", ""},
           {400, "{\"__type\": 7}", "400", ""},
           {400, "{\"__type\": \"ns#Boom:http://x\", \"Message\": null, \"Reason\": 5}", "Boom", nullptr},
       }) {
    absl::StatusOr<ParsedResponse> parsed = protocol().Parse(*service, op, Response(c.status, c.body), {});
    ASSERT_TRUE(parsed.ok()) << c.body << ": " << parsed.status();
    EXPECT_TRUE(parsed->is_error);
    EXPECT_EQ(parsed->error_code, c.code) << c.body;
    EXPECT_EQ(parsed->result["Error"]["Code"], c.code) << c.body;
    EXPECT_EQ(parsed->result["Error"]["Message"], c.message) << c.body;
    EXPECT_EQ(parsed->result["ResponseMetadata"]["HTTPStatusCode"], c.status);
  }
}

TEST_P(HostileBodyTest, ModelledErrorMembersAreMerged) {
  auto service = Model(GetParam());
  const model::Operation& op = **service->FindOperation("Op");
  http::HttpResponse r = Response(400, R"({"__type": "aws#Boom", "message": "bad", "Reason": "why"})");
  r.headers.push_back({"x-amzn-query-error", "AWS.Boom;Sender"});
  absl::StatusOr<ParsedResponse> parsed = protocol().Parse(*service, op, r, {});
  ASSERT_TRUE(parsed.ok());
  // The query-compatible code names the error; botocore has no shape for it.
  EXPECT_EQ(parsed->error_code, "AWS.Boom");
  EXPECT_EQ(parsed->result["Error"]["QueryErrorCode"], "Boom");
  EXPECT_EQ(parsed->result["Error"]["Type"], "Sender");
  r.headers.pop_back();
  parsed = protocol().Parse(*service, op, r, {});
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->error_code, "Boom");
  EXPECT_EQ(parsed->result["message"], "bad");
  EXPECT_EQ(parsed->result["Reason"], "why");
  EXPECT_EQ(parsed->result["ResponseMetadata"]["RequestId"], "req-1");
}

TEST_P(HostileBodyTest, DeepNestingIsRefusedNotRecursed) {
  auto service = Model(GetParam());
  const model::Operation& op = **service->FindOperation("Op");
  std::string body;
  for (int i = 0; i < 50000; ++i) body += "{\"Nested\":";
  body += "{}";
  body += std::string(50000, '}');
  absl::StatusOr<ParsedResponse> parsed = protocol().Parse(*service, op, Response(200, body), {});
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kDataLoss);
  parsed = protocol().Parse(*service, op, Response(400, body), {});
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed->is_error);
  // Within the limit the recursive shape parses.
  std::string ok_body;
  for (int i = 0; i < 50; ++i) ok_body += "{\"Nested\":";
  ok_body += "{}" + std::string(50, '}');
  EXPECT_TRUE(protocol().Parse(*service, op, Response(200, ok_body), {}).ok());
}

TEST_P(HostileBodyTest, SurvivesRandomBytesAndMutations) {
  auto service = Model(GetParam());
  const model::Operation& op = **service->FindOperation("Op");
  const std::string seed =
      R"({"S": "x", "I": 1, "F": 1.5, "B": true, "T": 1, "Bl": "Zm9v", "L": ["a"], "M": {"k": ["v"]},)"
      R"( "U": {"A": "a"}, "D": {"x": [1]}, "Nested": {"S": "y"}, "__type": "Boom", "message": "m"})";
  std::mt19937 rng(1234);
  for (int i = 0; i < 3000; ++i) {
    std::string body = seed;
    const int edits = 1 + static_cast<int>(rng() % 8);
    for (int e = 0; e < edits && !body.empty(); ++e) {
      const std::size_t at = rng() % body.size();
      switch (rng() % 3) {
        case 0:
          body[at] = static_cast<char>(rng());
          break;
        case 1:
          body.erase(at, 1 + rng() % 4);
          break;
        default:
          body.insert(at, 1, "{}[]\",:0e-\\u"[rng() % 13]);
          break;
      }
    }
    if (i % 10 == 0) {
      body.resize(rng() % 64);
      for (char& c : body) c = static_cast<char>(rng());
    }
    for (int status : {200, 400, 500}) {
      http::HttpResponse r = Response(status, body);
      r.headers.push_back({"x-amzn-query-error", "Q;"});
      absl::StatusOr<ParsedResponse> parsed = protocol().Parse(*service, op, r, {});
      if (status >= 400) {
        ASSERT_TRUE(parsed.ok());
        EXPECT_TRUE(parsed->is_error);
      } else if (!parsed.ok()) {
        EXPECT_EQ(parsed.status().code(), absl::StatusCode::kDataLoss);
      }
    }
  }
}

std::string ProtocolTestName(const testing::TestParamInfo<const char*>& param) {
  return std::string(param.param) == "json" ? "Json" : "RestJson";
}

INSTANTIATE_TEST_SUITE_P(Protocols, HostileBodyTest, testing::Values("json", "rest-json"), ProtocolTestName);

}  // namespace
}  // namespace awsd::protocols
