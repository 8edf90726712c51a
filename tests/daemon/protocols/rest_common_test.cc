// URI labels, query strings, headers and status codes as botocore's
// BaseRestSerializer and BaseRestParser handle them.

#include "daemon/protocols/rest_common.h"

#include <cmath>
#include <memory>

#include "gtest/gtest.h"

namespace awsd::protocols::rest {
namespace {

std::shared_ptr<const model::ServiceModel> Model() {
  static const auto service = *model::ServiceModel::FromJson(Value::parse(R"({
    "metadata": {"protocol": "rest-json"},
    "operations": {
      "Op": {"name": "Op", "http": {"method": "PUT", "requestUri": "/b/{Bucket}/{Key+}?tagging"},
             "input": {"shape": "In"}, "output": {"shape": "Out"}},
      "NoInput": {"name": "NoInput", "http": {"method": "GET", "requestUri": "/static?x=1"}}
    },
    "shapes": {
      "In": {"type": "structure", "required": ["Bucket", "Key"], "members": {
        "Bucket": {"shape": "Str", "location": "uri", "locationName": "Bucket"},
        "Key": {"shape": "Str", "location": "uri", "locationName": "Key"},
        "Flag": {"shape": "Bool", "location": "querystring", "locationName": "flag"},
        "When": {"shape": "Time", "location": "querystring", "locationName": "when"},
        "Ratio": {"shape": "Dbl", "location": "querystring", "locationName": "ratio"},
        "Ids": {"shape": "IntList", "location": "querystring", "locationName": "id"},
        "Extra": {"shape": "StrMap", "location": "querystring"},
        "Names": {"shape": "StrList", "location": "header", "locationName": "X-Names"},
        "Since": {"shape": "Time", "location": "header", "locationName": "If-Modified-Since"},
        "Epoch": {"shape": "Time", "location": "header", "locationName": "X-Epoch", "timestampFormat": "unixTimestamp"},
        "Json": {"shape": "JsonStr", "location": "header", "locationName": "X-Json"},
        "Count": {"shape": "Int", "location": "header", "locationName": "X-Count"},
        "Meta": {"shape": "StrMap", "location": "headers", "locationName": "x-amz-meta-"},
        "Body": {"shape": "Str"}
      }},
      "Out": {"type": "structure", "members": {
        "Status": {"shape": "Int", "location": "statusCode"},
        "Count": {"shape": "Int", "location": "header", "locationName": "X-Count"},
        "Ratio": {"shape": "Dbl", "location": "header", "locationName": "X-Ratio"},
        "On": {"shape": "Bool", "location": "header", "locationName": "X-On"},
        "Ids": {"shape": "IntList", "location": "header", "locationName": "X-Ids"},
        "When": {"shape": "Time", "location": "header", "locationName": "Last-Modified"},
        "Json": {"shape": "JsonStr", "location": "header", "locationName": "X-Json"},
        "Raw": {"shape": "Blob", "location": "header", "locationName": "X-Raw"},
        "Meta": {"shape": "StrMap", "location": "headers", "locationName": "X-Amz-Meta-"},
        "Body": {"shape": "Str"}
      }},
      "Str": {"type": "string"}, "Int": {"type": "integer"}, "Dbl": {"type": "double"}, "Bool": {"type": "boolean"},
      "Time": {"type": "timestamp"}, "Blob": {"type": "blob"},
      "JsonStr": {"type": "string", "jsonvalue": true},
      "StrList": {"type": "list", "member": {"shape": "Str"}},
      "IntList": {"type": "list", "member": {"shape": "Int"}},
      "StrMap": {"type": "map", "key": {"shape": "Str"}, "value": {"shape": "Str"}}
    }
  })"),
                                                             "test");
  return service;
}

const model::Operation& Op(const char* name = "Op") { return **Model()->FindOperation(name); }

TEST(SerializeLocationsTest, FillsLabelsQueryAndHeaders) {
  SerializedRequest request;
  const Value params = Value::parse(R"({
    "Bucket": "my bucket", "Key": "a/b c~", "Flag": true, "When": "2014-04-29T18:30:38.5Z", "Ratio": 0.1,
    "Ids": [1, 2], "Extra": {"x": "1", "flag": "map"}, "Names": ["a", "b,c", "d\"e"],
    "Since": "2014-04-29T18:30:38.9Z", "Epoch": 1398796238.9, "Json": {"k": "é"}, "Count": 3,
    "Meta": {"Owner": "me"}, "Body": "ignored", "Unknown": 1, "Null": null
  })");
  ASSERT_TRUE(SerializeLocations(Op(), params, request).ok());
  EXPECT_EQ(request.method, "PUT");
  EXPECT_EQ(request.path, "/b/my%20bucket/a/b%20c~?tagging");
  // A map's entries are plain parameters and replace a modelled one of the same name.
  EXPECT_EQ(RequestTarget(request),
            "/b/my%20bucket/a/b%20c~?tagging&flag=map&when=2014-04-29T18%3A30%3A38.500000Z&ratio=0.1&id=1&id=2&x=1");
  EXPECT_EQ(*request.FindHeader("x-names"), "a,\"b,c\",\"d\\\"e\"");
  EXPECT_EQ(*request.FindHeader("If-Modified-Since"), "Tue, 29 Apr 2014 18:30:38 GMT");
  EXPECT_EQ(*request.FindHeader("X-Epoch"), "1398796238");
  EXPECT_EQ(*request.FindHeader("X-Json"), "eyJrIjoiXHUwMGU5In0=");  // base64 of {"k":"\u00e9"}
  EXPECT_EQ(*request.FindHeader("X-Count"), "3");
  EXPECT_EQ(*request.FindHeader("x-amz-meta-Owner"), "me");
  EXPECT_TRUE(request.body.empty());
}

TEST(SerializeLocationsTest, SpecialFloatsAndEmptyLists) {
  SerializedRequest request;
  ASSERT_TRUE(
      SerializeLocations(Op(), Value::parse(R"({"Bucket": "b", "Key": "k", "Ratio": "NaN", "Names": []})"), request)
          .ok());
  EXPECT_EQ(RequestTarget(request), "/b/b/k?tagging&ratio=NaN");
  EXPECT_EQ(request.FindHeader("X-Names"), nullptr);
}

TEST(SerializeLocationsTest, MissingOrEmptyLabelsAreInvalid) {
  for (const char* params : {R"({"Key": "k"})", R"({"Bucket": "", "Key": "k"})", R"({"Bucket": null, "Key": "k"})"}) {
    SerializedRequest request;
    EXPECT_EQ(SerializeLocations(Op(), Value::parse(params), request).code(), absl::StatusCode::kInvalidArgument)
        << params;
  }
  SerializedRequest request;
  EXPECT_EQ(SerializeLocations(Op(), Value::parse(R"({"Bucket": "b", "Key": "k", "When": "later"})"), request).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(SerializeLocationsTest, OperationWithoutInputKeepsItsUri) {
  SerializedRequest request;
  ASSERT_TRUE(SerializeLocations(Op("NoInput"), Value::object(), request).ok());
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(RequestTarget(request), "/static?x=1");
}

TEST(HasBodyMembersTest, LooksForUnboundMembers) {
  EXPECT_TRUE(HasBodyMembers(*Model()->FindShape("In")));
  EXPECT_FALSE(HasBodyMembers(*Model()->FindShape("StrMap")));
}

http::HttpResponse Response(std::vector<http::Header> headers) {
  http::HttpResponse r;
  r.status = 206;
  r.headers = std::move(headers);
  return r;
}

TEST(ParseLocationsTest, ConvertsHeadersByShape) {
  const http::HttpResponse response = Response({{"x-count", " 12 "},
                                                {"X-Ratio", "NaN"},
                                                {"X-On", "True"},
                                                {"X-Ids", "1, 2"},
                                                {"X-Ids", "3"},
                                                {"Last-Modified", "Tue, 29 Apr 2014 18:30:38 GMT"},
                                                {"X-Json", "eyJrIjogWzEsIG51bGxdfQ=="},
                                                {"X-Raw", "Zm9v"},
                                                {"x-amz-meta-Owner", "me"},
                                                {"X-AMZ-META-two", "2"}});
  Value result = Value::object();
  ParseOptions options;
  options.timestamps = TimestampOutput::kEpochSeconds;
  ASSERT_TRUE(ParseLocations(*Op().output->shape, response, options, result).ok());
  EXPECT_EQ(result["Status"], 206);
  EXPECT_EQ(result["Count"], 12);
  EXPECT_TRUE(std::isnan(result["Ratio"].get<double>()));
  EXPECT_EQ(result["On"], true);
  EXPECT_EQ(result["Ids"], Value::parse("[1, 2, 3]"));  // repeats joined with ", " first
  EXPECT_EQ(result["When"], 1398796238);
  EXPECT_EQ(result["Json"], Value::parse(R"({"k": [1, null]})"));
  EXPECT_EQ(result["Raw"], Value::binary({'f', 'o', 'o'}));
  EXPECT_EQ(result["Meta"], Value::parse(R"({"Owner": "me", "two": "2"})"));
  EXPECT_FALSE(result.contains("Body"));
}

TEST(ParseLocationsTest, HeaderMapsArePresentEvenWhenEmpty) {
  Value result = Value::object();
  ASSERT_TRUE(ParseLocations(*Op().output->shape, Response({}), {}, result).ok());
  EXPECT_EQ(result["Meta"], Value::object());
  EXPECT_FALSE(result.contains("Count"));
}

TEST(ParseLocationsTest, InvalidValuesAreDataLossNamingTheHeader) {
  for (const http::Header& bad : std::vector<http::Header>{{"X-Count", "twelve"},
                                                           {"X-Ratio", "1,5"},
                                                           {"X-Ids", "1,,2"},
                                                           {"Last-Modified", "someday"},
                                                           {"X-Json", "not base64!"},
                                                           {"X-Json", "bm90IGpzb24="},
                                                           {"X-Raw", "Zg"}}) {
    Value result = Value::object();
    const absl::Status status = ParseLocations(*Op().output->shape, Response({bad}), {}, result);
    EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss) << bad.name << ": " << bad.value;
    EXPECT_NE(status.message().find(bad.name), absl::string_view::npos) << status;
  }
}

}  // namespace
}  // namespace awsd::protocols::rest
