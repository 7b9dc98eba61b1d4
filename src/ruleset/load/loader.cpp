#include "ruleset/load/loader.hpp"
#include "ruleset/load/builtin_calendars.hpp"
#include "ruleset/load/calendar_access.hpp"
#include "ruleset/load/calendar_file.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>

#include "base/utf8.hpp"
#include "ruleset/load/rule_files.hpp"
#include "snapshot/schema_load.hpp"

namespace safeguard::ruleset {

namespace fs = std::filesystem;

namespace {

constexpr const char* kOutsideReason = "leads outside the rule set (through a symbolic link)";

bool has_yaml_extension(const std::string& name) {
  const auto ends = [&](const char* ext) {
    const std::string e(ext);
    return name.size() > e.size() && name.compare(name.size() - e.size(), e.size(), e) == 0;
  };
  return ends(".yaml") || ends(".yml");
}

// A rule set's directory, pinned when the load starts: every file, folder and listing is
// reached through the directory opened then (/proc/self/fd/N), not through its path again.
// A host that deploys by switching a link (`rules -> releases/v1`, then `v2`) while a load
// or reload runs gets all of one release, never a manifest of one and rule files of the
// other; a directory renamed during the load is read on where it went. Where /proc is not
// mounted, or the directory cannot be opened, paths are used as given.
class DirectorySource final : public FileSource {
 public:
  explicit DirectorySource(std::string dir)
      : dir_(std::move(dir)), root_(dir_.empty() ? fs::path(".") : fs::path(dir_)) {}

  // The file is opened first, without waiting (a FIFO in the rule set must not hang a load
  // or a reload), and what was opened is checked: a regular file, inside the rule set's
  // directory once every symbolic link is followed (manifest paths cannot climb out,
  // is_safe_relative_path, and a link in the directory, a file or a folder on the way, must
  // not either, or a rule set could make the loader read, and quote in its diagnostics, any
  // file the host can read). The size is checked before anything is read, and a file that
  // grew since is refused rather than read whole.
  FileText read(const std::string& path, std::size_t max_bytes) const override {
    const fs::path& root = root_.path();
    FileText out = base::read_file_inside(root, root / path, max_bytes, kOutsideReason);
    if (out.reason == "is a directory") out.reason = "is not a regular file";  // as it was put
    return out;
  }

  std::vector<std::string> yaml_files(const std::string& dir) const override {
    std::vector<std::string> out;
    std::error_code ec;
    const fs::path folder = dir.empty() ? root_.path() : root_.path() / dir;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
      if (!it->is_regular_file(ec)) continue;
      const std::string name = it->path().filename().string();
      if (has_yaml_extension(name)) out.push_back(dir.empty() ? name : dir + "/" + name);
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  std::string display_prefix() const override {
    std::string p = dir_;
    if (!p.empty() && p.back() != '/') p += '/';
    return p;
  }

  std::string folder_problem(const std::string& dir) const override {
    std::error_code ec;
    const fs::path full = root_.path() / dir;
    if (fs::is_directory(full, ec)) return {};
    return fs::exists(full, ec) ? "is not a folder" : "does not exist";
  }

  std::string root_problem() const override {
    std::error_code ec;
    const fs::path root = dir_.empty() ? fs::path(".") : fs::path(dir_);
    if (fs::is_directory(root, ec)) return {};
    if (fs::is_regular_file(root, ec)) return "is a file, not a rule set directory";
    return fs::exists(root, ec) ? "is not a directory" : "does not exist";
  }

 private:
  std::string dir_;             // as given, for diagnostics
  base::PinnedDirectory root_;  // as opened when the load started: where files are reached
};

class MemorySource final : public FileSource {
 public:
  explicit MemorySource(std::vector<InputView> files) {
    for (auto& f : files) files_[std::move(f.path)] = f.text;
  }
  FileText read(const std::string& path, std::size_t max_bytes) const override {
    FileText out;
    auto it = files_.find(path);
    if (it == files_.end()) {
      out.reason = "does not exist";
    } else if (it->second.size() > max_bytes) {
      out.status = FileText::Status::kTooLarge;
      out.size = it->second.size();
    } else {
      out.status = FileText::Status::kRead;
      out.text = std::string(it->second);
    }
    return out;
  }
  std::vector<std::string> yaml_files(const std::string& dir) const override {
    std::vector<std::string> out;
    const std::string prefix = dir.empty() ? "" : dir + "/";
    for (const auto& [path, text] : files_) {
      if (path.compare(0, prefix.size(), prefix) != 0) continue;
      const std::string rest = path.substr(prefix.size());
      if (rest.find('/') == std::string::npos && has_yaml_extension(rest)) out.push_back(path);
    }
    return out;
  }
  std::string display_prefix() const override { return ""; }
  // In memory a folder is there when a file's path is in it.
  std::string folder_problem(const std::string& dir) const override {
    const std::string prefix = dir + "/";
    const auto it = files_.lower_bound(prefix);
    if (it != files_.end() && it->first.compare(0, prefix.size(), prefix) == 0) return {};
    return "does not exist (no file's path starts with '" + prefix + "')";
  }

 private:
  std::map<std::string, std::string_view> files_;  // the texts are the caller's
};

// Warns at the first Unicode bidirectional embedding, override or isolate
// (base::is_bidi_control) in a rule file, which is valid UTF-8 by now. They reorder how
// text is shown, not how it is read, so a reviewer can see one condition while another runs
// ("Trojan Source", CVE-2021-42574): `when: 'case.role == "admin<U+202E> <U+2066>// x<U+2069>
// <U+2066>"'` shows as a comparison and a comment.
void warn_bidi_controls(const base::SourceText& text, std::vector<Diagnostic>& diagnostics) {
  const std::string_view t = text.text();
  // Each of them is encoded as three bytes starting with E2.
  for (std::size_t i = t.find('\xE2'); i != std::string_view::npos; i = t.find('\xE2', i + 1)) {
    std::size_t next = i;
    const char32_t code_point = base::decode_code_point(t, next);
    if (!base::is_bidi_control(code_point)) continue;
    char name[8];
    std::snprintf(name, sizeof name, "U+%04X", static_cast<unsigned>(code_point));
    Diagnostic d;
    d.severity = Severity::kWarning;
    d.code = "file.bidi-control";
    d.message = std::string("the file holds a Unicode bidirectional control character (") + name +
                "), which shows text in another order than it is read";
    d.hint = "remove it: a reviewer may see a condition other than the one that runs";
    base::place(d, text, static_cast<std::uint32_t>(i), 3);
    diagnostics.push_back(std::move(d));
    return;
  }
}

// Reads a file into `out->files`, checking size, encoding and BOM. Returns its index.
bool add_file(const FileSource& source, const std::string& path, const Limits& limits,
              Gathered* out, std::vector<Diagnostic>& diagnostics, std::uint32_t* index) {
  const std::string shown = source.display_prefix() + path;
  FileText read = source.read(path, limits.max_rule_file_bytes);
  if (read.status != FileText::Status::kRead) {
    Diagnostic d;
    d.file = shown;
    if (read.status == FileText::Status::kTooLarge) {
      d.code = "file.too-large";
      d.message = "file is too large (" + base::size_in_bytes(read.size, read.size_exact) +
                  "; the limit is " + std::to_string(limits.max_rule_file_bytes) + ")";
    } else {
      d.code = "file.read";
      d.message = "file " + read.reason;
    }
    diagnostics.push_back(std::move(d));
    return false;
  }
  std::string& text = read.text;
  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);  // a UTF-8 byte order mark
  out->fingerprint_inputs.push_back(InputFile{path, text});
  out->source.files.push_back(SourceFile{path, base::SourceText(shown, std::move(text))});
  *index = static_cast<std::uint32_t>(out->source.files.size() - 1);
  // Invalid UTF-8 first; then a NUL byte, which is valid UTF-8 but never meant in a text
  // file (YAML would cut the text at it).
  const base::SourceText& stored = out->source.files.back().text;
  const std::size_t bad = base::find_invalid_utf8(stored.text());
  const bool invalid = bad != std::string_view::npos;
  const std::size_t at = invalid ? bad : stored.text().find('\0');
  if (at == std::string_view::npos) {
    warn_bidi_controls(stored, diagnostics);
    return true;
  }
  Diagnostic d;
  d.code = "file.encoding";
  d.message = invalid ? "file is not valid UTF-8" : "file contains a NUL byte";
  d.hint = invalid ? "save the file as UTF-8"
                   : "the file is binary or damaged; save it again as plain UTF-8 text";
  base::place(d, stored, static_cast<std::uint32_t>(at), 1);
  diagnostics.push_back(std::move(d));
  return false;
}

}  // namespace

std::unique_ptr<FileSource> directory_source(const std::string& directory) {
  return std::make_unique<DirectorySource>(directory);
}

std::unique_ptr<FileSource> memory_source(std::vector<InputView> files) {
  return std::make_unique<MemorySource>(std::move(files));
}

std::string without_dot_segments(const std::string& path) {
  if (path.empty() || path[0] == '/') return path;
  std::string out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t slash = path.find('/', start);
    const std::size_t end = slash == std::string::npos ? path.size() : slash;
    if (path.compare(start, end - start, ".") != 0) {
      if (!out.empty()) out += '/';
      out.append(path, start, end - start);
    }
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return out.empty() ? path : out;
}

bool is_safe_relative_path(const std::string& path) {
  if (path.empty() || path[0] == '/' || path[0] == '\\' || path.find('\\') != std::string::npos) {
    return false;
  }
  if (path.find(':') != std::string::npos) return false;
  // A NUL would end the name the file system sees (so "a.yaml\0x" read a.yaml); no
  // control character belongs in a file name a policy lead types.
  for (const char c : path) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return false;
  }
  std::size_t start = 0;
  for (;;) {
    const std::size_t slash = path.find('/', start);
    const std::string part =
        path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (part == ".." || part.empty()) return false;
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return true;
}

bool gather(const FileSource& files, const Limits& limits,
            const std::vector<std::shared_ptr<const Calendar>>& host_calendars, Gathered* out,
            std::vector<Diagnostic>& diagnostics) {
  Reporter r(out->source.files, diagnostics);
  const YamlLimits yaml_limits{limits.max_yaml_depth, limits.max_yaml_nodes};

  std::uint32_t manifest_index = 0;
  if (!add_file(files, kManifestName, limits, out, diagnostics, &manifest_index)) {
    if (!diagnostics.empty() && diagnostics.back().code == "file.read" &&
        diagnostics.back().message.find(kOutsideReason) == std::string::npos) {
      Diagnostic& d = diagnostics.back();
      const std::string reason = d.message.substr(5);  // after "file "
      d.code = "manifest.missing";
      if (reason == "does not exist") {
        d.message = "there is no manifest (ruleset.yaml) here";
        d.hint = "a rule set is a directory with a ruleset.yaml manifest beside its rule files";
      } else {
        // A folder, pipe or device of that name, or one that cannot be opened: "there is
        // no manifest" would send the reader looking for a file that is there.
        d.message = "the manifest (ruleset.yaml) " + reason;
        d.hint = "the manifest must be a plain file the loader can read";
      }
      if (const std::string problem = files.root_problem(); !problem.empty()) {
        // `safeguard check rules/ruleset.yaml` or a mistyped path: name the path given.
        std::string given = files.display_prefix();
        if (!given.empty() && given.back() == '/') given.pop_back();
        d.file = given;
        d.message = "'" + given + "' " + problem;
        d.hint = "give the directory that holds ruleset.yaml";
      }
    }
    return false;
  }
  YamlNode manifest;
  if (!parse_yaml(out->source.files[manifest_index].text, yaml_limits, &manifest, diagnostics))
    return false;
  read_manifest(manifest, manifest_index, r, &out->source.manifest);
  Manifest& m = out->source.manifest;
  // `./front-door.yaml` names the file `front-door.yaml` names: compared as written, it
  // escaped the duplicate check and made the file beside it look unlisted.
  for (std::string& listed : m.files) listed = without_dot_segments(listed);
  // So do the schema and the calendars folder: in memory, `./case.schema.json` is stored
  // as `case.schema.json` (RuleSet::load), and read as written it was not found.
  m.schema_path = without_dot_segments(m.schema_path);
  m.calendars_dir = without_dot_segments(m.calendars_dir);

  // Rule files.
  std::vector<std::string> rule_paths = m.files;
  if (rule_paths.empty()) {
    for (const auto& p : files.yaml_files("")) {
      if (p != kManifestName) rule_paths.push_back(p);
    }
  }
  if (rule_paths.size() > limits.max_rule_files) {
    r.general(Severity::kError, "file.too-many", files.display_prefix(),
              "the rule set has " + std::to_string(rule_paths.size()) + " files (the limit is " +
                  std::to_string(limits.max_rule_files) + ")");
    return false;
  }
  // A file that cannot be read or parsed hides its declarations, so linking the rest would
  // only add misleading errors ("unknown rule ..."): that is fatal. Errors inside a file
  // that parsed are not; the linker still runs and reports its own errors too.
  bool fatal = false;
  if (!m.files.empty()) {
    // With a list, a rule file beside the manifest that it leaves out is not loaded: say
    // so, or a policy lead's new file would silently never apply.
    for (const auto& p : files.yaml_files("")) {
      if (p == kManifestName || std::find(m.files.begin(), m.files.end(), p) != m.files.end())
        continue;
      r.general(Severity::kWarning, "manifest.unlisted-file", files.display_prefix() + p,
                "this file is not in the manifest's 'files' list, so its rules are not loaded",
                "add it to 'files' in ruleset.yaml, or move it out of the rule set's folder");
    }
  }
  for (std::size_t k = 0; k < rule_paths.size(); ++k) {
    const std::string& path = rule_paths[k];
    const bool listed = !m.files.empty() && k < m.files_where.size();
    if (listed && std::find(rule_paths.begin(), rule_paths.begin() + static_cast<std::ptrdiff_t>(k),
                            path) != rule_paths.begin() + static_cast<std::ptrdiff_t>(k)) {
      r.at(m.files_where[k], Severity::kError, "manifest.duplicate-file",
           "rule file '" + path + "' is listed twice in 'files'", "remove one of them");
      continue;
    }
    if (!is_safe_relative_path(path)) {
      r.at(listed ? m.files_where[k] : m.where, Severity::kError, "manifest.path",
           "file '" + path + "' is outside the rule set",
           "list files by paths relative to ruleset.yaml");
      fatal = true;
      continue;
    }
    std::uint32_t index = 0;
    if (!add_file(files, path, limits, out, diagnostics, &index)) {
      fatal = true;
      if (listed && !diagnostics.empty() && diagnostics.back().code == "file.read") {
        const std::string reason = diagnostics.back().message.substr(5);  // after "file "
        diagnostics.pop_back();
        if (reason == kOutsideReason) {
          r.at(m.files_where[k], Severity::kError, "manifest.path",
               "rule file '" + path + "' " + reason,
               "put the file itself in the rule set's folder, not a link to it");
        } else {
          r.at(m.files_where[k], Severity::kError, "manifest.missing-file",
               "rule file '" + path + "' " + reason,
               "the manifest's 'files' lists it; create it, or remove it from the list");
        }
      }
      continue;
    }
    YamlNode root;
    if (!parse_yaml(out->source.files[index].text, yaml_limits, &root, diagnostics)) {
      fatal = true;
      continue;
    }
    read_rule_file(root, index, r, &out->source);
  }

  // Snapshot schema.
  if (!m.schema_path.empty()) {
    if (!is_safe_relative_path(m.schema_path)) {
      r.at(m.schema_where, Severity::kError, "manifest.path",
           "schema '" + m.schema_path + "' is outside the rule set");
    } else {
      out->schema_file = files.display_prefix() + m.schema_path;
      FileText read = files.read(m.schema_path, snapshot::schema::kMaxSchemaBytes);
      if (read.status == FileText::Status::kTooLarge) {
        diagnostics.push_back(
            snapshot::schema::too_large(out->schema_file, read.size, read.size_exact));
        fatal = true;
      } else if (read.status == FileText::Status::kFailed) {
        r.general(Severity::kError, "manifest.schema", out->schema_file,
                  "schema file " + read.reason);
        fatal = true;
      } else {
        out->fingerprint_inputs.push_back(InputFile{m.schema_path, read.text});
        out->schema_text = std::move(read.text);
      }
    }
  }

  // Calendars: the built-in ones, the rule set's own, and any the host supplied; on a name
  // clash the host's win over the rule set's, and both over the built-in ones.
  std::vector<std::shared_ptr<const Calendar>> calendars;
  if (!m.calendars_dir.empty() && is_safe_relative_path(m.calendars_dir)) {
    // A folder the manifest names must be there. Misspelt, it held no calendars, and a
    // council's calendar that adds its office closures to a built-in one (under the same
    // name) gave way to the built-in one without a word: closure days counted as working
    // days in every deadline.
    if (m.calendars_given) {
      if (const std::string problem = files.folder_problem(m.calendars_dir); !problem.empty()) {
        r.at(m.calendars_where, Severity::kError, "manifest.calendars",
             "calendars folder '" + m.calendars_dir + "' " + problem);
      }
    }
    // `extends:` resolves to the host's calendar of the name, then the rule set's own
    // (whatever the files' order), then the built-in one.
    CalendarScope scope;
    for (const auto& c : host_calendars)
      scope.overrides.emplace(c->name(), CalendarAccess::share(*c));
    for (const auto& text : builtin_calendar_texts())
      scope.fallback_names.push_back(text.calendar_name);
    scope.fallback = [](const std::string& name) {
      return CalendarAccess::share(*builtin_calendar(name));
    };
    std::vector<CalendarText> texts;
    std::vector<std::string> calendar_paths = files.yaml_files(m.calendars_dir);
    // Calendar files count with the rule files: each may be as large as a rule file, and
    // all are held at once, so a folder of thousands would take gigabytes.
    if (rule_paths.size() + calendar_paths.size() > limits.max_rule_files) {
      r.general(Severity::kError, "file.too-many", files.display_prefix() + m.calendars_dir,
                "the rule set has " + std::to_string(rule_paths.size() + calendar_paths.size()) +
                    " files with its calendars (the limit is " +
                    std::to_string(limits.max_rule_files) + ")");
      fatal = true;
      calendar_paths.clear();
    }
    for (const auto& path : calendar_paths) {
      FileText read = files.read(path, kMaxCalendarFileBytes);
      if (read.status == FileText::Status::kTooLarge) {
        diagnostics.push_back(
            calendar_too_large(files.display_prefix() + path, read.size, read.size_exact));
        fatal = true;
        continue;
      }
      if (read.status == FileText::Status::kFailed) {
        r.general(Severity::kError, "calendar.read", files.display_prefix() + path,
                  "file " + read.reason);
        fatal = true;
        continue;
      }
      out->fingerprint_inputs.push_back(InputFile{path, read.text});
      texts.push_back(CalendarText{files.display_prefix() + path, std::move(read.text)});
    }
    CalendarDirectoryResult loaded = load_calendar_texts(std::move(texts), scope);
    diagnostics.insert(diagnostics.end(), loaded.diagnostics.begin(), loaded.diagnostics.end());
    if (has_errors(loaded.diagnostics)) fatal = true;
    for (auto& entry : loaded.calendars) calendars.push_back(CalendarAccess::wrap(entry.second));
  } else if (!m.calendars_dir.empty()) {
    r.at(m.calendars_where, Severity::kError, "manifest.path",
         "calendars '" + m.calendars_dir + "' is outside the rule set");
  }
  for (const auto& text : builtin_calendar_texts()) {
    const std::string_view name = text.calendar_name;
    const bool replaced = std::any_of(calendars.begin(), calendars.end(),
                                      [&](const auto& mine) { return mine->name() == name; }) ||
                          std::any_of(host_calendars.begin(), host_calendars.end(),
                                      [&](const auto& host) { return host->name() == name; });
    if (!replaced) calendars.insert(calendars.begin(), builtin_calendar(name));
  }
  for (const auto& c : host_calendars) {
    calendars.erase(std::remove_if(calendars.begin(), calendars.end(),
                                   [&](const auto& mine) { return mine->name() == c->name(); }),
                    calendars.end());
    calendars.push_back(c);
  }
  out->calendars = std::move(calendars);

  std::sort(out->fingerprint_inputs.begin(), out->fingerprint_inputs.end(),
            [](const InputFile& a, const InputFile& b) { return a.path < b.path; });
  // The manifest must have been usable for linking to mean anything.
  if (m.levels.empty()) fatal = true;
  return !fatal;
}

}  // namespace safeguard::ruleset
