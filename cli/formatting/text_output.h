#pragma once

// The AWS CLI's text output: awscli/text.py format_text, ported.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace awsd::cli {

// What `text.format_text(response, stream)` writes: scalars of a dict sorted
// by key and joined by tabs (prefixed by the upper-cased identifier of the
// key that holds them), then its lists and dicts in key order; a list of
// dicts shares the sorted union of their scalar keys; scalars printed as
// Python's str() (True, None, 1e-05). A top-level "ResponseMetadata" is
// removed first, as TextFormatter does for an unpaginated response.
std::string FormatTextOutput(const nlohmann::ordered_json& response);

}  // namespace awsd::cli
