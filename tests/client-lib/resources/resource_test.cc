#include "awsd/resources/resource.h"

#include <gtest/gtest.h>

#include "awsd/resources/service_resource.h"
#include "tests/client-lib/resources/mini_s3_model.h"

namespace awsd::resources {
namespace {

using nlohmann::json;

class ResourceTest : public ::testing::Test {
 protected:
  std::shared_ptr<testing::FakeCaller> caller_ = std::make_shared<testing::FakeCaller>();
  ServiceResource s3_{caller_, testing::MiniS3Model()};
};

TEST_F(ResourceTest, IdentifiersByEitherName) {
  auto object = s3_.Resource("Object", {"b", "k"});
  ASSERT_TRUE(object.ok());
  EXPECT_EQ(*object->Identifier("key"), "k");
  EXPECT_EQ(*object->Identifier("Key"), "k");
  EXPECT_EQ(*object->Identifier("bucket_name"), "b");
  EXPECT_EQ(object->Identifier("nope").error().code, grpc::StatusCode::NOT_FOUND);
  const auto ids = object->Identifiers();
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_EQ(ids[0].first, "bucket_name");
}

TEST_F(ResourceTest, WrongIdentifiersAndUnknownTypesAreErrors) {
  EXPECT_EQ(s3_.Resource("Object", {"b"}).error().code, grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s3_.Resource("Nothing", {}).error().code, grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(s3_.Resource("Object", {"b", nullptr}).error().code, grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ResourceTest, AttributesLoadLazilyOnceAndReload) {
  auto object = s3_.Resource("object", {"b", "k"});  // snake_case type names work too
  ASSERT_TRUE(object.ok());
  caller_->AnswerInvoke("HeadObject", json::parse(R"({"ContentLength": 5, "ETag": "\"e1\""})"));
  caller_->AnswerInvoke("HeadObject", json::parse(R"({"ContentLength": 7, "ETag": "\"e2\""})"));
  EXPECT_FALSE(object->data().has_value());
  EXPECT_EQ(*object->Attribute("content_length"), 5);
  EXPECT_EQ(*object->Attribute("ETag"), "\"e1\"");
  EXPECT_EQ(*object->Attribute("last_modified"), json());  // a member the data lacks
  EXPECT_EQ(object->Attribute("colour").error().code, grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(caller_->calls().size(), 1u);
  ASSERT_TRUE(object->Reload().ok());
  EXPECT_EQ(*object->Attribute("content_length"), 7);
  EXPECT_EQ(caller_->calls().size(), 2u);
}

TEST_F(ResourceTest, IdentifierMemberNeedsNoLoad) {
  auto bucket = s3_.Resource("Bucket", {"b"});
  EXPECT_EQ(*bucket->Attribute("name"), "b");
  EXPECT_TRUE(caller_->calls().empty());
}

TEST_F(ResourceTest, S3BucketLoadsFromListBuckets) {
  auto bucket = s3_.Resource("Bucket", {"b"});
  caller_->AnswerInvoke("ListBuckets", json::parse(R"({"Buckets": [{"Name": "a", "CreationDate": "1"},
                                                                   {"Name": "b", "CreationDate": "2"}]})"));
  EXPECT_EQ(*bucket->Attribute("creation_date"), "2");
}

TEST_F(ResourceTest, ActionFillsParamsAddsCallerParamsAndForgetsData) {
  auto object = s3_.Resource("Object", {"b", "k"});
  object->set_data(json::object());
  caller_->AnswerInvoke("DeleteObject", json::parse(R"({"DeleteMarker": true})"));
  auto deleted = object->Action("delete", R"({"VersionId": "v1"})");
  ASSERT_TRUE(deleted.ok()) << deleted.error().message;
  EXPECT_FALSE(deleted->makes_resources);
  EXPECT_EQ(deleted->value, json::parse(R"({"DeleteMarker": true})"));
  EXPECT_EQ(caller_->calls().back().params, json::parse(R"({"Bucket": "b", "Key": "k", "VersionId": "v1"})"));
  EXPECT_FALSE(object->data().has_value());
  EXPECT_EQ(object->Action("delete", "[1]").error().code, grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ResourceTest, ActionMakingResourceFromRequestParameter) {
  caller_->AnswerInvoke("CreateBucket", json::parse(R"({"Location": "/nb"})"));
  auto created = s3_.Action("create_bucket", R"({"Bucket": "nb"})");
  ASSERT_TRUE(created.ok()) << created.error().message;
  ASSERT_TRUE(created->makes_resources);
  ASSERT_EQ(created->resources.size(), 1u);
  EXPECT_EQ(created->resources[0].type(), "Bucket");
  EXPECT_EQ(*created->resources[0].Identifier("name"), "nb");
}

TEST_F(ResourceTest, SubResourceTakesParentIdentifiersFirst) {
  auto bucket = s3_.Resource("Bucket", {"b"});
  auto object = bucket->SubResource("Object", {"k"});
  ASSERT_TRUE(object.ok()) << object.error().message;
  EXPECT_EQ(*object->Identifier("bucket_name"), "b");
  EXPECT_EQ(*object->Identifier("key"), "k");
  EXPECT_FALSE(bucket->SubResource("Object", {}).ok());
}

TEST_F(ResourceTest, WaiterParamsFromIdentifiers) {
  auto bucket = s3_.Resource("Bucket", {"b"});
  ASSERT_TRUE(bucket->Wait("wait_until_exists").ok());
  EXPECT_EQ(caller_->calls().back().operation, "wait:BucketExists");
  EXPECT_EQ(caller_->calls().back().params, json::parse(R"({"Bucket": "b"})"));
}

TEST_F(ResourceTest, ModelFromDaemonFailureIsReturned) {
  ClientOptions options;
  options.socket_path = "/nonexistent/awsd.sock";
  options.timeout = std::chrono::milliseconds(500);
  ServiceResource offline(Client(options), Session::Default(), "s3");
  auto bucket = offline.Resource("Bucket", {"b"});
  ASSERT_FALSE(bucket.ok());
  EXPECT_TRUE(bucket.error().daemon_unreachable) << bucket.error().ToString();
}

}  // namespace
}  // namespace awsd::resources
