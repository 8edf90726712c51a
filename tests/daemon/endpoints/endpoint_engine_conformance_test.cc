// $AWSD_CONFORMANCE_DIR/endpoint-engine: the standard library functions on
// small rule sets. Each test-cases/<name>.json runs against
// valid-rules/<name>.json; every valid-rules file (some have no cases) must
// compile. Running the binary prints "endpoint-engine: passed P / total T".

#include <algorithm>
#include <atomic>
#include <cctype>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "daemon/endpoints/endpoint_resolver.h"
#include "gtest/gtest.h"
#include "tests/daemon/endpoints/endpoint_test_support.h"
#include "tests/support/test_paths.h"

namespace awsd::endpoints::testing {
namespace {

namespace fs = std::filesystem;

std::atomic<int> passed_cases{0};
std::atomic<int> total_cases{0};

class SummaryPrinter : public ::testing::Environment {
 public:
  void TearDown() override {
    std::cout << "endpoint-engine: passed " << passed_cases.load() << " / total " << total_cases.load() << std::endl;
  }
};

::testing::Environment* const summary_printer = ::testing::AddGlobalTestEnvironment(new SummaryPrinter);

fs::path SuiteDir() { return fs::path(test_support::ConformanceDir()) / "endpoint-engine"; }

// The stems of the .json files in `folder`; {"suite_missing"} when none.
std::vector<std::string> Stems(const std::string& folder) {
  std::vector<std::string> stems;
  std::error_code error;
  for (const fs::directory_entry& entry : fs::directory_iterator(SuiteDir() / folder, error)) {
    if (entry.path().extension() == ".json") stems.push_back(entry.path().stem().string());
  }
  std::sort(stems.begin(), stems.end());
  if (stems.empty()) stems.push_back("suite_missing");
  return stems;
}

std::string TestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name;
  for (char c : info.param) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return name;
}

absl::StatusOr<std::shared_ptr<const EndpointResolver>> LoadRuleSet(const std::string& stem) {
  const std::optional<nlohmann::json> rule_set = ReadJson(SuiteDir() / "valid-rules" / (stem + ".json"));
  if (!rule_set.has_value()) return absl::NotFoundError("missing or unreadable valid-rules/" + stem + ".json");
  std::string error;
  std::shared_ptr<const Partitions> partitions = InstalledPartitions(&error);
  if (partitions == nullptr) return absl::FailedPreconditionError(error);
  return EndpointResolver::Create(*rule_set, partitions);
}

class EndpointEngineCases : public ::testing::TestWithParam<std::string> {};

TEST_P(EndpointEngineCases, ResolveAsExpected) {
  const std::string stem = GetParam();
  ASSERT_NE(stem, "suite_missing") << "no endpoint-engine test cases under " << SuiteDir();
  const std::optional<nlohmann::json> suite = ReadJson(SuiteDir() / "test-cases" / (stem + ".json"));
  ASSERT_TRUE(suite.has_value() && suite->contains("testCases")) << "unreadable test-cases/" << stem << ".json";
  const int cases = static_cast<int>((*suite)["testCases"].size());
  ASSERT_GT(cases, 0);
  total_cases += cases;
  absl::StatusOr<std::shared_ptr<const EndpointResolver>> resolver = LoadRuleSet(stem);
  ASSERT_TRUE(resolver.ok()) << resolver.status();

  int passed = 0;
  std::string failures;
  for (const nlohmann::json& test : (*suite)["testCases"]) {
    absl::StatusOr<EndpointParams> params = ParamsFromJson(test.value("params", nlohmann::json::object()));
    std::string difference;
    if (!params.ok()) {
      difference = params.status().ToString();
    } else {
      // Through the cache, twice: the second answer comes from it.
      absl::StatusOr<std::shared_ptr<const ResolvedEndpoint>> first = (*resolver)->Resolve(*params);
      absl::StatusOr<std::shared_ptr<const ResolvedEndpoint>> second = (*resolver)->Resolve(*params);
      const auto unwrap = [](const absl::StatusOr<std::shared_ptr<const ResolvedEndpoint>>& result)
          -> absl::StatusOr<ResolvedEndpoint> {
        if (!result.ok()) return result.status();
        return **result;
      };
      difference = CompareWithExpectation(unwrap(first), test["expect"]);
      if (difference.empty()) difference = CompareWithExpectation(unwrap(second), test["expect"]);
    }
    if (difference.empty()) {
      ++passed;
    } else {
      failures += "\n  - " + test.value("documentation", std::string("(undocumented)")) + ": " + difference;
    }
  }
  passed_cases += passed;
  EXPECT_EQ(passed, cases) << stem << ":" << failures;
}

INSTANTIATE_TEST_SUITE_P(TestCases, EndpointEngineCases, ::testing::ValuesIn(Stems("test-cases")), TestName);

class EndpointEngineRuleSets : public ::testing::TestWithParam<std::string> {};

TEST_P(EndpointEngineRuleSets, Compiles) {
  ASSERT_NE(GetParam(), "suite_missing") << "no endpoint-engine rule sets under " << SuiteDir();
  absl::StatusOr<std::shared_ptr<const EndpointResolver>> resolver = LoadRuleSet(GetParam());
  EXPECT_TRUE(resolver.ok()) << resolver.status();
}

INSTANTIATE_TEST_SUITE_P(ValidRules, EndpointEngineRuleSets, ::testing::ValuesIn(Stems("valid-rules")), TestName);

}  // namespace
}  // namespace awsd::endpoints::testing
