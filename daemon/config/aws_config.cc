#include "daemon/config/aws_config.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace awsd::config {

absl::StatusOr<LoadedFile> LoadProfileFile(const std::string& path, FileKind kind, Dialect dialect) {
  LoadedFile loaded;
  struct stat info{};
  // os.path.isfile: follows symlinks; anything but a regular file is "not
  // found".
  if (path.empty() || ::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return loaded;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int error = errno;
    return absl::PermissionDeniedError(
        absl::StrCat(path, ": cannot read the file: ", std::string(std::strerror(error))));
  }
  std::ostringstream contents;
  contents << in.rdbuf();
  if (in.bad()) return absl::DataLossError(absl::StrCat(path, ": error while reading the file"));
  absl::StatusOr<ProfileSet> parsed = ParseProfileFile(contents.str(), path, kind, dialect);
  if (!parsed.ok()) return parsed.status();
  loaded.profiles = *std::move(parsed);
  loaded.found = true;
  return loaded;
}

absl::StatusOr<AwsConfig> LoadAwsConfig(const FileLocations& files, Dialect dialect) {
  AwsConfig config;
  config.files = files;
  absl::StatusOr<LoadedFile> config_file = LoadProfileFile(files.config_file, FileKind::kConfig, dialect);
  if (!config_file.ok()) return config_file.status();
  absl::StatusOr<LoadedFile> credentials_file =
      LoadProfileFile(files.credentials_file, FileKind::kCredentials, dialect);
  if (!credentials_file.ok()) return credentials_file.status();
  config.config_only = std::move(config_file->profiles);
  config.credentials_only = std::move(credentials_file->profiles);
  config.merged = config.config_only;
  config.config_file_found = config_file->found;
  config.credentials_file_found = credentials_file->found;
  MergeCredentialsInto(config.merged, config.credentials_only);
  return config;
}

absl::StatusOr<AwsConfig> LoadAwsConfig(const EnvLookup& env, Dialect dialect) {
  return LoadAwsConfig(ResolveFileLocations(env), dialect);
}

const Profile* FindProfile(const ProfileSet& set, std::string_view name) {
  const auto it = set.profiles.find(std::string(name));
  return it == set.profiles.end() ? nullptr : &it->second;
}

}  // namespace awsd::config
