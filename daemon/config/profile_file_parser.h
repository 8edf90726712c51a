#pragma once

// Parser for the AWS shared config file (~/.aws/config) and shared
// credentials file (~/.aws/credentials).
//
// Two dialects exist and they disagree on 23 of the 65 cases of the public
// profile-parser suite, so both are implemented and the caller picks one:
//
//  * Dialect::kBotocore (the daemon's default) reproduces botocore 1.43:
//    Python's configparser.RawConfigParser (strict: a repeated section or
//    repeated key is an error; full-line comments only, no inline comments;
//    `=` or `:` separates a key; continuation lines are lines indented deeper
//    than the key line; a `[DEFAULT]` section is inherited by every section),
//    then configloader.build_profile_map (`[profile x]` names are shlex-split,
//    so `[profile "my profile"]` is profile `my profile`; the later of
//    `[default]` / `[profile default]` wins whole), and for the credentials
//    file every section name verbatim is a profile name.
//  * Dialect::kSdkStandard follows the cross-SDK specification that the
//    smithy-rs test data encodes: inline ` #`/` ;` comments, duplicate
//    sections merge, `[profile default]` beats `[default]`, profile and key
//    names outside [A-Za-z0-9_\-/.%@:+] are ignored, `[profile x]` is ignored
//    in the credentials file.
//
// Errors are absl::Status values whose message names the file and line
// ("<file>:<line>: <what>"). A message never contains a value read from the
// file (values can be secrets); it may quote a key or a section name.

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace awsd::config {

// Which of the two shared files a text comes from: their section rules differ.
enum class FileKind { kConfig, kCredentials };

// Which reading of the grammar to apply (see the file comment).
enum class Dialect { kBotocore, kSdkStandard };

// `s3 =` followed by indented `key = value` lines.
using SubProperties = std::map<std::string, std::string>;

// One property value.
//
// `text` is always the value as written, continuation lines joined by '\n'
// and each line trimmed: this is what botocore returns with
// parse_subsections=False and what the SDK specification calls the value. A
// sub-property block therefore starts with '\n' ("\nname = value").
// `sub_properties` is set exactly when botocore would return a dict rather
// than a string: the value's first line is empty and more lines follow.
struct Value {
  std::string text;
  std::optional<SubProperties> sub_properties;

  bool is_nested() const { return sub_properties.has_value(); }
  bool operator==(const Value&) const = default;
};

// A section's properties, keyed by lower-cased property name.
using Section = std::map<std::string, Value>;
// A profile is a section whose name is a profile name.
using Profile = Section;

// The sections of one file (or of the config and credentials files merged).
// Sections that are none of these (botocore keeps e.g. `[plugins]` in
// full_config) play no part in credential resolution and are dropped.
struct ProfileSet {
  std::map<std::string, Profile> profiles;        // by profile name
  std::map<std::string, Section> sso_sessions;    // `[sso-session name]`
  std::map<std::string, Section> services;        // `[services name]`

  bool operator==(const ProfileSet&) const = default;
};

// Parses the text of one file. `file_name` is used only in error messages.
// Returns InvalidArgument, naming file_name and the 1-based line, when the
// text is not valid UTF-8 or not valid in the dialect.
absl::StatusOr<ProfileSet> ParseProfileFile(std::string_view contents, std::string_view file_name, FileKind kind,
                                            Dialect dialect = Dialect::kBotocore);

// Folds a parsed credentials file into a parsed config file, as botocore's
// Session.full_config does (and the SDK specification agrees): a profile in
// both files gets the union of the keys, the credentials file winning a key
// present in both; a credentials-only profile is added whole. sso_sessions
// and services come from the config file only.
void MergeCredentialsInto(ProfileSet& config, const ProfileSet& credentials);

}  // namespace awsd::config
