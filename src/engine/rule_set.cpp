// The public RuleSet: loading (gather -> link -> compile) and evaluation entry points.
#include <algorithm>

#include "engine/impl.hpp"
#include "engine/load_memory.hpp"
#include "ruleset/link/linker.hpp"
#include "ruleset/load/loader.hpp"

namespace safeguard {

namespace {

// Diagnostics in file order (the manifest, then rule files as loaded, then any others in
// the order first mentioned), then by line and column: the loader and the linker each
// report in their own order, but people read a file from the top.
void sort_by_position(std::vector<Diagnostic>& diagnostics,
                      const std::vector<std::string>& file_order) {
  std::vector<std::string> order = file_order;
  for (const auto& d : diagnostics) {
    if (std::find(order.begin(), order.end(), d.file) == order.end()) order.push_back(d.file);
  }
  auto rank = [&](const Diagnostic& d) {
    return static_cast<std::size_t>(std::find(order.begin(), order.end(), d.file) - order.begin());
  };
  std::stable_sort(diagnostics.begin(), diagnostics.end(),
                   [&](const Diagnostic& a, const Diagnostic& b) {
                     const std::size_t ra = rank(a);
                     const std::size_t rb = rank(b);
                     if (ra != rb) return ra < rb;
                     if (a.line != b.line) return a.line < b.line;
                     return a.column < b.column;
                   });
}

}  // namespace

struct RuleSetFactory {
  static LoadResult build(const ruleset::FileSource& files, const LoadOptions& options) {
    LoadResult out;
    ruleset::Gathered gathered;
    const bool linkable =
        ruleset::gather(files, options.limits, options.calendars, &gathered, out.diagnostics);
    std::vector<std::string> file_order;
    for (const auto& f : gathered.source.files) file_order.push_back(f.text.name());
    std::unique_ptr<ruleset::CompiledRuleSet> compiled;
    if (linkable) compiled = ruleset::link(std::move(gathered), options, out.diagnostics);
    sort_by_position(out.diagnostics, file_order);
    // link() refuses when any diagnostic is an error, the loader's included: never a
    // rule set built from part of the files.
    if (!compiled || has_errors(out.diagnostics)) return out;
    auto impl = std::make_unique<RuleSet::Impl>();
    impl->info = RuleSetInfo{compiled->name, compiled->version, compiled->fingerprint, {}};
    for (const auto& c : compiled->calendars) impl->calendars.add(c);
    impl->info.calendars = impl->calendars.digest(compiled->default_calendar.get());
    impl->texts = engine::result_texts(*compiled, impl->info);
    impl->compiled = std::move(compiled);
    out.rule_set = std::shared_ptr<const RuleSet>(new RuleSet(std::move(impl)));
    return out;
  }
};

RuleSet::RuleSet(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RuleSet::~RuleSet() = default;

LoadResult RuleSet::load(const std::string& directory, const LoadOptions& options) {
  auto files = ruleset::directory_source(directory);
  return RuleSetFactory::build(*files, options);
}

LoadResult RuleSet::load(std::vector<RuleFileText> files, const LoadOptions& options) {
  // The texts stay in `files` for the whole load.
  std::vector<ruleset::InputView> views;
  views.reserve(files.size());
  for (auto& f : files) views.push_back(ruleset::InputView{std::move(f.path), f.text});
  return engine::load_in_memory(std::move(views), options);
}

LoadResult engine::load_in_memory(std::vector<ruleset::InputView> files,
                                  const LoadOptions& options) {
  LoadResult refused;
  for (auto& f : files) {
    // `./rules.yaml` is the file the manifest lists as `rules.yaml`.
    f.path = ruleset::without_dot_segments(f.path);
    // A path no manifest could list (absolute, `..`, a drive or a backslash) would never
    // be read: say so rather than load the rule set without it.
    if (ruleset::is_safe_relative_path(f.path)) continue;
    Diagnostic d;
    d.code = "file.unsafe-path";
    d.file = f.path;
    for (char& c : d.file) {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = '?';  // a NUL would cut it
    }
    d.message =
        "a rule set's file paths are relative to its folder: no '/' or drive at the "
        "start, no '..', no backslash and no control character";
    d.hint = "give the path as the manifest lists it, e.g. rules/front-door.yaml";
    refused.diagnostics.push_back(std::move(d));
  }
  if (!refused.diagnostics.empty()) return refused;
  // A host's two texts for one path (two versions from its database, say) would otherwise
  // be settled by keeping the last one, without a word about the other.
  std::vector<const std::string*> paths;
  for (const auto& f : files) paths.push_back(&f.path);
  std::sort(paths.begin(), paths.end(),
            [](const std::string* a, const std::string* b) { return *a < *b; });
  LoadResult& duplicates = refused;
  for (std::size_t k = 1; k < paths.size(); ++k) {
    if (*paths[k] != *paths[k - 1] || (k > 1 && *paths[k] == *paths[k - 2])) continue;
    Diagnostic d;
    d.code = "file.duplicate-path";
    d.file = *paths[k];
    d.message = "two files are given with this path";
    d.hint = "pass each file of the rule set once";
    duplicates.diagnostics.push_back(std::move(d));
  }
  if (!duplicates.diagnostics.empty()) return duplicates;
  auto source = ruleset::memory_source(std::move(files));
  return RuleSetFactory::build(*source, options);
}

const RuleSetInfo& RuleSet::info() const noexcept {
  return impl_->info;
}

const std::vector<std::string>& RuleSet::levels() const noexcept {
  return impl_->compiled->levels;
}

std::vector<RuleInfo> RuleSet::rules() const {
  std::vector<RuleInfo> out;
  const auto& rs = *impl_->compiled;
  for (const auto& r : rs.rules) {
    RuleInfo info;
    info.id = r.id;
    info.kind = "rule";
    info.title = r.title;
    info.severity = r.severity;
    info.category = r.category;
    info.source = r.source;
    info.file = r.file;
    info.line = r.line;
    out.push_back(std::move(info));
  }
  for (const auto& t : rs.thresholds) {
    RuleInfo info;
    info.id = t.id;
    info.kind = "threshold";
    info.title = t.description;
    info.level = rs.levels[t.level];
    info.file = t.file;
    info.line = t.line;
    out.push_back(std::move(info));
  }
  return out;
}

namespace {

// Per-thread parsing state, reused between evaluations.
struct Scratch {
  snapshot::JsonParser parser;
  snapshot::ParsedJson json;
  Limits limits;
  bool configured = false;
};

Scratch& thread_scratch() {
  thread_local Scratch scratch;
  return scratch;
}

Scratch& scratch_for(const Limits& limits) {
  Scratch& scratch = thread_scratch();
  if (!scratch.configured || scratch.limits.max_snapshot_bytes != limits.max_snapshot_bytes ||
      scratch.limits.max_json_depth != limits.max_json_depth) {
    scratch.parser.set_limits(
        snapshot::JsonLimits{limits.max_snapshot_bytes, limits.max_json_depth});
    scratch.limits = limits;
    scratch.configured = true;
  }
  return scratch;
}

// A thread keeps its parse buffers between cases, sized for the largest it has parsed:
// about 15 bytes per byte of JSON (simdjson's tape, index and strings, the padded copy and
// the layouts), up to 240 MiB for a snapshot at the 16 MiB limit. After a case over 1 MiB
// they are given back, so that one large case does not hold that much for the thread's
// life; the cases of a few KB that make up a case system keep theirs.
constexpr std::size_t kKeptParseBytes = 1u << 20;

// Takes the thread's scratch as it is (thread_scratch): giving buffers back needs none of the
// limits scratch_for sets before a parse.
class ReleaseIfLarge {
 public:
  ReleaseIfLarge() : scratch_(thread_scratch()) {}
  ReleaseIfLarge(const ReleaseIfLarge&) = delete;
  ReleaseIfLarge& operator=(const ReleaseIfLarge&) = delete;
  ~ReleaseIfLarge() {
    if (scratch_.json.text_bytes() <= kKeptParseBytes) return;
    scratch_.parser.release_buffers();
    scratch_.json.release_buffers();
  }

 private:
  Scratch& scratch_;
};

// Both overloads of each (a fresh Result, or the caller's) come here, so that profiles
// (callgrind --toggle-collect) can tell the two apart by the public name.
// `out` is left a default Result if either throws (std::bad_alloc): parsing or copying the
// snapshot comes before engine::evaluate, which says the same for its own part, and
// `out` must never keep the result of the case before.
// The snapshot parsed into the thread's scratch; null, with `out` saying why, when it is
// not JSON.
snapshot::ParsedJson* parse_text(const RuleSet::Impl& impl, std::string_view snapshot_json,
                                 const EvalOptions& options, Result& out) {
  Scratch& scratch = scratch_for(impl.compiled->limits);
  snapshot::JsonError error;
  if (scratch.parser.parse(snapshot_json, scratch.json, &error)) return &scratch.json;
  engine::clear_result(out);
  out.as_of = options.as_of;
  out.ruleset = impl.info;
  Diagnostic d;
  d.code = "snapshot.json";
  d.file = "<snapshot>";
  d.message = "the snapshot is not valid JSON: " + error.message;
  d.line = error.line;
  d.column = error.column;
  out.errors.push_back(std::move(d));
  return nullptr;
}

void evaluate_text(const RuleSet::Impl& impl, std::string_view snapshot_json,
                   const EvalOptions& options, Result& out) try {
  const ReleaseIfLarge release;
  if (snapshot::ParsedJson* json = parse_text(impl, snapshot_json, options, out)) {
    engine::evaluate(impl, *json, options, out);
  }
} catch (...) {
  out = Result();
  throw;
}

// The rule set's own text equal to `id` among `texts` (or the rules' or thresholds' ids).
template <typename T, typename Text>
std::string_view own_text(const std::vector<T>& items, Text text, const std::string& id) {
  for (const T& item : items) {
    if (text(item) == id) return text(item);
  }
  return {};
}

// The outline of `result` (ResultOutline), in the rule set's texts.
void outline_of(const Result& result, const ruleset::CompiledRuleSet& rs, ResultOutline& outline) {
  outline = ResultOutline();
  if (!result.evaluated) return;
  outline.evaluated = true;
  const auto level = [](const std::string& l) -> const std::string& { return l; };
  const auto rule = [](const ruleset::CompiledRule& r) -> const std::string& { return r.id; };
  const auto threshold = [](const ruleset::CompiledThreshold& t) -> const std::string& {
    return t.id;
  };
  outline.level = own_text(rs.levels, level, result.level.id);
  for (const Flag& f : result.flags) outline.flags.push_back(own_text(rs.rules, rule, f.id));
  for (const Undetermined& u : result.undetermined) {
    outline.undetermined.push_back(u.kind == "rule" ? own_text(rs.rules, rule, u.id)
                                                    : own_text(rs.thresholds, threshold, u.id));
  }
  outline.violations = result.violations.size();
}

void evaluate_parsed(const RuleSet::Impl& impl, const Snapshot& snapshot,
                     const EvalOptions& options, Result& out) try {
  const ReleaseIfLarge release;
  Scratch& scratch = scratch_for(impl.compiled->limits);
  scratch.json.copy_from(snapshot.impl().json);
  engine::evaluate(impl, scratch.json, options, out);
} catch (...) {
  out = Result();
  throw;
}

}  // namespace

std::size_t engine::thread_parse_bytes() {
  const Scratch& scratch = thread_scratch();
  return scratch.parser.buffer_bytes() + scratch.json.buffer_bytes();
}

Result RuleSet::evaluate(std::string_view snapshot_json, const EvalOptions& options) const {
  Result result;
  evaluate_text(*impl_, snapshot_json, options, result);
  return result;
}

Result RuleSet::evaluate(const Snapshot& snapshot, const EvalOptions& options) const {
  Result result;
  evaluate_parsed(*impl_, snapshot, options, result);
  return result;
}

void RuleSet::evaluate_into(std::string_view snapshot_json, const EvalOptions& options,
                            Result& out) const {
  evaluate_text(*impl_, snapshot_json, options, out);
}

void RuleSet::evaluate_into(const Snapshot& snapshot, const EvalOptions& options,
                            Result& out) const {
  evaluate_parsed(*impl_, snapshot, options, out);
}

namespace {

// RuleSet::evaluate_json; but when the snapshot cannot be evaluated and `errors` is given,
// the errors are moved there (from the one evaluation) instead of written into `out`.
bool evaluate_json_text(const RuleSet& rule_set, std::string_view snapshot_json,
                        const EvalOptions& options, std::string& out, ResultOutline* outline,
                        std::vector<Diagnostic>* errors) {
  const RuleSet::Impl& impl = rule_set.impl();
  // The text is appended in pieces, and the outline's lists can fail to grow after it: on a
  // throw, what was appended goes, as promised.
  const std::size_t mark = out.size();
  try {
    if (options.explain) {
      Result result = rule_set.evaluate(snapshot_json, options);
      if (outline) outline_of(result, *impl.compiled, *outline);
      if (!result.evaluated && errors) {
        *errors = std::move(result.errors);
        return false;
      }
      result.write_json(out);
      return result.evaluated;
    }
    // Why a snapshot could not be evaluated; the undetermined rules and violations of one
    // that could (engine::evaluate_json), kept with their storage as evaluate_into keeps it.
    thread_local Result scratch;
    bool written = false;
    try {
      const ReleaseIfLarge release;
      snapshot::ParsedJson* json = parse_text(impl, snapshot_json, options, scratch);
      written = json && engine::evaluate_json(impl, *json, options, scratch, out, outline);
    } catch (...) {
      scratch = Result();
      throw;
    }
    if (written) return true;
    if (outline) *outline = ResultOutline();
    if (errors) {
      *errors = std::move(scratch.errors);  // the next evaluation sets them again
    } else {
      scratch.write_json(out);
    }
    return false;
  } catch (...) {
    out.resize(mark);
    throw;
  }
}

}  // namespace

bool RuleSet::evaluate_json(std::string_view snapshot_json, const EvalOptions& options,
                            std::string& out, ResultOutline* outline) const {
  return evaluate_json_text(*this, snapshot_json, options, out, outline, nullptr);
}

bool engine::evaluate_json_or_errors(const RuleSet& rule_set, std::string_view snapshot_json,
                                     const EvalOptions& options, std::string& out,
                                     std::vector<Diagnostic>& errors) {
  return evaluate_json_text(rule_set, snapshot_json, options, out, nullptr, &errors);
}

}  // namespace safeguard
