#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace awsd::signing {

// Pieces of the SigV4 canonical request, shared by SigV4 and SigV4a (they
// differ only in what is done with the string to sign). Each Append*
// function appends to `out` without the trailing newline the canonical
// request puts after it.

// A header to sign, as views into the request being signed.
struct HeaderRef {
  std::string_view name;
  std::string_view value;
};

// A query parameter, not yet encoded.
struct QueryParam {
  std::string_view key;
  std::string_view value;
};

// Headers no signer includes: botocore's SIGNED_HEADERS_BLACKLIST (hop-by-hop
// headers, and ones proxies and SDKs rewrite: user-agent, x-amzn-trace-id,
// expect, ...) plus authorization, which carries the signature itself.
bool IsUnsignedHeader(std::string_view name);

// Appends a header value trimmed and with inner runs of whitespace folded to
// one space, as botocore's ' '.join(value.split()) does for ASCII.
void AppendCanonicalHeaderValue(std::string_view value, std::string* out);

// Sorts headers by lower-case name, keeping the request order of a repeated
// header's values (a stable sort).
void SortHeaders(std::vector<HeaderRef>* headers);

// Appends the signed-headers list ("a;b;c") of headers sorted by SortHeaders.
void AppendSignedHeaders(const std::vector<HeaderRef>& sorted_headers, std::string* out);

// Appends the canonical header block of headers sorted by SortHeaders:
// "name:value\n" per distinct lower-case name, the values of a repeated
// header joined with ','.
void AppendCanonicalHeaderBlock(const std::vector<HeaderRef>& sorted_headers, std::string* out);

// SortHeaders, AppendCanonicalHeaderBlock and AppendSignedHeaders in one.
void AppendCanonicalHeaders(std::vector<HeaderRef>* headers, std::string* canonical, std::string* signed_headers);

// Appends the canonical URI of a raw URL path: dot segments and repeated
// slashes removed when `normalize`, then encoded: every byte outside the
// unreserved set and '/' when `double_encode` (so existing escapes are
// encoded again, as all services but S3 expect), or canonically once (S3).
void AppendCanonicalPath(std::string_view path, bool normalize, bool double_encode, std::string* out);

// Appends the canonical query string: the parameters of `raw_query` (split on
// '&', empty pieces skipped, "k" read as "k=", escapes decoded then
// re-encoded canonically) and the `extra` ones (presign parameters, not yet
// encoded), sorted by encoded key, then encoded value.
void AppendCanonicalQuery(std::string_view raw_query, std::span<const QueryParam> extra, std::string* out);

}  // namespace awsd::signing
