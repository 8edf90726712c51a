#pragma once

// What both libcurl clients (the blocking one and the asynchronous one) do
// alike on the wire: header lists, the checks on what a request may carry,
// and the parsing of response header lines.

#include <curl/curl.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/http/http_request.h"

namespace awsd::http::internal {

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

// Appends one header line; false when curl is out of memory.
bool AppendLine(Slist& list, const std::string& line);

// CR, LF or NUL: what would let a value start a header (or request) of its own.
bool HasLineBreakOrNul(std::string_view s);

// RFC 9110 token characters, which is all a method or header name may hold.
bool IsToken(std::string_view s);

// One response header line (line break removed; not a status line, not
// blank) added to `headers`: "Name: value", or an obsolete folded
// continuation of the previous header. Lines without a colon are ignored.
void AddHeaderLine(std::string_view line, std::vector<Header>& headers);

}  // namespace awsd::http::internal
