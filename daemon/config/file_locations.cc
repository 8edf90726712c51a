#include "daemon/config/file_locations.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

namespace awsd::config {
namespace {

std::optional<std::string> PasswdHomeOfUid() {
  std::vector<char> buffer(16384);
  passwd entry{};
  passwd* result = nullptr;
  if (getpwuid_r(getuid(), &entry, buffer.data(), buffer.size(), &result) != 0 || result == nullptr ||
      result->pw_dir == nullptr) {
    return std::nullopt;
  }
  return std::string(result->pw_dir);
}

std::optional<std::string> PasswdHomeOfUser(const std::string& user) {
  std::vector<char> buffer(16384);
  passwd entry{};
  passwd* result = nullptr;
  if (getpwnam_r(user.c_str(), &entry, buffer.data(), buffer.size(), &result) != 0 || result == nullptr ||
      result->pw_dir == nullptr) {
    return std::nullopt;
  }
  return std::string(result->pw_dir);
}

bool IsWordChar(char c) {
  // re.ASCII \w
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// posixpath.expandvars: \$(\w+|\{[^}]*\}), unknown names left as written.
std::string ExpandVars(std::string_view path, const EnvLookup& env) {
  std::string out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] != '$') {
      out += path[i++];
      continue;
    }
    size_t end;
    std::string name;
    if (i + 1 < path.size() && path[i + 1] == '{') {
      const size_t close = path.find('}', i + 2);
      if (close == std::string_view::npos) {
        out += path[i++];
        continue;
      }
      name = std::string(path.substr(i + 2, close - i - 2));
      end = close + 1;
    } else {
      end = i + 1;
      while (end < path.size() && IsWordChar(path[end])) ++end;
      if (end == i + 1) {
        out += path[i++];
        continue;
      }
      name = std::string(path.substr(i + 1, end - i - 1));
    }
    std::optional<std::string> value = env(name);
    out += value.has_value() ? *value : std::string(path.substr(i, end - i));
    i = end;
  }
  return out;
}

}  // namespace

EnvLookup ProcessEnvironment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

std::optional<std::string> HomeDirectory(const EnvLookup& env, Platform platform,
                                         const std::function<std::optional<std::string>()>& passwd_home) {
  if (std::optional<std::string> home = env("HOME"); home.has_value()) return home;
  if (platform == Platform::kWindows) {
    if (std::optional<std::string> profile = env("USERPROFILE"); profile.has_value()) return profile;
    std::optional<std::string> drive = env("HOMEDRIVE");
    std::optional<std::string> path = env("HOMEPATH");
    if (path.has_value()) return drive.value_or("") + *path;
    return std::nullopt;
  }
  return passwd_home ? passwd_home() : PasswdHomeOfUid();
}

std::string ExpandPath(std::string_view path, const EnvLookup& env, Platform platform,
                       const std::function<std::optional<std::string>()>& passwd_home) {
  std::string expanded = ExpandVars(path, env);
  if (expanded.empty() || expanded[0] != '~') return expanded;
  const bool windows = platform == Platform::kWindows;
  const char sep = windows ? '\\' : '/';
  size_t name_end = windows ? expanded.find_first_of("/\\", 1) : expanded.find('/', 1);
  if (name_end == std::string::npos) name_end = expanded.size();
  std::optional<std::string> home;
  if (name_end == 1) {
    home = HomeDirectory(env, platform, passwd_home);
  } else if (!windows) {
    home = PasswdHomeOfUser(expanded.substr(1, name_end - 1));
  }
  if (!home.has_value()) return expanded;
  // Python strips trailing separators from the home directory.
  while (!home->empty() && (home->back() == sep || (!windows && home->back() == '/'))) home->pop_back();
  std::string rest = expanded.substr(name_end);
  if (windows) {
    for (char& c : rest) {
      if (c == '/') c = '\\';
    }
  }
  std::string result = *home + rest;
  return result.empty() ? std::string(1, sep) : result;
}

FileLocations ResolveFileLocations(const EnvLookup& env, Platform platform,
                                   const std::function<std::optional<std::string>()>& passwd_home) {
  const std::string config = env("AWS_CONFIG_FILE").value_or("~/.aws/config");
  const std::string credentials = env("AWS_SHARED_CREDENTIALS_FILE").value_or("~/.aws/credentials");
  return FileLocations{ExpandPath(config, env, platform, passwd_home),
                       ExpandPath(credentials, env, platform, passwd_home)};
}

std::string ResolveProfileName(const EnvLookup& env) {
  for (const char* name : {"AWS_DEFAULT_PROFILE", "AWS_PROFILE"}) {
    if (std::optional<std::string> value = env(name); value.has_value()) return *value;
  }
  return "default";
}

bool ProfileIsNamed(bool explicit_profile, const EnvLookup& env) {
  return explicit_profile || env("AWS_DEFAULT_PROFILE").has_value() || env("AWS_PROFILE").has_value();
}

}  // namespace awsd::config
