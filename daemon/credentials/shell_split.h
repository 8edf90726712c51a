#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace awsd::credentials {

// Splits a command line into words as Python's shlex.split does in POSIX
// mode (botocore's compat_shell_split): whitespace separates words; single
// quotes keep everything; double quotes keep everything but backslash
// escapes of \ " $ ` and newline; a backslash outside quotes escapes the next
// character. An unclosed quote or a trailing backslash is an error.
absl::StatusOr<std::vector<std::string>> ShellSplit(std::string_view command);

}  // namespace awsd::credentials
