#pragma once

// Loads the shared config and credentials files into one profile view, as
// botocore's Session.full_config does: the config file's profiles (and
// sso-session / services sections), with each credentials-file profile
// folded in key by key, the credentials file winning.

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "daemon/config/file_locations.h"
#include "daemon/config/profile_file_parser.h"

namespace awsd::config {

// What LoadAwsConfig found.
struct AwsConfig {
  ProfileSet merged;               // config + credentials, see above
  // Each file alone: botocore's shared-credentials-file and config-file
  // providers each read only their own file.
  ProfileSet config_only;
  ProfileSet credentials_only;
  FileLocations files;             // the paths that were looked at
  bool config_file_found = false;  // false: missing (not an error)
  bool credentials_file_found = false;
};

// Reads one file. A path that is empty or is not a regular file (missing,
// a directory) yields found=false and an empty set, as botocore's
// os.path.isfile check does. A file that exists but cannot be read is an
// error (botocore would silently treat it as empty; a daemon that quietly
// ignores a credentials file it may not read is harder to debug), and so is
// a malformed one: the status names the file and line.
struct LoadedFile {
  ProfileSet profiles;
  bool found = false;
};
absl::StatusOr<LoadedFile> LoadProfileFile(const std::string& path, FileKind kind,
                                           Dialect dialect = Dialect::kBotocore);

// Loads both files at `files` and merges them.
absl::StatusOr<AwsConfig> LoadAwsConfig(const FileLocations& files, Dialect dialect = Dialect::kBotocore);

// Resolves the file locations from `env` (AWS_CONFIG_FILE,
// AWS_SHARED_CREDENTIALS_FILE, HOME, ~ expansion) and loads them.
absl::StatusOr<AwsConfig> LoadAwsConfig(const EnvLookup& env, Dialect dialect = Dialect::kBotocore);

// The named profile of a merged view, or nullptr when there is none.
const Profile* FindProfile(const ProfileSet& set, std::string_view name);

}  // namespace awsd::config
