// The standard library functions and their helpers, on corner cases whose
// expected values come from botocore 1.43.11 (RuleSetStandardLibrary run on
// the same inputs).

#include "daemon/endpoints/standard_functions.h"

#include <string>

#include "daemon/endpoints/arn.h"
#include "awsd/xform_name.h"
#include "daemon/endpoints/pattern_matcher.h"
#include "daemon/endpoints/rule_set_compiler.h"
#include "daemon/endpoints/url_parsing.h"
#include "gtest/gtest.h"
#include "tests/daemon/endpoints/endpoint_test_support.h"

namespace awsd::endpoints {
namespace {

class StandardFunctionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    partitions_ = testing::InstalledPartitions(&error);
    ASSERT_NE(partitions_, nullptr) << error;
    context_ = FunctionContext{partitions_.get(), &arena_};
  }

  // Calls `function` on `args`; the error text when it fails.
  absl::StatusOr<Value> Call(Function function, std::vector<Value> args) {
    Value out;
    std::string error;
    if (!CallStandardFunction(function, args.data(), nullptr, context_, &out, &error)) {
      return absl::InvalidArgumentError(error);
    }
    return out;
  }

  absl::StatusOr<nlohmann::json> ParseUrlJson(std::string_view url) {
    absl::StatusOr<Value> value = Call(Function::kParseUrl, {Value::String(url)});
    if (!value.ok()) return value.status();
    return ToJson(*value);
  }

  std::shared_ptr<const Partitions> partitions_;
  ValueArena arena_;
  FunctionContext context_;
};

TEST_F(StandardFunctionsTest, ParseUrlMatchesBotocore) {
  EXPECT_EQ(*ParseUrlJson("https://example.com/a/../b;p"), (nlohmann::json{{"scheme", "https"},
                                                                           {"authority", "example.com"},
                                                                           {"path", "/a/../b"},
                                                                           {"normalizedPath", "/b/"},
                                                                           {"isIp", false}}));
  EXPECT_EQ(*ParseUrlJson("https://[::1]:8443/x"), (nlohmann::json{{"scheme", "https"},
                                                                   {"authority", "[::1]:8443"},
                                                                   {"path", "/x"},
                                                                   {"normalizedPath", "/x/"},
                                                                   {"isIp", true}}));
  EXPECT_EQ((*ParseUrlJson("https://[fe80::1%25eth0]/"))["isIp"], true);
  EXPECT_EQ((*ParseUrlJson("https://1.2.3.4"))["isIp"], true);
  EXPECT_EQ((*ParseUrlJson("https://1.2.3.4"))["normalizedPath"], "/");
  EXPECT_EQ((*ParseUrlJson("https://[v1.x]/"))["isIp"], false);
  EXPECT_EQ((*ParseUrlJson("https://example.com#frag"))["path"], "");
  EXPECT_EQ((*ParseUrlJson("http://user@host:80/p%20q"))["authority"], "user@host:80");
  EXPECT_EQ((*ParseUrlJson("http://user@host:80/p%20q"))["normalizedPath"], "/p%2520q/");
  EXPECT_EQ((*ParseUrlJson(" https://a.com"))["authority"], "a.com");
  EXPECT_EQ((*ParseUrlJson("https://a.com:0080/"))["authority"], "a.com:0080");
  EXPECT_EQ((*ParseUrlJson("https://a.com//x/./y/"))["normalizedPath"], "/x/y/");
  EXPECT_EQ((*ParseUrlJson("https://\xc3\xa4.com/\xc3\xbc"))["normalizedPath"], "/%C3%BC/");
  // None: a query, a port that is not a number or out of range, a scheme
  // other than http(s). The scheme is matched case-insensitively.
  EXPECT_TRUE(ParseUrlJson("HTTPS://Example.com:443/a/../b;p?x")->is_null());
  EXPECT_TRUE(ParseUrlJson("https://example.com:99999/")->is_null());
  EXPECT_TRUE(ParseUrlJson("https://host:+80/")->is_null());
  EXPECT_TRUE(ParseUrlJson("ftp://example.com/")->is_null());
  EXPECT_EQ((*ParseUrlJson("HTTPS://Example.com"))["scheme"], "https");
  // Where botocore raises.
  EXPECT_FALSE(ParseUrlJson("https://").ok());
  EXPECT_EQ(ParseUrlJson("https://[1.2.3.4]/").status().message(), "parseURL: An IPv4 address cannot be in brackets");
  EXPECT_EQ(ParseUrlJson("https://[::1/").status().message(), "parseURL: Invalid IPv6 URL");
}

TEST_F(StandardFunctionsTest, HostLabels) {
  EXPECT_TRUE(IsValidHostLabel("abc\n", false));  // Python's `$` before a final newline
  EXPECT_TRUE(IsValidHostLabel("a.b", true));
  EXPECT_FALSE(IsValidHostLabel("a..b", true));
  EXPECT_FALSE(IsValidHostLabel("-a", false));
  EXPECT_TRUE(IsValidHostLabel(std::string(63, 'a'), false));
  EXPECT_FALSE(IsValidHostLabel(std::string(64, 'a'), false));
  EXPECT_FALSE(IsValidHostLabel("", false));
  EXPECT_FALSE(IsValidHostLabel("a.b", false));
  EXPECT_TRUE(IsValidHostLabel("1.2.3.4", true));
  EXPECT_FALSE(IsVirtualHostableS3Bucket("1.2.3.4", true));
  EXPECT_FALSE(IsVirtualHostableS3Bucket("ab", false));
  EXPECT_FALSE(IsVirtualHostableS3Bucket("Bucket", false));
  EXPECT_TRUE(IsVirtualHostableS3Bucket("my.bucket", true));
  EXPECT_FALSE(IsVirtualHostableS3Bucket("my.bucket", false));
  EXPECT_TRUE(IsVirtualHostableS3Bucket(std::string(63, 'b'), false));
  EXPECT_FALSE(IsVirtualHostableS3Bucket(std::string(64, 'b'), false));
  // A None value is simply not a label; a non-string is an error.
  EXPECT_FALSE(Call(Function::kIsValidHostLabel, {Value::None(), Value::Bool(false)})->boolean);
  EXPECT_FALSE(Call(Function::kIsValidHostLabel, {Value::Bool(true), Value::Bool(false)}).ok());
}

TEST_F(StandardFunctionsTest, Partitions) {
  const std::pair<std::string, std::string> cases[] = {
      {"us-east-1", "aws"},
      {"cn-north-1", "aws-cn"},
      {"us-gov-west-1", "aws-us-gov"},
      {"us-iso-east-1", "aws-iso"},
      {"us-isob-east-1", "aws-iso-b"},
      {"eusc-de-east-1", "aws-eusc"},
      {"eu-isoe-west-1", "aws-iso-e"},
      {"us-isof-south-1", "aws-iso-f"},
      {"aws-global", "aws"},
      {"mars-1", "aws"},
      {"us-east-1\n", "aws"},
      {"eusc-fr-east-1", "aws"},
      {"us-iso-east-1-x", "aws"},
      {"aws-cn-global", "aws-cn"},
  };
  for (const auto& [region, partition] : cases) {
    absl::StatusOr<Value> result = Call(Function::kPartition, {Value::String(region)});
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result->Find("name")->str(), partition) << region;
  }
  EXPECT_EQ(Call(Function::kPartition, {Value::None()})->Find("name")->str(), "aws");
  EXPECT_EQ(Call(Function::kPartition, {Value::String("cn-north-1")})->Find("dnsSuffix")->str(), "amazonaws.com.cn");
  EXPECT_TRUE(Call(Function::kPartition, {Value::String("cn-north-1")})->Find("supportsFIPS")->boolean);
}

TEST_F(StandardFunctionsTest, ParseArn) {
  EXPECT_EQ(ToJson(*Call(Function::kParseArn, {Value::String("arn:aws:s3:us-east-1:123:accesspoint/ap:x")})),
            (nlohmann::json{{"partition", "aws"},
                            {"service", "s3"},
                            {"region", "us-east-1"},
                            {"accountId", "123"},
                            {"resourceId", {"accesspoint", "ap", "x"}}}));
  EXPECT_EQ(ToJson(*Call(Function::kParseArn, {Value::String("arn:aws:s3:::b")}))["resourceId"], nlohmann::json({"b"}));
  for (const char* bad : {"arn:aws:s3:us-east-1:123:", "arn::s3:r:a:res", "arn:aws:s3:r:a", "nope", ""}) {
    EXPECT_TRUE(Call(Function::kParseArn, {Value::String(bad)})->is_none()) << bad;
  }
  EXPECT_TRUE(LooksLikeArn("arn:::::"));
  EXPECT_FALSE(LooksLikeArn("arn:a:b"));
}

TEST_F(StandardFunctionsTest, UriEncodeAndSubstring) {
  EXPECT_EQ(Call(Function::kUriEncode, {Value::String("a b/\xc3\xbc~")})->str(), "a%20b%2F%C3%BC~");
  EXPECT_EQ(Call(Function::kUriEncode, {Value::Bool(true)})->str(), "True");
  EXPECT_TRUE(Call(Function::kUriEncode, {Value::None()})->is_none());
  const auto substring = [&](std::string_view s, int start, int stop, bool reverse) {
    return Call(Function::kSubstring, {Value::String(s), Value::Int(start), Value::Int(stop), Value::Bool(reverse)});
  };
  EXPECT_EQ(substring("abcdef", 1, 3, true)->str(), "de");
  EXPECT_EQ(substring("abcdef", -2, 3, false)->str(), "");
  EXPECT_TRUE(substring("abc", 0, 4, false)->is_none());
  EXPECT_TRUE(substring("abc\xc3\xbc", 0, 2, false)->is_none());
  // botocore raises on a None input: the rule set's message is then this.
  absl::StatusOr<Value> none =
      Call(Function::kSubstring, {Value::None(), Value::Int(0), Value::Int(1), Value::Bool(false)});
  EXPECT_EQ(none.status().message(), "Input must be a string, not <class 'NoneType'>.");
}

TEST_F(StandardFunctionsTest, EqualityFunctionsCheckTypes) {
  EXPECT_TRUE(Call(Function::kStringEquals, {Value::String("a"), Value::String("a")})->boolean);
  EXPECT_EQ(Call(Function::kStringEquals, {Value::None(), Value::String("a")}).status().message(),
            "Both values must be strings, not <class 'NoneType'> and <class 'str'>.");
  EXPECT_EQ(Call(Function::kBooleanEquals, {Value::String("true"), Value::Bool(true)}).status().message(),
            "Both arguments must be bools, not <class 'str'> and <class 'bool'>.");
  EXPECT_TRUE(Call(Function::kNot, {Value::String("")})->boolean);
  EXPECT_FALSE(Call(Function::kIsSet, {Value::None()})->boolean);
}

TEST_F(StandardFunctionsTest, GetAttrPaths) {
  Value items[] = {Value::Int(1), Value::Int(2)};
  Field inner[] = {{"b", Value::Array(items, 2)}};
  Field outer[] = {{"a", Value::Record(inner, 1)}, {"x-y", Value::Record(inner, 1)}};
  const Value record = Value::Record(outer, 2);
  EXPECT_EQ(Call(Function::kGetAttr, {record, Value::String("a.b[1]")})->integer, 2);
  EXPECT_TRUE(Call(Function::kGetAttr, {record, Value::String("a.b[5]")})->is_none());
  // GET_ATTR_RE.search finds "b[0]" inside "x-y.b[0]"'s second part, and the
  // walk stops at the first indexed part.
  EXPECT_EQ(Call(Function::kGetAttr, {record, Value::String("x-y.b[0].ignored")})->integer, 1);
  EXPECT_FALSE(Call(Function::kGetAttr, {record, Value::String("missing")}).ok());
  const AttrPath path = ParseAttrPath("q.x-y[3]");
  ASSERT_EQ(path.size(), 2u);
  EXPECT_EQ(path[1].name, "y");
  EXPECT_EQ(path[1].index, 3u);
}

TEST(PatternMatcherTest, PythonReMatchSemantics) {
  absl::StatusOr<PatternMatcher> aws = PatternMatcher::Compile("^(us|eu|ap|sa|ca|me|af|il|mx)\\-\\w+\\-\\d+$");
  ASSERT_TRUE(aws.ok()) << aws.status();
  EXPECT_TRUE(aws->MatchesAtStart("us-east-1"));
  EXPECT_TRUE(aws->MatchesAtStart("us-east-1\n"));
  EXPECT_FALSE(aws->MatchesAtStart("us-east-1\n\n"));
  EXPECT_FALSE(aws->MatchesAtStart("us-east-x"));
  EXPECT_FALSE(aws->MatchesAtStart("xus-east-1"));
  // Linear time: a long region name takes no time and no stack.
  EXPECT_FALSE(aws->MatchesAtStart("us-" + std::string(1 << 20, 'a') + "-"));
  absl::StatusOr<PatternMatcher> prefix = PatternMatcher::Compile("a[b-d]{2,3}");
  ASSERT_TRUE(prefix.ok());
  EXPECT_TRUE(prefix->MatchesAtStart("abcx"));  // re.match need not reach the end
  EXPECT_FALSE(prefix->MatchesAtStart("abx"));
  EXPECT_FALSE(PatternMatcher::Compile("(?=x)").ok());
  EXPECT_FALSE(PatternMatcher::Compile("a**").ok());
  EXPECT_FALSE(PatternMatcher::Compile("(a").ok());
  EXPECT_FALSE(PatternMatcher::Compile("\\1").ok());
}

TEST(UrlParsingTest, IpAddressesAsPythonReadsThem) {
  EXPECT_TRUE(IsPythonIpv6Address("::1"));
  EXPECT_TRUE(IsPythonIpv6Address("2001:db8::1.2.3.4"));
  EXPECT_TRUE(IsPythonIpv6Address("fe80::1%eth0"));
  EXPECT_FALSE(IsPythonIpv6Address(":::"));
  EXPECT_FALSE(IsPythonIpv6Address("1:2:3:4:5:6:7:8:9"));
  EXPECT_FALSE(IsPythonIpv6Address("fe80::1%"));
  EXPECT_TRUE(IsPythonIpv4Address("1.2.3.4"));
  EXPECT_FALSE(IsPythonIpv4Address("01.2.3.4"));
  EXPECT_FALSE(IsPythonIpv4Address("256.2.3.4"));
  EXPECT_TRUE(MatchesIpv4Pattern("999.1.1.1"));
  EXPECT_TRUE(IsS3AccelerateUrl("https://s3-accelerate.dualstack.amazonaws.com"));
  EXPECT_FALSE(IsS3AccelerateUrl("https://s3-accelerate.dualstack.dualstack.amazonaws.com"));
  EXPECT_FALSE(IsS3AccelerateUrl("https://bucket.s3-accelerate.amazonaws.com"));
}

TEST(XformNameTest, AsBotocore) {
  EXPECT_EQ(XformName("isSet"), "is_set");
  EXPECT_EQ(XformName("aws.isVirtualHostableS3Bucket"), "aws.is_virtual_hostable_s3_bucket");
  EXPECT_EQ(XformName("parseURL"), "parse_url");
  EXPECT_EQ(XformName("DisableMultiRegionAccessPoints"), "disable_multi_region_access_points");
  EXPECT_EQ(XformName("DisableS3ExpressSessionAuth"), "disable_s3_express_session_auth");
  EXPECT_EQ(XformName("ListGatewayARNs"), "list_gateway_arns");
  EXPECT_EQ(XformName("already_snake"), "already_snake");
}

}  // namespace
}  // namespace awsd::endpoints
