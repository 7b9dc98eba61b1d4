// Actions: recommended by raised flags, de-duplicated by id, with the earliest due date
// and every flag that recommends them.
#include "engine/fill.hpp"
#include "engine/impl.hpp"
#include "rule_set_fixture.hpp"
#include "ruleset/load/builtin_calendars.hpp"
#include "time/civil.hpp"
#include "time/date.hpp"

using namespace safeguard;
using namespace safeguard::testing;

namespace {

const char* const kRules = R"(
rules:
  - id: visits.overdue
    title: Visit overdue
    severity: high
    when: case.visit_overdue == true
    actions:
      - {id: visit-child, text: Visit the child, owner: social_worker, due: 'add_working_days(as_of, 2)'}
      - {id: discuss-in-supervision, text: Discuss in supervision, owner: team_manager, due: 'add_days(as_of, 28)'}
  - id: plan.not-reviewed
    title: Plan not reviewed
    severity: medium
    when: case.plan_stale == true
    actions:
      - {id: visit-child, text: Visit the child, owner: social_worker, due: as_of}
      - {id: review-plan, text: Review the plan, owner: team_manager}
      - {id: discuss-in-supervision, text: Discuss in supervision, owner: team_manager, due: 'add_months(as_of, 1)'}
)";

}  // namespace

TEST_CASE("actions: one entry per id, listing every flag, with the earliest due date") {
  const auto rs = load_rules(kRules);
  const Result r = evaluate(*rs, R"({"visit_overdue": true, "plan_stale": true})", "2024-03-28");
  REQUIRE(r.actions.size() == 3);
  // By due date, undated last.
  CHECK(r.actions[0].id == "visit-child");
  CHECK(r.actions[0].due == "2024-03-28");  // the plan rule's as_of beats two working days
  CHECK(r.actions[0].flags == std::vector<std::string>{"plan.not-reviewed", "visits.overdue"});
  CHECK(r.actions[0].owner == "social_worker");
  CHECK(r.actions[1].id == "discuss-in-supervision");
  CHECK(r.actions[1].due == "2024-04-25");  // 28 days beats one month (2024-04-28)
  CHECK(r.actions[2].id == "review-plan");
  CHECK(r.actions[2].due.empty());
  CHECK(r.actions[2].flags == std::vector<std::string>{"plan.not-reviewed"});

  const Flag* f = find_flag(r, "plan.not-reviewed");
  REQUIRE(f != nullptr);
  CHECK(f->actions ==
        std::vector<std::string>{"visit-child", "review-plan", "discuss-in-supervision"});
  const std::string json = r.to_json();
  CHECK(
      json.find(
          R"({"id":"review-plan","text":"Review the plan","owner":"team_manager","due":null,"flags":["plan.not-reviewed"]})") !=
      std::string::npos);
}

TEST_CASE("actions: one thread's evaluations in turn carry nothing into each other") {
  // The engine keeps working storage per thread between evaluations; each result must be
  // what a first evaluation gives, whatever came before it.
  const auto rs = load_rules(kRules);
  const char* both = R"({"visit_overdue": true, "plan_stale": true})";
  const char* visit = R"({"visit_overdue": true})";
  const char* plan = R"({"plan_stale": true})";
  const std::string both_json = evaluate(*rs, both, "2024-03-28").to_json();
  const std::string visit_json = evaluate(*rs, visit, "2024-03-28").to_json();
  const std::string plan_json = evaluate(*rs, plan, "2024-03-28").to_json();
  const std::string none_json = evaluate(*rs, "{}", "2024-03-28").to_json();
  for (int round = 0; round < 2; ++round) {
    CHECK(evaluate(*rs, plan, "2024-03-28").to_json() == plan_json);
    CHECK(evaluate(*rs, both, "2024-03-28").to_json() == both_json);
    CHECK(evaluate(*rs, "{}", "2024-03-28").to_json() == none_json);
    CHECK(evaluate(*rs, visit, "2024-03-28").to_json() == visit_json);
    CHECK(evaluate(*rs, both, "2024-03-28").to_json() == both_json);
  }
  const Result r = evaluate(*rs, visit, "2024-03-28");
  REQUIRE(r.actions.size() == 2);
  CHECK(r.actions[0].id == "visit-child");
  CHECK(r.actions[0].due == "2024-04-03");  // Easter: two working days after Maundy Thursday
  CHECK(r.actions[0].flags == std::vector<std::string>{"visits.overdue"});
  CHECK(r.actions[1].id == "discuss-in-supervision");
  CHECK(r.actions[1].flags == std::vector<std::string>{"visits.overdue"});
  CHECK(evaluate(*rs, "{}", "2024-03-28").actions.empty());
}

TEST_CASE("actions: due dates use the working-day calendar") {
  const auto rs = load_rules(kRules);
  // Thursday 28 March 2024: Good Friday and Easter Monday are bank holidays.
  const Result r = evaluate(*rs, R"({"visit_overdue": true, "plan_stale": false})", "2024-03-28");
  REQUIRE(r.actions.size() == 2);
  CHECK(r.actions[0].id == "visit-child");
  CHECK(r.actions[0].due == "2024-04-03");
  CHECK(r.actions[0].flags == std::vector<std::string>{"visits.overdue"});

  // Scotland keeps Easter Monday as a working day.
  std::shared_ptr<const Calendar> scotland;
  for (const auto& c : ruleset::builtin_calendars()) {
    if (c->name() == "scotland") scotland = c;
  }
  REQUIRE(scotland != nullptr);
  EvalOptions options;
  options.as_of = "2024-03-28";
  options.calendar = scotland;
  const Result s = rs->evaluate(R"({"visit_overdue": true, "plan_stale": false})", options);
  REQUIRE(s.evaluated);
  CHECK(s.actions[0].due == "2024-04-02");
}

TEST_CASE("actions: a due date that cannot be computed is left empty, not guessed") {
  const auto rs = load_rules(R"(
rules:
  - id: plan.due
    title: Plan due
    severity: low
    when: case.flag == true
    actions:
      - {id: act, text: Act, owner: social_worker, due: date(case.plan_date)}
)");
  const Result r = evaluate(*rs, R"({"flag": true})", "2024-06-03");
  REQUIRE(r.actions.size() == 1);
  CHECK(r.actions[0].due.empty());
  // ... and says why, so "no data" does not read as "no deadline".
  REQUIRE(r.actions[0].due_undetermined.size() == 1);
  CHECK(r.actions[0].due_undetermined[0].id == "plan.due");
  CHECK(r.actions[0].due_undetermined[0].reason == "missing");
  CHECK(r.actions[0].due_undetermined[0].path == "/plan_date");
  CHECK(
      r.to_json().find(
          R"("due":null,"flags":["plan.due"],"due_undetermined":[{"flag":"plan.due","reason":"missing","path":"/plan_date",)") !=
      std::string::npos);
  CHECK(to_text(r).find("date unknown") != std::string::npos);
  CHECK(to_text(r).find("due date of plan.due unknown: missing /plan_date") != std::string::npos);
}

TEST_CASE("actions: an unknown due date is reported beside a known later one") {
  // Two flags recommend one action: the known deadline is shown, and the other flag's
  // deadline, which may be earlier, is named as unknown rather than dropped.
  const auto rs = load_rules(R"(
rules:
  - id: a.known
    title: Known
    severity: low
    when: case.flag == true
    actions:
      - {id: act, text: Act, owner: social_worker, due: 'add_days(as_of, 10)'}
  - id: b.unknown
    title: Unknown
    severity: low
    when: case.flag == true
    actions:
      - {id: act, text: Act, owner: social_worker, due: date(case.plan_date)}
)");
  const Result r = evaluate(*rs, R"({"flag": true, "plan_date": "SECRET"})", "2024-06-03");
  REQUIRE(r.actions.size() == 1);
  CHECK(r.actions[0].due == "2024-06-13");
  CHECK(r.actions[0].flags == std::vector<std::string>{"a.known", "b.unknown"});
  REQUIRE(r.actions[0].due_undetermined.size() == 1);
  CHECK(r.actions[0].due_undetermined[0].id == "b.unknown");
  CHECK(r.actions[0].due_undetermined[0].path == "/plan_date");
  CHECK(r.to_json().find("SECRET") == std::string::npos);
  CHECK(to_text(r).find("SECRET") == std::string::npos);

  const Result known = evaluate(*rs, R"({"flag": true, "plan_date": "2024-06-05"})", "2024-06-03");
  REQUIRE(known.actions.size() == 1);
  CHECK(known.actions[0].due == "2024-06-05");
  CHECK(known.actions[0].due_undetermined.empty());
  CHECK(known.to_json().find("due_undetermined") == std::string::npos);
}

TEST_CASE("actions: unknown due dates are listed by flag id, in a Result and in evaluate_json") {
  // z.first comes first in the file, so its unknown date is gathered first.
  const auto rs = load_rules(R"(
rules:
  - id: z.first
    title: First
    severity: low
    when: case.flag == true
    actions:
      - {id: act, text: Act, owner: social_worker, due: date(case.plan_date)}
  - id: a.second
    title: Second
    severity: low
    when: case.flag == true
    actions:
      - {id: act, text: Act, owner: social_worker, due: date(case.review_date)}
)");
  const std::string snapshot = R"({"flag": true})";
  const Result r = evaluate(*rs, snapshot, "2024-06-03");
  REQUIRE(r.actions.size() == 1);
  REQUIRE(r.actions[0].due_undetermined.size() == 2);
  CHECK(r.actions[0].due_undetermined[0].id == "a.second");
  CHECK(r.actions[0].due_undetermined[1].id == "z.first");
  EvalOptions options;
  options.as_of = "2024-06-03";
  std::string direct;
  REQUIRE(rs->evaluate_json(snapshot, options, direct));
  const std::size_t a = direct.find(R"({"flag":"a.second")");
  const std::size_t z = direct.find(R"({"flag":"z.first")");
  REQUIRE(a != std::string::npos);
  REQUIRE(z != std::string::npos);
  CHECK(a < z);
  CHECK(direct == r.to_json());
}

TEST_CASE("actions: a rule set's own calendar, and the host's choice of default, are used") {
  const std::string rules = std::string(kRules);
  const std::string council =
      "calendar: council\n"
      "extends: england-and-wales\n"
      "closures:\n"
      "  - {date: 2024-04-02, name: Office closure}\n";
  const std::string manifest =
      "ruleset: test\nversion: \"1\"\nlevels: [universal, child_in_need]\ncalendar: council\n";
  LoadResult loaded = RuleSet::load(
      {{"ruleset.yaml", manifest}, {"rules.yaml", rules}, {"calendars/council.yaml", council}});
  INFO(format(loaded.diagnostics));
  REQUIRE(loaded.ok());
  const std::string snapshot = R"({"visit_overdue": true, "plan_stale": false})";
  // From Thursday 28 March 2024: Good Friday, Easter Monday and the council's closure.
  CHECK(evaluate(*loaded.rule_set, snapshot, "2024-03-28").actions[0].due == "2024-04-04");

  LoadOptions options;
  options.calendar = "scotland";
  LoadResult scottish = RuleSet::load(
      {{"ruleset.yaml", manifest}, {"rules.yaml", rules}, {"calendars/council.yaml", council}},
      options);
  REQUIRE(scottish.ok());
  CHECK(evaluate(*scottish.rule_set, snapshot, "2024-03-28").actions[0].due == "2024-04-02");
}

namespace {

// A calendar file `name` that extends `base` with one closure day.
std::string calendar_file(const std::string& name, const std::string& base,
                          const std::string& closure) {
  return "calendar: " + name + "\nextends: " + base + "\nclosures:\n  - {date: " + closure +
         ", name: Office closure}\n";
}

// The due date of visits.overdue's first action (2 working days) from Thursday 28 March
// 2024, under a rule set whose manifest names `calendar` and that holds `calendar_files`
// (path, text). Before Easter, so Good Friday and Easter Monday are always skipped.
std::string due_from_easter(const std::string& calendar,
                            const std::vector<RuleFileText>& calendar_files,
                            const LoadOptions& options = {}) {
  std::vector<RuleFileText> files = {
      {"ruleset.yaml",
       "ruleset: test\nversion: \"1\"\nlevels: [universal, child_in_need]\n"
       "calendar: " +
           calendar + "\n"},
      {"rules.yaml", kRules}};
  files.insert(files.end(), calendar_files.begin(), calendar_files.end());
  LoadResult loaded = RuleSet::load(std::move(files), options);
  INFO(format(loaded.diagnostics));
  REQUIRE(loaded.ok());
  return evaluate(*loaded.rule_set, R"({"visit_overdue": true, "plan_stale": false})", "2024-03-28")
      .actions[0]
      .due;
}

}  // namespace

TEST_CASE("actions: a rule set's calendar extends the host's calendar of a built-in name") {
  // The host replaces england-and-wales (its own closure on 3 April); the rule set's council
  // calendar extends england-and-wales, so it must build on the host's, not the built-in one.
  const CalendarLoad host =
      Calendar::built_in("england-and-wales")->with_closures("england-and-wales", {"2024-04-03"});
  REQUIRE(host.calendar);
  LoadOptions options;
  options.calendars.push_back(host.calendar);
  // Good Friday, Easter Monday, the council's closure on the 2nd and the host's on the 3rd.
  CHECK(due_from_easter("council",
                        {{"calendars/council.yaml",
                          calendar_file("council", "england-and-wales", "2024-04-02")}},
                        options) == "2024-04-05");
}

TEST_CASE("actions: a rule set's calendar may extend one defined in a later file") {
  CHECK(due_from_easter(
            "council",
            {{"calendars/a-council.yaml", calendar_file("council", "zz-base", "2024-04-02")},
             {"calendars/z-base.yaml",
              calendar_file("zz-base", "england-and-wales", "2024-04-03")}}) == "2024-04-05");
}

TEST_CASE("actions: a rule set may redefine a built-in calendar by extending it under its name") {
  // rules/calendars/england-and-wales.yaml adding the council's closures to the built-in
  // calendar of that name; another file builds on the redefined one.
  const std::vector<RuleFileText> files = {
      {"calendars/a-council.yaml", calendar_file("council", "england-and-wales", "2024-04-03")},
      {"calendars/england-and-wales.yaml",
       calendar_file("england-and-wales", "england-and-wales", "2024-04-02")}};
  CHECK(due_from_easter("england-and-wales", files) == "2024-04-04");
  CHECK(due_from_easter("council", files) == "2024-04-05");
}

TEST_CASE("actions: the ranks results sort by are set at load, in id and severity order") {
  // Results sort flags by flag_rank, a flag's actions' recommending flags by id_rank, and
  // gather actions by their id_rank instead of comparing texts: each must follow the texts.
  const auto rs = load_rules(R"(
rules:
  - id: b.second
    title: B
    severity: low
    when: 'true'
    actions:
      - {id: zz-last, text: Z, owner: social_worker}
      - {id: aa-first, text: A, owner: social_worker}
  - id: a.first
    title: A
    severity: low
    when: 'true'
    actions:
      - {id: mm-middle, text: M, owner: social_worker}
      - {id: zz-last, text: Z again, owner: team_manager}
  - id: c.critical
    title: C
    severity: critical
    when: 'true'
)");
  const auto& rules = rs->impl().compiled->rules;
  REQUIRE(rules.size() == 3);
  CHECK(rules[0].id_rank == 1);  // b.second
  CHECK(rules[1].id_rank == 0);  // a.first
  CHECK(rules[2].id_rank == 2);  // c.critical
  CHECK(rules[2].flag_rank == 0);
  CHECK(rules[1].flag_rank == 1);
  CHECK(rules[0].flag_rank == 2);
  CHECK(rules[0].actions[0].id_rank == 2);  // zz-last
  CHECK(rules[0].actions[1].id_rank == 0);  // aa-first
  CHECK(rules[1].actions[0].id_rank == 1);  // mm-middle
  CHECK(rules[1].actions[1].id_rank == 2);  // zz-last again: the same id, the same rank

  const Result r = evaluate(*rs, "{}", "2024-03-28");
  CHECK(flag_ids(r) == std::vector<std::string>{"c.critical", "a.first", "b.second"});
  REQUIRE(r.actions.size() == 3);
  CHECK(r.actions[0].id == "aa-first");
  CHECK(r.actions[1].id == "mm-middle");
  CHECK(r.actions[2].id == "zz-last");
  CHECK(r.actions[2].text == "Z");  // the first recommendation's, in rule order
  CHECK(r.actions[2].flags == std::vector<std::string>{"a.first", "b.second"});
}

TEST_CASE("actions: due dates are ordered as their text, also outside years 1-9999") {
  // fill() gathers due dates as day numbers; a result orders actions by the dates' text
  // (undated last), which within years 1-9999 is the numbers' order and outside is not: a
  // negative year's sign and a fifth digit of the year sort as text.
  const std::int64_t days[] = {time::days_from_civil(-44, 3, 15),
                               time::days_from_civil(-1, 1, 1),
                               time::days_from_civil(0, 12, 31),
                               time::kMinDay,
                               time::days_from_civil(2024, 3, 28),
                               time::days_from_civil(2024, 3, 29),
                               time::kMaxDay,
                               time::kMaxDay + 1,
                               time::days_from_civil(12345, 1, 1),
                               engine::kNoDue};
  for (const std::int64_t a : days) {
    for (const std::int64_t b : days) {
      const std::string x = a == engine::kNoDue ? "" : time::format_date(a);
      const std::string y = b == engine::kNoDue ? "" : time::format_date(b);
      INFO(x << " / " << y);
      CHECK(engine::due_before(a, b) == (!x.empty() && (y.empty() || x < y)));
    }
  }
}
