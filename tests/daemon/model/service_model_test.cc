#include "daemon/model/service_model.h"

#include "gtest/gtest.h"

namespace awsd::model {
namespace {

const char* kModel = R"({
  "metadata": {"apiVersion": "2020-01-01", "endpointPrefix": "svc", "protocol": "query",
               "protocols": ["query", "smithy-rpc-v2-cbor", "json"], "serviceId": "Svc"},
  "operations": {
    "PutThing": {"name": "PutThing", "http": {"method": "PUT", "requestUri": "/{Name}"},
                 "input": {"shape": "PutThingRequest", "locationName": "PutThingRequest",
                           "xmlNamespace": {"uri": "https://example.com/"}},
                 "output": {"shape": "Node", "resultWrapper": "PutThingResult"},
                 "errors": [{"shape": "NoSuchThing"}],
                 "endpoint": {"hostPrefix": "{Name}."},
                 "httpChecksum": {"requestAlgorithmMember": "Algo", "requestChecksumRequired": true}},
    "GetThing": {"name": "GetThing", "http": {"method": "GET", "requestUri": "/"}}
  },
  "shapes": {
    "PutThingRequest": {"type": "structure", "required": ["Name"], "members": {
      "Name": {"shape": "NameString", "location": "uri", "locationName": "Name", "hostLabel": true},
      "When": {"shape": "Time", "timestampFormat": "unixTimestamp"},
      "Algo": {"shape": "NameString", "location": "header", "locationName": "x-amz-sdk-checksum-algorithm"},
      "Token": {"shape": "NameString", "idempotencyToken": true}
    }},
    "NameString": {"type": "string", "min": 1, "max": 10, "enum": ["a", "b"]},
    "Time": {"type": "timestamp", "timestampFormat": "iso8601"},
    "Node": {"type": "structure", "members": {"Child": {"shape": "Node"}, "Items": {"shape": "Items"}}},
    "Items": {"type": "list", "member": {"shape": "NameString", "locationName": "item"}, "flattened": true},
    "NoSuchThing": {"type": "structure", "members": {}, "exception": true,
                    "error": {"code": "NoSuchThing.Code", "httpStatusCode": 404, "senderFault": true}},
    "OtherError": {"type": "structure", "members": {}, "exception": true}
  }
})";

std::shared_ptr<const ServiceModel> Load(const char* text = kModel) {
  absl::StatusOr<std::shared_ptr<const ServiceModel>> model = ServiceModel::Parse(text, "svc");
  EXPECT_TRUE(model.ok()) << model.status();
  return model.ok() ? *model : nullptr;
}

TEST(ServiceModelTest, ProtocolIsBotocoresPriorityNotTheModelsOrder) {
  EXPECT_EQ(Load()->protocol(), Protocol::kJson);
  auto model = ServiceModel::Parse(R"({"metadata": {"protocol": "query"}})", "q");
  EXPECT_EQ((*model)->protocol(), Protocol::kQuery);
  auto unsupported = ServiceModel::Parse(R"({"metadata": {"protocols": ["carrier-pigeon"]}})", "x");
  EXPECT_FALSE(unsupported.ok());
  EXPECT_NE(unsupported.status().message().find("carrier-pigeon"), std::string::npos);
}

TEST(ServiceModelTest, MemberTraitsOverrideTheShapes) {
  auto model = Load();
  const Operation& op = **model->FindOperation("PutThing");
  EXPECT_EQ(op.http_method, "PUT");
  EXPECT_EQ(op.request_uri, "/{Name}");
  EXPECT_EQ(op.host_prefix, "{Name}.");
  EXPECT_EQ(op.result_wrapper, "PutThingResult");
  ASSERT_TRUE(op.input.has_value());
  EXPECT_EQ(op.input->traits.location_name, "PutThingRequest");
  ASSERT_TRUE(op.input->traits.xml_namespace.has_value());
  EXPECT_EQ(op.input->traits.xml_namespace->uri, "https://example.com/");

  const Shape& input = *op.input->shape;
  EXPECT_TRUE(input.IsRequired("Name"));
  const Member* name = input.FindMember("Name");
  ASSERT_NE(name, nullptr);
  EXPECT_EQ(name->traits.location, Location::kUri);
  EXPECT_TRUE(name->traits.host_label);
  EXPECT_EQ(name->shape->min, 1);
  EXPECT_EQ(name->shape->enum_values.size(), 2u);
  EXPECT_EQ(input.FindMember("When")->traits.timestamp_format, "unixTimestamp");  // member wins
  EXPECT_EQ(input.FindMember("When")->shape->traits.timestamp_format, "iso8601");
  EXPECT_TRUE(input.FindMember("Token")->traits.idempotency_token);
  ASSERT_TRUE(op.http_checksum.has_value());
  EXPECT_TRUE(op.http_checksum->request_checksum_required);
}

TEST(ServiceModelTest, RecursiveShapesPointAtThemselves) {
  auto model = Load();
  const Shape* node = model->FindShape("Node");
  ASSERT_NE(node, nullptr);
  EXPECT_EQ(node->FindMember("Child")->shape, node);
  const Shape* items = node->FindMember("Items")->shape;
  EXPECT_EQ(items->type, ShapeType::kList);
  EXPECT_TRUE(items->traits.flattened);
  EXPECT_EQ(items->member.wire_name(), "item");
}

TEST(ServiceModelTest, ErrorShapesByCode) {
  auto model = Load();
  const Shape* error = model->ErrorShapeForCode("NoSuchThing.Code");
  ASSERT_NE(error, nullptr);
  EXPECT_EQ(error->name, "NoSuchThing");
  EXPECT_EQ(error->error->http_status, 404);
  EXPECT_TRUE(error->error->sender_fault);
  EXPECT_EQ(model->ErrorShapeForCode("OtherError")->name, "OtherError");  // no code: the shape name
  EXPECT_EQ(model->ErrorShapeForCode("NoSuchThing"), nullptr);
}

TEST(ServiceModelTest, UnknownOperationSuggestsCloseNames) {
  auto model = Load();
  absl::StatusOr<const Operation*> op = model->FindOperation("PutThings");
  ASSERT_TRUE(absl::IsNotFound(op.status()));
  EXPECT_NE(op.status().message().find("did you mean: PutThing"), std::string::npos) << op.status();
  EXPECT_EQ(model->operation_names(), (std::vector<std::string>{"GetThing", "PutThing"}));
}

TEST(ServiceModelTest, MalformedModelsAreErrorsNotCrashes) {
  for (
      const char* text : {
          R"([])",
          R"({"metadata": {"protocol": "json"}, "shapes": {"A": {"type": "structure", "members": {"x": {"shape": "Missing"}}}}})",
          R"({"metadata": {"protocol": "json"}, "shapes": {"A": {"type": "wat"}}})",
          R"({"metadata": {"protocol": "json"}, "shapes": {"A": {"type": "list"}}})",
          R"({"metadata": {"protocol": "json"}, "shapes": [], "operations": {}})",
          R"({"metadata": {"protocol": "json"}, "operations": {"Op": {"input": {"shape": "Nope"}}}})",
          R"({"metadata": {"protocol": "json"}, "operations": {"Op": 7}})",
          R"({"metadata": {"protocol": "json"}, "shapes": {"A": {"type": "structure", "members": 3}}})",
      }) {
    absl::StatusOr<std::shared_ptr<const ServiceModel>> model = ServiceModel::Parse(text, "broken");
    EXPECT_FALSE(model.ok()) << text;
    if (!model.ok()) {
      EXPECT_NE(model.status().message().find("broken"), std::string::npos) << model.status();
    }
  }
}

}  // namespace
}  // namespace awsd::model
