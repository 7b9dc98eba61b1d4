#include "ruleset/load/calendar_yaml.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/exceptions.h>

#include <algorithm>
#include <map>

#include "base/spelling.hpp"
#include "base/utf8.hpp"
#include "ruleset/load/yaml_graph.hpp"
#include "time/calendar.hpp"
#include "time/civil.hpp"
#include "time/date.hpp"

namespace safeguard::ruleset {

namespace {

using Span = CalendarDoc::Span;

const std::vector<std::string> kTopKeys = {"calendar", "title",   "extends",
                                           "covers",   "weekend", "closures"};
const std::vector<std::string> kCoversKeys = {"from", "until"};
const std::vector<std::string> kClosureKeys = {"date", "from", "until", "name"};
const std::vector<std::string> kWeekdays = {"sunday",   "monday", "tuesday", "wednesday",
                                            "thursday", "friday", "saturday"};
const char* const kMonths[12] = {"January",   "February", "March",    "April",
                                 "May",       "June",     "July",     "August",
                                 "September", "October",  "November", "December"};

// A run of dates longer than this in one closure entry is far more likely a typo
// (2024 for 2042) than a real office closure.
constexpr std::int64_t kMaxClosureRangeDays = 366;

// yaml-cpp refuses nesting deeper than this (YAML::DeepRecursion) while it parses.
constexpr int kYamlCppMaxDepth = 2000;

std::string lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

// Why `text` is not a date, as advice for the person who wrote it.
std::string date_hint(const std::string& text) {
  const bool shaped = text.size() == 10 && text[4] == '-' && text[7] == '-' &&
                      std::all_of(text.begin(), text.end(),
                                  [](char c) { return c == '-' || (c >= '0' && c <= '9'); });
  if (!shaped) return "write dates as YYYY-MM-DD, e.g. 2024-12-27";
  const int year = std::stoi(text.substr(0, 4));
  const int month = std::stoi(text.substr(5, 2));
  if (year < 1) return "years run from 0001 to 9999";
  if (month < 1 || month > 12) return "months run from 01 to 12";
  const auto days = time::days_in_month(year, static_cast<std::uint32_t>(month));
  if (month == 2 && days == 28) return text.substr(0, 4) + " is not a leap year";
  return std::string(kMonths[month - 1]) + " has " + std::to_string(days) + " days";
}

class DocReader {
 public:
  DocReader(const base::SourceText& source, std::vector<Diagnostic>& out)
      : source_(source), out_(out) {}

  CalendarDoc read(const YamlGraphNode& root) {
    CalendarDoc doc;
    if (root.is_null()) {
      error("calendar.wrong-type", CalendarDoc::kWholeFile, "the calendar file is empty");
      return doc;
    }
    if (!root.is_map()) {
      error("calendar.wrong-type", span(root),
            "a calendar file must be a mapping with keys such as 'calendar', 'covers' and "
            "'closures'");
      return doc;
    }
    std::vector<std::string> given;
    each_key(root, kTopKeys, "calendar file", [&](const std::string& key, const YamlGraphNode& v) {
      given.push_back(key);
      if (key == "calendar") {
        if (auto s = scalar(v, key)) {
          doc.name_span = span(v);
          if (is_calendar_name(*s)) {
            doc.name = *s;
          } else {
            error("calendar.invalid-name", span(v),
                  "calendar name '" + *s + "' must be lower-case letters, digits and '-'",
                  "e.g. 'england-and-wales'; put the name people read in 'title'");
          }
        }
      } else if (key == "title") {
        if (auto s = scalar(v, key)) doc.title = *s;
      } else if (key == "extends") {
        if (auto s = scalar(v, key)) {
          doc.extends = *s;
          doc.extends_span = span(v);
        }
      } else if (key == "covers") {
        read_covers(v, doc);
      } else if (key == "weekend") {
        read_weekend(v, doc);
      } else if (key == "closures") {
        read_closures(v, doc);
      }
    });
    auto has = [&](const char* key) {
      return std::find(given.begin(), given.end(), key) != given.end();
    };
    const Span top = CalendarDoc::kWholeFile;
    if (!has("calendar")) {
      error("calendar.missing-key", top, "missing key 'calendar'",
            "name the calendar, e.g. 'calendar: england-and-wales'");
    }
    if (!has("covers") && !has("extends")) {
      error("calendar.missing-key", top, "missing key 'covers'",
            "give the dates the closure list is complete for, e.g. "
            "'covers: {from: 2018-01-01, until: 2030-12-31}'");
    }
    if (!has("closures")) {
      error("calendar.missing-key", top, "missing key 'closures'",
            "list the closure days, or write 'closures: []' if there are none");
    }
    if (doc.title.empty()) doc.title = doc.name;
    return doc;
  }

 private:
  Span span(const YamlGraphNode& node) const {
    const YAML::Mark& mark = node.mark();
    if (mark.is_null() || mark.line < 0 || mark.column < 0) return Span{0, 1};
    Span s;
    s.offset = source_.line_start(static_cast<std::uint32_t>(mark.line) + 1) +
               static_cast<std::uint32_t>(mark.column);
    if (node.is_scalar()) {
      s.length = static_cast<std::uint32_t>(std::max<std::size_t>(node.scalar().size(), 1));
    }
    return s;
  }

  void error(std::string code, Span at, std::string message, std::string hint = {}) {
    add_calendar_issue(out_, source_, Severity::kError, std::move(code), at, std::move(message),
                       std::move(hint));
  }

  // Calls `f(key, value)` for each known key of `map`; reports unknown and repeated keys.
  template <typename F>
  void each_key(const YamlGraphNode& map, const std::vector<std::string>& known,
                const std::string& where, F f) {
    std::map<std::string, std::uint32_t> seen;  // key -> line
    for (const auto& [key_ptr, value_ptr] : map.members()) {
      const YamlGraphNode& key_node = *key_ptr;
      if (!key_node.is_scalar()) {
        error("calendar.wrong-type", span(key_node), "keys in a " + where + " must be names");
        continue;
      }
      const std::string& key = key_node.scalar();
      const Span at = span(key_node);
      if (std::find(known.begin(), known.end(), key) == known.end()) {
        std::string hint = base::did_you_mean(key, known);
        // The name is what other formats call `name`; the calendar's key for it is `calendar`.
        if (hint.empty() && key == "name" &&
            std::find(known.begin(), known.end(), "calendar") != known.end()) {
          hint = "did you mean 'calendar'? (a calendar's name is given as calendar: <name>)";
        }
        if (hint.empty()) {
          hint = "expected one of:";
          for (std::size_t i = 0; i < known.size(); ++i) {
            hint += (i == 0 ? " " : ", ") + known[i];
          }
        }
        error("calendar.unknown-key", at, "unknown key '" + key + "' in a " + where, hint);
        continue;
      }
      const std::uint32_t line = source_.position(at.offset).line;
      if (auto [it, inserted] = seen.emplace(key, line); !inserted) {
        error("calendar.duplicate-key", at, "key '" + key + "' is given twice",
              "it was first given on line " + std::to_string(it->second));
        continue;
      }
      f(key, *value_ptr);
    }
  }

  std::optional<std::string> scalar(const YamlGraphNode& v, const std::string& key) {
    if (v.is_scalar() && !v.scalar().empty()) {
      std::string text = v.scalar();
      base::repair_yaml_escapes(text);
      return text;
    }
    error("calendar.wrong-type", span(v), "'" + key + "' must be a single value");
    return std::nullopt;
  }

  std::optional<std::int64_t> date(const YamlGraphNode& v, const std::string& key) {
    const std::optional<std::string> s = scalar(v, key);
    if (!s) return std::nullopt;
    if (auto day = time::parse_date(*s)) return day;
    error("calendar.invalid-date", span(v), "'" + *s + "' is not a date", date_hint(*s));
    return std::nullopt;
  }

  void read_covers(const YamlGraphNode& v, CalendarDoc& doc) {
    if (!v.is_map()) {
      error("calendar.wrong-type", span(v),
            "'covers' must be a mapping such as {from: 2018-01-01, until: 2030-12-31}");
      return;
    }
    std::optional<std::int64_t> from;
    std::optional<std::int64_t> until;
    bool bad = false;
    each_key(v, kCoversKeys, "'covers'", [&](const std::string& key, const YamlGraphNode& value) {
      auto& slot = key == "from" ? from : until;
      slot = date(value, key);
      bad = bad || !slot;
    });
    if (bad) return;
    if (!from || !until) {
      error("calendar.missing-key", span(v), std::string("'covers' needs both 'from' and 'until'"));
      return;
    }
    if (*until < *from) {
      error("calendar.invalid-range", span(v),
            "'covers' ends (" + time::format_date(*until) + ") before it starts (" +
                time::format_date(*from) + ")");
      return;
    }
    if (*until - *from + 1 > time::kMaxCoverageDays) {
      error("calendar.coverage-too-long", span(v),
            "'covers' spans " + std::to_string(*until - *from + 1) + " days (limit is " +
                std::to_string(time::kMaxCoverageDays) + ")");
      return;
    }
    doc.covers_from = from;
    doc.covers_until = until;
    doc.covers_span = span(v);
  }

  void read_weekend(const YamlGraphNode& v, CalendarDoc& doc) {
    if (!v.is_sequence()) {
      error("calendar.wrong-type", span(v),
            "'weekend' must be a list of weekdays such as [saturday, sunday]");
      return;
    }
    std::uint8_t mask = 0;
    bool bad = false;
    for (const YamlGraphNode* day_ptr : v.items()) {
      const YamlGraphNode& day = *day_ptr;
      const std::optional<std::string> s = scalar(day, "weekend");
      if (!s) {
        bad = true;
        continue;
      }
      const auto it = std::find(kWeekdays.begin(), kWeekdays.end(), lower(*s));
      if (it == kWeekdays.end()) {
        error("calendar.invalid-weekday", span(day), "unknown weekday '" + *s + "'",
              base::did_you_mean(lower(*s), kWeekdays));
        bad = true;
        continue;
      }
      // A day given twice is most likely a typo for another day; taken as written, the
      // weekend would be a day short without a word.
      const auto bit = static_cast<std::uint8_t>(1u << (it - kWeekdays.begin()));
      if ((mask & bit) != 0) {
        error("calendar.duplicate-weekday", span(day), "'" + *s + "' is listed twice",
              "list each weekend day once");
        bad = true;
        continue;
      }
      mask = static_cast<std::uint8_t>(mask | bit);
    }
    if (bad) return;
    if (mask == 0x7F) {
      error("calendar.no-working-days", span(v), "every day of the week is a weekend day");
      return;
    }
    doc.weekend = mask;
    doc.weekend_span = span(v);
  }

  void read_closures(const YamlGraphNode& v, CalendarDoc& doc) {
    if (v.is_null()) return;  // "closures:" with nothing after it: none
    if (!v.is_sequence()) {
      error("calendar.wrong-type", span(v),
            "'closures' must be a list of entries such as {date: 2024-12-27, name: ...}");
      return;
    }
    std::map<std::int64_t, std::uint32_t> listed;  // day -> line of its entry
    for (const YamlGraphNode* entry : v.items()) {
      std::optional<CalendarDoc::Entry> e = read_closure(*entry);
      if (!e) continue;
      const std::uint32_t line = source_.position(e->span.offset).line;
      for (std::int64_t day = e->from; day <= e->until; ++day) {
        if (auto [it, inserted] = listed.emplace(day, line); !inserted) {
          error("calendar.duplicate-date", e->span, time::format_date(day) + " is listed twice",
                "it is also listed on line " + std::to_string(it->second));
          break;
        }
      }
      doc.closures.push_back(std::move(*e));
    }
  }

  std::optional<CalendarDoc::Entry> read_closure(const YamlGraphNode& entry) {
    if (!entry.is_map()) {
      error("calendar.wrong-type", span(entry),
            "a closure must be a mapping such as {date: 2024-12-27, name: Office closure}");
      return std::nullopt;
    }
    CalendarDoc::Entry e;
    std::optional<std::int64_t> date_value;
    std::optional<std::int64_t> from;
    std::optional<std::int64_t> until;
    bool has_date = false;
    bool has_from = false;
    bool has_until = false;
    bool bad = false;
    std::optional<Span> first_span;
    each_key(entry, kClosureKeys, "closure", [&](const std::string& key, const YamlGraphNode& v) {
      if (key == "name") {
        if (auto s = scalar(v, key)) {
          e.name = *s;
        } else {
          bad = true;
        }
        return;
      }
      std::optional<std::int64_t> day = date(v, key);
      if (!day) bad = true;
      if (key == "date") {
        has_date = true;
        date_value = day;
      } else if (key == "from") {
        has_from = true;
        from = day;
      } else {
        has_until = true;
        until = day;
      }
      if (!first_span && key != "until") first_span = span(v);
    });
    e.span = first_span.value_or(span(entry));
    if (has_date && (has_from || has_until)) {
      error("calendar.invalid-closure", e.span,
            "a closure has either 'date' or 'from' and 'until', not both");
      return std::nullopt;
    }
    if (!has_date && !(has_from && has_until)) {
      error("calendar.missing-key", span(entry),
            has_from || has_until ? "a closure with 'from' also needs 'until'"
                                  : "a closure needs a 'date'",
            "e.g. {date: 2024-12-27, name: Office closure}");
      return std::nullopt;
    }
    if (e.name.empty() && !bad) {
      error("calendar.missing-key", span(entry), "a closure needs a 'name'",
            "say what the day is, e.g. name: Office closure");
      return std::nullopt;
    }
    if (bad) return std::nullopt;
    if (has_date) {
      e.from = e.until = *date_value;
      return e;
    }
    e.from = *from;
    e.until = *until;
    if (e.until < e.from) {
      error("calendar.invalid-range", e.span,
            "the closure ends (" + time::format_date(e.until) + ") before it starts (" +
                time::format_date(e.from) + ")");
      return std::nullopt;
    }
    if (e.until - e.from + 1 > kMaxClosureRangeDays) {
      error("calendar.range-too-long", e.span,
            "the closure spans " + std::to_string(e.until - e.from + 1) + " days (limit is " +
                std::to_string(kMaxClosureRangeDays) + ")");
      return std::nullopt;
    }
    return e;
  }

  const base::SourceText& source_;
  std::vector<Diagnostic>& out_;
};

}  // namespace

bool is_calendar_name(std::string_view s) noexcept {
  if (s.empty() || s.size() > 64 || s.front() == '-' || s.back() == '-') return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

std::optional<CalendarDoc> read_calendar_doc(const base::SourceText& source,
                                             std::vector<Diagnostic>& diagnostics) {
  // Names and reasons end up in results and JSON output, which must be valid UTF-8.
  const std::size_t bad = base::find_invalid_utf8(source.text());
  if (bad != std::string_view::npos) {
    add_calendar_issue(diagnostics, source, Severity::kError, "calendar.encoding",
                       Span{static_cast<std::uint32_t>(bad), 1}, "the file is not valid UTF-8",
                       "save the file as UTF-8");
    return std::nullopt;
  }
  // A NUL is valid UTF-8 but never meant in a text file, as in rule files.
  if (const std::size_t nul = source.text().find('\0'); nul != std::string_view::npos) {
    add_calendar_issue(diagnostics, source, Severity::kError, "calendar.encoding",
                       Span{static_cast<std::uint32_t>(nul), 1}, "the file contains a NUL byte",
                       "the file is binary or damaged; save it again as plain UTF-8 text");
    return std::nullopt;
  }
  std::optional<YamlGraph> graph;
  try {
    graph.emplace(std::string(source.text()));
  } catch (const YAML::Exception& e) {
    Span at;
    if (!e.mark.is_null() && e.mark.line >= 0 && e.mark.column >= 0) {
      at.offset = source.line_start(static_cast<std::uint32_t>(e.mark.line) + 1) +
                  static_cast<std::uint32_t>(e.mark.column);
    }
    // yaml-cpp's guard against a stack overflow says only "bad file"; rule files report
    // the same event as yaml.limit (yaml_tree.cpp), and so do calendars.
    if (dynamic_cast<const YAML::DeepRecursion*>(&e) != nullptr) {
      add_calendar_issue(
          diagnostics, source, Severity::kError, "yaml.limit", at,
          "YAML nesting is too deep (the limit is " + std::to_string(kYamlCppMaxDepth) + ")",
          "a calendar file is a mapping whose 'closures' list holds mappings; "
          "nothing in it nests deeper");
      return std::nullopt;
    }
    add_calendar_issue(diagnostics, source, Severity::kError, "calendar.syntax", at,
                       "YAML syntax error: " + e.msg);
    return std::nullopt;
  }
  // The graph stops where a second document starts: closures in it (two calendars pasted
  // into one file, say) would otherwise be dropped without a word.
  if (const std::int64_t second = graph->second_document_offset(); second >= 0) {
    const std::string_view text = source.text();
    const bool comma = static_cast<std::size_t>(second) < text.size() && text[second] == ',';
    add_calendar_issue(diagnostics, source, Severity::kError,
                       comma ? "calendar.syntax" : "calendar.multiple-documents",
                       Span{static_cast<std::uint32_t>(second), 1},
                       comma ? "YAML syntax error: a ',' outside a [ ] or { } list"
                             : "a calendar file holds one YAML document; found another after "
                               "'---' or '...'");
    return std::nullopt;
  }
  return DocReader(source, diagnostics).read(graph->root());
}

}  // namespace safeguard::ruleset
