#include "awsd/resources/model.h"

#include <gtest/gtest.h>

#include "tests/client-lib/resources/mini_s3_model.h"

namespace awsd::resources {
namespace {

TEST(ServiceResourceModelTest, ParsesEveryRelation) {
  auto model = testing::MiniS3Model();
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(model->service(), "s3");
  const ResourceDefinition* bucket = model->FindResource("bucket");
  ASSERT_NE(bucket, nullptr);
  EXPECT_EQ(bucket->identifiers[0].member_name, "Name");
  EXPECT_EQ(bucket->shape_members, (std::vector<std::string>{"Name", "CreationDate"}));
  ASSERT_NE(bucket->FindAction("delete"), nullptr);
  EXPECT_EQ(bucket->FindAction("Delete")->request->params[0].source, "identifier");
  ASSERT_NE(bucket->FindCollection("objects"), nullptr);
  EXPECT_EQ(bucket->FindCollection("objects")->resource->path, "Contents[]");
  ASSERT_NE(bucket->FindWaiter("wait_until_exists"), nullptr);
  EXPECT_EQ(bucket->FindWaiter("exists")->waiter_name, "BucketExists");
  EXPECT_FALSE(IsReference(*bucket->FindHas("Object")));
  EXPECT_TRUE(IsReference(*model->FindResource("Instance")->FindHas("vpc")));
  ASSERT_TRUE(model->FindResource("Object")->load.has_value());
  EXPECT_EQ(model->FindResource("Object")->load->path, "$");
  EXPECT_NE(model->FindResource("ObjectSummary")->FindBatchAction("delete"), nullptr);
  EXPECT_TRUE(model->CanPaginate("ListObjects"));
  EXPECT_FALSE(model->CanPaginate("ListBuckets"));
}

TEST(ServiceResourceModelTest, ServiceResourceHasEveryResourceType) {
  auto model = testing::MiniS3Model();
  const ResourceDefinition& service = model->service_resource();
  const Action* object = service.FindHas("Object");
  ASSERT_NE(object, nullptr);
  ASSERT_EQ(object->resource->identifiers.size(), 2u);
  EXPECT_EQ(object->resource->identifiers[1].source, "input");
  EXPECT_NE(service.FindCollection("buckets"), nullptr);
}

TEST(ServiceResourceModelTest, RejectsWhatIsNoResourceModel) {
  awsd::v1::ResourceModel described;
  described.set_service("s3");
  described.set_resources_json("[1, 2]");
  EXPECT_EQ(ServiceResourceModel::Parse(described).error().code, grpc::StatusCode::INVALID_ARGUMENT);
  described.set_resources_json("{not json");
  EXPECT_FALSE(ServiceResourceModel::Parse(described).ok());
}

}  // namespace
}  // namespace awsd::resources
