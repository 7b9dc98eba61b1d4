// The compact result JSON has a writer of its own for the common case (engine/compact_json):
// it must give the bytes the general writer gives. The general writer's pretty form with
// the whitespace between tokens taken out is its compact form (facts' value_json is
// inserted as it is in both), so each compact text is checked against that.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

#include "../../../bench/case_gen.hpp"
#include "engine/compact_json.hpp"
#include "safeguard/rule_set.hpp"
#include "time/date.hpp"

using namespace safeguard;

namespace {

// `json` without the whitespace outside its string literals.
std::string without_layout(const std::string& json) {
  std::string out;
  bool in_string = false;
  for (std::size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      out += c;
      if (c == '\\') {
        out += json[++i];
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
      out += c;
    } else if (c != ' ' && c != '\n') {
      out += c;
    }
  }
  return out;
}

// Megabytes of text are compared without printing them when they differ.
void check_equal(const std::string& a, const std::string& b) {
  if (a.size() + b.size() < 100000) {
    CHECK(a == b);
  } else {
    const bool same = a == b;
    CHECK(same);
  }
}

void check_compact(const Result& r) {
  const std::string compact = r.to_json();
  check_equal(compact, without_layout(r.to_json(true)));
  // write_json appends, leaving what the string held.
  std::string appended = "[\"kept\"]\n";
  r.write_json(appended);
  check_equal(appended, "[\"kept\"]\n" + compact);
  std::string pretty = "x";
  r.write_json(pretty, true);
  check_equal(pretty, "x" + r.to_json(true));
}

// A result with every optional part and text that must be escaped in every string.
Result every_part() {
  const std::string odd = "a \"quoted\" \\ back\nslash\t\x01 caf\xc3\xa9 bad \xff end";
  Result r;
  r.evaluated = true;
  r.as_of = "2024-06-03";
  r.ruleset = {"pack " + odd, "1.0", std::string(64, 'f'), std::string(64, '0')};
  r.level.id = "child_in_need";
  r.level.reasons = {"level.a", "level." + odd};
  Flag f;
  f.id = "area." + odd;
  f.severity = "high";
  f.category = "area";
  f.title = odd;
  f.message = "message " + odd;
  f.facts = {{"count", "3", true}, {"name " + odd, "null", false}, {"list", "[1,\"x\"]", true}};
  f.actions = {"act.one", "act." + odd};
  f.source = odd;
  f.file = "area.yaml";
  f.line = 42;
  r.flags.push_back(f);
  Flag g;
  g.id = "plain";
  g.line = 7;
  r.flags.push_back(g);  // no facts, no actions, empty texts
  Action a;
  a.id = "act.one";
  a.text = odd;
  a.owner = "team_manager";
  a.due = "2024-06-10";
  a.flags = {"area." + odd, "plain"};
  Undetermined due;
  due.id = "plain";
  due.kind = "due";
  due.reason = "missing";
  due.path = "/plan/" + odd;
  due.message = "no date";
  a.due_undetermined.push_back(due);
  due.at = "area.yaml:3:4";
  a.due_undetermined.push_back(due);
  r.actions.push_back(a);
  Action b;
  b.id = "act." + odd;  // undated
  r.actions.push_back(b);
  Undetermined u;
  u.id = "rule." + odd;
  u.kind = "rule";
  u.reason = "null";
  u.path = "/child/" + odd;
  u.message = "the field is null";
  r.undetermined.push_back(u);
  u.depends_on = "rule.other";
  u.at = "area.yaml:9:1";
  r.undetermined.push_back(u);
  r.violations.push_back({"/contacts/0/" + odd, "schema.type", "string", odd});
  return r;
}

}  // namespace

TEST_CASE("compact result JSON: every part, with text to escape everywhere") {
  const Result r = every_part();
  REQUIRE(engine::compact_applies(r));
  check_compact(r);
  CHECK(r.to_json().find("\"due\":null") != std::string::npos);
  CHECK(r.to_json().find("\"facts_undetermined\":[\"name ") != std::string::npos);
}

TEST_CASE("compact result JSON: an empty result, errors and explanations") {
  Result empty;
  empty.evaluated = true;
  REQUIRE(engine::compact_applies(empty));
  check_compact(empty);
  CHECK(empty.to_json() ==
        "{\"level\":{\"id\":\"\",\"reasons\":[]},\"flags\":[],\"actions\":[],"
        "\"undetermined\":[],\"violations\":[],\"ruleset\":{\"name\":\"\",\"version\":\"\","
        "\"fingerprint\":\"\",\"calendars\":\"\"},\"as_of\":\"\"}");
  // The general writer's cases.
  Result error;
  error.errors.push_back(Diagnostic{});
  CHECK_FALSE(engine::compact_applies(error));
  check_compact(error);
  Result explained = every_part();
  explained.flags[1].explain.push_back(ExplainStep{"x > 1", "", "true", 0, 0, 0, 0, ""});
  CHECK_FALSE(engine::compact_applies(explained));
  check_compact(explained);
}

TEST_CASE("compact result JSON: text longer than the writer's first buffer") {
  // The buffer (the thread's base::TextBuffer) starts at 16 KiB and grows, from wherever
  // the writer has got to; past 1 MiB it is not kept. Sizes around the first buffer's end
  // and the kept limit, in an order that grows it, gives it back and grows it again.
  for (const std::size_t size :
       {std::size_t{16 * 1024}, std::size_t{3} << 20, std::size_t{8000}, std::size_t{16000},
        std::size_t{16 * 1024 - 700}, std::size_t{40000}, (std::size_t{1} << 19) - 900,
        std::size_t{1} << 19, std::size_t{1}}) {
    Result r = every_part();
    r.flags[0].message.assign(size, 'm');
    r.flags[0].message[size / 2] = '"';
    r.flags[0].facts[0].value_json = "\"" + std::string(size, 'v') + "\"";
    check_compact(r);
    CHECK(r.to_json().size() > 2 * size);
  }
  check_compact(every_part());
}

TEST_CASE("compact result JSON: the shipped pack over generated cases") {
  LoadResult loaded = RuleSet::load(std::string(SAFEGUARD_SOURCE_DIR) + "/rules");
  REQUIRE(loaded.ok());
  const auto as_of = time::parse_date("2024-06-03");
  REQUIRE(as_of);
  const bench::CaseGenerator generator(11, *as_of);
  EvalOptions options;
  options.as_of = "2024-06-03";
  std::size_t flags = 0;
  std::size_t undetermined = 0;
  for (std::uint64_t i = 0; i < 80; ++i) {
    std::string text = generator.make(i);
    if (i % 5 == 0) {
      // A mistyped field: violations and undetermined rules.
      const std::size_t at = text.find("\"received_at\":");
      if (at != std::string::npos) text.insert(at + 14, "17, \"was\":");
    }
    INFO("case " << i);
    const Result r = loaded.rule_set->evaluate(text, options);
    REQUIRE(engine::compact_applies(r));
    check_compact(r);
    flags += r.flags.size();
    undetermined += r.undetermined.size();
  }
  CHECK(flags > 100);
  CHECK(undetermined > 0);
}
