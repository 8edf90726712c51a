// The parser in both dialects. The SDK-standard dialect is covered case by
// case by conformance_test.cc; here the botocore dialect is pinned where it
// differs (expected values are botocore 1.43.11's own output), plus errors
// and the botocore sample files in conformance/config-files/.

#include "daemon/config/profile_file_parser.h"

#include <fstream>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_paths.h"

namespace awsd::config {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

ProfileSet ParseOk(std::string_view text, FileKind kind = FileKind::kConfig, Dialect dialect = Dialect::kBotocore) {
  absl::StatusOr<ProfileSet> set = ParseProfileFile(text, "test", kind, dialect);
  EXPECT_TRUE(set.ok()) << set.status();
  return set.ok() ? *set : ProfileSet{};
}

std::string ParseError(std::string_view text, FileKind kind = FileKind::kConfig,
                       Dialect dialect = Dialect::kBotocore) {
  absl::StatusOr<ProfileSet> set = ParseProfileFile(text, "/home/u/.aws/config", kind, dialect);
  EXPECT_FALSE(set.ok());
  return set.ok() ? "" : std::string(set.status().message());
}

Value Str(std::string text) { return Value{std::move(text), std::nullopt}; }

TEST(BotocoreDialect, NoInlineComments) {
  // configparser's default has no inline comment prefixes.
  EXPECT_EQ(ParseOk("[profile foo] # c\nname = value # c ; d\n").profiles.at("foo").at("name"),
            Str("value # c ; d"));
}

TEST(BotocoreDialect, FullLineCommentsAnywhere) {
  const ProfileSet set = ParseOk("# a\n[default]\n  ; indented comment\nname = v\n   # inside a value\n   more\n");
  EXPECT_EQ(set.profiles.at("default").at("name"), Str("v\nmore"));
}

TEST(BotocoreDialect, ColonSeparatesKeys) {
  const ProfileSet set = ParseOk("[default]\nkey : value\nrole_arn = arn:aws:iam::1:role/x\n");
  EXPECT_EQ(set.profiles.at("default").at("key"), Str("value"));
  EXPECT_EQ(set.profiles.at("default").at("role_arn"), Str("arn:aws:iam::1:role/x"));
}

TEST(BotocoreDialect, KeysLowerCasedValuesNot) {
  EXPECT_EQ(ParseOk("[default]\nRegion = US-West-2\n").profiles.at("default").at("region"), Str("US-West-2"));
}

TEST(BotocoreDialect, DuplicateSectionIsAnErrorNamingLine) {
  const std::string error = ParseError("[profile foo]\na = 1\n[profile foo]\nb = 2\n");
  EXPECT_THAT(error, HasSubstr("/home/u/.aws/config:3:"));
  EXPECT_THAT(error, HasSubstr("'profile foo'"));
}

TEST(BotocoreDialect, DuplicateKeyIsAnErrorWithoutTheValue) {
  const std::string error = ParseError("[default]\naws_secret_access_key = s3cr3tA\naws_secret_access_key = s3cr3tB\n");
  EXPECT_THAT(error, HasSubstr(":3:"));
  EXPECT_THAT(error, HasSubstr("'aws_secret_access_key'"));
  EXPECT_THAT(error, Not(HasSubstr("s3cr3t")));
}

TEST(BotocoreDialect, LaterOfDefaultAndProfileDefaultWinsWhole) {
  EXPECT_EQ(ParseOk("[profile default]\na = 1\n[default]\nb = 2\n").profiles.at("default"),
            (Profile{{"b", Str("2")}}));
  EXPECT_EQ(ParseOk("[default]\nb = 2\n[profile default]\na = 1\n").profiles.at("default"),
            (Profile{{"a", Str("1")}}));
}

TEST(BotocoreDialect, ProfileNamesAreShlexSplit) {
  const ProfileSet set = ParseOk(
      "[profile \"my profile\"]\n[profile foo!bar]\n[profile in valid]\n[profile \"unterminated]\n"
      "[profilefoo]\n[profiles x]\n[   profile spaced    ]\n[sso-session 'sso one']\n[services s]\n[other]\n");
  std::vector<std::string> names;
  for (const auto& [name, profile] : set.profiles) names.push_back(name);
  // [profiles x] starts with "profile" and splits in two: botocore takes it.
  EXPECT_THAT(names, ::testing::ElementsAre("foo!bar", "my profile", "x"));
  EXPECT_TRUE(set.sso_sessions.contains("sso one"));
  EXPECT_TRUE(set.services.contains("s"));
}

TEST(BotocoreDialect, CredentialsSectionsAreProfilesVerbatim) {
  const ProfileSet set = ParseOk("[profile foo]\na = 1\n[   bar    ]\nb = 2\n", FileKind::kCredentials);
  EXPECT_TRUE(set.profiles.contains("profile foo"));
  EXPECT_TRUE(set.profiles.contains("   bar    "));
}

TEST(BotocoreDialect, SubPropertiesAreParsed) {
  const ProfileSet set = ParseOk("[default]\ns3 =\n  addressing_style = path\n\n  x=\n  = empty key\n");
  const Value& s3 = set.profiles.at("default").at("s3");
  ASSERT_TRUE(s3.is_nested());
  EXPECT_EQ(*s3.sub_properties, (SubProperties{{"addressing_style", "path"}, {"x", ""}, {"", "empty key"}}));
  // Blank lines inside a value are kept in its text (empty_lines_in_values).
  EXPECT_EQ(s3.text, "\naddressing_style = path\n\nx=\n= empty key");
}

TEST(BotocoreDialect, BadSubPropertyNamesLineNotValue) {
  const std::string error = ParseError("[default]\ns3 =\n  ok = 1\n  s3cr3tvalue\n");
  EXPECT_THAT(error, HasSubstr(":4: Expected an '=' sign defining a sub-property"));
  EXPECT_THAT(error, Not(HasSubstr("s3cr3t")));
}

TEST(BotocoreDialect, ContinuationIsRelativeToTheKeyIndent) {
  const ProfileSet set = ParseOk("[default]\n  a = 1\n  b = 2\n    more\n");
  EXPECT_EQ(set.profiles.at("default").at("a"), Str("1"));
  EXPECT_EQ(set.profiles.at("default").at("b"), Str("2\nmore"));
}

TEST(BotocoreDialect, DefaultSectionIsInherited) {
  const ProfileSet set = ParseOk("[DEFAULT]\nregion = r\n[profile a]\n[profile b]\nregion = own\n");
  EXPECT_EQ(set.profiles.at("a").at("region"), Str("r"));
  EXPECT_EQ(set.profiles.at("b").at("region"), Str("own"));
  EXPECT_FALSE(set.profiles.contains("DEFAULT"));
}

TEST(BotocoreDialect, HeaderRunsToLastBracket) {
  const ProfileSet set = ParseOk("[profile a] trailing ]\n[profile b]; c\n");
  EXPECT_FALSE(set.profiles.contains("a"));  // "profile a] trailing" has 3 words
  EXPECT_TRUE(set.profiles.contains("b"));
}

TEST(BotocoreDialect, LineEndings) {
  const ProfileSet set = ParseOk("[default]\r\na = 1\rb = 2\n");
  EXPECT_EQ(set.profiles.at("default").size(), 2u);
}

TEST(BotocoreDialect, ErrorsNameFileAndLine) {
  EXPECT_THAT(ParseError("a = b\n"), HasSubstr("/home/u/.aws/config:1: Expected a profile definition"));
  EXPECT_THAT(ParseError("[default]\n\nnot a property\n"), HasSubstr(":3: Expected an '=' sign"));
  EXPECT_THAT(ParseError("[default]\n= value\n"), HasSubstr(":2: Property did not have a name"));
  EXPECT_THAT(ParseError("[default]\na = 1\n\xff\n"), HasSubstr(":3: File is not valid UTF-8"));
  EXPECT_THAT(ParseError("[default]\n\xed\xa0\x80\n"), HasSubstr(":2:"));  // a surrogate, as Python
}

TEST(ErrorMessages, NeverContainValues) {
  const std::string secret = "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY";
  for (Dialect dialect : {Dialect::kBotocore, Dialect::kSdkStandard}) {
    for (const std::string& text : {
             "aws_secret_access_key = " + secret + "\n",
             "[default]\naws_secret_access_key " + secret + "\n",
             "[default]\ns3 =\n  " + secret + "\n",
             "[default\naws_secret_access_key = " + secret + "\n",
             " " + secret + "\n",
         }) {
      absl::StatusOr<ProfileSet> set = ParseProfileFile(text, "f", FileKind::kConfig, dialect);
      ASSERT_FALSE(set.ok()) << text;
      EXPECT_THAT(std::string(set.status().message()), Not(HasSubstr(secret)));
      EXPECT_THAT(std::string(set.status().message()), Not(HasSubstr("wJalr")));
    }
  }
}

TEST(SdkDialect, SubPropertiesAreParsedToo) {
  const ProfileSet set =
      ParseOk("[profile foo]\ns3 =\n name = value\n\t \n other = x\n", FileKind::kConfig, Dialect::kSdkStandard);
  const Value& s3 = set.profiles.at("foo").at("s3");
  EXPECT_EQ(s3.text, "\nname = value\nother = x");
  EXPECT_EQ(*s3.sub_properties, (SubProperties{{"name", "value"}, {"other", "x"}}));
}

TEST(SdkDialect, ServicesSections) {
  const ProfileSet set = ParseOk("[services dev]\ns3 =\n  endpoint_url = http://localhost:9000\n",
                                 FileKind::kConfig, Dialect::kSdkStandard);
  EXPECT_EQ(set.services.at("dev").at("s3").sub_properties->at("endpoint_url"), "http://localhost:9000");
}

TEST(Merge, CredentialsWinPerKey) {
  ProfileSet config = ParseOk("[profile a]\nregion = r\nkey = config\n[sso-session s]\nx = 1\n");
  const ProfileSet credentials = ParseOk("[a]\nkey = creds\n[b]\nk = v\n", FileKind::kCredentials);
  MergeCredentialsInto(config, credentials);
  EXPECT_EQ(config.profiles.at("a"), (Profile{{"region", Str("r")}, {"key", Str("creds")}}));
  EXPECT_EQ(config.profiles.at("b"), (Profile{{"k", Str("v")}}));
  EXPECT_TRUE(config.sso_sessions.contains("s"));
}

// ---------------------------------------------------------------------------
// botocore's own sample files (tests/unit/cfg): same outcome as
// botocore.configloader.load_config on each.

std::string Sample(const std::string& name) {
  std::ifstream in(test_support::ConformanceDir() + "/config-files/" + name, std::ios::binary);
  EXPECT_TRUE(in) << name;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

TEST(Samples, Good) {
  ProfileSet set = ParseOk(Sample("aws_config"));
  EXPECT_EQ(set.profiles.at("personal").at("aws_security_token"), Str("fiebaz"));
  EXPECT_EQ(set.profiles.at("default").at("aws_access_key_id"), Str("foo"));

  set = ParseOk(Sample("aws_bad_profile"));
  std::vector<std::string> names;
  for (const auto& [name, profile] : set.profiles) names.push_back(name);
  EXPECT_THAT(names, ::testing::ElementsAre("default", "my profile", "personal1"));

  set = ParseOk(Sample("aws_config_nested"));
  const Profile& nested = set.profiles.at("default");
  EXPECT_EQ(*nested.at("s3").sub_properties, (SubProperties{{"signature_version", "s3v4"}, {"addressing_style", "path"}}));
  EXPECT_EQ(*nested.at("cloudwatch").sub_properties, (SubProperties{{"signature_version", "v4"}}));
  EXPECT_EQ(nested.at("region"), Str("us-west-2"));

  set = ParseOk(Sample("aws_services_config"));
  EXPECT_EQ(set.services.at("my-services").at("dynamodb").sub_properties->at("endpoint_url"),
            "https://localhost:8888/");
  EXPECT_EQ(set.profiles.at("default").at("services"), Str("my-services"));

  set = ParseOk(Sample("aws_sso_session_config"));
  EXPECT_EQ(set.sso_sessions.at("sso").at("sso_region"), Str("us-east-1"));

  EXPECT_TRUE(ParseOk(Sample("boto_config")).profiles.empty());  // [Credentials] is no profile
  EXPECT_TRUE(ParseOk(Sample("boto_config_empty")).profiles.empty());
  EXPECT_EQ(ParseOk(Sample("foo_config")).profiles.size(), 2u);
  EXPECT_EQ(ParseOk(Sample("aws_config_nocreds")).profiles.at("default").at("region"), Str("us-west-2"));
  EXPECT_EQ(ParseOk(Sample("aws_third_config")).profiles.count("third"), 1u);
  EXPECT_EQ(ParseOk(Sample("aws_config_other")).profiles.count("personal"), 1u);
}

TEST(Samples, Bad) {
  EXPECT_THAT(ParseError(Sample("aws_config_bad")), HasSubstr(":1: Expected a profile definition"));
  EXPECT_THAT(ParseError(Sample("aws_credentials")), HasSubstr(":1: Expected a profile definition"));
  EXPECT_THAT(ParseError(Sample("aws_config_nested_bad")), HasSubstr(":5: Expected an '=' sign defining a sub-property"));
  EXPECT_THAT(ParseError(Sample("aws_config_badbytes")), HasSubstr(":1: File is not valid UTF-8"));
  // The SDK dialect rejects the same files.
  for (const char* name : {"aws_config_bad", "aws_credentials", "aws_config_nested_bad", "aws_config_badbytes"}) {
    EXPECT_FALSE(ParseProfileFile(Sample(name), name, FileKind::kConfig, Dialect::kSdkStandard).ok()) << name;
  }
}

}  // namespace
}  // namespace awsd::config
