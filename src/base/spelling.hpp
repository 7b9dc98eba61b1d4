// "Did you mean ...?" suggestions for unknown names.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace safeguard::base {

// Optimal-string-alignment distance (insertions, deletions, substitutions and swaps of
// adjacent characters), compared case-insensitively.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `name`, if it is close enough to be a plausible typo
// (distance at most 1 for short names, up to a third of the length for longer ones).
// Returns an empty string when nothing is close.
std::string closest_match(std::string_view name, const std::vector<std::string>& candidates);

// "did you mean 'x'?" or "" when nothing is close.
std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace safeguard::base
