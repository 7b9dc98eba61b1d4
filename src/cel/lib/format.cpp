// text.format(list): cel-go's strings-extension format() (its second formatter, the one
// cel-spec's string_ext conformance tests describe). Clauses:
//
//   %s  any value: text and bytes as they are, numbers in decimal (doubles in their
//       shortest exact form, NaN, Infinity, -Infinity), timestamps as RFC 3339 in UTC,
//       durations as seconds ("6347s"), dates as YYYY-MM-DD, types by name, null, lists
//       as [a, b] and maps as {k: v} with the entries ordered by their formatted keys
//   %d  int, uint, double (as %s)
//   %f, %.Nf, %e, %.Ne   int, uint or double; N digits after the point (6 by default)
//   %b  int, uint, bool (1 or 0)     %o  int, uint
//   %x, %X  int, uint, or the bytes of a text or bytes value in hexadecimal
//   %%  a percent sign
//
// Anything else, a clause without an argument, or an argument of the wrong kind is an
// error. Each element or entry formatted inside a list or map costs one evaluation step
// (a list may share one inner list many times), and the text, built outside the arena, is
// held to what the memory budget has left, as its copy into the arena would be: every
// part goes straight into it (a map's values too), so the bound covers all of it.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "base/utf8.hpp"
#include "cel/lib/registry.hpp"
#include "cel/value/ops.hpp"
#include "time/date.hpp"
#include "time/duration.hpp"
#include "time/timestamp.hpp"

namespace safeguard::cel {

namespace {

// What went wrong, if anything; `value` carries an error value met inside the arguments.
struct Failure {
  const char* message = nullptr;
  ErrorCode code = ErrorCode::kInvalidArgument;
  Value value = Value::null();
  bool failed() const { return message != nullptr || value.is_error(); }
};

bool special_double(double d, std::string& out) {
  if (std::isnan(d)) {
    out += "NaN";
  } else if (std::isinf(d)) {
    out += d < 0 ? "-Infinity" : "Infinity";
  } else {
    return false;
  }
  return true;
}

// Go's strconv.FormatFloat(d, 'f', -1, 64): the shortest digits that read back as `d`,
// never with an exponent.
void append_shortest(std::string& out, double d) {
  char buf[400];
  const auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed);
  out.append(buf, r.ptr);
}

void append_unsigned(std::string& out, std::uint64_t u, unsigned base, bool upper) {
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  char buf[64];
  int n = 0;
  do {
    buf[n++] = digits[u % base];
    u /= base;
  } while (u != 0);
  while (n > 0) out += buf[--n];
}

// Go's %d, %b, %o, %x of an int: a minus sign, then the magnitude.
void append_signed(std::string& out, std::int64_t i, unsigned base, bool upper) {
  if (i < 0) out += '-';
  const std::uint64_t magnitude =
      i < 0 ? 0 - static_cast<std::uint64_t>(i) : static_cast<std::uint64_t>(i);
  append_unsigned(out, magnitude, base, upper);
}

class Formatter {
 public:
  explicit Formatter(Frame& f) : f_(f) {
    const base::Arena& arena = f.arena();
    room_ = arena.bytes_used() < arena.budget() ? arena.budget() - arena.bytes_used() : 0;
  }

  // %s
  bool text(const Value& v, std::string& out) {
    switch (v.kind) {
      case ValueKind::kNull:
        out += "null";
        return true;
      case ValueKind::kBool:
        out += v.b ? "true" : "false";
        return true;
      case ValueKind::kInt:
        append_signed(out, v.i, 10, false);
        return true;
      case ValueKind::kUint:
        append_unsigned(out, v.u, 10, false);
        return true;
      case ValueKind::kDouble:
        if (!special_double(v.d, out)) append_shortest(out, v.d);
        return true;
      case ValueKind::kString:
      case ValueKind::kBytes:
        // Bytes become text only when they are UTF-8, as string(bytes) requires: a string
        // holding anything else would be written into result JSON as invalid text.
        if (v.kind == ValueKind::kBytes && !base::is_valid_utf8(v.str())) {
          return fail("bytes are not valid UTF-8");
        }
        // A list may hold one long text many times: stop before the text outgrows memory.
        if (!fits(out, v.str().size())) return false;
        out += v.str();
        return true;
      case ValueKind::kTimestamp:
        out += time::format_timestamp(v.i, v.nanos());
        return true;
      case ValueKind::kDuration:
        out += time::format_duration(v.i, v.nanos());
        return true;
      case ValueKind::kDate:
        out += time::format_date(v.i);
        return true;
      case ValueKind::kType:
        out += v.type->name;
        return true;
      case ValueKind::kList: {
        out += '[';
        bool first = true;
        bool ok = true;
        for_each_element(v, [&](const Value& item) {
          if (!first) out += ", ";
          first = false;
          ok = step() && text(item, out) && fits(out, 0);
          return ok;
        });
        if (!ok) return false;
        out += ']';
        return true;
      }
      case ValueKind::kMap:
        return map_text(v, out);
      case ValueKind::kError:
        failure.value = v;
        return false;
      case ValueKind::kOptional:
        if (v.inner == nullptr) {
          out += "optional.none()";
          return true;
        }
        out += "optional.of(";
        if (!step() || !text(*v.inner, out)) return false;
        out += ')';
        return true;
    }
    return false;
  }

  // The clause `verb` (with `precision`, or -1) for `v`.
  bool clause(char verb, int precision, const Value& v, std::string& out) {
    if (v.is_error()) {
      failure.value = v;
      return false;
    }
    const bool integer = v.kind == ValueKind::kInt || v.kind == ValueKind::kUint;
    switch (verb) {
      case 's':
        return text(v, out);
      case 'd':
        if (integer || v.kind == ValueKind::kDouble) return text(v, out);
        return fail("decimal clause can only be used on integers and doubles");
      case 'f':
      case 'e': {
        if (!integer && v.kind != ValueKind::kDouble) {
          return fail(verb == 'f' ? "fixed-point clause can only be used on numbers"
                                  : "scientific clause can only be used on numbers");
        }
        const double d = v.kind == ValueKind::kInt    ? static_cast<double>(v.i)
                         : v.kind == ValueKind::kUint ? static_cast<double>(v.u)
                                                      : v.d;
        if (special_double(d, out)) return true;
        char spec[16];
        std::snprintf(spec, sizeof spec, "%%.%d%c", precision < 0 ? 6 : precision, verb);
        const int n = std::snprintf(nullptr, 0, spec, d);
        std::string buf(static_cast<std::size_t>(n) + 1, '\0');
        std::snprintf(buf.data(), buf.size(), spec, d);
        out.append(buf.data(), static_cast<std::size_t>(n));
        return true;
      }
      case 'b':
        if (v.kind == ValueKind::kBool) {
          out += v.b ? '1' : '0';
          return true;
        }
        if (!integer) return fail("only integers and bools can be formatted as binary");
        return radix(v, 2, false, out);
      case 'o':
        if (!integer) return fail("octal clause can only be used on integers");
        return radix(v, 8, false, out);
      case 'x':
      case 'X': {
        const bool upper = verb == 'X';
        if (integer) return radix(v, 16, upper, out);
        if (v.kind != ValueKind::kString && v.kind != ValueKind::kBytes) {
          return fail("only integers, byte buffers, and strings can be formatted as hex");
        }
        // Two digits a byte: made room for first, or a long text doubled past the budget
        // before the check after the clause.
        if (!fits(out, 2 * std::size_t{v.str().size()})) return false;
        const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
        for (const char c : v.str()) {
          const auto byte = static_cast<unsigned char>(c);
          out += digits[byte >> 4];
          out += digits[byte & 15];
        }
        return true;
      }
      default:
        return fail("could not parse formatting clause: unrecognized formatting clause");
    }
  }

  bool fail(const char* message, ErrorCode code = ErrorCode::kInvalidArgument) {
    failure.message = message;
    failure.code = code;
    return false;
  }

  // Whether `out` may grow by `more` bytes within the memory budget.
  bool fits(const std::string& out, std::size_t more) {
    if (out.size() <= room_ && more <= room_ - out.size()) return true;
    return fail("evaluation memory budget exceeded", ErrorCode::kMemoryExceeded);
  }

  Failure failure;

 private:
  bool step() {
    if (f_.charge(1)) return true;
    return fail("evaluation budget exceeded", ErrorCode::kBudgetExceeded);
  }

  static bool radix(const Value& v, unsigned base, bool upper, std::string& out) {
    if (v.kind == ValueKind::kInt) {
      append_signed(out, v.i, base, upper);
    } else {
      append_unsigned(out, v.u, base, upper);
    }
    return true;
  }

  // The keys are formatted first, to be sorted (a key is a string, number or bool: no
  // more text than the map holds); each value is then written straight into `out`, so
  // a map shared many times cannot build its text outside the budget.
  bool map_text(const Value& map, std::string& out) {
    std::vector<std::pair<std::string, Value>> entries;
    bool ok = true;
    auto add = [&](const Value& key, const Value& value) {
      std::string formatted;
      ok = step() && text(key, formatted);
      if (ok) entries.emplace_back(std::move(formatted), value);
      return ok;
    };
    if (map.is_json()) {
      const JsonDoc* d = map.doc;
      const std::uint32_t end = static_cast<std::uint32_t>(d->tape[map.aux]) - 1;
      for (std::uint32_t k = map.aux + 1; k < end && ok; k = json_after(d, k + 1)) {
        add(Value::string(json_string_ptr(d, k)), json_value(d, k + 1));
      }
    } else {
      for (std::uint32_t k = 0; k < map.map->size && ok; ++k) {
        add(map.map->keys[k], map.map->values[k]);
      }
    }
    if (!ok) return false;
    std::stable_sort(entries.begin(), entries.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    out += '{';
    for (std::size_t i = 0; i < entries.size(); ++i) {
      if (i > 0) out += ", ";
      if (!fits(out, entries[i].first.size())) return false;
      out += entries[i].first;
      out += ": ";
      if (!text(entries[i].second, out) || !fits(out, 0)) return false;
    }
    out += '}';
    return true;
  }

  Frame& f_;
  std::size_t room_ = 0;
};

Value format(Frame& f, const Value* a) {
  const std::string_view pattern = a[0].str();
  // Only as many arguments as the pattern can use are read (a '%' begins each clause): a
  // long list, a snapshot's say, was copied whole outside the memory budget.
  const auto clauses = static_cast<std::size_t>(std::count(pattern.begin(), pattern.end(), '%'));
  std::vector<Value> args;
  args.reserve(std::min<std::size_t>(clauses, list_size(a[1])));
  for_each_element(a[1], [&](const Value& v) {
    if (args.size() == clauses) return false;
    args.push_back(v);
    return true;
  });
  Formatter formatter(f);
  std::string out;
  std::size_t next = 0;
  bool ok = true;
  for (std::size_t i = 0; i < pattern.size() && ok; ++i) {
    const char c = pattern[i];
    if (c != '%') {
      out += c;
      continue;
    }
    if (i + 1 < pattern.size() && pattern[i + 1] == '%') {
      out += '%';
      ++i;
      continue;
    }
    int precision = -1;
    std::size_t at = i + 1;
    if (at < pattern.size() && pattern[at] == '.') {
      precision = 0;
      ++at;
      const std::size_t digits = at;
      while (at < pattern.size() && pattern[at] >= '0' && pattern[at] <= '9' && precision < 1000) {
        precision = precision * 10 + (pattern[at] - '0');
        ++at;
      }
      if (at == digits || precision >= 1000) {
        ok = formatter.fail("could not parse formatting clause: bad precision");
        break;
      }
    }
    if (at >= pattern.size()) {
      ok = formatter.fail("could not parse formatting clause: the text ends inside a clause");
      break;
    }
    const char verb = pattern[at];
    i = at;
    if (std::string_view("sdfebxXo").find(verb) == std::string_view::npos) {
      ok = formatter.fail("could not parse formatting clause: unrecognized formatting clause");
      break;
    }
    if (precision >= 0 && verb != 'f' && verb != 'e') {
      ok = formatter.fail("could not parse formatting clause: precision is only for %f and %e");
      break;
    }
    if (next >= args.size()) {
      ok = formatter.fail("format(): more clauses than arguments", ErrorCode::kIndexOutOfRange);
      break;
    }
    ok = formatter.clause(verb, precision, args[next++], out) && formatter.fits(out, 0);
  }
  if (!ok) {
    const Failure& failure = formatter.failure;
    if (failure.value.is_error()) return failure.value;
    return make_error(f, failure.code, failure.message);
  }
  return make_string(f, out);
}

}  // namespace

void register_format(FunctionRegistry& r) {
  r.add_member("string_format_list", "format", "string, list(A) -> string", format);
}

}  // namespace safeguard::cel
