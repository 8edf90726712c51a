// Compiling and evaluating rule sets: botocore's semantics on small rule
// sets written for the purpose, malformed rule sets refused with a clear
// message, and random damage to real rule sets never crashing.

#include <random>
#include <string>

#include "daemon/endpoints/endpoint_resolver.h"
#include "daemon/endpoints/rule_set_compiler.h"
#include "gtest/gtest.h"
#include "tests/daemon/endpoints/endpoint_test_support.h"

namespace awsd::endpoints {
namespace {

using json = nlohmann::json;

std::shared_ptr<const Partitions> TestPartitions() {
  std::string error;
  std::shared_ptr<const Partitions> partitions = testing::InstalledPartitions(&error);
  EXPECT_NE(partitions, nullptr) << error;
  return partitions;
}

absl::StatusOr<ResolvedEndpoint> Resolve(const json& rule_set, const EndpointParams& params) {
  absl::StatusOr<std::shared_ptr<const EndpointResolver>> resolver =
      EndpointResolver::Create(rule_set, TestPartitions());
  if (!resolver.ok()) return resolver.status();
  return (*resolver)->ResolveUncached(params);
}

// Lists are vectors, not json: a one-element braced list given to a json
// parameter is that element under clang and an array under gcc.
using List = std::vector<json>;

json Call(const std::string& fn, List argv, const char* assign = nullptr) {
  json call = {{"fn", fn}, {"argv", json(std::move(argv))}};
  if (assign != nullptr) call["assign"] = assign;
  return call;
}

json Ref(const std::string& name) { return {{"ref", name}}; }

json EndpointRule(List conditions, json url, json extra = json::object()) {
  json endpoint = {{"url", std::move(url)}};
  endpoint.update(extra);
  return {{"type", "endpoint"}, {"conditions", json(std::move(conditions))}, {"endpoint", std::move(endpoint)}};
}

json ErrorRule(List conditions, json message) {
  return {{"type", "error"}, {"conditions", json(std::move(conditions))}, {"error", std::move(message)}};
}

json TreeRule(List conditions, List rules) {
  return {{"type", "tree"}, {"conditions", json(std::move(conditions))}, {"rules", json(std::move(rules))}};
}

json RuleSet(json parameters, List rules) {
  return {{"version", "1.0"}, {"parameters", std::move(parameters)}, {"rules", json(std::move(rules))}};
}

const json kRegionParameter = {{"Region", {{"type", "string"}, {"builtIn", "AWS::Region"}}}};

TEST(RuleSetTest, AssignmentsAreScopedToTheirRuleAndItsChildren) {
  // The first tree assigns `p` and falls through; its sibling must not see
  // `p`, and may assign it afresh.
  const json rule_set = RuleSet(
      kRegionParameter,
      {TreeRule({Call("aws.partition", {Ref("Region")}, "p")},
                {EndpointRule({Call("stringEquals", {Call("getAttr", {Ref("p"), "name"}), "nope"})}, "https://x")}),
       TreeRule({Call("not", {Call("isSet", {Ref("p")})})},
                {EndpointRule({Call("aws.partition", {Ref("Region")}, "p")}, "https://{p#name}.{Region}")})});
  absl::StatusOr<ResolvedEndpoint> result = Resolve(rule_set, {{"Region", std::string("cn-north-1")}});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->url, "https://aws-cn.cn-north-1");
}

TEST(RuleSetTest, ReassigningANameIsAnError) {
  const json rule_set =
      RuleSet(kRegionParameter, {EndpointRule({Call("aws.partition", {"us-east-1"}, "Region")}, "https://x")});
  EXPECT_EQ(Resolve(rule_set, {{"Region", std::string("us-east-1")}}).status().message(),
            "Assignment Region already exists in scoped variables and cannot be overwritten");
  // An unset parameter's name may be assigned.
  EXPECT_EQ(Resolve(rule_set, {})->url, "https://x");
}

TEST(RuleSetTest, ParametersDefaultsTypesAndRequired) {
  const json parameters = {
      {"Region", {{"type", "String"}, {"required", true}}},
      {"UseFIPS", {{"type", "Boolean"}, {"default", false}, {"required", true}}},
      {"Names", {{"type", "stringArray"}, {"default", {"a", "b"}}}},
  };
  const json rule_set =
      RuleSet(parameters,
              {EndpointRule({Call("getAttr", {Ref("Names"), "[1]"}, "second")}, "https://{Region}.{second}.{UseFIPS}",
                            {{"headers", {{"x-names", {Call("getAttr", {Ref("Names"), "[0]"}), true}}}}})});
  absl::StatusOr<ResolvedEndpoint> result = Resolve(rule_set, {{"Region", std::string("r")}});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->url, "https://r.b.False");
  ASSERT_EQ(result->headers.size(), 1u);
  EXPECT_EQ(result->headers[0].second, (std::vector<std::string>{"a", "True"}));
  EXPECT_EQ(Resolve(rule_set, {{"Region", std::string("r")}, {"Names", std::vector<std::string>{"x", "y"}}})->url,
            "https://r.y.False");
  EXPECT_EQ(Resolve(rule_set, {}).status().message(), "Cannot find value for required parameter Region");
  EXPECT_EQ(Resolve(rule_set, {{"Region", true}}).status().message(),
            "Value (Region) is the wrong type. Must be <class 'str'>.");
  EXPECT_EQ(Resolve(rule_set, {{"Region", std::string("r")}, {"Names", std::string("x")}}).status().message(),
            "Value (Names) is the wrong type. Must be <class 'tuple'>.");
}

TEST(RuleSetTest, ErrorRulesTreesAndNoMatch) {
  const json rule_set =
      RuleSet(kRegionParameter,
              {TreeRule({Call("isSet", {Ref("Region")})},
                        {ErrorRule({Call("stringEquals", {Ref("Region"), "bad"})}, "Region {Region} is {{bad}}")}),
               EndpointRule({Call("stringEquals", {Ref("Region"), "ok"})}, "https://ok")});
  EXPECT_EQ(Resolve(rule_set, {{"Region", std::string("bad")}}).status().message(), "Region bad is {bad}");
  EXPECT_EQ(Resolve(rule_set, {{"Region", std::string("ok")}})->url, "https://ok");  // the tree fell through
  absl::StatusOr<ResolvedEndpoint> none = Resolve(rule_set, {{"Region", std::string("other")}});
  EXPECT_EQ(none.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(none.status().message(), "No endpoint found for parameters:\nRegion: other");
}

TEST(RuleSetTest, PropertiesAndAuthSchemes) {
  const json properties = {
      {"authSchemes",
       {{{"name", "sigv4a"}, {"signingName", "s3"}, {"signingRegionSet", {"*"}}},
        {{"name", "sigv4"}, {"signingName", "s3"}, {"signingRegion", "{Region}"}, {"disableDoubleEncoding", true}}}},
      {"literal", {{"ref", "Region"}}}};
  const json rule_set =
      RuleSet(kRegionParameter, {EndpointRule({}, "https://{Region}", {{"properties", properties}})});
  absl::StatusOr<ResolvedEndpoint> result = Resolve(rule_set, {{"Region", std::string("eu-west-1")}});
  ASSERT_TRUE(result.ok()) << result.status();
  // Templates are filled in; references inside properties are kept as written.
  EXPECT_EQ(result->properties["authSchemes"][1]["signingRegion"], "eu-west-1");
  EXPECT_EQ(result->properties["literal"], (json{{"ref", "Region"}}));
  ASSERT_EQ(result->auth_schemes.size(), 2u);
  EXPECT_EQ(result->auth_schemes[0].signing_region_set, (std::vector<std::string>{"*"}));
  EXPECT_EQ(result->auth_schemes[1].disable_double_encoding, true);
}

TEST(RuleSetTest, MalformedRuleSetsAreClearErrors) {
  const std::shared_ptr<const Partitions> partitions = TestPartitions();
  const auto error = [&](const json& rule_set) {
    absl::StatusOr<std::shared_ptr<const CompiledRuleSet>> compiled = CompileRuleSet(rule_set, partitions);
    EXPECT_FALSE(compiled.ok()) << rule_set.dump();
    return std::string(compiled.status().message());
  };
  EXPECT_EQ(error(json::array()), "invalid endpoint rule set: rule set: is not a JSON object");
  EXPECT_EQ(error({{"rules", json::array()}}), "invalid endpoint rule set: rule set: has no \"parameters\" object");
  EXPECT_EQ(error(RuleSet(json::object(), {{{"type", "leaf"}, {"conditions", json::array()}}})),
            "invalid endpoint rule set: rules[0]: unknown rule type \"leaf\" (a rule must be of type tree, "
            "endpoint or error)");
  EXPECT_EQ(error(RuleSet(json::object(), {EndpointRule({Call("fooBar", {1})}, "https://x")})),
            "invalid endpoint rule set: rules[0].conditions[0]: unknown function \"fooBar\"");
  EXPECT_EQ(error(RuleSet(json::object(), {EndpointRule({Call("isSet", {1, 2})}, "https://x")})),
            "invalid endpoint rule set: rules[0].conditions[0]: isSet takes 1 argument, not 2");
  EXPECT_EQ(error(RuleSet(json::object(), {EndpointRule({Ref("x")}, "https://x")})),
            "invalid endpoint rule set: rules[0].conditions[0]: a condition must be a function call ({\"fn\": ..., "
            "\"argv\": [...]})");
  EXPECT_EQ(error(RuleSet(json::object(), {EndpointRule({}, "https://{Region}}")})),
            "invalid endpoint rule set: rules[0].endpoint.url: template \"https://{Region}}\": Single '}' "
            "encountered in format string");
  EXPECT_EQ(error(RuleSet({{"P", {{"type", "number"}}}}, {})),
            "invalid endpoint rule set: parameters.P: unknown parameter type \"number\" (a parameter must be of "
            "type string, boolean, or stringArray)");
  EXPECT_EQ(error(RuleSet(json::object(), {EndpointRule({}, "x", {{"headers", {{"h", "v"}}}})})),
            "invalid endpoint rule set: rules[0].endpoint.headers.h: is not an array of values");
  // Nesting deeper than any real rule set is refused, not recursed into.
  json deep = EndpointRule({}, "https://x");
  for (int i = 0; i < 1000; ++i) deep = TreeRule({}, {deep});
  EXPECT_EQ(error(RuleSet(json::object(), {deep})).find("nested too deeply") != std::string::npos, true);
  json deep_call = 1;
  for (int i = 0; i < 1000; ++i) deep_call = Call("not", {deep_call});
  EXPECT_NE(error(RuleSet(json::object(), {EndpointRule({deep_call}, "https://x")})).find("nested too deeply"),
            std::string::npos);
  // Strings that are no template are kept as written, braces and all.
  EXPECT_EQ(Resolve(RuleSet(json::object(), {EndpointRule({}, "https://{not_a_template}")}), {})->url,
            "https://{not_a_template}");
}

// Random damage to real rule sets: whatever comes out, compiling and
// evaluating return a value or a status, never crash (run under ASan/UBSan
// in the sanitizer builds).
size_t CountNodes(const json& value) {
  size_t count = 1;
  if (value.is_structured()) {
    for (const json& child : value) count += CountNodes(child);
  }
  return count;
}

// A copy of `value` in which node number `target` (pre-order) is replaced by
// something else or, inside an object or array, dropped.
json Damage(const json& value, size_t target, int how, size_t* counter) {
  static const json replacements[] = {nullptr,
                                      0,
                                      -1,
                                      4.5,
                                      "",
                                      "{Region}",
                                      "{",
                                      true,
                                      json::array(),
                                      json::object(),
                                      json{{"ref", "Region"}},
                                      json{{"fn", "isSet"}}};
  const size_t index = (*counter)++;
  if (index == target) return replacements[how % std::size(replacements)];
  if (value.is_object()) {
    json out = json::object();
    for (auto it = value.begin(); it != value.end(); ++it) {
      const bool drop = *counter == target && how >= 100;
      json child = Damage(it.value(), target, how, counter);
      if (!drop) out[it.key()] = std::move(child);
    }
    return out;
  }
  if (value.is_array()) {
    json out = json::array();
    for (const json& item : value) {
      const bool drop = *counter == target && how >= 100;
      json child = Damage(item, target, how, counter);
      if (!drop) out.push_back(std::move(child));
    }
    return out;
  }
  return value;
}

json Damage(const json& value, std::mt19937& random) {
  json damaged = value;
  for (int i = 0; i < 3; ++i) {
    std::uniform_int_distribution<size_t> node(1, CountNodes(damaged) - 1);
    std::uniform_int_distribution<int> how(0, 119);
    size_t counter = 0;
    damaged = Damage(damaged, node(random), how(random), &counter);
  }
  return damaged;
}

TEST(RuleSetTest, DamagedRuleSetsNeverCrash) {
  const std::shared_ptr<const Partitions> partitions = TestPartitions();
  std::mt19937 random(7);
  int compiled = 0, refused = 0;
  for (const char* service : {"sqs", "sts", "s3control", "s3"}) {
    absl::StatusOr<json> original = testing::Models().LoadServiceFile(service, "endpoint-rule-set-1");
    ASSERT_TRUE(original.ok()) << original.status();
    const int rounds = std::string(service) == "s3" ? 60 : 150;
    for (int round = 0; round < rounds; ++round) {
      absl::StatusOr<std::shared_ptr<const EndpointResolver>> resolver =
          EndpointResolver::Create(Damage(*original, random), partitions);
      if (!resolver.ok()) {
        ++refused;
        EXPECT_NE(resolver.status().message().find("invalid endpoint rule set"), std::string::npos);
        continue;
      }
      ++compiled;
      for (const EndpointParams& params : std::vector<EndpointParams>{
               {},
               {{"Region", std::string("us-east-1")}, {"UseFIPS", true}, {"UseDualStack", false}},
               {{"Region", std::string("cn-north-1")}, {"Bucket", std::string("arn:aws:s3:x:1:accesspoint:a")}},
               {{"Region", true}, {"Endpoint", std::string("https://[::1]:99")}},
           }) {
        (void)(*resolver)->ResolveUncached(params);
      }
    }
  }
  // Both paths were exercised.
  EXPECT_GT(compiled, 10);
  EXPECT_GT(refused, 10);
}

}  // namespace
}  // namespace awsd::endpoints
