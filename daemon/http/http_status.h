#pragma once

#include <string_view>

namespace awsd::http {

// The reason phrase of `status` as Python's http.client.responses has it
// ("Not Found"), which botocore puts in its generic errors; empty for a
// status it does not list.
std::string_view HttpReasonPhrase(int status);

}  // namespace awsd::http
