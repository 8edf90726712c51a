// The smithy-rs profile-file suites, one GoogleTest case per suite case:
//  * profile-parser-tests.json, parsed in the SDK-standard dialect (the
//    suite's own); the botocore dialect's differences are pinned in
//    profile_file_parser_test.cc.
//  * file-location-tests.json.

#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "daemon/config/file_locations.h"
#include "daemon/config/profile_file_parser.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/conformance_suite.h"
#include "tests/support/test_paths.h"

namespace awsd::config {
namespace {

using nlohmann::json;

using Case = test_support::SuiteCase;

std::vector<Case> LoadSuite(const std::string &file) {
  return test_support::LoadSuiteCases("profile-files/" + file, "name");
}

constexpr auto CaseName = test_support::SuiteCaseName;

// ---------------------------------------------------------------------------

using Flat = std::map<std::string, std::map<std::string, std::string>>;

Flat Flatten(const std::map<std::string, Section> &sections) {
  Flat flat;
  for (const auto &[name, section] : sections) {
    auto &out = flat[name];
    for (const auto &[key, value] : section) out[key] = value.text;
  }
  return flat;
}

Flat ExpectedSections(const json &sections) {
  Flat flat;
  for (const auto &[name, properties] : sections.items()) {
    auto &out = flat[name];
    for (const auto &[key, value] : properties.items()) out[key] = value.get<std::string>();
  }
  return flat;
}

class ProfileParserSuite : public testing::TestWithParam<Case> {};

TEST_P(ProfileParserSuite, Case) {
  const json &test = GetParam().data;
  ASSERT_FALSE(test.contains("missing")) << "suite not found: " << test["missing"];
  const json &input = test["input"];
  const json &output = test["output"];

  absl::StatusOr<ProfileSet> merged = ProfileSet{};
  if (input.contains("configFile")) {
    merged =
        ParseProfileFile(input["configFile"].get<std::string>(), "config", FileKind::kConfig, Dialect::kSdkStandard);
  }
  if (merged.ok() && input.contains("credentialsFile")) {
    absl::StatusOr<ProfileSet> credentials = ParseProfileFile(
        input["credentialsFile"].get<std::string>(), "credentials", FileKind::kCredentials, Dialect::kSdkStandard);
    if (credentials.ok()) {
      MergeCredentialsInto(*merged, *credentials);
    } else {
      merged = credentials.status();
    }
  }

  if (output.contains("errorContaining")) {
    ASSERT_FALSE(merged.ok()) << "expected an error";
    EXPECT_NE(std::string(merged.status().message()).find(output["errorContaining"].get<std::string>()),
              std::string::npos)
        << merged.status();
    return;
  }
  ASSERT_TRUE(merged.ok()) << merged.status();
  const json &config = output["config"];
  EXPECT_EQ(Flatten(merged->profiles), ExpectedSections(config["profiles"]));
  if (config.contains("sso_sessions")) {
    EXPECT_EQ(Flatten(merged->sso_sessions), ExpectedSections(config["sso_sessions"]));
  }
}

INSTANTIATE_TEST_SUITE_P(ProfileParserTests, ProfileParserSuite,
                         testing::ValuesIn(LoadSuite("profile-parser-tests.json")), CaseName);

// ---------------------------------------------------------------------------

class FileLocationSuite : public testing::TestWithParam<Case> {};

TEST_P(FileLocationSuite, Case) {
  const json &test = GetParam().data;
  ASSERT_FALSE(test.contains("missing")) << "suite not found: " << test["missing"];
  std::map<std::string, std::string> environment;
  for (const auto &[key, value] : test["environment"].items()) environment[key] = value.get<std::string>();
  const EnvLookup env = [&environment](const std::string &name) -> std::optional<std::string> {
    const auto it = environment.find(name);
    if (it == environment.end()) return std::nullopt;
    return it->second;
  };
  const Platform platform = test["platform"] == "windows" ? Platform::kWindows : Platform::kPosix;
  // No passwd fallback: the case's environment is the whole world.
  const auto no_passwd = []() -> std::optional<std::string> { return std::nullopt; };

  const FileLocations files = ResolveFileLocations(env, platform, no_passwd);
  EXPECT_EQ(files.config_file, test["configLocation"].get<std::string>());
  EXPECT_EQ(files.credentials_file, test["credentialsLocation"].get<std::string>());
  if (test.contains("profile")) {
    EXPECT_EQ(ResolveProfileName(env), test["profile"].get<std::string>());
  }
}

INSTANTIATE_TEST_SUITE_P(FileLocationTests, FileLocationSuite, testing::ValuesIn(LoadSuite("file-location-tests.json")),
                         CaseName);

}  // namespace
}  // namespace awsd::config
