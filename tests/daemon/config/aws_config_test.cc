#include "daemon/config/aws_config.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace awsd::config {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class AwsConfigTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("awsd_config_test_" + std::to_string(::getpid()) + "_" +
            testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  std::filesystem::path dir_;
};

Value Str(std::string text) { return Value{std::move(text), std::nullopt}; }

TEST_F(AwsConfigTest, MergesCredentialsOverConfig) {
  const FileLocations files{
      Write("config", "[default]\nregion = us-west-2\naws_access_key_id = from-config\n[profile dev]\nregion = eu\n"),
      Write("credentials", "[default]\naws_access_key_id = AKIDCREDS\naws_secret_access_key = s\n[ci]\nx = 1\n")};
  absl::StatusOr<AwsConfig> config = LoadAwsConfig(files);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_TRUE(config->config_file_found);
  EXPECT_TRUE(config->credentials_file_found);
  const Profile* def = FindProfile(config->merged, "default");
  ASSERT_NE(def, nullptr);
  EXPECT_EQ(def->at("region"), Str("us-west-2"));
  EXPECT_EQ(def->at("aws_access_key_id"), Str("AKIDCREDS"));
  EXPECT_EQ(def->at("aws_secret_access_key"), Str("s"));
  EXPECT_NE(FindProfile(config->merged, "dev"), nullptr);
  EXPECT_NE(FindProfile(config->merged, "ci"), nullptr);
  EXPECT_EQ(FindProfile(config->merged, "nope"), nullptr);
}

TEST_F(AwsConfigTest, MissingFilesAreNotErrors) {
  absl::StatusOr<AwsConfig> config =
      LoadAwsConfig(FileLocations{(dir_ / "absent").string(), dir_.string() /* a directory */});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_FALSE(config->config_file_found);
  EXPECT_FALSE(config->credentials_file_found);
  EXPECT_TRUE(config->merged.profiles.empty());
  EXPECT_TRUE(LoadAwsConfig(FileLocations{"", ""}).ok());
}

TEST_F(AwsConfigTest, MalformedFileNamesFileAndLineNotValue) {
  const std::string credentials =
      Write("credentials", "[default]\naws_access_key_id = AKID\naws_secret_access_key SECRETVALUE123\n");
  absl::StatusOr<AwsConfig> config = LoadAwsConfig(FileLocations{Write("config", "[default]\n"), credentials});
  ASSERT_FALSE(config.ok());
  EXPECT_THAT(std::string(config.status().message()), HasSubstr(credentials + ":3:"));
  EXPECT_THAT(std::string(config.status().message()), Not(HasSubstr("SECRETVALUE")));
}

TEST_F(AwsConfigTest, UnreadableFileIsAnError) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads any file";
  const std::string path = Write("config", "[default]\n");
  std::filesystem::permissions(path, std::filesystem::perms::none);
  absl::StatusOr<AwsConfig> config = LoadAwsConfig(FileLocations{path, ""});
  ASSERT_FALSE(config.ok());
  EXPECT_THAT(std::string(config.status().message()), HasSubstr(path));
}

TEST_F(AwsConfigTest, FromEnvironment) {
  Write("c", "[profile p]\nregion = r\n");
  const std::map<std::string, std::string> vars{{"HOME", dir_.string()}, {"AWS_CONFIG_FILE", "~/c"}};
  const EnvLookup env = [&vars](const std::string& name) -> std::optional<std::string> {
    const auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
  absl::StatusOr<AwsConfig> config = LoadAwsConfig(env);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->files.config_file, (dir_ / "c").string());
  EXPECT_FALSE(config->credentials_file_found);
  EXPECT_EQ(FindProfile(config->merged, "p")->at("region"), Str("r"));
}

}  // namespace
}  // namespace awsd::config
