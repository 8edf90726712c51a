#pragma once

// The AWS CLI's JSON output (awscli/formatter.py JSONFormatter), from the
// daemon's compact JSON text.

#include <string>
#include <string_view>

namespace awsd::cli {

// What `json.dump(response, indent=4, ensure_ascii=False)` plus "\n" prints,
// with a top-level "ResponseMetadata" removed; nothing at all for an empty
// object (the CLI prints nothing for operations with no output). Key order
// is kept; integer tokens are copied verbatim and float tokens printed as
// Python's repr of the float they parse to (what json.loads then json.dumps
// does); strings are re-escaped as Python does (only '"', '\\' and control
// characters; non-ASCII and U+2028 are written as UTF-8). Text that is not
// JSON is returned unchanged with a newline.
std::string FormatJsonOutput(std::string_view compact_json);

}  // namespace awsd::cli
