// The AWS CLI's JSON and text output, against what its own formatters print
// for the same responses (tests/cli/formatting/awscli_expectations.json,
// written by awscli_reference.py next to this file).

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/formatting/json_output.h"
#include "daemon/encoding/python_repr.h"
#include "cli/formatting/text_output.h"
#include "tests/support/test_paths.h"

namespace awsd::cli {
using encoding::PyFloatRepr;
using encoding::PyStr;
namespace {

nlohmann::json LoadExpectations() {
  std::ifstream in(test_support::SourceDir() + "/tests/cli/formatting/awscli_expectations.json");
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str());
}

TEST(JsonOutputTest, MatchesTheAwsCli) {
  auto expectations = LoadExpectations();
  ASSERT_FALSE(expectations["json_output"].empty());
  for (const auto& c : expectations["json_output"]) {
    std::string input = c["input"];
    EXPECT_EQ(FormatJsonOutput(input), c["expected"].get<std::string>()) << input;
  }
}

TEST(TextOutputTest, MatchesTheAwsCli) {
  auto expectations = LoadExpectations();
  ASSERT_FALSE(expectations["text_output"].empty());
  for (const auto& c : expectations["text_output"]) {
    std::string input = c["input"];
    // NaN and Infinity are not JSON to nlohmann: those cases are below.
    if (input.find("NaN") != std::string::npos) continue;
    auto response = nlohmann::ordered_json::parse(input);
    EXPECT_EQ(FormatTextOutput(response), c["expected"].get<std::string>()) << input;
  }
}

TEST(TextOutputTest, NonFiniteFloats) {
  // python3 -c 'from awscli import text; import sys; text.format_text({"f": [float("nan"), float("inf")]}, sys.stdout)'
  nlohmann::ordered_json response = {{"f", {std::nan(""), HUGE_VAL}}};
  EXPECT_EQ(FormatTextOutput(response), "F\tnan\nF\tinf\n");
}

TEST(PythonReprTest, Floats) {
  // repr() in Python 3.11.
  EXPECT_EQ(PyFloatRepr(100.0), "100.0");
  EXPECT_EQ(PyFloatRepr(1e20), "1e+20");
  EXPECT_EQ(PyFloatRepr(1e-5), "1e-05");
  EXPECT_EQ(PyFloatRepr(0.0001), "0.0001");
  EXPECT_EQ(PyFloatRepr(1e16), "1e+16");
  EXPECT_EQ(PyFloatRepr(1e15), "1000000000000000.0");
  EXPECT_EQ(PyFloatRepr(-0.0), "-0.0");
  EXPECT_EQ(PyFloatRepr(0.1), "0.1");
  EXPECT_EQ(PyFloatRepr(1.5e-7), "1.5e-07");
  EXPECT_EQ(PyFloatRepr(1.7976931348623157e308), "1.7976931348623157e+308");
  EXPECT_EQ(PyFloatRepr(5e-324), "5e-324");
  EXPECT_EQ(PyFloatRepr(123456.789), "123456.789");
}

TEST(PythonReprTest, StrOfContainers) {
  // str({'a': ["it's", 1, None, True, 1.0]}) in Python.
  nlohmann::ordered_json value = {{"a", {"it's", 1, nullptr, true, 1.0}}};
  EXPECT_EQ(PyStr(value), "{'a': [\"it's\", 1, None, True, 1.0]}");
}

}  // namespace
}  // namespace awsd::cli
