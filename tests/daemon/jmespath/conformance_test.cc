// The JMESPath compliance suite, read in place from
// $AWSD_CONFORMANCE_DIR/jmespath/*.json. One test per case, named after its
// file and its index within that file.

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <string>
#include <vector>

#include "daemon/jmespath/jmespath.h"
#include "daemon/jmespath/value.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/test_paths.h"

namespace awsd::jmespath {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

struct Case {
  std::string file;  // "functions", without ".json"
  int index = 0;     // within the file, counting across its groups
  Json given;
  Json spec;  // {expression, result | error | bench}
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.file << "#" << c.index << ": " << c.spec.dump(); }

std::vector<Case> LoadCases() {
  std::vector<Case> cases;
  const fs::path dir = fs::path(awsd::test_support::ConformanceDir()) / "jmespath";
  std::vector<fs::path> files;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(dir, error)) {
    // schema.json describes the others.
    if (entry.path().extension() == ".json" && entry.path().stem() != "schema") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& path : files) {
    std::ifstream in(path);
    const Json groups = Json::parse(in, nullptr, false);
    if (!groups.is_array()) continue;
    int index = 0;
    for (const Json& group : groups) {
      for (const Json& spec : group["cases"]) cases.push_back({path.stem().string(), index++, group["given"], spec});
    }
  }
  return cases;
}

std::string TestName(const testing::TestParamInfo<Case>& info) {
  std::string name = info.param.file + "_" + std::to_string(info.param.index);
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

class JmespathConformanceTest : public testing::TestWithParam<Case> {};

TEST_P(JmespathConformanceTest, MatchesSuite) {
  const Case& c = GetParam();
  const std::string expression = c.spec["expression"].get<std::string>();
  absl::StatusOr<Expression> compiled = Compile(expression);
  if (c.spec.contains("error")) {
    const std::string expected = c.spec["error"].get<std::string>();
    if (expected == "syntax") {
      ASSERT_FALSE(compiled.ok()) << "compiled, expected a syntax error";
      EXPECT_EQ(ErrorClass(compiled.status()), "syntax") << compiled.status();
      return;
    }
    ASSERT_TRUE(compiled.ok()) << compiled.status();
    absl::StatusOr<Json> result = compiled->Search(c.given);
    ASSERT_FALSE(result.ok()) << "returned " << result->dump() << ", expected " << expected;
    EXPECT_EQ(ErrorClass(result.status()), expected) << result.status();
    return;
  }
  ASSERT_TRUE(compiled.ok()) << compiled.status();
  absl::StatusOr<Json> result = compiled->Search(c.given);
  ASSERT_TRUE(result.ok()) << result.status();
  // Benchmark cases state no result: they must only compile and run.
  if (!c.spec.contains("result")) return;
  // As jmespath.py's suite compares: 1 == 1.0, key order ignored.
  EXPECT_EQ(Equal(*result, c.spec["result"]), true) << "got " << result->dump() << ", want " << c.spec["result"].dump();
}

INSTANTIATE_TEST_SUITE_P(Suite, JmespathConformanceTest, testing::ValuesIn(LoadCases()), TestName);

}  // namespace
}  // namespace awsd::jmespath
