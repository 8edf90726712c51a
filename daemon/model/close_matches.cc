#include "daemon/model/close_matches.h"

#include <algorithm>
#include <cctype>

namespace awsd::model {
namespace {

char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

std::size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (Lower(a[i - 1]) == Lower(b[j - 1]) ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::vector<std::string> CloseMatches(std::string_view word, const std::vector<std::string>& candidates,
                                      std::size_t limit) {
  std::vector<std::pair<double, const std::string*>> scored;
  for (const std::string& candidate : candidates) {
    const std::size_t longest = std::max(word.size(), candidate.size());
    if (longest == 0) continue;
    const double similarity = 1.0 - static_cast<double>(EditDistance(word, candidate)) / static_cast<double>(longest);
    if (similarity >= 0.6) scored.emplace_back(similarity, &candidate);
  }
  std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::string> out;
  for (std::size_t i = 0; i < scored.size() && i < limit; ++i) out.push_back(*scored[i].second);
  return out;
}

}  // namespace awsd::model
