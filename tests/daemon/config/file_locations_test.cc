#include "daemon/config/file_locations.h"

#include <map>
#include <string>

#include "gtest/gtest.h"
#include "tests/support/fake_environment.h"

namespace awsd::config {
namespace {

using test_support::FakeEnvironment;
constexpr auto Env = FakeEnvironment;

const auto kNoPasswd = []() -> std::optional<std::string> { return std::nullopt; };

TEST(FileLocations, Defaults) {
  const FileLocations files = ResolveFileLocations(Env({{"HOME", "/home/u/"}}));
  EXPECT_EQ(files.config_file, "/home/u/.aws/config");  // trailing '/' of HOME dropped, as Python
  EXPECT_EQ(files.credentials_file, "/home/u/.aws/credentials");
}

TEST(FileLocations, OverridesAreExpandedLikeBotocore) {
  const FileLocations files = ResolveFileLocations(
      Env({{"HOME", "/h"}, {"AWS_CONFIG_FILE", "~/cfg/$DIR/${NAME}"}, {"DIR", "d"}, {"NAME", "n"},
           {"AWS_SHARED_CREDENTIALS_FILE", "/x/$UNSET/${ALSO_UNSET}/c"}}));
  EXPECT_EQ(files.config_file, "/h/cfg/d/n");
  EXPECT_EQ(files.credentials_file, "/x/$UNSET/${ALSO_UNSET}/c");  // unknown names stay
}

TEST(FileLocations, EmptyOverrideIsNoFile) {
  EXPECT_EQ(ResolveFileLocations(Env({{"HOME", "/h"}, {"AWS_CONFIG_FILE", ""}})).config_file, "");
}

TEST(FileLocations, NoHomeAnywhereLeavesTilde) {
  EXPECT_EQ(ResolveFileLocations(Env({}), Platform::kPosix, kNoPasswd).config_file, "~/.aws/config");
  EXPECT_EQ(ResolveFileLocations(Env({}), Platform::kPosix, [] { return std::optional<std::string>("/pw"); })
                .config_file,
            "/pw/.aws/config");
}

TEST(FileLocations, TildeUser) {
  // root exists in every passwd database.
  EXPECT_EQ(ExpandPath("~root/x", Env({{"HOME", "/h"}})).substr(0, 1), "/");
  EXPECT_EQ(ExpandPath("~no-such-user-awsd/x", Env({{"HOME", "/h"}})), "~no-such-user-awsd/x");
  EXPECT_EQ(ExpandPath("a/~/b", Env({{"HOME", "/h"}})), "a/~/b");
  EXPECT_EQ(ExpandPath("~", Env({{"HOME", "/"}})), "/");
}

TEST(FileLocations, ProfileName) {
  EXPECT_EQ(ResolveProfileName(Env({})), "default");
  EXPECT_EQ(ResolveProfileName(Env({{"AWS_PROFILE", "p"}})), "p");
  // botocore consults AWS_DEFAULT_PROFILE first.
  EXPECT_EQ(ResolveProfileName(Env({{"AWS_PROFILE", "p"}, {"AWS_DEFAULT_PROFILE", "d"}})), "d");
}

}  // namespace
}  // namespace awsd::config
