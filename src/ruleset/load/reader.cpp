#include "ruleset/load/reader.hpp"

#include <algorithm>
#include <set>
#include <string_view>

#include "base/spelling.hpp"
#include "time/date.hpp"

namespace safeguard::ruleset {

std::uint32_t token_length(const base::SourceText& text, std::uint32_t offset) {
  const std::string_view t = text.text();
  if (offset >= t.size()) return 1;
  std::uint32_t end = offset;
  const char quote = t[offset];
  if (quote == '"' || quote == '\'') {
    ++end;
    while (end < t.size() && t[end] != quote && t[end] != '\n') ++end;
    return end - offset + (end < t.size() && t[end] == quote ? 1 : 0);
  }
  // A plain scalar ends at ": " or " #" (a colon or hash inside it, as in the date-time
  // 2024-12-31T00:00:00Z, belongs to it), at a line end, or at a flow indicator.
  auto ends_here = [&](std::uint32_t i) {
    const char c = t[i];
    if (c == '\n' || c == ',' || c == '}' || c == ']') return true;
    if (c == ':')
      return i + 1 >= t.size() || t[i + 1] == ' ' || t[i + 1] == '\t' || t[i + 1] == '\n' ||
             t[i + 1] == '\r';
    if (c == '#') return i == offset || t[i - 1] == ' ' || t[i - 1] == '\t';
    return false;
  };
  while (end < t.size() && !ends_here(end)) ++end;
  while (end > offset && (t[end - 1] == ' ' || t[end - 1] == '\r')) --end;
  return std::max<std::uint32_t>(1, end - offset);
}

void Reporter::add(std::uint32_t file, std::uint32_t offset, std::uint32_t length,
                   Severity severity, std::string code, std::string message, std::string hint) {
  Diagnostic d;
  d.severity = severity;
  d.code = std::move(code);
  d.message = std::move(message);
  d.hint = std::move(hint);
  if (file < files_.size()) {
    base::place(d, files_[file].text, offset, length);
  }
  out_.push_back(std::move(d));
}

void Reporter::error(std::uint32_t file, std::uint32_t offset, std::string code,
                     std::string message, std::string hint, std::uint32_t length) {
  add(file, offset, length, Severity::kError, std::move(code), std::move(message), std::move(hint));
}

void Reporter::warning(std::uint32_t file, std::uint32_t offset, std::string code,
                       std::string message, std::string hint, std::uint32_t length) {
  add(file, offset, length, Severity::kWarning, std::move(code), std::move(message),
      std::move(hint));
}

void Reporter::at(const Where& where, Severity severity, std::string code, std::string message,
                  std::string hint) {
  add(where.file, where.offset, where.length, severity, std::move(code), std::move(message),
      std::move(hint));
}

void Reporter::in_expression(const ExprText& expr, const base::Issue& issue) {
  if (expr.file >= files_.size()) return;
  out_.push_back(expression_diagnostic(files_[expr.file].text, expr, issue));
}

void Reporter::general(Severity severity, std::string code, std::string file_name,
                       std::string message, std::string hint) {
  Diagnostic d;
  d.severity = severity;
  d.code = std::move(code);
  d.file = std::move(file_name);
  d.message = std::move(message);
  d.hint = std::move(hint);
  out_.push_back(std::move(d));
}

std::size_t Reporter::error_count() const {
  return static_cast<std::size_t>(std::count_if(out_.begin(), out_.end(), [](const Diagnostic& d) {
    return d.severity == Severity::kError;
  }));
}

namespace {
// The text from `offset` to the end of its line, without trailing spaces or a comment.
std::string_view rest_of_line(std::string_view text, std::size_t offset) {
  std::string_view line = text.substr(std::min(offset, text.size()));
  line = line.substr(0, line.find('\n'));
  const std::size_t comment = line.find(" #");
  if (comment != std::string_view::npos) line = line.substr(0, comment);
  while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.remove_suffix(1);
  return line;
}
// Words authors bring from other rule engines and from design.md's sketch ("a manifest
// (name, version, ...)"), with the key safeguard calls it; the first one allowed here wins.
std::string synonym(const std::string& key, const std::vector<std::string>& allowed) {
  static const std::pair<const char*, std::vector<const char*>> kSynonyms[] = {
      {"name", {"ruleset", "title"}},
      {"condition", {"when"}},
      {"if", {"when"}},
      {"expr", {"when"}},
      {"expression", {"when"}},
      {"criteria", {"when"}},
      {"priority", {"severity"}},
      {"risk", {"severity"}},
      {"role", {"owner"}},
      {"assignee", {"owner"}},
      {"assigned_to", {"owner"}},
      {"due_date", {"due"}},
      {"due_by", {"due"}},
      {"deadline", {"due"}},
      {"reference", {"source"}},
      {"guidance", {"source"}},
      {"description", {"text"}},
      {"valid_from", {"effective_from"}},
      {"start_date", {"effective_from"}},
      {"valid_until", {"effective_until"}},
      {"end_date", {"effective_until"}},
      {"expires", {"effective_until"}},
  };
  for (const auto& [word, targets] : kSynonyms) {
    if (key != word) continue;
    for (const char* t : targets) {
      if (std::find(allowed.begin(), allowed.end(), t) != allowed.end()) return t;
    }
  }
  return {};
}
}  // namespace

Where FieldReader::where_of(const YamlNode& n) const {
  Where w;
  w.file = file_;
  w.offset = n.offset;
  w.length = file_ < r_.files().size() ? token_length(r_.files()[file_].text, n.offset) : 1;
  return w;
}

void FieldReader::check_keys(const std::vector<std::string>& allowed) {
  std::set<std::string> seen;
  bool merged_items = false;
  for (const auto& [key, value] : node_.members) {
    const Where w = where_of(key);
    if (!key.is_scalar()) {
      r_.error(file_, key.offset, prefix_ + ".wrong-type", "keys of " + what_ + " must be names",
               {}, w.length);
      continue;
    }
    if (!seen.insert(key.scalar).second) {
      // A second `id:` in a rule is nearly always the next rule without its '- ': one
      // mistake, so the keys after it are not reported twice as well.
      if (merged_items) continue;
      const bool next_item = key.scalar == "id" &&
                             (prefix_ == "rule" || prefix_ == "threshold" || prefix_ == "action");
      merged_items = next_item;
      r_.error(file_, key.offset, prefix_ + ".duplicate-key",
               "key '" + key.scalar + "' appears twice in " + what_,
               next_item ? "each item of the list starts with '- ': write '- id:' here"
                         : "YAML keeps only one of them; remove or merge the other",
               w.length);
      continue;
    }
    if (key.scalar == "<<") {
      // YAML 1.1's merge key, which yaml-cpp reads as a plain key: the keys it would have
      // brought in are not there, so they are not reported as missing one by one.
      merge_key_ = true;
      r_.error(file_, key.offset, "yaml.merge-key",
               "YAML merge keys ('<<: *name') are not supported in " + what_,
               "write the keys out in full; an alias to a whole item ('- *name') does work",
               w.length);
      continue;
    }
    if (key.scalar == "level" && prefix_ == "rule") {
      // A threshold written under `rules:`: title and severity are not what is missing.
      misspelt_.insert("title");
      misspelt_.insert("severity");
      r_.error(file_, key.offset, prefix_ + ".unknown-key", "unknown key 'level' in " + what_,
               "a rule with a level is a threshold: list it under 'thresholds:' (keys: id, "
               "level, when, description, effective_from, effective_until)",
               w.length);
      continue;
    }
    if (std::find(allowed.begin(), allowed.end(), key.scalar) == allowed.end()) {
      std::string match = base::closest_match(key.scalar, allowed);
      if (match.empty()) match = synonym(key.scalar, allowed);
      std::string hint = match.empty() ? std::string() : "did you mean '" + match + "'?";
      if (!match.empty()) misspelt_.insert(match);
      if (hint.empty()) {
        hint = "allowed keys: ";
        for (std::size_t i = 0; i < allowed.size(); ++i) hint += (i ? ", " : "") + allowed[i];
      }
      r_.error(file_, key.offset, prefix_ + ".unknown-key",
               "unknown key '" + key.scalar + "' in " + what_, hint, w.length);
    }
  }
}

void FieldReader::missing(const std::string& key) {
  if (misspelt_.count(key) != 0) return;  // reported as a misspelling already
  if (merge_key_) return;                 // reported as a merge key already
  r_.error(file_, node_.offset, prefix_ + ".missing-key", what_ + " has no '" + key + "'", {},
           file_ < r_.files().size() ? token_length(r_.files()[file_].text, node_.offset) : 1);
}

std::optional<std::string> FieldReader::text(const std::string& key, bool required) {
  const YamlNode* v = get(key);
  if (v == nullptr || v->is_null()) {
    if (required) missing(key);
    return std::nullopt;
  }
  if (!v->is_scalar()) {
    r_.error(file_, v->offset, prefix_ + ".wrong-type",
             "'" + key + "' of " + what_ + " must be text, not " + v->kind_name(), {},
             where_of(*v).length);
    return std::nullopt;
  }
  if (required && v->scalar.empty()) {
    // `id: ""` or `level: ''` would otherwise slip through as a name nothing can match.
    r_.error(file_, v->offset, prefix_ + ".missing-key", "'" + key + "' of " + what_ + " is empty",
             {}, where_of(*v).length);
    return std::nullopt;
  }
  return v->scalar;
}

std::optional<ExprText> FieldReader::expression(const std::string& key, bool required) {
  const YamlNode* v = get(key);
  if (v == nullptr || v->is_null()) {
    if (required) missing(key);
    return std::nullopt;
  }
  if (!v->is_scalar()) {
    // `message: {count}` or `when: [a, b]`: YAML's own braces and brackets, meant as text.
    const std::string_view src = r_.files()[file_].text.text();
    const char first = v->offset < src.size() ? src[v->offset] : '\0';
    std::string hint = "write the expression on one line, or after '|' on the lines below";
    if (first == '{' || first == '[') {
      hint = std::string("YAML reads a value starting with '") + first + "' as " +
             (first == '{' ? "a mapping" : "a list") + ": put the whole value in quotes, e.g. " +
             key + ": \"" + std::string(rest_of_line(src, v->offset)) + "\"";
    }
    r_.error(file_, v->offset, prefix_ + ".wrong-type",
             "'" + key + "' of " + what_ + " must be " +
                 (key == "message" ? "text" : "a CEL expression") + ", not " + v->kind_name(),
             hint, where_of(*v).length);
    return std::nullopt;
  }
  return expression_text(r_.files()[file_].text, file_, *v);
}

std::optional<std::int64_t> FieldReader::date(const std::string& key) {
  const YamlNode* v = get(key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (v->is_scalar()) {
    if (auto day = time::parse_date(v->scalar)) return day;
  }
  std::string hint;
  if (v->is_scalar() && v->scalar.size() > 10 && time::parse_date(v->scalar.substr(0, 10))) {
    hint = "a date has no time of day: write " + v->scalar.substr(0, 10);
  }
  r_.error(file_, v->offset, prefix_ + ".invalid-date",
           "'" + key + "' must be a real date written YYYY-MM-DD", hint, where_of(*v).length);
  return std::nullopt;
}

std::vector<std::string> FieldReader::text_list(const std::string& key) {
  std::vector<std::string> out;
  const YamlNode* v = get(key);
  if (v == nullptr || v->is_null()) return out;
  if (!v->is_sequence()) {
    r_.error(file_, v->offset, prefix_ + ".wrong-type",
             "'" + key + "' of " + what_ + " must be a list", {}, where_of(*v).length);
    return out;
  }
  for (const auto& item : v->items) {
    if (!item.is_scalar()) {
      r_.error(file_, item.offset, prefix_ + ".wrong-type",
               "items of '" + key + "' must be text, not " + item.kind_name());
      continue;
    }
    out.push_back(item.scalar);
  }
  return out;
}

}  // namespace safeguard::ruleset
