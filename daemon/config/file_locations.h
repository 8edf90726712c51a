#pragma once

// Where the shared config and credentials files are, and which profile is
// selected, from an injected environment (tests need no real environment).
//
// botocore reads AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE (defaults
// "~/.aws/config" / "~/.aws/credentials") and expands the path with
// os.path.expandvars then os.path.expanduser before opening it; this module
// does the same. The Windows rules follow the SDK file-location suite (HOME,
// then USERPROFILE, then HOMEDRIVE+HOMEPATH, '\' separators); the daemon
// itself only runs on POSIX.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace awsd::config {

// Looks up one environment variable; nullopt when it is not set. A variable
// set to "" is set (botocore treats it so).
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

// The process environment, through getenv.
EnvLookup ProcessEnvironment();

enum class Platform { kPosix, kWindows };

// The home directory for '~'. POSIX: $HOME, else `passwd_home` (by default
// the passwd entry of the current user, as Python's expanduser). Windows:
// HOME, USERPROFILE, then HOMEDRIVE + HOMEPATH. nullopt when none is known.
std::optional<std::string> HomeDirectory(const EnvLookup& env, Platform platform = Platform::kPosix,
                                         const std::function<std::optional<std::string>()>& passwd_home = nullptr);

// os.path.expandvars then os.path.expanduser: "$NAME" and "${NAME}" are
// replaced when NAME is set (left as written when not), then a leading "~"
// becomes the home directory (a leading "~user" that user's home, POSIX
// only). Unknown homes leave the path unchanged, as Python does.
std::string ExpandPath(std::string_view path, const EnvLookup& env, Platform platform = Platform::kPosix,
                       const std::function<std::optional<std::string>()>& passwd_home = nullptr);

struct FileLocations {
  std::string config_file;       // may be "" when AWS_CONFIG_FILE is ""
  std::string credentials_file;  // likewise AWS_SHARED_CREDENTIALS_FILE
};

// The two files' paths, expanded.
FileLocations ResolveFileLocations(const EnvLookup& env, Platform platform = Platform::kPosix,
                                   const std::function<std::optional<std::string>()>& passwd_home = nullptr);

// The selected profile: AWS_DEFAULT_PROFILE, then AWS_PROFILE (botocore's
// order), else "default".
std::string ResolveProfileName(const EnvLookup& env);

// Whether a profile was asked for by name (by the caller, AWS_DEFAULT_PROFILE
// or AWS_PROFILE): botocore then requires it to exist, "default" included;
// only the unnamed default may be missing.
bool ProfileIsNamed(bool explicit_profile, const EnvLookup& env);

}  // namespace awsd::config
