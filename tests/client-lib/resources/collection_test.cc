#include "awsd/resources/collection.h"

#include <gtest/gtest.h>

#include "awsd/resources/service_resource.h"
#include "tests/client-lib/resources/mini_s3_model.h"

namespace awsd::resources {
namespace {

using nlohmann::json;

json Page(std::initializer_list<const char*> keys) {
  json contents = json::array();
  for (const char* key : keys) contents.push_back({{"Key", key}, {"Size", 1}});
  return {{"Contents", contents}};
}

std::vector<std::string> Keys(const Collection& collection) {
  std::vector<std::string> keys;
  for (const Result<Resource>& item : collection) {
    EXPECT_TRUE(item.ok()) << item.error().message;
    if (item.ok()) keys.push_back(item->Identifier("key")->get<std::string>());
  }
  return keys;
}

class CollectionTest : public ::testing::Test {
 protected:
  Collection Objects() {
    auto bucket = s3_.Resource("Bucket", {"b"});
    auto objects = bucket->Collection("objects");
    EXPECT_TRUE(objects.ok());
    return *objects;
  }

  std::shared_ptr<testing::FakeCaller> caller_ = std::make_shared<testing::FakeCaller>();
  ServiceResource s3_{caller_, testing::MiniS3Model()};
};

TEST_F(CollectionTest, PaginatedWithFilterParams) {
  caller_->AnswerPaginate({Page({"images/a", "images/b"}), Page({"images/c"})});
  EXPECT_EQ(Keys(Objects().Filter(R"({"Prefix": "images/"})")),
            (std::vector<std::string>{"images/a", "images/b", "images/c"}));
  ASSERT_EQ(caller_->calls().size(), 1u);
  EXPECT_TRUE(caller_->calls()[0].paginated);
  EXPECT_EQ(caller_->calls()[0].operation, "ListObjects");
  EXPECT_EQ(caller_->calls()[0].params, json::parse(R"({"Bucket": "b", "Prefix": "images/"})"));
}

TEST_F(CollectionTest, LimitAndPageSizeGoToThePaginator) {
  caller_->AnswerPaginate({Page({"a", "b"}), Page({"c", "d"}), Page({"e"})});
  EXPECT_EQ(Keys(Objects().All().Limit(3).PageSize(2)), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(caller_->calls()[0].max_items, 3);
  EXPECT_EQ(caller_->calls()[0].page_size, 2);
}

TEST_F(CollectionTest, IterationIsLazy) {
  caller_->AnswerPaginate({Page({"a"}), Page({"b"}), Page({"c"}), Page({"d"}), Page({"e"}), Page({"f"})});
  {
    Collection objects = Objects();
    auto it = objects.begin();
    ASSERT_NE(it, objects.end());
    EXPECT_EQ(*(*it)->Identifier("key"), "a");
  }  // the iterator is gone: its paginator stops
  EXPECT_EQ(caller_->pages_produced(), 1);  // pulled one page at a time
}

TEST_F(CollectionTest, NotPaginatedIsOneCall) {
  caller_->AnswerInvoke("ListBuckets", json::parse(R"({"Buckets": [{"Name": "x"}, {"Name": "y"}]})"));
  auto buckets = s3_.Collection("buckets");
  ASSERT_TRUE(buckets.ok());
  auto all = buckets->ToVector();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ(*(*all)[1].Identifier("name"), "y");
  EXPECT_EQ((*(*all)[1].data())["Name"], "y");
  EXPECT_FALSE(caller_->calls()[0].paginated);
}

TEST_F(CollectionTest, ErrorIsTheLastItem) {
  auto buckets = s3_.Collection("buckets");  // no scripted answer: the call fails
  int items = 0;
  bool failed = false;
  for (const auto& item : *buckets) {
    ++items;
    failed = !item.ok();
  }
  EXPECT_EQ(items, 1);
  EXPECT_TRUE(failed);
  EXPECT_EQ(Objects().Filter("not json").ToVector().error().code, grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(CollectionTest, BatchActionCallsOncePerPage) {
  caller_->AnswerPaginate({Page({"p/a", "p/b"}), Page({"p/c"})});
  caller_->AnswerInvoke("DeleteObjects", json::parse(R"({"Deleted": [{"Key": "p/a"}, {"Key": "p/b"}]})"));
  caller_->AnswerInvoke("DeleteObjects", json::parse(R"({"Deleted": [{"Key": "p/c"}]})"));
  auto responses = Objects().Filter(R"({"Prefix": "p/"})").BatchAction("delete");
  ASSERT_TRUE(responses.ok()) << responses.error().message;
  ASSERT_EQ(responses->size(), 2u);
  const auto calls = caller_->calls();
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[1].params,
            json::parse(R"({"Bucket": "b", "Delete": {"Objects": [{"Key": "p/a"}, {"Key": "p/b"}]}})"));
  EXPECT_EQ(calls[2].params, json::parse(R"({"Bucket": "b", "Delete": {"Objects": [{"Key": "p/c"}]}})"));
}

}  // namespace
}  // namespace awsd::resources
