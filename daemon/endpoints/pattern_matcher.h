#pragma once

// Python `re.match` for the regular expressions of partitions.json
// (`regionRegex`, e.g. "^(us|eu|ap)\-\w+\-\d+$").
//
// Why not std::regex: it backtracks recursively, so a long region name from a
// caller could exhaust the stack, and it is slow. This is a Thompson NFA run
// in lock step (linear in the text), for the subset such patterns use:
// literals and escapes, `.`, classes `[...]`, `\w \d \s` and their negations,
// groups `(...)` / `(?:...)`, `|`, `* + ? {n} {n,} {n,m}` (lazy forms too),
// and the anchors `^`, `$`, `\A`, `\Z`. Anything else is rejected when the
// pattern is compiled, not misread.
//
// Python semantics kept: `$` also matches before a final "\n"; `.` does not
// match "\n". Text is UTF-8 and matched byte by byte; a non-ASCII byte counts
// as a word character (Python's \w matches letters of any script), never as
// a digit or space.

#include <memory>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace awsd::endpoints {

class PatternMatcher {
 public:
  static absl::StatusOr<PatternMatcher> Compile(std::string_view pattern);

  // re.match(pattern, text) is not None: a match starting at the first byte,
  // not necessarily reaching the last.
  bool MatchesAtStart(std::string_view text) const;

  struct Instruction;

 private:
  std::shared_ptr<const std::vector<Instruction>> program_;
};

}  // namespace awsd::endpoints
