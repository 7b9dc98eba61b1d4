// Second half of loading calendars: resolving `extends`, checking closures against the
// coverage, building, and loading whole directories in dependency order.
#include "ruleset/load/calendar_file.hpp"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>

#include "base/file_read.hpp"
#include "base/source.hpp"
#include "base/spelling.hpp"
#include "ruleset/load/calendar_yaml.hpp"
#include "time/civil.hpp"
#include "time/date.hpp"

namespace safeguard::ruleset {

namespace {

using Span = CalendarDoc::Span;

const char* const kWeekdayNames[7] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                      "Thursday", "Friday", "Saturday"};

Diagnostic file_error(std::string code, const std::string& file, std::string message) {
  Diagnostic d;
  d.code = std::move(code);
  d.file = file;
  d.message = std::move(message);
  return d;
}

// `what` is "file" (read from disk) or "calendar" (text given in memory); `exact` false when
// only a lower bound of the size is known (base::BoundedFile::size_exact).
Diagnostic too_large(const std::string& name, std::uintmax_t size, const char* what,
                     bool exact = true) {
  return file_error("calendar.too-large", name,
                    std::string("the ") + what + " has " + base::size_in_bytes(size, exact) +
                        " (limit is " + std::to_string(kMaxCalendarFileBytes) + ")");
}

// A calendar file's text, or nothing with a diagnostic: the words of the rule set loader's
// calendar.read ("file does not exist"), under the code calendar.io.
std::optional<std::string> read_bounded(const std::string& path, std::vector<Diagnostic>& out) {
  base::BoundedFile read = base::read_file_bounded(path, kMaxCalendarFileBytes);
  switch (read.status) {
    case base::BoundedFile::Status::kRead:
      return std::move(read.text);
    case base::BoundedFile::Status::kTooLarge:
      out.push_back(too_large(path, read.size, "file", read.size_exact));
      return std::nullopt;
    case base::BoundedFile::Status::kFailed:
      break;
  }
  out.push_back(file_error("calendar.io", path, "file " + read.reason));
  return std::nullopt;
}

std::vector<std::string> names_of(const CalendarMap& calendars) {
  std::vector<std::string> names;
  for (const auto& entry : calendars) names.push_back(entry.first);
  return names;
}

// Builds the calendar `doc` describes, reporting what only the whole picture shows.
// `failed` holds calendars of the same load that had errors: extending one of them is not
// reported again. A doc that already had errors (`doc_ok` false) is still checked, so that
// one run reports everything, but never built.
std::shared_ptr<const time::WorkingCalendar> build(const CalendarDoc& doc, bool doc_ok,
                                                   const base::SourceText& source,
                                                   const CalendarMap& available,
                                                   const std::set<std::string>& failed,
                                                   std::vector<Diagnostic>& out) {
  const std::size_t first_diagnostic = out.size();
  auto error = [&](std::string code, Span at, std::string message, std::string hint = {}) {
    add_calendar_issue(out, source, Severity::kError, std::move(code), at, std::move(message),
                       std::move(hint));
  };
  auto warning = [&](std::string code, Span at, std::string message, std::string hint = {}) {
    add_calendar_issue(out, source, Severity::kWarning, std::move(code), at, std::move(message),
                       std::move(hint));
  };

  const time::WorkingCalendar* parent = nullptr;
  bool base_failed = false;
  if (doc.extends) {
    if (auto it = available.find(*doc.extends); it != available.end()) {
      parent = it->second.get();
    } else if (failed.count(*doc.extends) != 0) {
      base_failed = true;
    } else {
      std::string hint = base::did_you_mean(*doc.extends, names_of(available));
      if (hint.empty()) {
        hint = available.empty() ? "no calendars are loaded yet; load the calendar it extends first"
                                 : "loaded calendars:";
        bool first = true;
        for (const auto& entry : available) {
          hint += (first ? " " : ", ") + entry.first;
          first = false;
        }
      }
      error("calendar.unknown-calendar", doc.extends_span,
            "'" + *doc.extends + "' is not a known calendar", hint);
    }
  }

  // The dates the finished calendar will cover, when they can be known.
  std::optional<std::int64_t> first = doc.covers_from;
  std::optional<std::int64_t> last = doc.covers_until;
  std::string coverage_owner = "'covers'";
  if (parent != nullptr) {
    if (first && (*first < parent->first() || *last > parent->last())) {
      error("calendar.outside-coverage", doc.covers_span,
            "'covers' reaches beyond " + parent->name() + ", which covers " +
                time::format_date(parent->first()) + " to " + time::format_date(parent->last()));
      first.reset();
      last.reset();
    } else if (!first) {
      first = parent->first();
      last = parent->last();
      coverage_owner = "the dates " + parent->name() + " covers";
    }
  }
  const std::uint8_t weekend =
      doc.weekend.value_or(parent != nullptr ? parent->weekend() : time::kSaturdaySunday);

  std::vector<time::Closure> closures;
  for (const CalendarDoc::Entry& e : doc.closures) {
    if (first && (e.from < *first || e.until > *last)) {
      const std::int64_t outside = e.from < *first ? e.from : e.until;
      error("calendar.outside-coverage", e.span,
            time::format_date(outside) + " is outside " + coverage_owner + " (" +
                time::format_date(*first) + " to " + time::format_date(*last) + ")",
            "widen 'covers' if the closure list is complete for that year too");
      continue;
    }
    if (e.from == e.until && ((weekend >> time::weekday_from_days(e.from)) & 1u)) {
      warning("calendar.weekend-closure", e.span,
              time::format_date(e.from) + " (" + e.name + ") is a " +
                  kWeekdayNames[time::weekday_from_days(e.from)] +
                  ", which is not a working day anyway",
              "if the holiday moves to a weekday, list that substitute day instead");
    }
    for (std::int64_t day = e.from; day <= e.until; ++day) {
      if (parent != nullptr) {
        if (const time::Closure* c = parent->closure_on(day)) {
          warning("calendar.redundant-closure", e.span,
                  time::format_date(day) + " is already closed in " + parent->name() + " (" +
                      c->name + ")");
          continue;
        }
      }
      closures.push_back(time::Closure{day, e.name});
    }
  }

  for (std::size_t i = first_diagnostic; i < out.size(); ++i) {
    if (out[i].severity == Severity::kError) return nullptr;
  }
  if (!doc_ok || base_failed || doc.name.empty() || !first) return nullptr;

  time::WorkingCalendar::Built built;
  if (parent != nullptr) {
    time::WorkingCalendar::Derivation d;
    d.name = doc.name;
    d.title = doc.title;
    d.closures = std::move(closures);
    d.first = first;
    d.last = last;
    d.weekend = doc.weekend;
    built = time::WorkingCalendar::derive(*parent, std::move(d));
  } else {
    time::WorkingCalendar::Spec spec;
    spec.name = doc.name;
    spec.title = doc.title;
    spec.weekend = weekend;
    spec.first = *first;
    spec.last = *last;
    spec.closures = std::move(closures);
    built = time::WorkingCalendar::build(std::move(spec));
  }
  if (!built.calendar) {
    // Everything build() checks has been checked above; reaching here is a bug, but it
    // must still not yield a calendar silently.
    error("calendar.invalid-closure", doc.name_span, "the calendar could not be built");
  }
  return built.calendar;
}

bool file_has_errors(const std::vector<Diagnostic>& out, std::size_t from) {
  return std::any_of(out.begin() + static_cast<std::ptrdiff_t>(from), out.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

}  // namespace

Diagnostic calendar_too_large(const std::string& file_name, std::uintmax_t size, bool exact) {
  return too_large(file_name, size, "calendar", exact);
}

void add_calendar_issue(std::vector<Diagnostic>& out, const base::SourceText& source,
                        Severity severity, std::string code, CalendarDoc::Span span,
                        std::string message, std::string hint) {
  // A hostile or badly broken file could otherwise produce a diagnostic per line. The
  // note that replaces the rest is an error as soon as any dropped problem is one, so a
  // capped file can never pass for a clean one.
  if (out.size() > kMaxCalendarDiagnostics) {
    if (severity == Severity::kError) out.back().severity = Severity::kError;
    return;
  }
  if (out.size() == kMaxCalendarDiagnostics) {
    Diagnostic d;
    d.severity = severity;
    d.code = "calendar.too-many-problems";
    d.file = source.name();
    d.message =
        "further problems are not shown (limit is " + std::to_string(kMaxCalendarDiagnostics) + ")";
    out.push_back(std::move(d));
    return;
  }
  if (span.offset == CalendarDoc::kWholeFile.offset) {
    Diagnostic d;
    d.severity = severity;
    d.code = std::move(code);
    d.file = source.name();
    d.message = std::move(message);
    d.hint = std::move(hint);
    out.push_back(std::move(d));
    return;
  }
  base::Issue issue;
  issue.severity = severity;
  issue.code = std::move(code);
  issue.offset = span.offset;
  issue.length = span.length;
  issue.message = std::move(message);
  issue.hint = std::move(hint);
  out.push_back(source.diagnostic(issue));
}

CalendarFileResult load_calendar_text(std::string_view text, std::string file_name,
                                      const CalendarMap& known) {
  CalendarFileResult result;
  if (text.size() > kMaxCalendarFileBytes) {
    result.diagnostics.push_back(too_large(file_name, text.size(), "calendar"));
    return result;
  }
  const base::SourceText source(std::move(file_name), std::string(text));
  const std::optional<CalendarDoc> doc = read_calendar_doc(source, result.diagnostics);
  if (!doc) return result;
  const bool doc_ok = !has_errors(result.diagnostics);
  std::shared_ptr<const time::WorkingCalendar> calendar =
      build(*doc, doc_ok, source, known, {}, result.diagnostics);
  if (!has_errors(result.diagnostics)) result.calendar = std::move(calendar);
  return result;
}

CalendarFileResult load_calendar_file(const std::string& path, const CalendarMap& known) {
  CalendarFileResult result;
  const std::optional<std::string> text = read_bounded(path, result.diagnostics);
  if (!text) return result;
  return load_calendar_text(*text, path, known);
}

CalendarDirectoryResult load_calendar_directory(const std::string& directory,
                                                const CalendarMap& known) {
  CalendarDirectoryResult result;
  std::vector<std::string> paths;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(directory, ec), end; !ec && it != end;
       it.increment(ec)) {
    const std::filesystem::path& p = it->path();
    const std::string ext = p.extension().string();
    if ((ext == ".yaml" || ext == ".yml") && it->is_regular_file(ec)) paths.push_back(p.string());
  }
  if (ec) {
    result.diagnostics.push_back(
        file_error("calendar.io", directory, "cannot read the directory: " + ec.message()));
    return result;
  }
  std::sort(paths.begin(), paths.end());

  std::vector<CalendarText> texts;
  bool unreadable = false;
  for (const std::string& path : paths) {
    if (std::optional<std::string> text = read_bounded(path, result.diagnostics)) {
      texts.push_back(CalendarText{path, std::move(*text)});
    } else {
      unreadable = true;
    }
  }
  CalendarScope scope;
  scope.fixed = known;
  CalendarDirectoryResult built = load_calendar_texts(std::move(texts), scope);
  result.diagnostics.insert(result.diagnostics.end(), built.diagnostics.begin(),
                            built.diagnostics.end());
  if (!unreadable) result.calendars = std::move(built.calendars);
  return result;
}

CalendarDirectoryResult load_calendar_texts(std::vector<CalendarText> texts,
                                            const CalendarScope& scope) {
  CalendarDirectoryResult result;
  std::vector<Diagnostic>& out = result.diagnostics;

  // Read every file first, so that `extends` can be ordered and cycles found.
  struct File {
    base::SourceText source;
    std::optional<CalendarDoc> doc;
    bool ok = false;        // no errors so far
    bool excluded = false;  // a duplicate name or part of a cycle: not built at all
  };
  std::vector<File> files;
  std::map<std::string, std::size_t, std::less<>> by_name;
  for (CalendarText& text : texts) {
    File f;
    const std::size_t mark = out.size();
    if (text.text.size() > kMaxCalendarFileBytes) {
      out.push_back(too_large(text.name, text.text.size(), "calendar"));
    } else {
      f.source = base::SourceText(std::move(text.name), std::move(text.text));
      f.doc = read_calendar_doc(f.source, out);
    }
    f.ok = f.doc.has_value() && !file_has_errors(out, mark);
    if (f.doc && !f.doc->name.empty()) {
      const std::string& name = f.doc->name;
      std::string elsewhere;
      if (scope.fixed.count(name) != 0) elsewhere = "it is already loaded";
      if (auto it = by_name.find(name); it != by_name.end()) {
        elsewhere = "it is also defined in " + files[it->second].source.name();
      }
      if (!elsewhere.empty()) {
        add_calendar_issue(out, f.source, Severity::kError, "calendar.duplicate-name",
                           f.doc->name_span, "calendar '" + name + "' is defined twice", elsewhere);
        f.ok = false;
        f.excluded = true;
      } else {
        by_name.emplace(name, files.size());
      }
    }
    files.push_back(std::move(f));
  }

  // Depth-first over `extends` within the directory: post-order is dependency order.
  enum class Mark : std::uint8_t { kNew, kActive, kDone };
  std::vector<Mark> marks(files.size(), Mark::kNew);
  std::vector<std::size_t> order;
  std::vector<std::size_t> stack;
  std::function<void(std::size_t)> visit = [&](std::size_t i) {
    marks[i] = Mark::kActive;
    stack.push_back(i);
    const std::optional<CalendarDoc>& doc = files[i].doc;
    // A text may redefine a built-in calendar by extending it under its own name (a
    // council's england-and-wales with its closures): that names the built-in one.
    const bool extends_fallback =
        doc && doc->extends && *doc->extends == doc->name &&
        std::find(scope.fallback_names.begin(), scope.fallback_names.end(), doc->name) !=
            scope.fallback_names.end();
    if (doc && doc->extends && scope.overrides.count(*doc->extends) == 0 && !extends_fallback) {
      if (auto it = by_name.find(*doc->extends); it != by_name.end()) {
        const std::size_t j = it->second;
        if (marks[j] == Mark::kActive) {
          std::string path;
          const auto from = std::find(stack.begin(), stack.end(), j);
          for (auto s = from; s != stack.end(); ++s) path += files[*s].doc->name + " -> ";
          path += files[j].doc->name;
          for (auto s = from; s != stack.end(); ++s) {
            File& f = files[*s];
            add_calendar_issue(
                out, f.source, Severity::kError, "calendar.extends-cycle", f.doc->extends_span,
                j == i ? "calendar '" + path.substr(0, path.find(' ')) + "' extends itself"
                       : "calendars extend each other in a circle: " + path);
            f.ok = false;
            f.excluded = true;
          }
        } else if (marks[j] == Mark::kNew) {
          visit(j);
        }
      }
    }
    stack.pop_back();
    marks[i] = Mark::kDone;
    order.push_back(i);
  };
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (marks[i] == Mark::kNew) visit(i);
  }

  // What `extends` resolves to: the fixed and overriding calendars, then the texts' own
  // (each replacing a fallback of its name once built: dependency order builds it before
  // any text that extends it), then the fallbacks: named at first, each built when a text
  // extends it.
  CalendarMap available = scope.fixed;
  available.insert(scope.overrides.begin(), scope.overrides.end());
  for (const std::string& name : scope.fallback_names) available.emplace(name, nullptr);
  std::set<std::string> failed;
  for (std::size_t i : order) {
    File& f = files[i];
    if (!f.doc) continue;
    if (f.excluded) {
      if (!f.doc->name.empty()) failed.insert(f.doc->name);
      continue;
    }
    if (f.doc->extends) {
      if (auto it = available.find(*f.doc->extends); it != available.end() && !it->second)
        it->second = scope.fallback(it->first);
    }
    // A file with errors so far is still checked against its base and coverage, so that
    // one run reports everything; it just yields no calendar.
    auto calendar = build(*f.doc, f.ok, f.source, available, failed, out);
    if (calendar && f.ok) {
      if (scope.fixed.count(f.doc->name) == 0 && scope.overrides.count(f.doc->name) == 0) {
        available[f.doc->name] = calendar;
      }
      result.calendars.emplace(f.doc->name, std::move(calendar));
    } else {
      failed.insert(f.doc->name);
    }
  }
  if (has_errors(out)) result.calendars.clear();
  return result;
}

}  // namespace safeguard::ruleset
