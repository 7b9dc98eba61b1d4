#include "cel/lib/regex.hpp"

#include <re2/re2.h>

namespace safeguard::cel {

CompiledRegex compile_regex(std::string_view pattern, std::size_t max_bytes) {
  CompiledRegex out;
  if (pattern.size() > max_bytes) {
    out.error = "regular expression is too long (" + std::to_string(pattern.size()) +
                " bytes; the limit is " + std::to_string(max_bytes) + ")";
    return out;
  }
  RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(kRegexMemoryBudget);
  options.set_encoding(RE2::Options::EncodingUTF8);
  auto re = std::make_shared<RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
  if (!re->ok()) {
    out.error = re->error_code() == RE2::ErrorPatternTooLarge ? "regular expression is too large"
                                                              : "invalid regular expression";
    return out;
  }
  out.re = std::move(re);
  return out;
}

bool regex_search(const re2::RE2& re, std::string_view text) {
  return RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), re);
}

}  // namespace safeguard::cel
