#pragma once

// The Python conversions botocore's serializers and parsers lean on, so that
// values cross the wire exactly as botocore writes and reads them: int(),
// float(), str()/repr() of numbers, base64.b64decode's lenient decoding.

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "daemon/protocols/value.h"

namespace awsd::protocols::py {

// int(x) for a string (surrounding whitespace, a sign, '_' between digits),
// a bool, an integer or a float (truncated). InvalidArgument otherwise, and
// for values beyond 64 bits.
absl::StatusOr<Value> Int(const Value& value);
absl::StatusOr<Value> ParseInt(std::string_view text);

// float(x): numbers, bools and strings ("1.5", " 1e3 ", "NaN", "-inf",
// "Infinity", any case). InvalidArgument otherwise.
absl::StatusOr<double> Float(const Value& value);
absl::StatusOr<double> ParseFloat(std::string_view text);

// repr(float): the shortest round-trip digits, "1.0", "1e+16", "1e-05",
// "nan", "inf".
std::string FloatRepr(double value);

// str(x) after botocore's _handle_float: "NaN", "Infinity", "-Infinity" for
// the special values, repr otherwise.
std::string FloatStr(double value);

// str(x) of a parameter: strings as they are, numbers as Python prints them,
// bools "True"/"False", null "None", anything else as compact JSON.
std::string Str(const Value& value);

// The special float values a JSON parameter spells as a string ("NaN",
// "Infinity", "-Infinity"), as botocore's callers pass float('nan').
bool IsSpecialFloatName(const Value& value);

// base64.b64decode(text) without validate: characters outside the alphabet
// are skipped, decoding stops at complete padding, and a dangling partial
// quantum is an error (InvalidArgument), as binascii.a2b_base64 does.
absl::StatusOr<std::string> B64Decode(std::string_view text);

// base64.b64encode(bytes).
std::string B64Encode(std::string_view bytes);

// Whether `bytes` is valid UTF-8 as Python's strict decoder sees it (no
// overlong forms, no surrogates, nothing above U+10FFFF).
bool IsUtf8(std::string_view bytes);

}  // namespace awsd::protocols::py
