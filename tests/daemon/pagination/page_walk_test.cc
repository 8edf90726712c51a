#include "daemon/pagination/page_walk.h"

#include <gtest/gtest.h>

#include "daemon/pagination/resume_token.h"

namespace awsd::pagination {
namespace {

using Json = nlohmann::ordered_json;

PagingOptions Options(std::optional<int64_t> max_items, std::optional<Json> page_size,
                      std::optional<std::string> starting_token) {
  PagingOptions options;
  options.max_items = max_items;
  options.page_size = std::move(page_size);
  options.starting_token = std::move(starting_token);
  return options;
}

PaginatorConfig ListObjectsV2() {
  auto config = ParsePaginatorConfig("ListObjectsV2", nlohmann::json::parse(R"({
    "input_token": "ContinuationToken", "output_token": "NextContinuationToken", "limit_key": "MaxKeys",
    "result_key": ["Contents", "CommonPrefixes"], "non_aggregate_keys": ["Name", "Prefix"]})"));
  EXPECT_TRUE(config.ok()) << config.status();
  return *config;
}

Json Page(std::initializer_list<const char*> keys, const char* next) {
  Json page = {{"Name", "b"}, {"Prefix", "p/"}, {"Contents", Json::array()}};
  for (const char* key : keys) page["Contents"].push_back({{"Key", key}});
  if (next != nullptr) page["NextContinuationToken"] = next;
  return page;
}

TEST(PageWalkTest, FollowsTokensUntilTheyRunOut) {
  auto walk = PageWalk::Start(ListObjectsV2(), {{"Bucket", "b"}}, {});
  ASSERT_TRUE(walk.ok()) << walk.status();
  EXPECT_EQ(walk->next_params(), (Json{{"Bucket", "b"}}));
  auto first = walk->TakePage(Page({"a", "b"}, "t1"));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_FALSE(first->last);
  EXPECT_FALSE(first->changed);
  EXPECT_EQ(walk->next_params(), (Json{{"Bucket", "b"}, {"ContinuationToken", "t1"}}));
  auto second = walk->TakePage(Page({"c"}, nullptr));
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->last);
  EXPECT_FALSE(second->resume_token.has_value());
  EXPECT_EQ(walk->non_aggregate_part(), (Json{{"Name", "b"}, {"Prefix", "p/"}}));
}

TEST(PageWalkTest, MaxItemsCutsAPageAndResumesInsideIt) {
  auto walk = PageWalk::Start(ListObjectsV2(), {{"Bucket", "b"}}, Options(3, Json(2), std::nullopt));
  ASSERT_TRUE(walk.ok());
  EXPECT_EQ(walk->next_params(), (Json{{"Bucket", "b"}, {"MaxKeys", 2}}));
  ASSERT_TRUE(walk->TakePage(Page({"a", "b"}, "t1")).ok());
  auto cut = walk->TakePage(Page({"c", "d"}, "t2"));
  ASSERT_TRUE(cut.ok());
  EXPECT_TRUE(cut->last);
  EXPECT_TRUE(cut->changed);
  EXPECT_EQ(cut->page["Contents"], (Json::array({{{"Key", "c"}}})));
  // botocore's token for {"ContinuationToken": "t1", "boto_truncate_amount": 1}.
  ASSERT_TRUE(cut->resume_token.has_value());
  EXPECT_EQ(*cut->resume_token, EncodeResumeToken(Json{{"ContinuationToken", "t1"}}, 1));

  // Resuming asks for that page again and skips the item handed out.
  auto resumed = PageWalk::Start(ListObjectsV2(), {{"Bucket", "b"}}, Options(std::nullopt, std::nullopt, *cut->resume_token));
  ASSERT_TRUE(resumed.ok());
  EXPECT_EQ(resumed->next_params(), (Json{{"Bucket", "b"}, {"ContinuationToken", "t1"}}));
  auto rest = resumed->TakePage(Page({"c", "d"}, nullptr));
  ASSERT_TRUE(rest.ok());
  EXPECT_EQ(rest->page["Contents"], (Json::array({{{"Key", "d"}}})));
  // The other result keys were handed out with the first cut: emptied (None here).
  EXPECT_TRUE(rest->page["CommonPrefixes"].is_null());
  EXPECT_TRUE(rest->last);
}

TEST(PageWalkTest, MaxItemsOnAPageBoundaryResumesAtTheNextToken) {
  auto walk = PageWalk::Start(ListObjectsV2(), {{"Bucket", "b"}}, Options(2, std::nullopt, std::nullopt));
  ASSERT_TRUE(walk.ok());
  auto page = walk->TakePage(Page({"a", "b"}, "t1"));
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->last);
  EXPECT_FALSE(page->changed);
  EXPECT_EQ(page->resume_token, EncodeResumeToken(Json{{"ContinuationToken", "t1"}}, std::nullopt));
}

TEST(PageWalkTest, ARepeatedTokenEndsTheWalkWithBotocoresError) {
  auto walk = PageWalk::Start(ListObjectsV2(), {}, {});
  ASSERT_TRUE(walk.ok());
  ASSERT_TRUE(walk->TakePage(Page({"a"}, "same")).ok());
  auto again = walk->TakePage(Page({"b"}, "same"));
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->last);
  EXPECT_EQ(again->after.message(),
            "Error during pagination: The same next token was received twice: {'ContinuationToken': 'same'}");
}

TEST(PageWalkTest, MoreResultsFalseEndsTheWalk) {
  auto config = ParsePaginatorConfig("ListParts", nlohmann::json::parse(R"({
    "input_token": "PartNumberMarker", "output_token": "NextPartNumberMarker", "more_results": "IsTruncated",
    "result_key": "Parts"})"));
  ASSERT_TRUE(config.ok());
  auto walk = PageWalk::Start(*config, {}, {});
  ASSERT_TRUE(walk.ok());
  auto page = walk->TakePage(Json{{"IsTruncated", false}, {"NextPartNumberMarker", 3}, {"Parts", {1, 2}}});
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->last);
}

TEST(PageWalkTest, RefusesAPageSizeWithoutALimitKey) {
  auto config = ParsePaginatorConfig("X", nlohmann::json::parse(R"({"input_token": "T", "output_token": "T",
    "result_key": "R"})"));
  ASSERT_TRUE(config.ok());
  auto walk = PageWalk::Start(*config, {}, Options(std::nullopt, Json(5), std::nullopt));
  EXPECT_EQ(walk.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(PageWalkTest, RefusesAMalformedPaginator) {
  EXPECT_FALSE(ParsePaginatorConfig("X", nlohmann::json::parse(R"({"input_token": ["A", "B"], "output_token": "A",
    "result_key": "R"})"))
                   .ok());
  EXPECT_FALSE(ParsePaginatorConfig("X", nlohmann::json::parse(R"({"input_token": "A", "output_token": "A"})")).ok());
  EXPECT_FALSE(ParsePaginatorConfig("X", nlohmann::json::parse(R"({"input_token": "A", "output_token": "A[",
    "result_key": "R"})"))
                   .ok());
}

}  // namespace
}  // namespace awsd::pagination
