// String functions: CEL's contains/startsWith/endsWith/matches and a subset of the CEL
// strings extension (trim, lowerAscii, upperAscii, join, split, replace, indexOf, quote,
// lastIndexOf, substring, charAt). Indexes count Unicode code points, as CEL requires.
#include <cstring>
#include <string>
#include <vector>

#include "base/utf8.hpp"
#include "cel/lib/arena_text.hpp"
#include "cel/lib/regex.hpp"
#include "cel/lib/registry.hpp"
#include "cel/value/ops.hpp"

namespace safeguard::cel {

namespace {

// What the evaluation's memory budget has left: a text built outside the arena (in a
// std::string, then copied in) stops there, as its copy would.
std::size_t room_left(Frame& f) {
  const base::Arena& arena = f.arena();
  return arena.bytes_used() < arena.budget() ? arena.budget() - arena.bytes_used() : 0;
}
Value memory_exceeded(Frame& f) {
  return make_error(f, ErrorCode::kMemoryExceeded, "evaluation memory budget exceeded");
}

Value contains(Frame&, const Value* a) {
  return Value::boolean(a[0].str().find(a[1].str()) != std::string_view::npos);
}
Value starts_with(Frame&, const Value* a) {
  const auto s = a[0].str();
  const auto p = a[1].str();
  return Value::boolean(s.substr(0, p.size()) == p);
}
Value ends_with(Frame&, const Value* a) {
  const auto s = a[0].str();
  const auto p = a[1].str();
  return Value::boolean(s.size() >= p.size() && s.substr(s.size() - p.size()) == p);
}
Value matches(Frame& f, const Value* a) {
  // Compiling a pattern at run time costs far more than a comprehension step: charge by
  // its length, so a loop that builds patterns meets the budget before it takes seconds.
  if (!f.charge(1 + static_cast<std::int64_t>(a[1].str().size()))) {
    return make_error(f, ErrorCode::kBudgetExceeded, "evaluation budget exceeded");
  }
  if (a[1].str().size() > f.max_regex_bytes()) {
    return make_error(f, ErrorCode::kInvalidArgument,
                      "regular expression is too long (see Limits::max_regex_bytes)");
  }
  CompiledRegex re = compile_regex(a[1].str(), f.max_regex_bytes());
  if (!re.re) {
    return make_error(f, ErrorCode::kInvalidArgument,
                      re.error_text ? re.error_text : "invalid regular expression");
  }
  return Value::boolean(regex_search(*re.re, a[0].str()));
}

bool is_unicode_space(char32_t c) {
  return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000;
}

Value trim(Frame& f, const Value* a) {
  const std::string_view s = a[0].str();
  std::size_t begin = 0;
  while (begin < s.size()) {
    std::size_t next = begin;
    if (!is_unicode_space(base::decode_code_point(s, next))) break;
    begin = next;
  }
  std::size_t end = s.size();
  while (end > begin) {
    std::size_t start = end - 1;
    while (start > begin && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
    std::size_t probe = start;
    if (!is_unicode_space(base::decode_code_point(s, probe))) break;
    end = start;
  }
  return make_string(f, s.substr(begin, end - begin));
}

Value lower_ascii(Frame& f, const Value* a) {
  const std::string_view s = a[0].str();
  return build_text(f, s.size(), ValueKind::kString, [&](char* out) {
    for (const char c : s) *out++ = c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
  });
}
Value upper_ascii(Frame& f, const Value* a) {
  const std::string_view s = a[0].str();
  return build_text(f, s.size(), ValueKind::kString, [&](char* out) {
    for (const char c : s) *out++ = c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c;
  });
}

Value join_with(Frame& f, const Value& list, std::string_view sep) {
  // The joined text's size first, then the text written where it stays (build_text): the
  // same checks, in the same order, as appending each item would make.
  const std::size_t room = room_left(f);
  std::size_t size = 0;
  bool first = true;
  bool ok = true;
  bool too_long = false;
  for_each_element(list, [&](const Value& item) {
    if (item.kind != ValueKind::kString) {
      ok = false;
      return false;
    }
    const std::size_t next = size + (first ? 0 : sep.size()) + item.str().size();
    if (next > room) {
      too_long = true;
      return false;
    }
    size = next;
    first = false;
    return true;
  });
  if (!ok) return make_error(f, ErrorCode::kNoMatchingOverload, "join() needs a list of strings");
  if (too_long) return memory_exceeded(f);
  return build_text(f, size, ValueKind::kString, [&](char* out) {
    bool at_start = true;
    for_each_element(list, [&](const Value& item) {
      if (!at_start && !sep.empty()) {
        std::memcpy(out, sep.data(), sep.size());
        out += sep.size();
      }
      const std::string_view s = item.str();
      if (!s.empty()) std::memcpy(out, s.data(), s.size());
      out += s.size();
      at_start = false;
      return true;
    });
  });
}
Value join(Frame& f, const Value* a) {
  return join_with(f, a[0], "");
}
Value join_sep(Frame& f, const Value* a) {
  return join_with(f, a[0], a[1].str());
}

Value split_n(Frame& f, const std::string_view s, const std::string_view sep, std::int64_t limit) {
  std::vector<Value> parts;
  if (limit == 0) return make_list(f, nullptr, 0);
  // Each part takes a slot of the result list, which the arena must hold in the end:
  // stop as soon as it could not, so the parts gathered here stay within the budget too.
  bool failed = false;
  auto add = [&](std::string_view part) {
    const Value v = make_string(f, part);
    if (v.is_error() || (parts.size() + 1) * sizeof(Value) > room_left(f)) {
      parts.assign(1, v.is_error() ? v : memory_exceeded(f));
      failed = true;
      return false;
    }
    parts.push_back(v);
    return true;
  };
  if (sep.empty()) {
    // Split into code points.
    std::size_t pos = 0;
    while (pos < s.size()) {
      if (limit > 0 && static_cast<std::int64_t>(parts.size()) == limit - 1) {
        add(s.substr(pos));
        break;
      }
      std::size_t next = pos;
      base::decode_code_point(s, next);
      if (!add(s.substr(pos, next - pos))) break;
      pos = next;
    }
  } else {
    std::size_t pos = 0;
    for (;;) {
      if (limit > 0 && static_cast<std::int64_t>(parts.size()) == limit - 1) {
        add(s.substr(pos));
        break;
      }
      const std::size_t hit = s.find(sep, pos);
      if (hit == std::string_view::npos) {
        add(s.substr(pos));
        break;
      }
      if (!add(s.substr(pos, hit - pos))) break;
      pos = hit + sep.size();
    }
  }
  if (failed) return parts.front();
  if (!f.charge(static_cast<std::int64_t>(parts.size()))) {
    return make_error(f, ErrorCode::kBudgetExceeded, "evaluation budget exceeded");
  }
  return make_list(f, parts.data(), static_cast<std::uint32_t>(parts.size()));
}
Value split(Frame& f, const Value* a) {
  return split_n(f, a[0].str(), a[1].str(), -1);
}
Value split_limit(Frame& f, const Value* a) {
  return split_n(f, a[0].str(), a[1].str(), a[2].i);
}

Value replace_n(Frame& f, const Value* a, std::int64_t limit) {
  const std::string_view s = a[0].str();
  const std::string_view from = a[1].str();
  const std::string_view to = a[2].str();
  // The text is built outside the arena, then copied in: it may grow only as far as the
  // copy could (an empty pattern puts `to` between every two code points, so 16 KiB
  // replaced by 16 KiB would otherwise take 256 MiB here before the arena refused it).
  const std::size_t room = room_left(f);
  std::string out;
  std::size_t pos = 0;
  std::int64_t done = 0;
  while (limit < 0 || done < limit) {
    std::size_t hit;
    if (from.empty()) {
      // An empty pattern matches before every code point and at the end (as Go does).
      if (pos > s.size()) break;
      if (out.size() + to.size() + 4 > room) return memory_exceeded(f);
      out += to;
      if (pos == s.size()) {
        pos = s.size() + 1;
        ++done;
        break;
      }
      std::size_t next = pos;
      base::decode_code_point(s, next);
      out += s.substr(pos, next - pos);
      pos = next;
      ++done;
      continue;
    }
    hit = s.find(from, pos);
    if (hit == std::string_view::npos) break;
    if (out.size() + (hit - pos) + to.size() > room) return memory_exceeded(f);
    out += s.substr(pos, hit - pos);
    out += to;
    pos = hit + from.size();
    ++done;
  }
  if (pos <= s.size()) {
    if (out.size() + (s.size() - pos) > room) return memory_exceeded(f);
    out += s.substr(pos);
  }
  return make_string(f, out);
}
Value replace_all(Frame& f, const Value* a) {
  return replace_n(f, a, -1);
}
Value replace_limit(Frame& f, const Value* a) {
  return replace_n(f, a, a[3].i);
}

// Code-point index of the first (or last) occurrence, -1 when absent.
std::int64_t code_point_index(std::string_view s, std::size_t byte) {
  return static_cast<std::int64_t>(base::count_code_points(s.substr(0, byte)));
}

// As every cel-go release, an empty text is found at the offset itself, whatever it is;
// otherwise an offset outside the text is an error (cel-spec's string_ext conformance
// file requires it for an offset past the end, although cel-go's latest release gives -1).
Value index_of_from(Frame& f, const Value* a, std::int64_t start) {
  const std::string_view s = a[0].str();
  if (a[1].str().empty()) return Value::integer(start);
  const std::int64_t length = static_cast<std::int64_t>(base::count_code_points(s));
  if (start < 0 || start > length)
    return make_error(f, ErrorCode::kIndexOutOfRange, "index out of range");
  const std::size_t from = base::offset_of_code_point(s, static_cast<std::size_t>(start));
  const std::size_t hit = s.find(a[1].str(), from);
  return Value::integer(hit == std::string_view::npos ? -1 : code_point_index(s, hit));
}
Value index_of(Frame& f, const Value* a) {
  return index_of_from(f, a, 0);
}
Value index_of_start(Frame& f, const Value* a) {
  return index_of_from(f, a, a[2].i);
}
Value last_index_of(Frame&, const Value* a) {
  const std::string_view s = a[0].str();
  const std::size_t hit = s.rfind(a[1].str());
  return Value::integer(hit == std::string_view::npos ? -1 : code_point_index(s, hit));
}

// The last occurrence that begins at or before code point `a[2]`. As in cel-go, an empty
// text is found at the offset itself, and otherwise the offset must be inside the string.
Value last_index_of_before(Frame& f, const Value* a) {
  const std::string_view s = a[0].str();
  const std::string_view sub = a[1].str();
  const std::int64_t offset = a[2].i;
  if (sub.empty()) return Value::integer(offset);
  const std::int64_t length = static_cast<std::int64_t>(base::count_code_points(s));
  if (offset < 0 || offset >= length)
    return make_error(f, ErrorCode::kIndexOutOfRange, "index out of range");
  const std::size_t limit = base::offset_of_code_point(s, static_cast<std::size_t>(offset));
  const std::size_t hit = s.rfind(sub, limit);
  return Value::integer(hit == std::string_view::npos ? -1 : code_point_index(s, hit));
}

// strings.quote(s): `s` as a double-quoted CEL string literal, as cel-go writes it: the
// control characters with a short escape (\a \b \f \n \r \t \v), backslash and double
// quote escaped, everything else (other Unicode included) as it is.
// The letter of `c`'s two-character escape in a quoted string, or 0 if it stands as it is.
char quote_escape(char c) noexcept {
  switch (c) {
    case '\a':
      return 'a';
    case '\b':
      return 'b';
    case '\f':
      return 'f';
    case '\n':
      return 'n';
    case '\r':
      return 'r';
    case '\t':
      return 't';
    case '\v':
      return 'v';
    case '\\':
      return '\\';
    case '"':
      return '"';
    default:
      return 0;
  }
}

Value quote(Frame& f, const Value* a) {
  const std::string_view s = a[0].str();
  std::uint64_t size = s.size() + 2;
  for (const char c : s) size += quote_escape(c) != 0 ? 1 : 0;
  return build_text(f, size, ValueKind::kString, [&](char* out) {
    *out++ = '"';
    for (const char c : s) {
      if (const char e = quote_escape(c); e != 0) {
        *out++ = '\\';
        *out++ = e;
      } else {
        *out++ = c;
      }
    }
    *out = '"';
  });
}

// s.reverse(): the code points of `s` in reverse order (cel-go's strings extension,
// version 3); a combining mark then precedes the letter it followed, as in cel-go.
// Walked from the end (a code point starts at a byte that is not 10xxxxxx): a list of
// where each one starts took eight bytes per code point outside the memory budget.
Value reverse_string(Frame& f, const Value* a) {
  const std::string_view s = a[0].str();
  // Written straight into the arena (arena_text.hpp): no copy outside the budget either.
  return build_text(f, s.size(), ValueKind::kString, [&](char* out) {
    std::size_t end = s.size();
    while (end > 0) {
      std::size_t start = end - 1;
      while (start > 0 && end - start < 4 &&
             (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) {
        --start;
      }
      for (std::size_t i = start; i < end; ++i) *out++ = s[i];
      end = start;
    }
  });
}

Value substring_range(Frame& f, std::string_view s, std::int64_t begin, std::int64_t end) {
  const std::int64_t length = static_cast<std::int64_t>(base::count_code_points(s));
  if (begin < 0 || end < begin || end > length) {
    return make_error(f, ErrorCode::kIndexOutOfRange, "substring index out of range");
  }
  const std::size_t b = base::offset_of_code_point(s, static_cast<std::size_t>(begin));
  const std::size_t e = base::offset_of_code_point(s, static_cast<std::size_t>(end));
  return make_string(f, s.substr(b, e - b));
}
Value substring_from(Frame& f, const Value* a) {
  const std::string_view s = a[0].str();
  return substring_range(f, s, a[1].i, static_cast<std::int64_t>(base::count_code_points(s)));
}
Value substring(Frame& f, const Value* a) {
  return substring_range(f, a[0].str(), a[1].i, a[2].i);
}
Value char_at(Frame& f, const Value* a) {
  const std::string_view s = a[0].str();
  const std::int64_t length = static_cast<std::int64_t>(base::count_code_points(s));
  if (a[1].i == length) return make_string(f, "");
  return substring_range(f, s, a[1].i, a[1].i + 1);
}

}  // namespace

void register_strings(FunctionRegistry& r) {
  r.add_member("contains_string", "contains", "string, string -> bool", contains);
  r.add_member("starts_with_string", "startsWith", "string, string -> bool", starts_with);
  r.add_member("ends_with_string", "endsWith", "string, string -> bool", ends_with);
  r.add_member("matches_string", "matches", "string, string -> bool", matches);
  r.add("matches", "matches", "string, string -> bool", matches);

  r.add_member("string_trim", "trim", "string -> string", trim);
  r.add_member("string_lower_ascii", "lowerAscii", "string -> string", lower_ascii);
  r.add_member("string_upper_ascii", "upperAscii", "string -> string", upper_ascii);
  r.add_member("list_join", "join", "list(string) -> string", join);
  r.add_member("list_join_string", "join", "list(string), string -> string", join_sep);
  r.add_member("string_split_string", "split", "string, string -> list(string)", split);
  r.add_member("string_split_string_int", "split", "string, string, int -> list(string)",
               split_limit);
  r.add_member("string_replace_string_string", "replace", "string, string, string -> string",
               replace_all);
  r.add_member("string_replace_string_string_int", "replace",
               "string, string, string, int -> string", replace_limit);
  r.add_member("string_index_of_string", "indexOf", "string, string -> int", index_of);
  r.add_member("string_index_of_string_int", "indexOf", "string, string, int -> int",
               index_of_start);
  r.add_member("string_last_index_of_string", "lastIndexOf", "string, string -> int",
               last_index_of);
  r.add("strings_quote", "strings.quote", "string -> string", quote);
  r.add_member("string_reverse", "reverse", "string -> string", reverse_string);
  r.add_member("string_last_index_of_string_int", "lastIndexOf", "string, string, int -> int",
               last_index_of_before);
  r.add_member("string_substring_int", "substring", "string, int -> string", substring_from);
  r.add_member("string_substring_int_int", "substring", "string, int, int -> string", substring);
  r.add_member("string_char_at_int", "charAt", "string, int -> string", char_at);
}

}  // namespace safeguard::cel
