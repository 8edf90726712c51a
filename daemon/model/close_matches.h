#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace awsd::model {

// Up to `limit` candidates most like `word` (case-insensitive edit
// similarity of at least 0.6, as difflib.get_close_matches), best first.
// For "unknown service / operation, did you mean ..." errors.
std::vector<std::string> CloseMatches(std::string_view word, const std::vector<std::string>& candidates,
                                      std::size_t limit = 3);

}  // namespace awsd::model
