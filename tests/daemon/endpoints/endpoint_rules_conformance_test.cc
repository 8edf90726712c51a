// The 13,862 cases of $AWSD_CONFORMANCE_DIR/endpoint-rules/<service>/
// endpoint-tests-1.json, each against the rule set of the same service in the
// installed botocore's data folder. One test per service (not per case: ctest
// would spend longer discovering them than running them); a failing test
// lists every failing case with its documentation and the difference.
//
// A case's "params" go to the resolver as they are (botocore's provider
// tests). Its "operationInputs" are run too, as botocore's end-to-end tests
// run them: the operation's static and context parameters from the service
// model and the input, and the built-ins replaced by "builtInParams".
//
// Running the binary prints "endpoint-rules: passed P / total T" over the
// services it ran.

#include <algorithm>
#include <atomic>
#include <cctype>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "daemon/endpoints/endpoint_parameters.h"
#include "daemon/endpoints/endpoint_resolver.h"
#include "gtest/gtest.h"
#include "tests/daemon/endpoints/endpoint_test_support.h"
#include "tests/daemon/endpoints/operation_context.h"
#include "tests/support/test_paths.h"

namespace awsd::endpoints::testing {
namespace {

namespace fs = std::filesystem;

// The suite as botocore 1.43.11 ships it.
constexpr int kExpectedCases = 13862;

std::atomic<int> passed_cases{0};
std::atomic<int> total_cases{0};

class SummaryPrinter : public ::testing::Environment {
 public:
  void TearDown() override {
    std::cout << "endpoint-rules: passed " << passed_cases.load() << " / total " << total_cases.load() << std::endl;
  }
};

::testing::Environment* const summary_printer = ::testing::AddGlobalTestEnvironment(new SummaryPrinter);

fs::path SuiteDir() { return fs::path(test_support::ConformanceDir()) / "endpoint-rules"; }

std::vector<std::string> SuiteServices() {
  std::vector<std::string> services;
  std::error_code error;
  for (const fs::directory_entry& entry : fs::directory_iterator(SuiteDir(), error)) {
    if (entry.is_directory()) services.push_back(entry.path().filename().string());
  }
  std::sort(services.begin(), services.end());
  // A missing suite is one failing test, not zero passing ones.
  if (services.empty()) services.push_back("suite_missing");
  return services;
}

std::string TestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name;
  for (char c : info.param) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return name;
}

// Runs one "operationInputs" entry; "" when it gives the expected result.
std::string RunOperationInput(const EndpointResolver& resolver, const nlohmann::json& service_model,
                              const nlohmann::json& operation_input, const nlohmann::json& expect) {
  const std::string operation = operation_input.value("operationName", "");
  const nlohmann::json input = operation_input.value("operationParams", nlohmann::json::object());
  absl::StatusOr<OperationEndpointInputs> inputs = OperationInputs(service_model, operation, input);
  if (!inputs.ok()) return "operation " + operation + ": " + inputs.status().ToString();
  absl::StatusOr<EndpointParams> builtins =
      ParamsFromJson(operation_input.value("builtInParams", nlohmann::json::object()));
  if (!builtins.ok()) return "builtInParams: " + builtins.status().ToString();
  absl::StatusOr<EndpointParams> client_params =
      ParamsFromJson(operation_input.value("clientParams", nlohmann::json::object()));
  if (!client_params.ok()) return "clientParams: " + client_params.status().ToString();
  absl::StatusOr<EndpointParams> params =
      BuildEndpointParams(resolver.parameters(), *inputs, *client_params, *builtins);
  if (!params.ok()) return "parameters: " + params.status().ToString();
  const std::string difference = CompareWithExpectation(resolver.ResolveUncached(*params), expect);
  return difference.empty() ? "" : "operation " + operation + ": " + difference;
}

class EndpointRulesConformance : public ::testing::TestWithParam<std::string> {};

TEST_P(EndpointRulesConformance, AllCasesResolveAsExpected) {
  const std::string service = GetParam();
  ASSERT_NE(service, "suite_missing") << "no endpoint-rules suite at " << SuiteDir();
  const std::optional<nlohmann::json> suite = ReadJson(SuiteDir() / service / "endpoint-tests-1.json");
  ASSERT_TRUE(suite.has_value() && suite->contains("testCases")) << "missing or unreadable suite file for " << service;
  const int cases = static_cast<int>((*suite)["testCases"].size());
  total_cases += cases;

  std::string partitions_error;
  std::shared_ptr<const Partitions> partitions = InstalledPartitions(&partitions_error);
  ASSERT_NE(partitions, nullptr) << partitions_error;
  absl::StatusOr<nlohmann::json> rule_set = Models().LoadServiceFile(service, "endpoint-rule-set-1");
  ASSERT_TRUE(rule_set.ok()) << rule_set.status();
  absl::StatusOr<std::shared_ptr<const EndpointResolver>> resolver =
      EndpointResolver::Create(*rule_set, partitions, /*cache_capacity=*/0);
  ASSERT_TRUE(resolver.ok()) << resolver.status();
  std::optional<nlohmann::json> service_model;  // loaded only for operationInputs

  int passed = 0;
  std::string failures;
  for (const nlohmann::json& test : (*suite)["testCases"]) {
    const nlohmann::json& expect = test["expect"];
    std::vector<std::string> problems;
    if (test.contains("params") || !test.contains("operationInputs")) {
      absl::StatusOr<EndpointParams> params = ParamsFromJson(test.value("params", nlohmann::json::object()));
      if (!params.ok()) {
        problems.push_back("params: " + params.status().ToString());
      } else if (std::string difference = CompareWithExpectation((*resolver)->ResolveUncached(*params), expect);
                 !difference.empty()) {
        problems.push_back(difference);
      }
    }
    if (test.contains("operationInputs")) {
      if (!service_model.has_value()) {
        absl::StatusOr<nlohmann::json> loaded = Models().LoadServiceFile(service, "service-2");
        ASSERT_TRUE(loaded.ok()) << loaded.status();
        service_model = *std::move(loaded);
      }
      for (const nlohmann::json& operation_input : test["operationInputs"]) {
        const nlohmann::json bucket =
            operation_input.value("operationParams", nlohmann::json::object()).value("Bucket", nlohmann::json());
        // botocore's end-to-end tests skip these too: botocore validates the
        // bucket name before endpoint resolution ever sees it.
        if (bucket == "bucket name" || bucket == "example.com#") continue;
        if (std::string difference = RunOperationInput(**resolver, *service_model, operation_input, expect);
            !difference.empty()) {
          problems.push_back(difference);
        }
      }
    }
    if (problems.empty()) {
      ++passed;
      continue;
    }
    failures += "\n  - " + test.value("documentation", std::string("(undocumented)")) + ":";
    for (const std::string& problem : problems) failures += "\n      " + problem;
  }
  passed_cases += passed;
  EXPECT_EQ(passed, cases) << service << ": " << (cases - passed) << " of " << cases << " cases failed:" << failures;
}

INSTANTIATE_TEST_SUITE_P(Services, EndpointRulesConformance, ::testing::ValuesIn(SuiteServices()), TestName);

// Guards against a suite that silently shrinks (or a folder not read).
TEST(EndpointRulesSuite, HasEveryCase) {
  int cases = 0;
  for (const std::string& service : SuiteServices()) {
    const std::optional<nlohmann::json> suite = ReadJson(SuiteDir() / service / "endpoint-tests-1.json");
    ASSERT_TRUE(suite.has_value()) << "missing or unreadable suite file for " << service;
    cases += static_cast<int>(suite->value("testCases", nlohmann::json::array()).size());
  }
  EXPECT_EQ(cases, kExpectedCases);
}

}  // namespace
}  // namespace awsd::endpoints::testing
