// Loading and compiling a 200-rule set, then evaluating one snapshot against it.
//
//   ./build/release/bench/rule_load_bench [--rules N] [--passes P] [--write-dir DIR]
//
// The rule set is generated here: ten area files of twenty rules each, written the way
// the shipped pack is (params for every number, definitions, facts, messages with
// placeholders, actions with owners and due dates, rules reading other rules'
// outcomes, four level thresholds), over the shipped snapshot schema. Ten condition
// shapes (cumulative counts, working-day timescales, plan drift, nested action lists,
// visits since a plan started, caseloads, supervision gaps, legal timescales, worker
// churn, rule dependencies) are instantiated with different numbers and codes, so no two
// rules are alike. Loading is timed from file texts in memory (RuleSet::load with
// RuleFileText: YAML, CEL parse, check, plan, schema load), so disk speed does not count.
// --write-dir also writes the files, to try them with `safeguard check`.
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "bench_util.hpp"
#include "case_gen.hpp"
#include "safeguard/rule_set.hpp"
#include "time/date.hpp"

namespace {

using safeguard::RuleFileText;

constexpr int kAreas = 10;
const char* const kConcerns[] = {"domestic_abuse",
                                 "neglect",
                                 "physical_abuse",
                                 "emotional_abuse",
                                 "parental_substance_misuse",
                                 "parental_mental_health",
                                 "missing_from_home",
                                 "exploitation"};
const char* const kPlanTypes[] = {"early_help", "child_in_need", "child_protection",
                                  "looked_after"};
const char* const kSeverities[] = {"low", "medium", "high", "critical"};
const char* const kOwners[] = {"social_worker", "team_manager", "service_manager", "legal"};

struct Shape {
  const char* when;  // {p} is the rule's param prefix, {a} the area, {c} a concern, {t} a plan type
  const char* facts;  // YAML lines under `facts:` (may be empty)
  const char* message;
  const char* params;  // YAML lines under `params:` for this rule
};

// Ten condition shapes; `{p}` expands to a unique param prefix per rule.
const Shape kShapes[] = {
    {R"(case.contacts.filter(c, "{c}" in c.concerns && date(c.received_at) >= add_months(as_of, -params.{p}_months)).size() >= params.{p}_count)",
     "      count: case.contacts.filter(c, \"{c}\" in c.concerns).size()\n",
     "{count} contact(s) about {c} in the last {params.{p}_months} months",
     "  {p}_months: {v12}\n  {p}_count: {v3}\n"},
    {R"(case.contacts.exists(c, !has(c.decision) && as_of > add_working_days(date(c.received_at), params.{p}_days)))",
     "      waiting: case.contacts.filter(c, !has(c.decision)).map(c, c.id)\n",
     "Contacts {waiting} waited more than {params.{p}_days} working day(s)", "  {p}_days: {v1}\n"},
    {R"(case.plans.exists(p, p.type == "{t}" && !has(p.ended_on) && date(p.started_on) <= add_months(as_of, -params.{p}_months)))",
     "", "A {t} plan has been open for {params.{p}_months} months or more",
     "  {p}_months: {v18}\n"},
    {R"(open_plans_{a}.exists(p, p.actions.exists(x, !has(x.done_on) && has(x.due_on) && as_of > add_days(date(x.due_on), params.{p}_days))))",
     "      late: open_plans_{a}.map(p, p.actions.filter(x, !has(x.done_on) && has(x.due_on) && "
     "as_of > add_days(date(x.due_on), params.{p}_days)).size())\n",
     "Plan actions overdue by more than {params.{p}_days} day(s): {late}", "  {p}_days: {v1}\n"},
    {R"(open_plans_{a}.exists(p, p.type == "child_protection" && case.visits.filter(v, v.child_seen && date(v.date) >= add_weeks(as_of, -params.{p}_weeks)).size() < params.{p}_count))",
     "", "Fewer than {params.{p}_count} visits seeing the child in {params.{p}_weeks} weeks",
     "  {p}_weeks: {v6}\n  {p}_count: {v3}\n"},
    {R"(!has(case.episode.closed_on) && has(case.allocated_worker) && case.allocated_worker.caseload > params.{p}_caseload)",
     "      caseload: case.allocated_worker.caseload\n",
     "The allocated worker carries {caseload} cases", "  {p}_caseload: {v20}\n"},
    {R"(!has(case.episode.closed_on) && date(case.episode.opened_on) < add_weeks(as_of, -params.{p}_weeks) && !case.supervision.exists(s, date(s.date) >= add_weeks(as_of, -params.{p}_weeks)))",
     "", "No supervision recorded in {params.{p}_weeks} weeks", "  {p}_weeks: {v4}\n"},
    {R"(case.assessments.exists(x, !has(x.completed_on) && as_of > add_working_days(date(x.started_on), params.{p}_days)))",
     "", "An assessment has been open more than {params.{p}_days} working days",
     "  {p}_days: {v45}\n"},
    {R"(has(case.legal) && has(case.legal.pre_proceedings) && !has(case.legal.pre_proceedings.ended_on) && as_of > add_weeks(date(case.legal.pre_proceedings.started_on), params.{p}_weeks))",
     "", "Pre-proceedings open more than {params.{p}_weeks} weeks", "  {p}_weeks: {v16}\n"},
    {R"(case.worker_history.filter(w, date(w.from) >= add_months(as_of, -params.{p}_months)).map(w, w.worker_id).size() >= params.{p}_count)",
     "", "{params.{p}_count} or more workers in {params.{p}_months} months",
     "  {p}_months: {v12}\n  {p}_count: {v3}\n"},
};

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
  return s;
}

std::string expand(std::string text, int area, int index, const std::string& prefix) {
  text = replace_all(text, "{p}", prefix);
  text = replace_all(text, "{a}", std::to_string(area));
  text = replace_all(text, "{c}", kConcerns[(area + index) % 8]);
  text = replace_all(text, "{t}", kPlanTypes[(area * 3 + index) % 4]);
  // Numbers near the shipped defaults, different for each rule.
  const int k = (area * 7 + index) % 5;
  text = replace_all(text, "{v1}", std::to_string(1 + k));
  text = replace_all(text, "{v3}", std::to_string(2 + k));
  text = replace_all(text, "{v4}", std::to_string(3 + k));
  text = replace_all(text, "{v6}", std::to_string(4 + k));
  text = replace_all(text, "{v12}", std::to_string(6 + 2 * k));
  text = replace_all(text, "{v16}", std::to_string(12 + 2 * k));
  text = replace_all(text, "{v18}", std::to_string(9 + 3 * k));
  text = replace_all(text, "{v20}", std::to_string(18 + k));
  text = replace_all(text, "{v45}", std::to_string(25 + 5 * k));
  return text;
}

std::vector<RuleFileText> make_rule_set(int rules) {
  const int per_area = (rules + kAreas - 1) / kAreas;
  std::string manifest =
      "ruleset: bench-generated\nversion: \"1.0\"\n"
      "levels: [universal, early_help, child_in_need, child_protection]\n"
      "calendar: england-and-wales\nschema: schema/case-snapshot.schema.json\n"
      "owners: [social_worker, team_manager, service_manager, legal]\ncategories: [";
  std::string files_line = "files: [";
  for (int a = 0; a < kAreas; ++a) {
    manifest += (a ? ", area" : "area") + std::to_string(a);
    files_line += (a ? ", area" : "area") + std::to_string(a) + ".yaml";
  }
  manifest += "]\n" + files_line + "]\n";

  std::vector<RuleFileText> files;
  files.push_back({"ruleset.yaml", manifest});
  const std::string schema_path =
      bench::source_dir() + "/../rules/schema/case-snapshot.schema.json";
  files.push_back({"schema/case-snapshot.schema.json", bench::read_file(schema_path)});

  int made = 0;
  for (int a = 0; a < kAreas; ++a) {
    std::string params = "params:\n";
    std::string body = "rules:\n";
    for (int i = 0; i < per_area && made < rules; ++i, ++made) {
      const std::string id = "area" + std::to_string(a) + ".rule-" + std::to_string(i);
      const std::string prefix = "a" + std::to_string(a) + "r" + std::to_string(i);
      std::string when;
      const Shape* shape = &kShapes[(a + i) % 10];
      if (i % 20 == 19) {
        // A rule about other rules' outcomes, like the pack's disabled.drift.
        when =
            "has(case.child) && has(case.child.disabled) && case.child.disabled && (raised(\"area" +
            std::to_string(a) + ".rule-1\") || raised(\"area" + std::to_string(a) + ".rule-3\"))";
        shape = nullptr;
      } else {
        when = expand(shape->when, a, i, prefix);
        params += expand(shape->params, a, i, prefix);
      }
      body += "  - id: " + id + "\n    title: Generated rule " + std::to_string(made) +
              "\n    severity: " + kSeverities[(a + i) % 4] + "\n    category: area" +
              std::to_string(a) + "\n    when: >-\n      " + when + "\n";
      if (shape != nullptr && shape->facts[0] != '\0')
        body += "    facts:\n" + expand(shape->facts, a, i, prefix);
      body += "    message: \"" +
              (shape != nullptr ? expand(shape->message, a, i, prefix)
                                : std::string("Drift for a disabled child")) +
              "\"\n    actions:\n      - id: act-" + std::to_string(a) + "-" + std::to_string(i) +
              "\n        text: Review the case and record the decision\n        owner: " +
              kOwners[(a + i) % 4] + "\n        due: add_working_days(as_of, " +
              std::to_string(1 + i % 10) + ")\n" +
              "    source: Working Together to Safeguard Children 2023\n";
    }
    std::string text = "title: Generated area " + std::to_string(a) + "\n" + params +
                       "definitions:\n  open_plans_" + std::to_string(a) +
                       ": case.plans.filter(p, !has(p.ended_on))\n" + body;
    if (a == 0) {
      text +=
          "thresholds:\n"
          "  - id: level.cp\n    level: child_protection\n"
          "    when: case.plans.exists(p, p.type == \"child_protection\" && !has(p.ended_on))\n"
          "  - id: level.cin\n    level: child_in_need\n"
          "    when: raised(\"area0.rule-0\") || case.plans.exists(p, p.type == \"child_in_need\" "
          "&& !has(p.ended_on))\n"
          "  - id: level.eh\n    level: early_help\n"
          "    when: case.contacts.exists(c, c.concerns.size() > 0 && date(c.received_at) >= "
          "add_months(as_of, -12))\n"
          "  - id: level.eh-attendance\n    level: early_help\n"
          "    when: has(case.child) && has(case.child.education) && "
          "has(case.child.education.attendance_percent) && "
          "case.child.education.attendance_percent < 90.0\n";
    }
    files.push_back({"area" + std::to_string(a) + ".yaml", text});
  }
  return files;
}

void write_dir(const std::string& dir, const std::vector<RuleFileText>& files) {
  ::mkdir(dir.c_str(), 0755);
  ::mkdir((dir + "/schema").c_str(), 0755);
  for (const auto& f : files) {
    std::FILE* out = std::fopen((dir + "/" + f.path).c_str(), "wb");
    if (out == nullptr) continue;
    std::fwrite(f.text.data(), 1, f.text.size(), out);
    std::fclose(out);
  }
}

}  // namespace

int main(int argc, char** argv) {
  int rules = 200;
  int passes = 9;
  const char* dir = nullptr;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--rules") && i + 1 < argc)
      rules = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--passes") && i + 1 < argc)
      passes = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--write-dir") && i + 1 < argc)
      dir = argv[++i];
    else {
      std::fprintf(stderr, "usage: %s [--rules N] [--passes P] [--write-dir DIR]\n", argv[0]);
      return 2;
    }
  }
  const std::vector<RuleFileText> files = make_rule_set(rules);
  if (dir != nullptr) write_dir(dir, files);
  std::size_t bytes = 0;
  for (const auto& f : files) bytes += f.text.size();

  safeguard::LoadResult loaded = safeguard::RuleSet::load(files);
  if (!loaded.ok()) {
    std::fprintf(stderr, "%s", safeguard::format(loaded.diagnostics).c_str());
    return 2;
  }
  const std::size_t loaded_rules = loaded.rule_set->rules().size();

  const bench::Passes load = bench::time_passes(passes, 1, [&] {
    safeguard::LoadResult again = safeguard::RuleSet::load(files);
    if (!again.ok()) std::abort();
  });
  std::printf("rule set: %zu rules and thresholds in %zu files, %zu bytes (with the schema)\n",
              loaded_rules, files.size(), bytes);
  std::printf("load + compile: %8.2f ms (median %.2f ms over %d loads)\n", load.min() / 1e6,
              load.median() / 1e6, passes);

  // One snapshot, evaluated many times (parse + validate + all rules + result).
  const std::string as_of = "2024-06-03";
  const bench::CaseGenerator generator(1, *safeguard::time::parse_date(as_of));
  std::vector<std::string> cases;
  for (int i = 0; i < 64; ++i) cases.push_back(generator.make(static_cast<std::uint64_t>(i)));
  safeguard::EvalOptions options;
  options.as_of = as_of;
  std::size_t flags = 0, undetermined = 0, case_bytes = 0;
  for (const auto& c : cases) {
    const safeguard::Result r = loaded.rule_set->evaluate(c, options);
    if (!r.evaluated) {
      std::fprintf(stderr, "a generated case was not evaluated\n");
      return 2;
    }
    flags += r.flags.size();
    undetermined += r.undetermined.size();
    case_bytes += c.size();
  }
  std::size_t next = 0;
  const bench::Passes eval = bench::time_passes(
      passes, 2000, [&] { loaded.rule_set->evaluate(cases[next++ & 63], options); });
  std::printf(
      "evaluate one case against it: %8.1f us/case (median %.1f us); 64 cases of mean %zu bytes, "
      "%.1f flags and %.1f undetermined per case\n",
      eval.min() / 1e3, eval.median() / 1e3, case_bytes / cases.size(),
      static_cast<double>(flags) / cases.size(), static_cast<double>(undetermined) / cases.size());
  return 0;
}
