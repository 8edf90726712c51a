#include "awsd/resources/params.h"

#include <gtest/gtest.h>

#include "awsd/resources/service_resource.h"
#include "tests/client-lib/resources/mini_s3_model.h"

namespace awsd::resources {
namespace {

using nlohmann::json;

TEST(BuildParamStructureTest, BotocoreDocstringExamples) {
  json params = json::object();
  BuildParamStructure(params, "test[0]", 1);
  EXPECT_EQ(params, json::parse(R"({"test": [1]})"));
  BuildParamStructure(params, "foo.bar[0].baz", "hello world");
  EXPECT_EQ(params, json::parse(R"({"test": [1], "foo": {"bar": [{"baz": "hello world"}]}})"));
}

TEST(BuildParamStructureTest, FiltersWithFixedIndexes) {
  json params = json::object();
  BuildParamStructure(params, "Filters[0].Name", "vpc-id");
  BuildParamStructure(params, "Filters[0].Values[0]", "vpc-1");
  EXPECT_EQ(params, json::parse(R"({"Filters": [{"Name": "vpc-id", "Values": ["vpc-1"]}]})"));
}

TEST(BuildParamStructureTest, EmptyBracketsAppend) {
  json params = json::object();
  BuildParamStructure(params, "InstanceIds[]", "i-1");
  BuildParamStructure(params, "InstanceIds[]", "i-2");
  EXPECT_EQ(params, json::parse(R"({"InstanceIds": ["i-1", "i-2"]})"));
}

TEST(BuildParamStructureTest, StarTakesTheBatchIndex) {
  json params = json::object();
  BuildParamStructure(params, "Bucket", "b", 0);
  BuildParamStructure(params, "Delete.Objects[*].Key", "k0", 0);
  BuildParamStructure(params, "Bucket", "b", 1);
  BuildParamStructure(params, "Delete.Objects[*].Key", "k1", 1);
  EXPECT_EQ(params, json::parse(R"({"Bucket": "b", "Delete": {"Objects": [{"Key": "k0"}, {"Key": "k1"}]}})"));
}

TEST(MergeParamsTest, AppendsListsAndMergesObjects) {
  json params = json::parse(R"({"Bucket": "b", "Filters": [{"Name": "a"}], "Opt": {"x": 1}})");
  MergeParams(params, json::parse(R"({"Prefix": "p/", "Filters": [{"Name": "b"}], "Opt": {"y": 2}})"));
  EXPECT_EQ(params, json::parse(R"({"Bucket": "b", "Prefix": "p/", "Filters": [{"Name": "a"}, {"Name": "b"}],
                                    "Opt": {"x": 1, "y": 2}})"));
}

class ParamsFromResourceTest : public ::testing::Test {
 protected:
  std::shared_ptr<testing::FakeCaller> caller_ = std::make_shared<testing::FakeCaller>();
  ServiceResource s3_{caller_, testing::MiniS3Model()};
};

TEST_F(ParamsFromResourceTest, IdentifiersFillTheRequest) {
  auto object = s3_.Resource("Object", {"b", "k"});
  ASSERT_TRUE(object.ok()) << object.error().message;
  json params = json::object();
  ASSERT_TRUE(CreateRequestParameters(*object, *object->definition().load->request, params).ok());
  EXPECT_EQ(params, json::parse(R"({"Bucket": "b", "Key": "k"})"));
  EXPECT_TRUE(caller_->calls().empty());
}

TEST_F(ParamsFromResourceTest, DataSourceLoadsTheParentOnce) {
  auto instance = s3_.Resource("Instance", {"i-1"});
  ASSERT_TRUE(instance.ok());
  caller_->AnswerInvoke("DescribeInstances",
                        json::parse(R"({"Reservations": [{"Instances": [{"InstanceId": "i-1", "VpcId": "vpc-9"}]}]})"));
  auto vpc = instance->Reference("vpc");
  ASSERT_TRUE(vpc.ok()) << vpc.error().message;
  ASSERT_EQ(vpc->size(), 1u);
  EXPECT_EQ((*vpc)[0].type(), "Vpc");
  EXPECT_EQ(*(*vpc)[0].Identifier("id"), "vpc-9");
  ASSERT_EQ(caller_->calls().size(), 1u);
  EXPECT_EQ(caller_->calls()[0].params, json::parse(R"({"InstanceIds": ["i-1"]})"));
  EXPECT_EQ(*instance->Attribute("vpc_id"), "vpc-9");  // no second load
  EXPECT_EQ(caller_->calls().size(), 1u);
}

TEST_F(ParamsFromResourceTest, ResponseIdentifiersMakeOneResourcePerItem) {
  auto self = s3_.Self();
  ASSERT_TRUE(self.ok());
  const json response = json::parse(R"({"Contents": [{"Key": "a", "Size": 1}, {"Key": "b", "Size": 2}]})");
  auto bucket = s3_.Resource("Bucket", {"b"});
  const Action* objects = bucket->definition().FindCollection("objects");
  ASSERT_NE(objects, nullptr);
  auto made = HandleResourceResponse(*objects->resource, *bucket, json::parse(R"({"Bucket": "b"})"), response);
  ASSERT_TRUE(made.ok()) << made.error().message;
  ASSERT_EQ(made->size(), 2u);
  EXPECT_EQ(*(*made)[1].Identifier("key"), "b");
  EXPECT_EQ(*(*made)[1].Identifier("bucket_name"), "b");
  EXPECT_EQ(*(*made)[1].Attribute("size"), 2);  // data from the listing, no load
  EXPECT_TRUE(caller_->calls().empty());
}

}  // namespace
}  // namespace awsd::resources
