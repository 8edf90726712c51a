// XformName against botocore.xform_name(name, '-') for every operation and
// input member of the s3, ec2, dynamodb, sts, iam and sqs models, plus its
// special cases (tests/cli/formatting/awscli_reference.py wrote them).

#include "awsd/xform_name.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/support/test_paths.h"

namespace awsd {
namespace {

TEST(XformNameTest, MatchesBotocore) {
  std::ifstream in(test_support::SourceDir() + "/tests/cli/formatting/awscli_expectations.json");
  std::stringstream text;
  text << in.rdbuf();
  auto expectations = nlohmann::json::parse(text.str());
  ASSERT_GT(expectations["xform_name"].size(), 1000u);
  for (const auto& [name, expected] : expectations["xform_name"].items()) {
    EXPECT_EQ(XformName(name, '-'), expected.get<std::string>()) << name;
  }
}

TEST(XformNameTest, OtherSeparators) {
  EXPECT_EQ(XformName("ListObjectsV2", '_'), "list_objects_v2");
  EXPECT_EQ(XformName("DescribeCachediSCSIVolumes", '_'), "describe_cached_iscsi_volumes");
  EXPECT_EQ(XformName("already_snake", '_'), "already_snake");
}

}  // namespace
}  // namespace awsd
