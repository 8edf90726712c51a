// awsctl's grammar against the AWS CLI v1's own answers: the cases and their
// expected results are in tests/cli/formatting/awscli_expectations.json,
// written by tests/cli/formatting/awscli_reference.py from the installed
// awscli (the ctest cli.awscli_reference_current checks they are current).

#include "cli/arguments/operation_arguments.h"

#include <absl/strings/escaping.h>
#include <absl/strings/match.h>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli/arguments/python_json.h"
#include "daemon/encoding/python_repr.h"
#include "tests/support/test_paths.h"

namespace awsd::cli {
using encoding::PyFloatRepr;
namespace {

using Json = nlohmann::ordered_json;

Json LoadExpectations() {
  std::ifstream in(test_support::SourceDir() + "/tests/cli/formatting/awscli_expectations.json");
  std::stringstream text;
  text << in.rdbuf();
  return Json::parse(text.str());
}

OperationSchema SchemaFrom(const Json& j) {
  OperationSchema schema;
  schema.service = j["service"];
  schema.operation = j["operation"];
  schema.cli_operation = j["cli_operation"];
  schema.endpoint_prefix = j["endpoint_prefix"];
  for (const Json& m : j["input"]) {
    schema.input.push_back(MemberSchema{.name = m["name"],
                                        .type = m["type"],
                                        .list_member_type = m["list_member_type"],
                                        .required = m["required"],
                                        .streaming = m["streaming"],
                                        .document = m["document"]});
  }
  schema.streaming_output = j["streaming_output"];
  schema.streaming_output_member = j["streaming_output_member"];
  schema.paginated = j["paginated"];
  for (const Json& t : j["paginator_input_tokens"]) schema.paginator_input_tokens.push_back(t);
  schema.paginator_limit_key = j["paginator_limit_key"];
  return schema;
}

std::string PyQuoted(const std::string& s) { return "'" + s + "'"; }

FileReader FakeFiles(const std::map<std::string, std::string>& files) {
  return [files](const std::string& path) -> absl::StatusOr<std::string> {
    auto it = files.find(path);
    if (it == files.end()) return absl::NotFoundError("[Errno 2] No such file or directory: " + PyQuoted(path));
    return it->second;
  };
}

FileChecker FakeChecker(const std::map<std::string, std::string>& files) {
  return [files](const std::string& path) { return files.contains(path); };
}

// NaN and infinities as the reference writes them ({"$float": "nan"}).
Json Normalize(const Json& value) {
  if (value.is_number_float() && !std::isfinite(value.get<double>())) {
    return Json{{"$float", PyFloatRepr(value.get<double>())}};
  }
  if (value.is_object()) {
    Json out = Json::object();
    for (const auto& [k, v] : value.items()) out[k] = Normalize(v);
    return out;
  }
  if (value.is_array()) {
    Json out = Json::array();
    for (const Json& v : value) out.push_back(Normalize(v));
    return out;
  }
  return value;
}

TEST(OperationArgumentsTest, MatchesTheAwsCli) {
  Json expectations = LoadExpectations();
  // The shorthand syntax (Key=value,Key2=value2) is not implemented yet: the
  // reference cases that use it must fail with that message, and no others.
  int shorthand_gaps = 0;
  ASSERT_GT(expectations["arguments"].size(), 50u);
  for (const Json& c : expectations["arguments"]) {
    OperationSchema schema = SchemaFrom(c["schema"]);
    std::vector<std::string> args;
    for (const Json& a : c["args"]) args.push_back(a);
    std::map<std::string, std::string> files;
    for (const auto& [name, content] : c["files"].items()) {
      std::string bytes;
      ASSERT_TRUE(absl::Base64Unescape(content.get<std::string>(), &bytes));
      files[name] = bytes;
    }
    const Json& expected = c["expected"];
    SCOPED_TRACE(schema.cli_operation + " " + c["args"].dump());
    auto parsed = ParseOperationArguments(schema, args, FakeFiles(files), FakeChecker(files));
    if (expected["rc"] != 0) {
      if (parsed.ok()) {
        ADD_FAILURE() << "expected an error, got " << Normalize(parsed->params).dump();
        continue;
      }
      EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
      EXPECT_EQ(parsed.status().message(), expected["error"].get<std::string>());
      continue;
    }
    if (!parsed.ok()) {
      if (absl::StrContains(parsed.status().message(), "shorthand syntax")) {
        ++shorthand_gaps;
        continue;
      }
      ADD_FAILURE() << parsed.status();
      continue;
    }
    EXPECT_EQ(Normalize(parsed->params).dump(), expected["params"].dump());
    EXPECT_EQ(parsed->outfile.value_or("<none>"), expected.value("outfile", "<none>"));
    EXPECT_EQ(parsed->streaming_input_member.value_or("<none>"), expected.value("streaming_input_member", "<none>"));
    EXPECT_EQ(parsed->streaming_input_path.value_or("<none>"), expected.value("streaming_input_path", "<none>"));
    EXPECT_EQ(parsed->no_paginate, expected["no_paginate"].get<bool>());
    EXPECT_EQ(parsed->starting_token.value_or("<none>"), expected.value("starting_token", "<none>"));
    EXPECT_EQ(parsed->max_items.value_or(Json("<none>")), expected.value("max_items", Json("<none>")));
    EXPECT_EQ(parsed->page_size.value_or(Json("<none>")), expected.value("page_size", Json("<none>")));
    EXPECT_FALSE(parsed->help);
  }
  EXPECT_EQ(shorthand_gaps, 2);
}

OperationSchema GetObjectSchema() {
  OperationSchema schema;
  schema.service = "s3api";
  schema.operation = "GetObject";
  schema.cli_operation = "get-object";
  for (const char* name : {"Bucket", "Key"}) {
    MemberSchema member;
    member.name = name;
    member.type = "string";
    member.required = true;
    schema.input.push_back(member);
  }
  schema.streaming_output = true;
  schema.streaming_output_member = "Body";
  return schema;
}

// The CLI renders help pages instead of returning parameters: these are not in
// the reference file.
TEST(OperationArgumentsTest, Help) {
  std::vector<std::string> only_help = {"help"};
  auto parsed = ParseOperationArguments(GetObjectSchema(), only_help, FakeFiles({}), FakeChecker({}));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(parsed->help);
  std::vector<std::string> after_args = {"--bucket", "b", "--key", "k", "help"};
  parsed = ParseOperationArguments(GetObjectSchema(), after_args, FakeFiles({}), FakeChecker({}));
  ASSERT_TRUE(parsed.ok()) << parsed.status();  // "help" is the outfile here, as in the CLI.
  EXPECT_FALSE(parsed->help);
  EXPECT_EQ(parsed->outfile, "help");
}

TEST(OperationArgumentsTest, OutfileThenHelp) {
  std::vector<std::string> args = {"--bucket", "b", "--key", "k", "out", "help"};
  auto parsed = ParseOperationArguments(GetObjectSchema(), args, FakeFiles({}), FakeChecker({}));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(parsed->help);
}

// Found by cli_params_fuzzer: a value that is not UTF-8 (a byte of the
// command line, or a JSON escape of a lone surrogate) made awsctl's strict
// JSON dump of the parameters throw.
TEST(OperationArgumentsTest, ParametersThatAreNotUtf8AreRefused) {
  OperationSchema schema = GetObjectSchema();
  MemberSchema metadata;
  metadata.name = "Metadata";
  metadata.type = "map";
  schema.input.push_back(metadata);
  const std::vector<std::vector<std::string>> cases = {
      {"--bucket", "b", "--key", "k\x89", "out"},
      {"--bucket", "b", "--key", "k", "--metadata", R"({"a": "\ud800"})", "out"}};
  for (const std::vector<std::string>& args : cases) {
    auto parsed = ParseOperationArguments(schema, args, FakeFiles({}), FakeChecker({}));
    ASSERT_FALSE(parsed.ok()) << args[3];
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(parsed.status().message(), "Invalid parameters: they are not valid UTF-8 text");
  }
  const std::vector<std::string> fine = {"--bucket", "b", "--key", "k\xc3\xa9", "out"};
  EXPECT_TRUE(ParseOperationArguments(schema, fine, FakeFiles({}), FakeChecker({})).ok());
}

TEST(PythonJsonTest, KeepsOrderAndTypes) {
  auto parsed = ParsePythonJson(R"( {"b": 1, "a": [1.5, -2, true, null, "x\u00e9"], "b": 3} )");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->dump(), R"({"b":3,"a":[1.5,-2,true,null,"xé"]})");
}

TEST(PythonJsonTest, ErrorsAsPythonWritesThem) {
  // python3 -c 'import json; json.loads(...)' for each.
  EXPECT_EQ(ParsePythonJson("").status().message(), "Expecting value: line 1 column 1 (char 0)");
  EXPECT_EQ(ParsePythonJson("{").status().message(),
            "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)");
  EXPECT_EQ(ParsePythonJson("[1 2]").status().message(), "Expecting ',' delimiter: line 1 column 4 (char 3)");
  EXPECT_EQ(ParsePythonJson("\"é\" x").status().message(), "Extra data: line 1 column 5 (char 4)");
  EXPECT_EQ(ParsePythonJson("[-]").status().message(), "Expecting value: line 1 column 2 (char 1)");
  EXPECT_EQ(ParsePythonJson("1.").status().message(), "Extra data: line 1 column 2 (char 1)");
}

}  // namespace
}  // namespace awsd::cli
