#include "cel/lib/regex.hpp"

#include <re2/re2.h>

namespace safeguard::cel {

namespace {

// What is wrong, in fixed words: RE2's own message quotes part of the pattern, and a
// pattern may come from a snapshot (case data).
const char* error_text(RE2::ErrorCode code) {
  switch (code) {
    case RE2::ErrorBadEscape:
      return "invalid regular expression: invalid escape sequence";
    case RE2::ErrorBadCharClass:
      return "invalid regular expression: invalid character class";
    case RE2::ErrorBadCharRange:
      return "invalid regular expression: invalid character range or class name";
    case RE2::ErrorMissingBracket:
      return "invalid regular expression: missing closing ]";
    case RE2::ErrorMissingParen:
      return "invalid regular expression: missing closing )";
    case RE2::ErrorUnexpectedParen:
      return "invalid regular expression: unexpected )";
    case RE2::ErrorTrailingBackslash:
      return "invalid regular expression: trailing \\";
    case RE2::ErrorRepeatArgument:
      return "invalid regular expression: a repetition (*, + or ?) with nothing before it";
    case RE2::ErrorRepeatSize:
      return "invalid regular expression: a repetition count above 1000";
    case RE2::ErrorRepeatOp:
      return "invalid regular expression: invalid repetition (RE2 has no possessive ++ or *+)";
    case RE2::ErrorBadPerlOp:
      return "invalid regular expression: an unfinished or unsupported (?...) group (RE2 has "
             "no look-around; a named group is written (?P<name>...))";
    case RE2::ErrorBadUTF8:
      return "invalid regular expression: invalid UTF-8";
    case RE2::ErrorBadNamedCapture:
      return "invalid regular expression: invalid named group (write (?P<name>...))";
    case RE2::ErrorPatternTooLarge:
      return "regular expression is too large";
    default:
      return "invalid regular expression";
  }
}

}  // namespace

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
    out.error_text = error_text(re->error_code());
    out.error = out.error_text;
    return out;
  }
  out.re = std::move(re);
  return out;
}

bool regex_search(const re2::RE2& re, std::string_view text) {
  return RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), re);
}

}  // namespace safeguard::cel
