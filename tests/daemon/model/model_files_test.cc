#include "daemon/model/model_files.h"

#include <zlib.h>

#include <filesystem>

#include "gtest/gtest.h"
#include "tests/support/fake_environment.h"
#include "tests/support/temp_dir.h"

namespace awsd::model {
namespace {

using test_support::FakeEnvironment;
using test_support::TempDir;
using test_support::WriteFile;

void WriteGzip(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  gzFile file = gzopen(path.c_str(), "wb");
  ASSERT_NE(file, nullptr);
  gzwrite(file, text.data(), static_cast<unsigned>(text.size()));
  gzclose(file);
}

void Write(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  WriteFile(path, text);
}

TEST(ModelFilesTest, NewestVersionAcrossFoldersFromTheFirstFolderThatHasIt) {
  TempDir extra, builtin;
  Write(builtin.path() / "svc/2020-01-01/service-2.json", R"({"v": "builtin-old"})");
  WriteGzip(builtin.path() / "svc/2021-01-01/service-2.json.gz", R"({"v": "builtin-new"})");
  Write(extra.path() / "svc/2021-01-01/service-2.json", R"({"v": "extra-new"})");
  Write(extra.path() / "other/2019-01-01/service-2.json", R"({})");

  ModelFiles files({extra.path().string(), builtin.path().string()});
  EXPECT_EQ(files.LatestApiVersion("svc", "service-2").value(), "2021-01-01");
  EXPECT_EQ(files.LoadServiceFile("svc", "service-2").value()["v"], "extra-new");
  EXPECT_EQ(files.AvailableServices(), (std::vector<std::string>{"other", "svc"}));

  ModelFiles only_builtin({builtin.path().string()});
  EXPECT_EQ(only_builtin.LoadServiceFile("svc", "service-2").value()["v"], "builtin-new");  // gzip read
  EXPECT_EQ(only_builtin.LoadServiceFile("svc", "service-2", "2020-01-01").value()["v"], "builtin-old");
}

TEST(ModelFilesTest, SdkExtrasMergeDeeply) {
  TempDir dir;
  Write(dir.path() / "svc/2020-01-01/service-2.json",
        R"({"metadata": {"a": 1, "b": {"c": 2}}, "shapes": {"S": {"type": "string"}}})");
  Write(dir.path() / "svc/2020-01-01/service-2.sdk-extras.json",
        R"({"version": 1.0, "merge": {"metadata": {"b": {"d": 3}, "e": 4}}})");
  const nlohmann::json model = ModelFiles({dir.path().string()}).LoadServiceFile("svc", "service-2").value();
  EXPECT_EQ(model["metadata"], (nlohmann::json{{"a", 1}, {"b", {{"c", 2}, {"d", 3}}}, {"e", 4}}));
}

TEST(ModelFilesTest, CorruptFilesAreClearErrors) {
  TempDir dir;
  Write(dir.path() / "bad/2020-01-01/service-2.json", R"({"metadata": )");
  Write(dir.path() / "gz/2020-01-01/service-2.json.gz", "this is not gzip");
  WriteGzip(dir.path() / "cut/2020-01-01/service-2.json.gz", std::string(100000, ' ') + "{}");
  {
    // Truncate a valid gzip stream half-way.
    const auto path = dir.path() / "cut/2020-01-01/service-2.json.gz";
    std::filesystem::resize_file(path, std::filesystem::file_size(path) / 2);
  }
  ModelFiles files({dir.path().string()});
  for (const char* service : {"bad", "gz", "cut"}) {
    absl::StatusOr<nlohmann::json> model = files.LoadServiceFile(service, "service-2");
    ASSERT_FALSE(model.ok()) << service;
    EXPECT_NE(model.status().message().find(service), std::string::npos) << model.status();
  }
  absl::StatusOr<nlohmann::json> missing = files.LoadServiceFile("nothere", "service-2");
  EXPECT_TRUE(absl::IsNotFound(missing.status())) << missing.status();
}

TEST(ModelFilesTest, SearchPathOrder) {
  TempDir home;
  const auto env = FakeEnvironment(
      {{"HOME", home.path().string()}, {"AWSD_MODELS_DIR", "/m1:/m2"}, {"AWS_DATA_PATH", "~/extra"}, {"PATH", ""}});
  const std::vector<std::string> path = ModelSearchPath({{"/configured"}}, env);
  ASSERT_GE(path.size(), 5u);
  EXPECT_EQ(path[0], "/configured");
  EXPECT_EQ(path[1], "/m1");
  EXPECT_EQ(path[2], "/m2");
  EXPECT_EQ(path[3], home.path().string() + "/extra");
  EXPECT_EQ(path[4], home.path().string() + "/.aws/models");
}

TEST(ModelFilesTest, FindsABotocoreInAVirtualEnvWithoutPython) {
  TempDir venv;
  Write(venv.path() / "lib/python3.11/site-packages/botocore/data/partitions.json", "{}");
  const auto env = FakeEnvironment({{"VIRTUAL_ENV", venv.path().string()}, {"HOME", "/nonexistent"}});
  EXPECT_EQ(FindInstalledBotocoreData(env).value_or(""),
            (venv.path() / "lib/python3.11/site-packages/botocore/data").string());
}

}  // namespace
}  // namespace awsd::model
