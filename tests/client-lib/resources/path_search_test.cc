#include "awsd/resources/path_search.h"

#include <gtest/gtest.h>

namespace awsd::resources {
namespace {

using nlohmann::json;

json Search(const std::string& path, const json& data) {
  auto result = SearchPath(path, data);
  EXPECT_TRUE(result.ok()) << path << ": " << (result.ok() ? "" : result.error().message);
  return result.ok() ? *result : json("<error>");
}

TEST(SearchPathTest, FieldsAndSubExpressions) {
  const json data = {{"User", {{"UserName", "alice"}}}, {"Bucket", "b"}};
  EXPECT_EQ(Search("Bucket", data), "b");
  EXPECT_EQ(Search("User.UserName", data), "alice");
  EXPECT_EQ(Search("User.Missing", data), json());
  EXPECT_EQ(Search("Missing.Deeper", data), json());
}

TEST(SearchPathTest, CurrentAndWholeResponse) {
  const json data = {{"a", 1}};
  EXPECT_EQ(Search("@", data), data);
  EXPECT_EQ(Search("$", data), data);
}

TEST(SearchPathTest, IndexesAndFlattenProjections) {
  const json data = json::parse(R"({"Reservations": [
      {"Instances": [{"InstanceId": "i-1"}, {"InstanceId": "i-2"}]},
      {"Instances": [{"InstanceId": "i-3"}]}],
    "Contents": [{"Key": "a"}, {"Key": "b"}, {"Size": 3}]})");
  EXPECT_EQ(Search("Reservations[].Instances[].InstanceId", data), json({"i-1", "i-2", "i-3"}));
  EXPECT_EQ(Search("Reservations[0].Instances[0]", data), json({{"InstanceId", "i-1"}}));
  EXPECT_EQ(Search("Reservations[-1].Instances[0].InstanceId", data), "i-3");
  EXPECT_EQ(Search("Contents[].Key", data), json({"a", "b"}));  // nulls dropped
  EXPECT_EQ(Search("Contents[]", data).size(), 3u);
  EXPECT_EQ(Search("Missing[]", data), json());
  EXPECT_EQ(Search("Contents[7]", data), json());
}

TEST(SearchPathTest, MultiSelectListWithPipe) {
  const json data = json::parse(R"({"Versions": [{"Key": "a", "VersionId": "1"}],
                                    "DeleteMarkers": [{"Key": "b", "VersionId": "2"}]})");
  EXPECT_EQ(Search("[Versions,DeleteMarkers]|[].Key", data), json({"a", "b"}));
  EXPECT_EQ(Search("[Versions,DeleteMarkers]|[]", data).size(), 2u);
  const json only_versions = json::parse(R"({"Versions": [{"Key": "a"}]})");
  EXPECT_EQ(Search("[Versions,DeleteMarkers]|[].Key", only_versions), json({"a"}));
}

TEST(SearchPathTest, RejectsWhatIsNotInTheSubset) {
  EXPECT_FALSE(SearchPath("Contents[?Size > `1`]", json::object()).ok());
  EXPECT_FALSE(SearchPath("a..b", json::object()).ok());
}

}  // namespace
}  // namespace awsd::resources
