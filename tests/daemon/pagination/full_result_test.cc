#include "daemon/pagination/full_result.h"

#include <gtest/gtest.h>

#include "daemon/pagination/json_paths.h"

namespace awsd::pagination {
namespace {

using Json = nlohmann::ordered_json;

PaginatorConfig Scan() {
  auto config = ParsePaginatorConfig("Scan", nlohmann::json::parse(R"({
    "input_token": "ExclusiveStartKey", "output_token": "LastEvaluatedKey", "limit_key": "Limit",
    "result_key": ["Items", "Count", "ScannedCount"], "non_aggregate_keys": ["ConsumedCapacity"]})"));
  EXPECT_TRUE(config.ok()) << config.status();
  return *config;
}

TEST(FullResultTest, ListsConcatenateAndCountsAdd) {
  const PaginatorConfig config = Scan();
  FullResult merged(config);
  ASSERT_TRUE(merged.Add(Json{{"Items", {1, 2}}, {"Count", 2}, {"ScannedCount", 2}}).ok());
  ASSERT_TRUE(merged.Add(Json{{"Items", {3}}, {"Count", 1}, {"ScannedCount", 4}}).ok());
  const Json result = std::move(merged).Finish(Json{{"ConsumedCapacity", nullptr}}, "tok");
  EXPECT_EQ(result, (Json{{"Items", {1, 2, 3}},
                          {"Count", 3},
                          {"ScannedCount", 6},
                          {"ConsumedCapacity", nullptr},
                          {"NextToken", "tok"}}));
}

TEST(FullResultTest, NestedResultKeysMergeAtTheirPath) {
  auto config = ParsePaginatorConfig("X", nlohmann::json::parse(R"({"input_token": "T", "output_token": "T",
    "result_key": "A.B"})"));
  ASSERT_TRUE(config.ok());
  FullResult merged(*config);
  ASSERT_TRUE(merged.Add(Json{{"A", {{"B", {1}}}}}).ok());
  ASSERT_TRUE(merged.Add(Json{{"A", {{"B", {2}}}}}).ok());
  EXPECT_EQ(std::move(merged).Finish(Json::object(), std::nullopt), (Json{{"A", {{"B", {1, 2}}}}}));
}

TEST(FullResultTest, TextViewKeepsResultKeysAndFirstPageExtras) {
  const PaginatorConfig config = Scan();
  const Json extras = {{"ConsumedCapacity", nullptr}};
  auto first = ResultKeysView(config, Json{{"Items", {1}}, {"Count", 1}, {"Other", 5}}, &extras);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*first, (Json{{"ConsumedCapacity", nullptr}, {"Items", {1}}, {"Count", 1}, {"ScannedCount", nullptr}}));
  auto later = ResultKeysView(config, Json{{"Items", {2}}}, nullptr);
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(*later, (Json{{"Items", {2}}, {"Count", nullptr}, {"ScannedCount", nullptr}}));
}

TEST(JsonPathsTest, SetAndMergeAsBotocoreUtils) {
  Json target = Json::object();
  ASSERT_TRUE(SetAtPath(target, "A.B.C", 1).ok());
  EXPECT_EQ(target, (Json{{"A", {{"B", {{"C", 1}}}}}}));
  EXPECT_FALSE(SetAtPath(target, "A..B", 1).ok());
  EXPECT_FALSE(SetAtPath(target, ".A", 1).ok());
  EXPECT_FALSE(SetAtPath(target, "", 1).ok());
  MergeObjects(target, Json{{"A", {{"D", 2}}}, {"E", {1}}});
  EXPECT_EQ(target, (Json{{"A", {{"B", {{"C", 1}}}, {"D", 2}}}, {"E", {1}}}));
}

}  // namespace
}  // namespace awsd::pagination
