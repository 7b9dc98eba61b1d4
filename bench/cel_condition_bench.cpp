// Compile-once evaluation of one typical rule condition over a 50-contact case:
//
//   case.contacts.filter(c, "domestic_abuse" in c.concerns &&
//                           date(c.received_at) >= add_months(as_of, -12)).size() >= 3
//
//   ./build/release/bench/cel_condition_bench [--contacts N] [--passes P] [--iterations I]
//       [--dump-data FILE]
//
// `case` is typed by the shipped snapshot schema, as in a rule set. The condition is
// compiled once; each evaluation prepares the frame and runs the compiled tree over the
// parsed snapshot (parsing is not timed here: see throughput_bench). Printed: ns per
// evaluation and per list element, min and median of the passes, with the planner's
// folding and hoisting on (what rule sets use) and off (to show what they are worth).
// --dump-data writes the snapshot as JSON so bench/peers/ can run the same condition on it.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "bench_util.hpp"
#include "cel/check/checker.hpp"
#include "cel/compile/planner.hpp"
#include "cel/parse/parser.hpp"
#include "snapshot/parsed_json.hpp"
#include "snapshot/schema.hpp"
#include "time/date.hpp"

namespace {

using namespace safeguard;

constexpr const char* kCondition = R"(case.contacts.filter(c, "domestic_abuse" in c.concerns && )"
                                   R"(date(c.received_at) >= add_months(as_of, -12)).size() >= 3)";
constexpr const char* kAsOf = "2024-06-03";

// Contacts over the two years before as-of, from every source, with one to four
// concerns; about a third mention domestic abuse. Some carry an offset, some a decision.
std::string make_case(int contacts) {
  const char* sources[] = {"police", "school", "health", "family", "self", "anonymous", "other"};
  const char* concerns[] = {
      "domestic_abuse",           "neglect",           "physical_abuse",    "emotional_abuse",
      "parental_mental_health",   "missing_education", "missing_from_home", "exploitation",
      "parental_substance_misuse"};
  bench::Rng rng(20240603);
  const std::int64_t as_of = *time::parse_date(kAsOf);
  std::string s = R"({"schema":"safeguarding-case/1","case_id":"C-1","contacts":[)";
  for (int i = 0; i < contacts; ++i) {
    if (i) s += ',';
    const std::int64_t day = as_of - rng.range(0, 730);
    char time_of_day[32];
    std::snprintf(time_of_day, sizeof time_of_day, "T%02d:%02d:00%s", rng.range(0, 23),
                  rng.range(0, 59), rng.chance(30) ? "+01:00" : "Z");
    s += R"({"id":"K)" + std::to_string(i) + R"(","received_at":")" + bench::format_day(day) +
         time_of_day + R"(","source":")" + rng.pick(sources) + R"(","concerns":[)";
    const int n = rng.range(1, 4);
    const bool da = rng.chance(35);
    for (int k = 0; k < n; ++k) {
      if (k) s += ',';
      s += '"';
      s += (k == n - 1 && da) ? "domestic_abuse" : concerns[1 + rng.next() % 8];
      s += '"';
    }
    s += ']';
    if (rng.chance(60)) {
      s += R"(,"decision":{"outcome":"early_help","decided_at":")" + bench::format_day(day + 1) +
           R"(T09:00:00Z","manager_approved":true})";
    }
    s += '}';
  }
  s += "]}";
  return s;
}

struct Compiled {
  cel::ParseResult parsed;  // the checker's trees point into the AST
  cel::Env env;
  std::unique_ptr<cel::Checker> checker;
  std::unique_ptr<cel::Program> program;
};

bool compile(const snapshot::Schema& schema, bool optimise, Compiled* out) {
  out->parsed = cel::parse(kCondition, cel::ParserOptions{});
  if (!out->parsed.ok()) return false;
  out->env.add_variable("case", schema.cel_type(out->env.types()));
  out->env.add_variable("as_of", cel::types::date());
  out->checker = std::make_unique<cel::Checker>(out->env);
  const cel::CheckedTree* tree = out->checker->check(out->parsed.expr, 0);
  if (out->checker->has_errors()) return false;
  cel::PlanOptions options;
  options.fold_constants = optimise;
  options.cache_invariants = optimise;
  cel::Planner planner(out->env, *out->checker, options);
  planner.add_root(*tree);
  out->program = planner.finish();
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  int contacts = 50;
  int passes = 7;
  long iterations = 0;
  const char* dump = nullptr;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--contacts") && i + 1 < argc)
      contacts = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--passes") && i + 1 < argc)
      passes = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--dump-data") && i + 1 < argc)
      dump = argv[++i];
    else if (!std::strcmp(argv[i], "--iterations") && i + 1 < argc)
      iterations = std::atol(argv[++i]);
    else {
      std::fprintf(stderr,
                   "usage: %s [--contacts N] [--passes P] [--iterations I] [--dump-data FILE]\n",
                   argv[0]);
      return 2;
    }
  }
  const std::string text = make_case(contacts);
  if (dump != nullptr) {
    std::FILE* f = std::fopen(dump, "wb");
    if (f == nullptr) return 2;
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
  }

  std::vector<Diagnostic> diagnostics;
  const std::string schema_path =
      bench::source_dir() + "/../rules/schema/case-snapshot.schema.json";
  const auto schema =
      snapshot::Schema::load(bench::read_file(schema_path), schema_path, diagnostics);
  if (!schema) {
    std::fprintf(stderr, "%s", format(diagnostics).c_str());
    return 2;
  }
  snapshot::JsonParser parser;
  snapshot::ParsedJson json;
  snapshot::JsonError error;
  if (!parser.parse(text, json, &error)) {
    std::fprintf(stderr, "bench data is not JSON: %s\n", error.message.c_str());
    return 2;
  }
  const std::int64_t as_of = *time::parse_date(kAsOf);

  std::printf("condition: %s\ncontacts: %d (%zu bytes of JSON), as_of %s\n", kCondition, contacts,
              text.size(), kAsOf);
  for (const bool optimise : {true, false}) {
    Compiled c;
    if (!compile(*schema, optimise, &c)) {
      std::fprintf(stderr, "condition does not compile\n");
      return 2;
    }
    cel::Frame frame;
    cel::Value result{};
    auto evaluate = [&] {
      c.program->prepare(frame, cel::EvalLimits{});
      frame.doc = json.doc();
      frame.as_of = as_of;
      frame.slots()[0] = cel::json_value(json.doc(), json.doc()->root);
      frame.slots()[1] = cel::Value::date(as_of);
      result = c.program->root(0)->eval(frame);
    };
    evaluate();
    if (result.kind != cel::ValueKind::kBool) {
      std::fprintf(stderr, "condition did not give a bool\n");
      return 2;
    }
    if (iterations == 0) iterations = 20000000L / contacts;
    const bench::Passes p = bench::time_passes(passes, iterations, evaluate);
    std::printf(
        "%-28s result %-5s  %8.0f ns/evaluation (median %.0f)  %6.1f ns/element (median %.1f)\n",
        optimise ? "folding+hoisting on:" : "folding+hoisting off:", result.b ? "true" : "false",
        p.min(), p.median(), p.min() / contacts, p.median() / contacts);
  }
  return 0;
}
