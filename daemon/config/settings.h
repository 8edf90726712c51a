#pragma once

// The settings botocore reads from the environment or the selected profile,
// in one table, and their lookup.
//
// The table is botocore 1.43's configprovider.BOTOCORE_DEFAUT_SESSION_VARIABLES
// (same logical names, config keys, environment variables and defaults), plus
// the global `endpoint_url` (configprovider's ConfiguredEndpointProvider;
// per-service AWS_ENDPOINT_URL_<SERVICE> and `services` sections are resolved
// elsewhere) and the profile keys the credential providers read
// (credentials.py). Defaults are strings as botocore would print them after
// conversion: Python False/True are "false"/"true".

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "daemon/config/file_locations.h"
#include "daemon/config/profile_file_parser.h"

namespace awsd::config {

struct Setting {
  std::string_view name;                   // botocore's logical name
  std::string_view config_key;             // profile key; "" when env-only
  std::span<const std::string_view> env_vars;  // consulted in order; may be empty
  std::optional<std::string_view> default_value;
};

// Every setting, in botocore's table order.
std::span<const Setting> AllSettings();

// The setting called `name`, or nullptr.
const Setting* FindSetting(std::string_view name);

// botocore's precedence (ConfigChainFactory.create_config_chain): the first
// of the setting's environment variables that is set (even to ""), then the
// key in `profile` (may be nullptr: no profile), then the default. A key
// holding a sub-property block yields its text. nullopt when nothing
// applies or `name` is not a known setting.
std::optional<std::string> Resolve(std::string_view name, const Profile* profile, const EnvLookup& env);

// botocore's utils.ensure_boolean on configured text: "true" in any case is
// true, anything else false.
bool EnsureBoolean(std::string_view text);

// Resolve, read with EnsureBoolean; nullopt when nothing applies.
std::optional<bool> ResolveBoolean(std::string_view name, const Profile* profile, const EnvLookup& env);

}  // namespace awsd::config
