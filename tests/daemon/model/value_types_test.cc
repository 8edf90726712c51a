#include "daemon/model/value_types.h"

#include "gtest/gtest.h"

namespace awsd::model {
namespace {

// A recursive value (DynamoDB's AttributeValue), a list of structures with a
// timestamp (S3's Contents), a streaming payload and a shape with nothing to
// convert.
const char* kModel = R"({
  "metadata": {"apiVersion": "2020-01-01", "endpointPrefix": "svc", "protocol": "rest-json", "serviceId": "Svc"},
  "operations": {
    "GetThing": {"name": "GetThing", "http": {"method": "GET", "requestUri": "/"},
                 "input": {"shape": "GetThingRequest"}, "output": {"shape": "GetThingOutput"}},
    "Download": {"name": "Download", "http": {"method": "GET", "requestUri": "/d"},
                 "input": {"shape": "Plain"}, "output": {"shape": "DownloadOutput"}}
  },
  "shapes": {
    "GetThingRequest": {"type": "structure", "members": {"Key": {"shape": "Value"}, "Name": {"shape": "Str"}}},
    "GetThingOutput": {"type": "structure", "members": {
      "Item": {"shape": "Attributes"}, "Contents": {"shape": "Objects"}, "Name": {"shape": "Str"},
      "Doc": {"shape": "Doc"}}},
    "Attributes": {"type": "map", "key": {"shape": "Str"}, "value": {"shape": "Value"}},
    "Value": {"type": "structure", "members": {
      "S": {"shape": "Str"}, "B": {"shape": "Bytes"}, "L": {"shape": "Values"}, "M": {"shape": "Attributes"}}},
    "Values": {"type": "list", "member": {"shape": "Value"}},
    "Objects": {"type": "list", "member": {"shape": "Object"}},
    "Object": {"type": "structure", "members": {"Key": {"shape": "Str"}, "LastModified": {"shape": "Time"}}},
    "Doc": {"type": "structure", "members": {}, "document": true},
    "Plain": {"type": "structure", "members": {"Name": {"shape": "Str"}}},
    "DownloadOutput": {"type": "structure", "payload": "Body", "members": {
      "Body": {"shape": "Stream"}, "Modified": {"shape": "Time", "location": "header", "locationName": "Last-Modified"}}},
    "Stream": {"type": "blob", "streaming": true},
    "Bytes": {"type": "blob"},
    "Time": {"type": "timestamp"},
    "Str": {"type": "string"}
  }
})";

nlohmann::json TypesOf(const char* operation) {
  auto model = ServiceModel::Parse(kModel, "svc");
  EXPECT_TRUE(model.ok()) << model.status();
  return ValueTypes(**(*model)->FindOperation(operation));
}

TEST(ValueTypesTest, RecursiveShapesAreNamedOnceAndReferredToByName) {
  const nlohmann::json types = TypesOf("GetThing");
  EXPECT_EQ(types["input"], "GetThingRequest");
  EXPECT_EQ(types["output"], "GetThingOutput");
  const nlohmann::json& shapes = types["shapes"];
  EXPECT_EQ(shapes["GetThingRequest"], nlohmann::json::parse(R"({"members": {"Key": "Value"}})"));
  EXPECT_EQ(shapes["GetThingOutput"],
            nlohmann::json::parse(R"({"members": {"Item": "Attributes", "Contents": "Objects"}})"));
  EXPECT_EQ(shapes["Value"], nlohmann::json::parse(R"({"members": {"B": "@blob", "L": "Values", "M": "Attributes"}})"));
  EXPECT_EQ(shapes["Attributes"], nlohmann::json::parse(R"({"map": "Value"})"));
  EXPECT_EQ(shapes["Values"], nlohmann::json::parse(R"({"list": "Value"})"));
  EXPECT_EQ(shapes["Objects"], nlohmann::json::parse(R"({"list": "Object"})"));
  EXPECT_EQ(shapes["Object"], nlohmann::json::parse(R"({"members": {"LastModified": "@timestamp"}})"));
  // Nothing to convert below these: not listed.
  EXPECT_FALSE(shapes.contains("Doc"));
  EXPECT_FALSE(shapes.contains("Str"));
  EXPECT_EQ(shapes.size(), 7u);
}

TEST(ValueTypesTest, StreamingPayloadIsLeftOutAndPlainInputIsNull) {
  const nlohmann::json types = TypesOf("Download");
  EXPECT_TRUE(types["input"].is_null());
  EXPECT_EQ(types["output"], "DownloadOutput");
  EXPECT_EQ(types["shapes"]["DownloadOutput"], nlohmann::json::parse(R"({"members": {"Modified": "@timestamp"}})"));
}

}  // namespace
}  // namespace awsd::model
