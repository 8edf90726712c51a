#pragma once

// How Python prints values, for output that must match the AWS CLI's
// byte for byte: repr() of a float, str() of a parsed JSON value, and the
// string escapes of json.dumps(..., ensure_ascii=False), and json.dumps
// with its defaults.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace awsd::encoding {

// repr(float) in Python 3: the shortest round-trip digits, "100.0", "0.0001",
// "1e-05", "1e+16", "inf", "nan", "-0.0".
std::string PyFloatRepr(double value);

// str(value) of the Python object json.loads would give: strings as they
// are, True/False/None, floats as PyFloatRepr, dicts and lists as Python's
// repr of them ("{'Key': 'v', 'N': [1, 2]}").
std::string PyStr(const nlohmann::ordered_json& value);

// The JSON string literal json.dumps(s, ensure_ascii=False) writes, quotes
// included: only '"', '\\' and control characters below U+0020 are escaped.
std::string PyJsonQuote(std::string_view utf8);

// What Python's json.dumps(value) writes with its defaults: ", " and ": "
// between items, non-ASCII escaped as \uXXXX (ensure_ascii), floats as repr.
// botocore's pagination tokens are this, base64-encoded.
std::string PyJsonDumps(const nlohmann::ordered_json& value);

}  // namespace awsd::encoding
