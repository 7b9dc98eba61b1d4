// A Result as text for people (safeguard eval --format text).
#include <algorithm>
#include <cstdio>

#include "base/terminal_text.hpp"
#include "safeguard/result.hpp"

namespace safeguard {

namespace {

std::string upper(std::string s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  }
  return s;
}

std::string readable(std::string id) {
  std::replace(id.begin(), id.end(), '_', ' ');
  return id;
}

std::string pad(const std::string& s, std::size_t width) {
  return s.size() >= width ? s + " " : s + std::string(width - s.size(), ' ');
}

// A part written over several lines of a rule file keeps its line breaks; its later lines
// start under its first one, not at the left margin among the headings.
void append_indented(std::string& out, const std::string& text, std::size_t column) {
  std::size_t from = 0;
  for (std::size_t nl = text.find('\n'); nl != std::string::npos; nl = text.find('\n', from)) {
    out.append(text, from, nl + 1 - from);
    out.append(column, ' ');
    from = nl + 1;
  }
  out.append(text, from, std::string::npos);
}

void explain_lines(std::string& out, const std::vector<ExplainStep>& steps, const char* indent) {
  const std::string* within = nullptr;  // the definition or function being listed
  for (const auto& s : steps) {
    if (!s.within.empty() && (within == nullptr || *within != s.within)) {
      out += indent;
      out += "in " + s.within + ":\n";
    }
    within = &s.within;
    out += indent;
    if (!s.within.empty()) out += "  ";
    const std::size_t line_start = out.rfind('\n') + 1;  // npos + 1 is 0
    out += s.outcome == "true"    ? "[held]    "
           : s.outcome == "false" ? "[did not] "
           : s.outcome == "value" ? "[value]   "
                                  : "[unknown] ";
    append_indented(out, s.expression, out.size() - line_start);
    if (s.times_true + s.times_false + s.times_undetermined > 1) {
      out += "  (" + std::to_string(s.times_true) + " true, " + std::to_string(s.times_false) +
             " false, " + std::to_string(s.times_undetermined) + " undetermined)";
    }
    if (!s.value_json.empty()) out += "  = " + s.value_json;
    // A part read several times (in a loop) may have been a default only some of them, and
    // the value shown is the last: the count says how many, never "the value is a default".
    if (s.times_default == 1) {
      out += "  (once not in the snapshot: the schema's default)";
    } else if (s.times_default > 0) {
      out += "  (" + std::to_string(s.times_default) +
             " times not in the snapshot: the schema's default)";
    }
    out += '\n';
  }
}

}  // namespace

std::string to_text(const Result& r) {
  std::string out;
  if (!r.evaluated) {
    out += "Could not evaluate the snapshot:\n";
    for (const auto& e : r.errors) out += "  " + format(e);
    return base::printable(out);
  }
  out += "As of " + r.as_of + ", rule set " + r.ruleset.name + " " + r.ruleset.version + " (" +
         r.ruleset.fingerprint.substr(0, 12) + ")\n\n";
  out += "Level of need: " + readable(r.level.id) + "\n";
  if (!r.level.reasons.empty()) {
    out += "  because:";
    for (const auto& reason : r.level.reasons) out += " " + reason;
    out += '\n';
    for (std::size_t i = 0; i < r.level.explain.size() && i < r.level.reasons.size(); ++i) {
      if (r.level.explain[i].empty()) continue;
      out += "    " + r.level.reasons[i] + ":\n";
      explain_lines(out, r.level.explain[i], "      ");
    }
  }
  out += '\n';
  if (r.flags.empty()) {
    out += "Flags: none\n";
  } else {
    out += "Flags (" + std::to_string(r.flags.size()) + "):\n";
    for (const auto& f : r.flags) {
      out += "  " + pad(upper(f.severity), 9) + f.id + " - " + f.title + "\n";
      if (!f.message.empty()) out += "           " + f.message + "\n";
      if (!f.explain.empty()) explain_lines(out, f.explain, "             ");
    }
  }
  out += '\n';
  if (!r.actions.empty()) {
    out += "Recommended actions (" + std::to_string(r.actions.size()) + "):\n";
    for (const auto& a : r.actions) {
      const std::string when = !a.due.empty()                ? "by " + a.due
                               : !a.due_undetermined.empty() ? "date unknown"
                                                             : "no date";
      out += "  " + pad(when, 14) + pad(a.owner, 18) + a.text;
      out += "  [";
      for (std::size_t i = 0; i < a.flags.size(); ++i) out += (i ? ", " : "") + a.flags[i];
      out += "]\n";
      for (const auto& u : a.due_undetermined) {
        out += "    due date of " + u.id + " unknown: " + u.reason;
        if (!u.path.empty()) out += " " + u.path;
        out += " - " + u.message;
        if (!u.at.empty()) out += " (" + u.at + ")";
        out += "\n";
      }
    }
    out += '\n';
  }
  if (!r.undetermined.empty()) {
    out += "Could not decide (" + std::to_string(r.undetermined.size()) + "):\n";
    for (const auto& u : r.undetermined) {
      out += "  " + u.id + ": " + u.reason;
      if (!u.path.empty()) out += " " + u.path;
      if (!u.depends_on.empty()) out += " (via " + u.depends_on + ")";
      out += " - " + u.message;
      if (!u.at.empty()) out += " (" + u.at + ")";
      out += "\n";
      if (!u.explain.empty()) explain_lines(out, u.explain, "      ");
    }
    out += '\n';
  }
  if (!r.violations.empty()) {
    out += "Snapshot problems (" + std::to_string(r.violations.size()) + "):\n";
    for (const auto& v : r.violations) {
      // The root's JSON Pointer is "": name it rather than print nothing.
      out += "  " + (v.path.empty() ? std::string("(the snapshot)") : v.path) + ": " + v.message;
      if (!v.expected.empty()) out += " (expected " + v.expected + ")";
      out += "\n";
    }
  }
  // Titles, messages and facts carry case data and rule text, which may hold an escape
  // sequence or a carriage return that would rewrite the reader's screen.
  return base::printable(out);
}

}  // namespace safeguard
