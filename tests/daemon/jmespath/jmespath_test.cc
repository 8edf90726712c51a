// The API around the compliance suite: results' types and key order, error
// classes and messages, the depth bounds, and sharing a compiled expression
// between threads.

#include "daemon/jmespath/jmespath.h"

#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace awsd::jmespath {
namespace {

using Json = nlohmann::ordered_json;
using ::testing::HasSubstr;

Json Eval(std::string_view expression, const Json& document) {
  absl::StatusOr<Json> result = Search(expression, document);
  EXPECT_TRUE(result.ok()) << expression << ": " << result.status();
  return result.ok() ? *result : Json("<error>");
}

absl::Status RunError(std::string_view expression, const Json& document = Json::object()) {
  absl::StatusOr<Json> result = Search(expression, document);
  EXPECT_FALSE(result.ok()) << expression << " gave " << result->dump();
  return result.ok() ? absl::OkStatus() : result.status();
}

TEST(JmespathTest, KeepsIntegersIntegral) {
  EXPECT_EQ(Eval("sum(`[1, 2]`)", Json::object()).dump(), "3");
  EXPECT_EQ(Eval("avg(`[1, 2]`)", Json::object()).dump(), "1.5");
  EXPECT_EQ(Eval("avg(`[2, 2]`)", Json::object()).dump(), "2.0");
  EXPECT_EQ(Eval("ceil(`1.2`)", Json::object()).dump(), "2");
  EXPECT_EQ(Eval("abs(`-3`)", Json::object()).dump(), "3");
  EXPECT_EQ(Eval("to_number('12')", Json::object()).dump(), "12");
  EXPECT_EQ(Eval("to_number('1.5')", Json::object()).dump(), "1.5");
  EXPECT_EQ(Eval("length('héllo')", Json::object()).dump(), "5");
  EXPECT_EQ(Eval("to_string(`{\"a\": \"é\"}`)", Json::object()).get<std::string>(), "{\"a\":\"\\u00e9\"}");
}

// Found by jmespath_fuzzer: a long number in an index or slice overflowed
// while it was being saturated.
TEST(JmespathTest, SaturatesHugeNumbersWithoutOverflow) {
  const Json list = Json::array({1, 2, 3});
  EXPECT_EQ(Eval("[2222222222222222222222222222222]", list), Json(nullptr));
  EXPECT_EQ(Eval("[-2222222222222222222222222222222]", list), Json(nullptr));
  EXPECT_EQ(Eval("[9999999999999999999:]", list), Json::array());
  EXPECT_EQ(Eval("[:99999999999999999999999]", list), list);
}

TEST(JmespathTest, KeepsKeyOrder) {
  const Json doc = Json::parse(R"({"z": 1, "a": 2, "m": 3})");
  EXPECT_EQ(Eval("keys(@)", doc).dump(), R"(["z","a","m"])");
  EXPECT_EQ(Eval("{z: z, a: a}", doc).dump(), R"({"z":1,"a":2})");
  EXPECT_EQ(Eval("merge(@, `{\"a\": 9, \"b\": 0}`)", doc).dump(), R"({"z":1,"a":9,"m":3,"b":0})");
}

TEST(JmespathTest, ComparatorsAndTruthiness) {
  EXPECT_EQ(Eval("`1` == `1.0`", Json::object()), Json(true));
  EXPECT_EQ(Eval("`1` == `true`", Json::object()), Json(false));
  EXPECT_EQ(Eval("`{\"a\":1,\"b\":2}` == `{\"b\":2,\"a\":1}`", Json::object()), Json(true));
  EXPECT_EQ(Eval("'a' < 'b'", Json::object()), Json(true));
  EXPECT_EQ(Eval("`1` < 'b'", Json::object()), Json(nullptr));
  EXPECT_EQ(Eval("!`0`", Json::object()), Json(false));
  EXPECT_EQ(Eval("!`[]`", Json::object()), Json(true));
  EXPECT_EQ(Eval("[::-2]", Json::array({5, 4, 3, 2, 1})).dump(), "[1,3,5]");
}

TEST(JmespathTest, SyntaxErrorsCarryClassAndMessage) {
  absl::StatusOr<Expression> compiled = Compile("foo[");
  ASSERT_FALSE(compiled.ok());
  EXPECT_EQ(compiled.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ErrorClass(compiled.status()), "syntax");
  EXPECT_EQ(compiled.status().message(), "Invalid jmespath expression: Incomplete expression:\n\"foo[\"\n     ^");
  compiled = Compile("");
  ASSERT_FALSE(compiled.ok());
  EXPECT_EQ(compiled.status().message(), "Invalid JMESPath expression: cannot be empty.");
  compiled = Compile("foo = bar");
  ASSERT_FALSE(compiled.ok());
  EXPECT_THAT(compiled.status().message(), HasSubstr("Unknown token '='"));
  compiled = Compile("foo.]");
  ASSERT_FALSE(compiled.ok());
  EXPECT_THAT(compiled.status().message(), HasSubstr("Expecting: ['quoted_identifier', 'unquoted_identifier'"));
}

TEST(JmespathTest, RunTimeErrorsCarryClassAndMessage) {
  absl::Status status = RunError("abs('a')");
  EXPECT_EQ(ErrorClass(status), "invalid-type");
  EXPECT_EQ(status.message(),
            "In function abs(), invalid type for value: a, expected one of: ['number'], received: \"string\"");
  status = RunError("abs(`1`, `2`)");
  EXPECT_EQ(ErrorClass(status), "invalid-arity");
  EXPECT_EQ(status.message(), "Expected 1 argument for function abs(), received 2");
  status = RunError("not_null()");
  EXPECT_EQ(ErrorClass(status), "invalid-arity");
  EXPECT_EQ(status.message(), "Expected at least 1 argument for function not_null(), received 0");
  status = RunError("nope(@)");
  EXPECT_EQ(ErrorClass(status), "unknown-function");
  EXPECT_EQ(status.message(), "Unknown function: nope()");
  status = RunError("[0:1:0]", Json::array({1}));
  EXPECT_EQ(ErrorClass(status), "invalid-value");
}

TEST(JmespathTest, BoundsExpressionDepth) {
  std::string nested(5000, '(');
  nested += "a" + std::string(5000, ')');
  absl::StatusOr<Expression> compiled = Compile(nested);
  ASSERT_FALSE(compiled.ok());
  EXPECT_EQ(ErrorClass(compiled.status()), "limit");

  std::string pipes = "a";
  for (int i = 0; i < 5000; ++i) pipes += " | a";
  compiled = Compile(pipes);
  ASSERT_FALSE(compiled.ok());
  EXPECT_EQ(ErrorClass(compiled.status()), "limit");

  std::string nots(100000, '!');
  EXPECT_FALSE(Compile(nots + "a").ok());
  EXPECT_FALSE(Compile(std::string(100000, '[') + "a").ok());
  EXPECT_FALSE(Compile("`" + std::string(100000, '[') + std::string(100000, ']') + "`").ok());
  // Ordinary long-but-flat chains stay fine.
  std::string chain = "a";
  for (int i = 0; i < 2000; ++i) chain += ".a";
  EXPECT_TRUE(Compile(chain).ok());
}

TEST(JmespathTest, BoundsDocumentDepth) {
  Json deep = Json::array();
  Json* cursor = &deep;
  for (int i = 0; i < 100000; ++i) {
    cursor->push_back(Json::array());
    cursor = &(*cursor)[0];
  }
  absl::StatusOr<Json> result = Search("to_string(@)", deep);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(ErrorClass(result.status()), "limit");
}

TEST(JmespathTest, SharedExpressionAcrossThreads) {
  absl::StatusOr<Expression> compiled = Compile("people[?age > `20`].name | sort(@) | join(', ', @)");
  ASSERT_TRUE(compiled.ok()) << compiled.status();
  const Expression expression = *compiled;
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&expression, &failures, t] {
      for (int i = 0; i < 2000; ++i) {
        Json doc = {{"people", {{{"name", "b" + std::to_string(t)}, {"age", 30}}, {{"name", "a"}, {"age", 40 + i}}}}};
        absl::StatusOr<Json> result = expression.Search(doc);
        if (!result.ok() || *result != Json("a, b" + std::to_string(t))) ++failures[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int failed : failures) EXPECT_EQ(failed, 0);
}

}  // namespace
}  // namespace awsd::jmespath
