// Regular expressions for `matches`: RE2 (linear-time, no backtracking), with limits so
// that a pattern from a rule file or a snapshot cannot exhaust memory.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace re2 {
class RE2;
}

namespace safeguard::cel {

inline constexpr std::size_t kMaxRegexLength = 4096;         // default limit on pattern text, bytes
inline constexpr std::int64_t kRegexMemoryBudget = 1 << 20;  // RE2 max_mem per pattern

struct CompiledRegex {
  std::shared_ptr<const re2::RE2> re;  // null on error
  std::string error;                   // why it failed (no pattern text quoted)
  // The same as a string with static storage, for run-time errors that keep a pointer.
  const char* error_text = nullptr;
};

// Patterns longer than `max_bytes` are refused (Limits::max_regex_bytes).
CompiledRegex compile_regex(std::string_view pattern, std::size_t max_bytes = kMaxRegexLength);

// CEL `matches`: true if the pattern matches any part of `text`.
bool regex_search(const re2::RE2& re, std::string_view text);

}  // namespace safeguard::cel
