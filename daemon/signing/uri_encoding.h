#pragma once

#include <string>
#include <string_view>

namespace awsd::signing {

// True for RFC 3986's unreserved characters (A-Z a-z 0-9 - . _ ~), the only
// bytes SigV4 leaves unencoded.
bool IsUnreserved(unsigned char c);

// Appends `in` with every byte outside the unreserved set encoded as %XX
// (upper-case hex). With `keep_slash`, '/' is kept too, as in paths. A '%'
// is itself encoded, which is what makes the non-S3 path "double encoded":
// the path arrives encoded once already. Same as botocore's
// quote(x, safe='-_.~') for queries and quote(x, safe='/~') for paths.
void AppendUriEncoded(std::string_view in, bool keep_slash, std::string* out);

// Appends an already-encoded path in canonical single encoding (S3): each
// valid %XX escape is decoded and the byte re-encoded, other bytes are
// encoded, '/' is kept. A path that is already canonical (as botocore's
// serializers write it) comes out unchanged, which is what botocore signs;
// a path with raw spaces or UTF-8 comes out encoded, which is what S3
// computes on its side.
void AppendPathEncodedOnce(std::string_view path, std::string* out);

// Appends `in` with valid %XX escapes decoded and the result encoded as
// AppendUriEncoded does (no '/' kept): the same as AppendPercentDecoded
// then AppendUriEncoded, in one pass and without an intermediate buffer.
// How query keys and values are canonicalised.
void AppendDecodedThenEncoded(std::string_view in, std::string* out);

// Appends `in` with valid %XX escapes decoded. A '%' not followed by two hex
// digits stays literal; '+' stays '+' (SigV4 treats it as a literal plus, as
// S3 and aws-c-auth do, not as form-encoded space).
void AppendPercentDecoded(std::string_view in, std::string* out);

// Removes "." and ".." segments and empty segments (repeated slashes), as
// botocore's remove_dot_segments does; an empty path becomes "/". A trailing
// slash survives unless nothing is left but the root.
std::string NormalizePath(std::string_view path);

}  // namespace awsd::signing
