// The manifest (ruleset.yaml): the rule set's name, version, levels, calendar and schema.
#include "ruleset/load/rule_files.hpp"

#include "ruleset/load/names.hpp"

namespace safeguard::ruleset {

void read_manifest(const YamlNode& root, std::uint32_t file, Reporter& r, Manifest* m) {
  if (!root.is_mapping()) {
    r.error(file, root.offset, "manifest.wrong-type",
            "the manifest must be a YAML mapping (ruleset:, version:, levels:, ...)");
    return;
  }
  FieldReader f(r, file, root, "the manifest", "manifest");
  f.check_keys({"ruleset", "version", "title", "description", "levels", "calendar", "calendars",
                "schema", "snapshot_schema", "owners", "categories", "files"});
  m->where = Where{file, root.offset, 1};
  if (auto v = f.text("ruleset", true)) {
    m->name = *v;
    if (!is_rule_id(*v)) {
      r.at(f.where_of(*f.get("ruleset")), Severity::kError, "manifest.invalid-name",
           "the rule set name must be lower-case letters, digits, '.', '-' or '_'");
    }
  }
  if (auto v = f.text("version", true)) m->version = *v;
  if (auto v = f.text("title", false)) m->title = *v;
  if (auto v = f.text("description", false)) m->description = *v;
  m->calendar_where = m->where;
  if (auto v = f.text("calendar", false)) {
    m->calendar = *v;
    m->calendar_where = f.where_of(*f.get("calendar"));
  }
  if (auto v = f.text("calendars", false)) {
    m->calendars_dir = *v;
    m->calendars_given = true;
    m->calendars_where = f.where_of(*f.get("calendars"));
  }
  if (auto v = f.text("schema", false)) {
    m->schema_path = *v;
    m->schema_where = f.where_of(*f.get("schema"));
  }
  if (auto v = f.text("snapshot_schema", false)) m->snapshot_schema = *v;
  m->owners = f.text_list("owners");
  m->categories = f.text_list("categories");
  m->files = f.text_list("files");
  if (const YamlNode* files = f.get("files"); files != nullptr && files->is_sequence()) {
    for (const auto& item : files->items) {
      if (item.is_scalar()) m->files_where.push_back(f.where_of(item));
    }
  }
  if (f.get("levels") == nullptr) {
    f.missing("levels");
  } else {
    m->levels = f.text_list("levels");
    const YamlNode* levels = f.get("levels");
    if (levels->is_sequence() && m->levels.size() < 2) {
      r.at(f.where_of(*levels), Severity::kError, "manifest.levels",
           "list at least two levels of need, lowest first");
    }
    for (std::size_t i = 0; i < m->levels.size(); ++i) {
      const Where w = i < levels->items.size() ? f.where_of(levels->items[i]) : f.where_of(*levels);
      if (!is_identifier(m->levels[i])) {
        r.at(w, Severity::kError, "manifest.levels",
             "level '" + m->levels[i] + "' must be a name of letters, digits and '_'");
      }
      for (std::size_t j = 0; j < i; ++j) {
        if (m->levels[j] == m->levels[i]) {
          r.at(w, Severity::kError, "manifest.levels",
               "level '" + m->levels[i] + "' is listed twice");
        }
      }
    }
  }
}

}  // namespace safeguard::ruleset
