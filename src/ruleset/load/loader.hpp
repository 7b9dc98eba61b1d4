// Gathering a rule set's files: the manifest, the rule files it names (or every YAML file
// beside it), the snapshot schema and the calendars, from a directory or from memory.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/file_read.hpp"
#include "ruleset/model.hpp"
#include "safeguard/calendar.hpp"
#include "safeguard/options.hpp"

namespace safeguard::ruleset {

inline constexpr const char* kManifestName = "ruleset.yaml";

struct InputFile {
  std::string path;  // relative to the rule set ("front-door.yaml", "schema/case.schema.json")
  std::string text;
};

// What FileSource::read found: read, too large (with the size) or failed (with a reason
// such as "does not exist", "is not a regular file"), as base::read_file_bounded says it.
using FileText = base::BoundedFile;

// Where the files come from: a directory on disk, or a host's in-memory map.
class FileSource {
 public:
  virtual ~FileSource() = default;
  // Reads `path` (relative) unless it holds more than `max_bytes`, which is found before
  // anything is read or copied. The caller gives the limit of the kind of file it reads
  // (rule file, schema, calendar) and words the refusal, so a file too large gets the same
  // diagnostic from a directory as from memory.
  virtual FileText read(const std::string& path, std::size_t max_bytes) const = 0;
  // YAML files directly in `dir` ("" for the top), sorted by name.
  virtual std::vector<std::string> yaml_files(const std::string& dir) const = 0;
  // Shown in diagnostics before relative paths ("rules/").
  virtual std::string display_prefix() const = 0;
  // Why there is no rule set here at all ("does not exist", "is a file, not a directory"),
  // or "" when the place itself is fine.
  virtual std::string root_problem() const { return {}; }
  // Why `dir` (relative) is not a folder of the rule set ("does not exist"), or "".
  virtual std::string folder_problem(const std::string& dir) const = 0;
};

// A file given in memory. The text stays the caller's and must outlive the FileSource:
// read() checks its size before copying any of it, so a host's huge buffer is refused
// without a copy.
struct InputView {
  std::string path;
  std::string_view text;
};

std::unique_ptr<FileSource> directory_source(const std::string& directory);
std::unique_ptr<FileSource> memory_source(std::vector<InputView> files);

struct Gathered {
  RuleSetSource source;
  std::string schema_text;  // empty when the manifest names no schema
  std::string schema_file;  // its display name
  std::vector<std::shared_ptr<const Calendar>> calendars;
  // Every file read, for the fingerprint: (relative path, contents), sorted by path.
  std::vector<InputFile> fingerprint_inputs;
};

// Reads and parses everything; problems go to `diagnostics`. Returns false when a file
// could not be read or parsed, so that linking what remains would mislead. Returning true
// does not mean there were no errors: the caller links (to report the linker's errors as
// well) and must still refuse to build a rule set when `diagnostics` has any error.
bool gather(const FileSource& files, const Limits& limits,
            const std::vector<std::shared_ptr<const Calendar>>& host_calendars, Gathered* out,
            std::vector<Diagnostic>& diagnostics);

// Whether a path from the manifest stays inside the rule set (no "..", not absolute).
bool is_safe_relative_path(const std::string& path);

// `path` without its `.` segments (`./a/./b.yaml` is `a/b.yaml`); an absolute path, or one
// that is nothing but dots, is returned as it is.
std::string without_dot_segments(const std::string& path);

}  // namespace safeguard::ruleset
