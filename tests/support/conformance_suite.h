#pragma once

#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/test_paths.h"

namespace awsd::test_support {

// One case of a JSON conformance suite, named for GoogleTest.
struct SuiteCase {
  std::string name;  // sanitised, unique
  nlohmann::json data;
};

// [A-Za-z0-9_] only, runs of anything else as one '_'.
inline std::string SanitiseCaseName(const std::string &name) {
  std::string out;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (ok) {
      out += c;
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out.empty() ? "unnamed" : out;
}

// The "tests" array of the suite at `relative_path` (under the conformance
// folder), each named by its `name_key` (repeats numbered). A missing or
// unreadable suite becomes one failing case rather than silently zero cases.
inline std::vector<SuiteCase> LoadSuiteCases(const std::string &relative_path, const std::string &name_key) {
  const std::string path = ConformanceDir() + "/" + relative_path;
  std::ifstream in(path);
  nlohmann::json suite = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (!in || suite.is_discarded() || !suite.contains("tests")) {
    return {SuiteCase{"suite_missing", nlohmann::json{{"missing", path}}}};
  }
  std::vector<SuiteCase> cases;
  std::set<std::string> seen;
  for (const nlohmann::json &test : suite["tests"]) {
    const std::string name = SanitiseCaseName(test.value(name_key, ""));
    std::string unique = name;
    for (int n = 2; seen.contains(unique); ++n) unique = name + "_" + std::to_string(n);
    seen.insert(unique);
    cases.push_back(SuiteCase{unique, test});
  }
  return cases;
}

inline std::string SuiteCaseName(const testing::TestParamInfo<SuiteCase> &info) { return info.param.name; }

}  // namespace awsd::test_support
