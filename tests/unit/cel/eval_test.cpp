// Evaluation semantics the conformance suite does not cover: errors absorbed by macros,
// values read in place from a JSON document (select, index, has(), JSON pointers in
// errors), constant folding, invariant caching, and the iteration and memory budgets.
#include <catch2/catch.hpp>

#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cel/check/checker.hpp"
#include "cel/compile/planner.hpp"
#include "cel/parse/parser.hpp"
#include "cel/value/describe.hpp"
#include "cel/value/to_json.hpp"
#include "snapshot/parsed_json.hpp"
#include "time/civil.hpp"
#include "time/date.hpp"

using safeguard::cel::Checker;
using safeguard::cel::Env;
using safeguard::cel::EvalLimits;
using safeguard::cel::FunctionDecl;
using safeguard::cel::ParsedExpr;
using safeguard::cel::Planner;
using safeguard::cel::PlanOptions;
using safeguard::cel::Program;
using safeguard::cel::Value;
namespace types = safeguard::cel::types;

namespace {

// Case data used by most tests: a contact whose decision is null and one without it.
constexpr const char* kCase = R"({
  "case": {
    "child": {"name": "Alex", "born": "2015-03-01", "nickname": null, "tags": ["a", "b"]},
    "contacts": [
      {"id": "C1", "received": "2024-01-02", "decision": null, "score": 3},
      {"id": "C2", "received": "2024-01-05", "score": 7}
    ],
    "weird/key": {"x~y": 1}
  },
  "r": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
})";

// Declares each member of a JSON object as a dyn variable read in place from the
// document, then parses, checks, plans and evaluates expressions against it.
class Evaluator {
 public:
  explicit Evaluator(std::string_view vars = kCase) {
    safeguard::snapshot::JsonParser parser;
    safeguard::snapshot::JsonError error;
    REQUIRE(parser.parse(vars, json_, &error));
    const auto* doc = json_.doc();
    const std::uint32_t end = static_cast<std::uint32_t>(doc->tape[doc->root]) - 1;
    for (std::uint32_t k = doc->root + 1; k < end; k = safeguard::cel::json_after(doc, k + 1)) {
      env_.add_variable(std::string(safeguard::cel::json_string(doc, k)), types::dyn());
      globals_.push_back(safeguard::cel::json_value(doc, k + 1));
    }
  }

  Env& env() { return env_; }
  Value eval_global(std::size_t i) const { return globals_[i]; }

  // Declares the CEL function `name(params...)` with the body `body`.
  void add_function(const char* name, std::vector<std::string> params, const char* body) {
    FunctionDecl f;
    f.name = name;
    f.param_offsets.assign(params.size(), 0);
    f.params = std::move(params);
    f.body = parse(body);
    env_.add_function(f);
  }

  const ParsedExpr* parse(std::string_view text) {
    auto result = safeguard::cel::parse(text);
    REQUIRE(result.ok());
    parsed_.push_back(std::move(result.expr));
    return &parsed_.back();
  }

  // Compiles `text` as root 0 of a new program.
  std::unique_ptr<Program> compile(std::string_view text, const PlanOptions& plan = {}) {
    const ParsedExpr* ast = parse(text);
    checkers_.push_back(std::make_unique<Checker>(env_));
    Checker& checker = *checkers_.back();
    const auto* tree = checker.check(*ast, 0);
    INFO(text);
    REQUIRE_FALSE(checker.has_errors());
    Planner planner(env_, checker, plan);
    planner.add_root(*tree);
    REQUIRE(planner.issues().empty());
    return planner.finish();
  }

  void bind(safeguard::cel::Frame& frame) {
    for (std::size_t i = 0; i < globals_.size(); ++i) frame.slots()[i] = globals_[i];
    frame.doc = json_.doc();
  }

  // The value as JSON, or "error <kind> <path>" (the path only when there is one).
  std::string eval(std::string_view text, const PlanOptions& plan = {},
                   const EvalLimits& limits = {}) {
    std::unique_ptr<Program> program = compile(text, plan);
    safeguard::cel::Frame frame;
    program->prepare(frame, limits);
    bind(frame);
    return show(program->root(0)->eval(frame));
  }

  static std::string show(const Value& v) {
    if (!v.is_error()) return safeguard::cel::to_json(v);
    const auto what = safeguard::cel::describe(*v.error);
    return "error " + what.kind + (what.path.empty() ? "" : " " + what.path);
  }

 private:
  safeguard::snapshot::ParsedJson json_;
  Env env_;
  std::vector<Value> globals_;
  std::deque<ParsedExpr> parsed_;
  std::vector<std::unique_ptr<Checker>> checkers_;
};

struct Row {
  const char* expr;
  const char* expected;
};

void eval_rows(Evaluator& ev, const std::vector<Row>& rows) {
  for (const Row& row : rows) {
    INFO(row.expr);
    CHECK(ev.eval(row.expr) == row.expected);
  }
}

}  // namespace

TEST_CASE("exists and all absorb errors from some elements when another decides") {
  Evaluator ev;
  eval_rows(ev, {
                    // 10 / 0 fails for the second element only.
                    {"[1, 0, 2].exists(x, 10 / x == 5)", "true"},
                    {"[2, 0, 1].exists(x, 10 / x == 5)", "true"},
                    {"[1, 0, 4].exists(x, 10 / x == 5)", "error divide-by-zero"},
                    {"[1, 0, 2].all(x, 10 / x > 6)", "false"},
                    {"[2, 0, 1].all(x, 10 / x > 6)", "false"},
                    {"[1, 0].all(x, 10 / x > 1)", "error divide-by-zero"},
                    {"[0, 1, 2].exists(x, 10 / x > 6 || x == 0)", "true"},
                    // exists_one, filter and map need every element.
                    {"[0, 1].exists_one(x, 10 / x == 10)", "error divide-by-zero"},
                    {"[1, 0].filter(x, 10 / x > 1)", "error divide-by-zero"},
                    {"[1, 0].map(x, 10 / x)", "error divide-by-zero"},
                    {"[1, 2].map(x, 10 / x)", "[10,5]"},
                    {"[1, 2, 3].exists_one(x, x > 2)", "true"},
                    // A non-bool predicate is an error, absorbed the same way.
                    {"[1, 'a', 2].exists(x, x == 2 ? true : x)", "true"},
                    {"[1, 'a'].all(x, x == 1 ? true : x)", "error no-matching-overload"},
                });
}

TEST_CASE("numbers compare across kinds through double; map keys must match exactly") {
  Evaluator ev;
  eval_rows(ev, {
                    {"1 == 1.0 && 1u == 1.0 && 1 == 1u", "true"},
                    {"dyn(9223372036854775807) < 9223372036854775808.0", "false"},
                    {"dyn(9223372036854775807) <= 9223372036854775808.0", "true"},
                    {"dyn(-9223372036854775808) > -9223372036854777857.0", "true"},
                    {"dyn(18446744073709551615u) < 18446744073709590000.0", "true"},
                    {"dyn(9007199254740993) == 9007199254740992.0", "true"},
                    {"{1: 'a'}[dyn(1.0)]", "\"a\""},
                    {"{1u: 'a'}[dyn(1)]", "\"a\""},
                    {"{1: 'a'}[dyn(1.5)]", "error missing"},
                    {"{9007199254740993: 'a'}[dyn(9007199254740992.0)]", "error missing"},
                    {"dyn(1.0) in {1: 'a'}", "true"},
                });
}

TEST_CASE("ordering: two dates or two ints directly, every other pair by its overload") {
  // Read from the document, so nothing is folded: scores 3 and 7, r[2] is 3; received
  // 2024-01-02 and 2024-01-05.
  Evaluator ev;
  const std::string d0 = "date(case.contacts[0].received)";
  const std::string d1 = "date(case.contacts[1].received)";
  const std::string d2 = "date(\"2024-01-02\")";
  std::vector<std::string> exprs;
  std::vector<Row> rows;
  auto add = [&](const std::string& expr, const char* expected) {
    exprs.push_back(expr);
    rows.push_back(Row{nullptr, expected});
  };
  const char* const ops[] = {" < ", " <= ", " > ", " >= "};
  const char* const below[] = {"true", "true", "false", "false"};
  const char* const above[] = {"false", "false", "true", "true"};
  const char* const same[] = {"false", "true", "false", "true"};
  for (int op = 0; op < 4; ++op) {
    add("case.contacts[0].score" + std::string(ops[op]) + "case.contacts[1].score", below[op]);
    add("case.contacts[1].score" + std::string(ops[op]) + "case.contacts[0].score", above[op]);
    add("case.contacts[0].score" + std::string(ops[op]) + "r[2]", same[op]);
    add(d0 + ops[op] + d1, below[op]);
    add(d1 + ops[op] + d0, above[op]);
    add(d0 + ops[op] + d2, same[op]);
    // Other pairs go through the overloads: across numeric kinds, texts, and two values of
    // different kinds, which no overload takes.
    add("case.contacts[0].score" + std::string(ops[op]) + "dyn(2.5)", above[op]);
    add("case.contacts[0].score" + std::string(ops[op]) + "dyn(3u)", same[op]);
    add("case.contacts[0].id" + std::string(ops[op]) + "case.contacts[1].id", below[op]);
    add("dyn(case.contacts[0].score)" + std::string(ops[op]) + "dyn(" + d0 + ")",
        "error no-matching-overload /case/contacts/0/score");
    add("dyn(" + d0 + ")" + ops[op] + "dyn(case.contacts[0].score)",
        "error no-matching-overload /case/contacts/0/score");
    // An argument's error is the result, the first one's first.
    add("case.contacts[1].decision" + std::string(ops[op]) + "case.contacts[9].score",
        "error missing /case/contacts/1/decision");
    add("case.contacts[0].score" + std::string(ops[op]) + "case.contacts[1].decision",
        "error missing /case/contacts/1/decision");
  }
  for (std::size_t i = 0; i < exprs.size(); ++i) rows[i].expr = exprs[i].c_str();
  eval_rows(ev, rows);
}

TEST_CASE("in: a text in a list the rules built equals only an equal text") {
  // The needle is read from the document, so nothing is folded; C1 and C2 are the ids.
  Evaluator ev;
  eval_rows(
      ev, {
              {"case.contacts[0].id in [\"C0\", \"C1\"]", "true"},
              {"case.contacts[1].id in [\"C0\", \"C1\"]", "false"},
              {"case.contacts[0].id in []", "false"},
              // Elements of other kinds are never equal to a text, whatever they hold.
              {"case.contacts[0].id in [1, 2.5, true, null, b\"C1\", [\"C1\"]]", "false"},
              {"case.contacts[0].id in [1, {\"C1\": 1}, \"C1\"]", "true"},
              {"case.contacts[0].id in case.contacts.map(c, c.id)", "true"},
              {"case.contacts[1].id in case.contacts.map(c, c.id).filter(i, i != \"C2\")", "false"},
              {"case.contacts[9].id in [\"C1\"]", "error index-out-of-range"},
          });
}

TEST_CASE(
    "in: a text and a list are tested without the dispatch, every other pair by its overload") {
  Evaluator ev;
  // The planner's node for `x in y` (with y a constant list or not), which takes the pairs
  // the membership overload would; the rows below are what the overloads give.
  for (const char* expr : {"case.contacts[0].id in case.child.tags",
                           "case.contacts[0].id in ['C0', 'C1']", "dyn(1) in r"}) {
    INFO(expr);
    const std::unique_ptr<Program> program = ev.compile(expr);
    CHECK(dynamic_cast<const safeguard::cel::InListNode*>(program->root(0)) != nullptr);
  }
  eval_rows(ev,
            {
                // A text in a snapshot's list, a constant list and a list built while evaluating.
                {"case.child.name in case.child.tags", "false"},
                {"case.child.tags[1] in case.child.tags", "true"},
                {"case.child.tags[1] in ['a', 'b']", "true"},
                {"case.child.tags[1] in ['a', 'c']", "false"},
                {"case.child.tags[0] in case.child.tags.map(t, t + 'x')", "false"},
                {"case.child.tags[0] + 'x' in case.child.tags.map(t, t + 'x')", "true"},
                {"case.child.born in [1, null, '2015-03-01']", "true"},
                // Other pairs: numbers across kinds, a key in a map, a text in a text.
                {"dyn(1) in r", "true"},
                {"dyn(3u) in r", "true"},
                {"dyn(2.5) in r", "false"},
                {"case.child.name in case.child", "false"},
                {"'name' in case.child", "true"},
                {"case.child.name in dyn(case.child.born)",
                 "error no-matching-overload /case/child/name"},
                // An argument's error is the result, the needle's first.
                {"case.contacts[9].id in ['C1']", "error index-out-of-range"},
                {"case.child.name in case.contacts[9].tags", "error index-out-of-range"},
                {"case.contacts[1].decision in case.contacts[9].tags",
                 "error missing /case/contacts/1/decision"},
            });
  // The walk's budget: a text sought in a shared 1,000-element list that took 30 steps.
  EvalLimits limits;
  limits.max_iterations = 200;
  const std::string big = "r.map(a, r.map(b, r.map(c, 'x'))).flatten().flatten()";
  CHECK(ev.eval("case.child.name in " + big, {}, limits) == "error budget-exceeded");
  limits.max_iterations = 5000;
  CHECK(ev.eval("case.child.name in " + big, {}, limits) == "false");
}

TEST_CASE("== and !=: two texts, ints, dates or bools directly, every other pair by equals") {
  // Read from the document, so nothing is folded: ids C1 and C2, scores 3 and 7, received
  // 2024-01-02 and 2024-01-05, r[2] is 3.
  Evaluator ev;
  for (const char* expr : {"case.contacts[0].id == case.contacts[1].id", "dyn(r[0]) != 'a'"}) {
    INFO(expr);
    const std::unique_ptr<Program> program = ev.compile(expr);
    const safeguard::cel::Node* root = program->root(0);
    CHECK((dynamic_cast<const safeguard::cel::EqualityNode<false>*>(root) != nullptr ||
           dynamic_cast<const safeguard::cel::EqualityNode<true>*>(root) != nullptr));
  }
  const std::string d0 = "date(case.contacts[0].received)";
  const std::string d1 = "date(case.contacts[1].received)";
  std::vector<std::string> exprs;
  std::vector<Row> rows;
  auto add = [&](const std::string& a, const std::string& b, const char* eq, const char* ne) {
    exprs.push_back(a + " == " + b);
    rows.push_back(Row{nullptr, eq});
    exprs.push_back(a + " != " + b);
    rows.push_back(Row{nullptr, ne});
  };
  add("case.contacts[0].id", "case.contacts[1].id", "false", "true");
  add("case.contacts[0].id", "'C1'", "true", "false");
  add("case.contacts[0].id", "case.child.tags[0]", "false", "true");
  add("case.contacts[0].score", "r[2]", "true", "false");
  add("case.contacts[0].score", "case.contacts[1].score", "false", "true");
  add(d0, d1, "false", "true");
  add(d0, "date('2024-01-02')", "true", "false");
  add("(case.contacts[0].score > 1)", "(case.contacts[1].score > 1)", "true", "false");
  add("(case.contacts[0].score > 5)", "(case.contacts[1].score > 1)", "false", "true");
  // Other pairs go to equals(): numbers across kinds, values of different kinds, nulls,
  // lists and maps.
  add("case.contacts[0].score", "dyn(3.0)", "true", "false");
  add("case.contacts[0].score", "dyn(3u)", "true", "false");
  add("case.contacts[0].score", "dyn(case.contacts[0].id)", "false", "true");
  add("case.contacts[0].decision", "case.child.nickname", "true", "false");
  add("case.child.tags", "['a', 'b']", "true", "false");
  add("case.child.tags", "case.child.tags.map(t, t)", "true", "false");
  add("case.child", "case.child", "true", "false");
  // An argument's error is the result, the first one's first.
  add("case.contacts[1].decision", "case.contacts[9].id", "error missing /case/contacts/1/decision",
      "error missing /case/contacts/1/decision");
  add("case.contacts[0].id", "case.contacts[9].id", "error index-out-of-range",
      "error index-out-of-range");
  for (std::size_t i = 0; i < exprs.size(); ++i) rows[i].expr = exprs[i].c_str();
  eval_rows(ev, rows);
  // Lists compared element by element charge the budget.
  EvalLimits limits;
  limits.max_iterations = 1000;
  const std::string big = "r.map(a, r.map(b, r.map(c, c)))";
  CHECK(ev.eval(big + " == " + big, {}, limits) == "error budget-exceeded");
  CHECK(ev.eval(big + " != " + big, {}, limits) == "error budget-exceeded");
}

TEST_CASE("size of a list read in place, of every other value by its overload") {
  Evaluator ev;
  for (const char* expr : {"size(case.child.tags)", "case.contacts.size()"}) {
    INFO(expr);
    const std::unique_ptr<Program> program = ev.compile(expr);
    CHECK(dynamic_cast<const safeguard::cel::ListSizeNode*>(program->root(0)) != nullptr);
  }
  eval_rows(ev, {
                    {"size(case.child.tags)", "2"},
                    {"case.child.tags.size()", "2"},
                    {"size(r)", "10"},
                    {"size(r.filter(x, x > 7))", "3"},
                    {"r.map(x, [x]).size()", "10"},
                    {"size(case.child.tags.filter(t, t == 'z'))", "0"},
                    // Other values: texts (code points), bytes, maps; and no overload at all.
                    {"size(case.child.name)", "4"},
                    {"size(dyn(case.child.name + 'é'))", "5"},
                    {"size(bytes(case.child.name + 'é'))", "6"},
                    {"size(case.child)", "4"},
                    {"case.child.size()", "4"},
                    {"size(dyn(case.contacts[0].score))",
                     "error no-matching-overload /case/contacts/0/score"},
                    // An argument's error is the result.
                    {"size(case.contacts[9].tags)", "error index-out-of-range"},
                    {"size(case.contacts[1].decision)", "error missing /case/contacts/1/decision"},
                });
}

TEST_CASE(
    "has(v.x) && v.x != null, its negation, has(v.x) ? v.x : w and date(v.x) == date(v.x) read the "
    "field once") {
  // v is an object read from a snapshot whose layout validation records (fields x and y).
  Evaluator ev;
  safeguard::cel::ObjectType* object = ev.env().types().new_object("T");
  for (const char* name : {"x", "y"}) {
    safeguard::cel::ObjectField field;
    field.name = name;
    field.type = types::string();
    object->fields.push_back(field);
  }
  object->layout = 0;
  ev.env().add_variable("v", ev.env().types().object(object));
  auto root = [&](const char* expr) {
    INFO(expr);
    return ev.compile(expr);
  };
  using safeguard::cel::PresenceNode;
  auto p = root("has(v.x) && v.x != null");
  CHECK(dynamic_cast<const PresenceNode<false>*>(p->root(0)) != nullptr);
  p = root("!has(v.y) || v.y == null");
  CHECK(dynamic_cast<const PresenceNode<true>*>(p->root(0)) != nullptr);
  // Not the same field, not a has() on the left, or the tests the other way round.
  for (const char* other :
       {"has(v.x) && v.y != null", "v.x != null && has(v.x)", "has(v.x) || v.x != null",
        "!has(v.x) && v.x == null", "has(v.x) && v.x == null"}) {
    p = root(other);
    CHECK(dynamic_cast<const PresenceNode<false>*>(p->root(0)) == nullptr);
    CHECK(dynamic_cast<const PresenceNode<true>*>(p->root(0)) == nullptr);
  }
  // The field if it holds a value, else another: one read of the recorded field.
  using safeguard::cel::FieldOrNode;
  for (const char* same : {"has(v.x) ? v.x : 'none'", "has(v.x) && v.x != null ? v.x : v.y"}) {
    p = root(same);
    CHECK(dynamic_cast<const FieldOrNode*>(p->root(0)) != nullptr);
  }
  for (const char* other : {"has(v.x) ? v.y : 'none'", "has(v.y) && v.y != null ? v.x : ''",
                            "!has(v.x) ? v.x : 'none'", "v.x != null ? v.x : 'none'"}) {
    p = root(other);
    CHECK(dynamic_cast<const FieldOrNode*>(p->root(0)) == nullptr);
  }
  // `date(v.x) == date(v.x)`, the same recorded field on both sides, reads the date once
  // (cel::DateReadsNode; the engine's field_read_test compares the answers).
  using safeguard::cel::DateReadsNode;
  ev.env().add_variable("w", ev.env().types().object(object));
  p = root("date(v.x) == date(v.x)");
  CHECK(dynamic_cast<const DateReadsNode*>(p->root(0)) != nullptr);
  for (const char* other : {"date(v.x) == date(v.y)", "date(v.x) == date(w.x)",
                            "date(v.x) != date(v.x)", "date(v.x) == dyn(date(v.x))"}) {
    p = root(other);
    CHECK(dynamic_cast<const DateReadsNode*>(p->root(0)) == nullptr);
  }
}

TEST_CASE("v.x.y and has(v.x.y) read two recorded layouts in one node") {
  // v is an object read from a snapshot whose layout validation records, and so is its
  // field x, an object with a field y (cel::FieldPathNode); the engine's field_read_test
  // compares the answers with the ordinary nodes'.
  Evaluator ev;
  safeguard::cel::TypeStore& store = ev.env().types();
  safeguard::cel::ObjectType* inner = store.new_object("U");
  safeguard::cel::ObjectField y;
  y.name = "y";
  y.type = types::string();
  inner->fields.push_back(y);
  inner->layout = 1;
  safeguard::cel::ObjectType* outer = store.new_object("T");
  safeguard::cel::ObjectField x;
  x.name = "x";
  x.type = store.object(inner);
  outer->fields.push_back(x);
  safeguard::cel::ObjectField z;
  z.name = "z";
  z.type = types::string();
  outer->fields.push_back(z);
  outer->layout = 0;
  ev.env().add_variable("v", store.object(outer));
  using safeguard::cel::FieldPathNode;
  for (const char* expr : {"v.x.y", "has(v.x.y)"}) {
    INFO(expr);
    const std::unique_ptr<Program> p = ev.compile(expr);
    CHECK((dynamic_cast<const FieldPathNode<false>*>(p->root(0)) != nullptr) == (expr[0] == 'v'));
    CHECK((dynamic_cast<const FieldPathNode<true>*>(p->root(0)) != nullptr) == (expr[0] == 'h'));
  }
  // One field, a field of a value the schema does not record, or a built map: no such node.
  for (const char* other : {"v.x", "has(v.z)", "v.z.size()", "{'x': {'y': 1}}.x.y", "dyn(v.x).y"}) {
    INFO(other);
    const std::unique_ptr<Program> p = ev.compile(other);
    CHECK(dynamic_cast<const FieldPathNode<false>*>(p->root(0)) == nullptr);
    CHECK(dynamic_cast<const FieldPathNode<true>*>(p->root(0)) == nullptr);
  }
}

TEST_CASE("!is_true(x) and filter(v, is_true(p)) test is_true() in place") {
  // cel::NotTrueNode and cel::TruthFilterNode: the same values as `!` over is_true() and a
  // filter whose predicate is is_true(), which dyn() around is_true() keeps apart.
  Evaluator ev;
  using safeguard::cel::NotTrueNode;
  using safeguard::cel::TruthFilterNode;
  const auto fused = [&](const char* expr) {
    const std::unique_ptr<Program> program = ev.compile(expr);
    return dynamic_cast<const NotTrueNode*>(program->root(0)) != nullptr ||
           dynamic_cast<const TruthFilterNode*>(program->root(0)) != nullptr;
  };
  CHECK(fused("!is_true(r[0] > 0)"));
  CHECK(fused("r.filter(x, is_true(x > 3))"));
  for (const char* other : {"!dyn(is_true(r[0] > 0))", "r.filter(x, dyn(is_true(x > 3)))",
                            "r.filter(x, x > 3)", "!(r[0] > 0)", "r.exists(x, is_true(x > 3))"}) {
    INFO(other);
    CHECK_FALSE(fused(other));
  }
  struct Pair {
    const char* fused;
    const char* plain;
    const char* expected;
  };
  const Pair pairs[] = {
      {"!is_true(case.contacts[0].score > 2)", "!dyn(is_true(case.contacts[0].score > 2))",
       "false"},
      {"!is_true(case.contacts[0].score > 5)", "!dyn(is_true(case.contacts[0].score > 5))", "true"},
      // An error or a value that is no bool is "not known to hold".
      {"!is_true(case.contacts[1].decision)", "!dyn(is_true(case.contacts[1].decision))", "true"},
      {"!is_true(case.child.name)", "!dyn(is_true(case.child.name))", "true"},
      {"!is_true(case.contacts[0].decision == 'nfa')",
       "!dyn(is_true(case.contacts[0].decision == 'nfa'))", "true"},
      {"case.contacts.filter(c, is_true(c.score > 4)).map(c, c.id)",
       "case.contacts.filter(c, dyn(is_true(c.score > 4))).map(c, c.id)", R"(["C2"])"},
      // C1's decision is null, C2 has none (an error): neither is known to be 'nfa'.
      {"case.contacts.filter(c, is_true(c.decision == 'nfa'))",
       "case.contacts.filter(c, dyn(is_true(c.decision == 'nfa')))", "[]"},
      {"case.contacts.filter(c, is_true(c.decision == null)).map(c, c.id)",
       "case.contacts.filter(c, dyn(is_true(c.decision == null))).map(c, c.id)", R"(["C1"])"},
      {"r.filter(x, is_true(x > 7))", "r.filter(x, dyn(is_true(x > 7)))", "[8,9,10]"},
      {"r.filter(x, is_true(10 / (x - 5) > 1))", "r.filter(x, dyn(is_true(10 / (x - 5) > 1)))",
       "[6,7,8,9,10]"},
      {"{'a': 1, 'b': 2}.filter(k, is_true(k == 'b'))",
       "{'a': 1, 'b': 2}.filter(k, dyn(is_true(k == 'b')))", R"(["b"])"},
      // The range's error is the result.
      {"case.contacts[5].tags.filter(t, is_true(t == 'a'))",
       "case.contacts[5].tags.filter(t, dyn(is_true(t == 'a')))", "error index-out-of-range"},
      {"case.child.tags.filter(t, is_true(t == 'a'))",
       "case.child.tags.filter(t, dyn(is_true(t == 'a')))", R"(["a"])"},
  };
  for (const Pair& p : pairs) {
    INFO(p.fused);
    CHECK(ev.eval(p.fused) == p.expected);
    CHECK(ev.eval(p.plain) == p.expected);
  }
}

TEST_CASE("x == null and x != null: true only for null, an error of x is the result") {
  // Read from the document, so nothing is folded: nickname is null, C1's decision null, C2
  // has none.
  Evaluator ev;
  const char* const xs[] = {"case.child.nickname",
                            "case.contacts[0].decision",
                            "case.child.name",
                            "case.child.tags",
                            "case.child",
                            "case.contacts[0].score",
                            "r.filter(x, x > 99)",
                            "(r[0] == 2)",
                            "dyn(case.child.nickname)"};
  const bool null[] = {true, true, false, false, false, false, false, false, true};
  std::vector<std::string> exprs;
  std::vector<Row> rows;
  for (std::size_t i = 0; i < sizeof xs / sizeof xs[0]; ++i) {
    const std::string x = xs[i];
    for (const std::string& e : {x + " == null", "null == " + x}) {
      exprs.push_back(e);
      rows.push_back(Row{nullptr, null[i] ? "true" : "false"});
    }
    for (const std::string& e : {x + " != null", "null != " + x}) {
      exprs.push_back(e);
      rows.push_back(Row{nullptr, null[i] ? "false" : "true"});
    }
  }
  for (const std::string& e : {std::string("case.contacts[1].decision == null"),
                               std::string("null != case.contacts[1].decision")}) {
    exprs.push_back(e);
    rows.push_back(Row{nullptr, "error missing /case/contacts/1/decision"});
  }
  for (std::size_t i = 0; i < exprs.size(); ++i) rows[i].expr = exprs[i].c_str();
  eval_rows(ev, rows);
}

TEST_CASE("sum() totals ints exactly, doubles and JSON's mixed numbers as a double") {
  Evaluator ev;
  eval_rows(ev, {
                    {"[1, 2, 3].sum()", "6"},
                    {"sum([1.5, 2.0])", "3.5"},
                    {"dyn([]).sum()", "0"},
                    // An empty list's total has the type the checker gave the call.
                    {"[1.5].filter(x, x > 2.0).sum() + 0.5", "0.5"},
                    {"type(sum([1u].filter(x, x > 2u))) == uint", "true"},
                    {"[1u, 2u].sum()", "3"},
                    {"type([1u].sum()) == uint", "true"},
                    {"[dyn(1), dyn(2.5)].sum()", "3.5"},
                    {"case.contacts.map(c, c.score).sum()", "10"},
                    {"[9223372036854775807, 1].sum()", "error overflow"},
                    {"[dyn(1u), dyn(1)].sum()", "error no-matching-overload"},
                    {"['a'].sum()", "error no-matching-overload"},
                });
}

TEST_CASE("missing data inside a macro is absorbed or reported with its JSON pointer") {
  Evaluator ev;
  eval_rows(ev, {
                    {"case.contacts.exists(c, c.decision == null)", "true"},
                    {"case.contacts.all(c, c.decision == null)",
                     "error missing /case/contacts/1/decision"},
                    {"case.contacts.exists(c, c.score > 5 && c.decision == 'x')",
                     "error missing /case/contacts/1/decision"},
                    {"case.contacts.all(c, c.score > 5 || c.decision == null)", "true"},
                    {"case.contacts.exists(c, c.score > 5 || c.decision == 'x')", "true"},
                });
}

TEST_CASE("JSON values are read in place: select, index, size and in") {
  Evaluator ev;
  eval_rows(ev, {
                    {"case.child.name", "\"Alex\""},
                    {"case['child']['name']", "\"Alex\""},
                    {"case.contacts[1].id", "\"C2\""},
                    {"case.contacts[dyn(1u)].score + 1", "8"},
                    {"case.contacts[dyn(1.0)].id", "\"C2\""},
                    {"case.contacts.size()", "2"},
                    {"size(case.child)", "4"},
                    {"'b' in case.child.tags", "true"},
                    {"'name' in case.child", "true"},
                    {"case.contacts.map(c, c.id)", "[\"C1\",\"C2\"]"},
                    {"case.contacts.filter(c, c.score > 5).map(c, c.id)", "[\"C2\"]"},
                    {"case.child.tags + ['c']", "[\"a\",\"b\",\"c\"]"},
                    {"case.child.tags == ['a', 'b']", "true"},
                    {"case.child == {'name': 'Alex', 'born': '2015-03-01', 'nickname': null, "
                     "'tags': ['a', 'b']}",
                     "true"},
                    {"date(case.child.born)", "\"2015-03-01\""},
                    {"case.child.exists(k, k == 'born')", "true"},
                });
}

TEST_CASE("has() treats a JSON null as absent") {
  Evaluator ev;
  eval_rows(ev, {
                    {"has(case.child.name)", "true"},
                    {"has(case.child.nickname)", "false"},
                    {"has(case.child.missing)", "false"},
                    {"has(case.contacts[0].decision)", "false"},
                    {"case.contacts.filter(c, !has(c.decision)).size()", "2"},
                    {"size(case.contacts.filter(c, has(c.decision)))", "0"},
                    // A null in a literal map is a value like any other.
                    {"has({'a': null}.a)", "true"},
                });
}

TEST_CASE("errors about case data carry the JSON pointer of the field") {
  Evaluator ev;
  eval_rows(ev, {
                    {"case.child.missing", "error missing /case/child/missing"},
                    {"case.contacts[1].decision", "error missing /case/contacts/1/decision"},
                    {"case.child.nickname.first", "error null /case/child/nickname"},
                    {"case.child.nickname + 'x'", "error null /case/child/nickname"},
                    {"case.child.name + 1", "error no-matching-overload /case/child/name"},
                    {"case['weird/key'].z", "error missing /case/weird~1key/z"},
                    {"case['weird/key']['x~y'] + 1", "2"},
                    {"case.contacts[2]", "error index-out-of-range"},
                    {"case.child['missing']", "error missing /case/child"},
                    {"date(case.child.name)", "error invalid-argument /case/child/name"},
                });
}

TEST_CASE("constant sub-expressions are folded when the program is built") {
  Evaluator ev;
  struct Fold {
    const char* expr;
    bool constant;
    const char* value;
  };
  const std::vector<Fold> rows = {
      {"1 + 2 * 3", true, "7"},
      {"size('abc') > 2 && 'abc'.startsWith('a')", true, "true"},
      {"[1, 2] + [3]", true, "[1,2,3]"},
      {"{'a': 1}.a", true, "1"},
      {"1 / 0", true, "error divide-by-zero"},
      {"case.child.name == 'x' || true", true, "true"},
      {"false && case.child.name == 'x'", true, "false"},
      {"true ? 1 : case.child.missing", true, "1"},
      {"case.child.name", false, "\"Alex\""},
      {"[1, 2].map(x, x * 2)", false, "[2,4]"},
      // Contextual functions read the evaluation's calendar: never folded.
      {"is_working_day(date('2024-01-01'))", false, "error calendar"},
  };
  for (const Fold& row : rows) {
    INFO(row.expr);
    std::unique_ptr<Program> program = ev.compile(row.expr);
    Value folded;
    CHECK(program->root_is_constant(0, &folded) == row.constant);
    if (row.constant) CHECK(Evaluator::show(folded) == row.value);
    CHECK(ev.eval(row.expr) == row.value);
    PlanOptions unfolded;
    unfolded.fold_constants = false;
    CHECK_FALSE(ev.compile(row.expr, unfolded)->root_is_constant(0, &folded));
    CHECK(ev.eval(row.expr, unfolded) == row.value);
  }
}

TEST_CASE("invariant caching gives the same results as evaluating everything in place") {
  Evaluator ev;
  ev.add_function("twice", {"x"}, "x + x");
  ev.add_function("scaled", {"xs", "k"}, "xs.map(x, x * k + size(r))");
  ev.env().add_definition("late", ev.parse("case.contacts.filter(c, c.score > size(r) - 5)"), 1);

  const std::vector<Row> rows = {
      {"r.map(x, r.map(y, x + y).size() + x)", "[11,12,13,14,15,16,17,18,19,20]"},
      {"[1, 2, 3].map(x, [10, 20].map(y, x + y))", "[[11,21],[12,22],[13,23]]"},
      {"[1, 2, 3].map(x, [10, 20].filter(y, y > x * 7).size())", "[2,1,0]"},
      {"r.filter(x, x > size(case.contacts) * 4)", "[9,10]"},
      {"r.exists(x, x == size(case.child.tags) + 8)", "true"},
      {"twice(1) + twice(2) + twice(3)", "12"},
      {"[1, 2].map(v, twice(v) + twice(3))", "[8,10]"},
      {"twice(twice(2))", "8"},
      {"scaled([1, 2], 3) + scaled([1], 1)", "[13,16,11]"},
      {"r.map(k, scaled([k], k))[2]", "[19]"},
      {"late.map(c, c.id)", "[\"C2\"]"},
      {"r.map(x, late.size() + x)[0]", "2"},
      {"cel.bind(n, size(r), r.filter(x, x > n - 2))", "[9,10]"},
      {"r.map(x, cel.bind(y, x * 2, [1, 2].map(z, y + z)))[1]", "[5,6]"},
      {"case.contacts.all(c, [c.score].all(s, s == c.score))", "true"},
  };
  PlanOptions uncached;
  uncached.cache_invariants = false;
  PlanOptions plain = uncached;
  plain.fold_constants = false;
  for (const Row& row : rows) {
    INFO(row.expr);
    CHECK(ev.eval(row.expr) == row.expected);
    CHECK(ev.eval(row.expr, uncached) == row.expected);
    CHECK(ev.eval(row.expr, plain) == row.expected);
  }
}

TEST_CASE("find_cycle finds a cycle of references, and only one") {
  using safeguard::cel::find_cycle;
  using Edges = std::vector<std::vector<std::uint32_t>>;
  CHECK(find_cycle(Edges{}).empty());
  // A diamond and a chain reached twice: shared, not cyclic.
  CHECK(find_cycle(Edges{{1, 2}, {3}, {3}, {}}).empty());
  CHECK(find_cycle(Edges{{1}, {2}, {}, {1, 2}}).empty());
  CHECK(find_cycle(Edges{{0}}) == std::vector<std::uint32_t>{0});
  CHECK(find_cycle(Edges{{1}, {2}, {3}, {1}}) == std::vector<std::uint32_t>{1, 2, 3});
  CHECK(find_cycle(Edges{{}, {2}, {}, {4}, {3}}) == std::vector<std::uint32_t>{3, 4});
}

// CachedNode keeps no busy mark: a definition that reaches itself would call itself without
// end. The checker rejects such a cycle and the loader plans nothing then; a program planned
// all the same (here) has the cycle broken by the planner with an internal error.
TEST_CASE("a cycle of definitions planned despite the checker gives an error, not a crash") {
  Evaluator ev;
  ev.env().add_definition("a", ev.parse("b + 1"), 1);
  ev.env().add_definition("b", ev.parse("[1, 2].map(x, a + x).size()"), 1);
  ev.add_function("via", {"k"}, "c + k");
  ev.env().add_definition("c", ev.parse("via(1)"), 1);
  for (const char* text : {"a", "b + 1", "[a, b]", "c", "via(2)"}) {
    INFO(text);
    Checker checker(ev.env());
    const auto* tree = checker.check(*ev.parse(text), 0);
    CHECK(checker.has_errors());
    Planner planner(ev.env(), checker, PlanOptions{});
    planner.add_root(*tree);
    std::unique_ptr<Program> program = planner.finish();
    safeguard::cel::Frame frame;
    program->prepare(frame, EvalLimits{});
    ev.bind(frame);
    CHECK(Evaluator::show(program->root(0)->eval(frame)).rfind("error", 0) == 0);
  }
  // Without a cycle nothing is broken: the same definitions' shape, acyclic.
  Evaluator fine;
  fine.env().add_definition("a", fine.parse("b + 1"), 1);
  fine.env().add_definition("b", fine.parse("[1, 2].map(x, x).size()"), 1);
  CHECK(fine.eval("[a, b, a + b]") == "[3,2,5]");
}

TEST_CASE("a part of a loop that reads none of its variables is worked out once per run") {
  // Such a part (a parameter's date moved back a year, an enclosing loop's variable doubled)
  // is kept for one run of the loop it does not depend on: each new run, including the run
  // for the next item of an enclosing loop or the next call of the function, works it out
  // again. The results must be those of evaluating everything in place.
  Evaluator ev;
  ev.add_function("in_window", {"xs", "d"}, "xs.filter(x, x <= d && x > d - size(r) / 2)");
  ev.add_function("cells", {"k"}, "r.map(a, r.filter(b, b * k > a * k + 5).size())");
  ev.add_function("counted", {"k"}, "size(r.filter(a, a > k * 2 && a < k * 3))");
  const std::vector<Row> rows = {
      {"in_window(r, 7)", "[3,4,5,6,7]"},
      {"[in_window(r, 7), in_window(r, 3), in_window([], 3), in_window(r, 7)]",
       "[[3,4,5,6,7],[1,2,3],[],[3,4,5,6,7]]"},
      {"r.map(d, in_window(r, d).size())", "[1,2,3,4,5,5,5,5,5,5]"},
      {"r.map(a, r.filter(b, b > a * 2).size())", "[8,6,4,2,0,0,0,0,0,0]"},
      {"r.map(a, r.map(b, r.filter(c, c > a + b).size()).filter(n, n > a + 5).size())",
       "[2,0,0,0,0,0,0,0,0,0]"},
      {"[cells(1), cells(2)][1]", "[7,6,5,4,3,2,1,0,0,0]"},
      {"[counted(1), counted(2), counted(3), counted(2)]", "[0,1,2,1]"},
      {"r.exists(a, a > size(case.contacts) * 4 && r.all(b, b < a * 11))", "true"},
      // A part that fails: its error is the loop's, for every run that reaches it.
      {"r.map(a, r.filter(b, b > a + case.child.missing).size())",
       "error missing /case/child/missing"},
      {"[1, 2].map(a, [].filter(b, b > a + case.child.missing).size())", "[0,0]"},
  };
  PlanOptions uncached;
  uncached.cache_invariants = false;
  PlanOptions traced;
  traced.trace = true;
  for (const Row& row : rows) {
    INFO(row.expr);
    CHECK(ev.eval(row.expr) == row.expected);
    CHECK(ev.eval(row.expr, uncached) == row.expected);
    CHECK(ev.eval(row.expr, traced) == row.expected);
  }
}

TEST_CASE("a small iteration budget stops nested loops with budget-exceeded, promptly") {
  Evaluator ev;
  EvalLimits limits;
  limits.max_iterations = 100;
  const auto start = std::chrono::steady_clock::now();
  // Without the budget: 10^10 steps.
  const char* deep =
      "r.all(a, r.all(b, r.all(c, r.all(d, r.all(e, r.all(f, r.all(g, "
      "r.all(h, r.all(i, r.all(j, a + j > 0))))))))))";
  CHECK(ev.eval(deep, {}, limits) == "error budget-exceeded");
  CHECK(ev.eval("r.exists(a, r.exists(b, r.exists(c, a + b + c < 0)))", {}, limits) ==
        "error budget-exceeded");
  CHECK(ev.eval("r.map(a, r.filter(b, b > a)).size()", {}, limits) == "error budget-exceeded");
  CHECK(ev.eval("r.filter(a, r.filter(b, b > a).size() > 1).size()", {}, limits) ==
        "error budget-exceeded");
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));

  // One step per element visited: 10 outer and 10 x 10 inner.
  limits.max_iterations = 110;
  CHECK(ev.eval("r.all(a, r.all(b, a + b > 0))", {}, limits) == "true");
  limits.max_iterations = 109;
  CHECK(ev.eval("r.all(a, r.all(b, a + b > 0))", {}, limits) == "error budget-exceeded");

  // An inner loop that does not depend on the outer variable runs once per evaluation.
  limits.max_iterations = 100;
  PlanOptions uncached;
  uncached.cache_invariants = false;
  CHECK(ev.eval("r.map(a, r.map(b, b).size())", {}, limits) == "[10,10,10,10,10,10,10,10,10,10]");
  CHECK(ev.eval("r.map(a, r.map(b, b).size())", uncached, limits) == "error budget-exceeded");
}

TEST_CASE("comparing, searching and flattening shared lists charge the budget per element") {
  Evaluator ev;
  EvalLimits limits;
  limits.max_iterations = 1000;
  // r has 10 elements; `big` shares one 10-element inner list 100 times (hoisted), so
  // walking it visits 1,000 elements though it was built in 30 steps.
  const std::string big = "r.map(a, r.map(b, r.map(c, c)))";
  CHECK(ev.eval(big + ".size()", {}, limits) == "10");
  CHECK(ev.eval(big + " == " + big, {}, limits) == "error budget-exceeded");
  CHECK(ev.eval(big + " != " + big, {}, limits) == "error budget-exceeded");
  CHECK(ev.eval("[" + big + "] == [" + big + "]", {}, limits) == "error budget-exceeded");
  CHECK(ev.eval(big + ".distinct().size()", {}, limits) == "error budget-exceeded");
  CHECK(ev.eval("r.map(a, a) in [" + big + ", " + big + "]", {}, limits) == "false");
  CHECK(ev.eval(big + "[0] in " + big + ".map(x, x)", {}, limits) == "true");
  CHECK(ev.eval(big + ".flatten().flatten().size()", {}, limits) == "error budget-exceeded");
  limits.max_iterations = 5000;
  CHECK(ev.eval(big + " == " + big, {}, limits) == "true");
  CHECK(ev.eval(big + ".distinct().size()", {}, limits) == "1");
  CHECK(ev.eval(big + ".flatten().flatten().size()", {}, limits) == "1000");
  // NaN is not equal to itself, inside lists too.
  CHECK(ev.eval("[0.0 / 0.0] == [0.0 / 0.0]", {}, limits) == "false");
}

TEST_CASE("sort() and distinct() of short lists (held without allocation) and of long ones") {
  Evaluator ev;
  eval_rows(
      ev,
      {
          {"[].sort()", "[]"},
          {"[[], []].sort()", "error no-matching-overload"},
          {"['b', 'a', 'c', 'a'].sort()", "[\"a\",\"a\",\"b\",\"c\"]"},
          // Stable: equal values keep their order (0 before 0u, 1 before 1u).
          {"[0, 2u, 1, 1u, 0u].sort().map(x, type(x))",
           "[\"int\",\"uint\",\"int\",\"uint\",\"uint\"]"},
          {"[2.5, 1, 0.5, 2u].sort()", "[0.5,1,2,2.5]"},
          {"[1, 'a'].sort()", "error no-matching-overload"},
          {"[date('2024-02-01'), date('2023-01-01')].sort()", "[\"2023-01-01\",\"2024-02-01\"]"},
          // 16 elements (the most held in place), 17, and 36 with duplicates.
          {"[15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0].sort()",
           "[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]"},
          {"[16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0].sort()",
           "[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16]"},
          {"r.map(x, [x, 20 - x]).flatten().sort()",
           "[1,2,3,4,5,6,7,8,9,10,10,11,12,13,14,15,16,17,18,19]"},
          // 40 mixed ints and uints, stably sorted by std::stable_sort.
          {"[10, 9, 8, 7, 6, 5, 4, 3, 2, 1].map(x, [x, x % 4, 20 - x, 0u + uint(x)])"
           ".flatten().sort().map(x, type(x))",
           "[\"int\",\"int\",\"int\",\"int\",\"int\",\"int\",\"uint\",\"int\",\"int\",\"int\","
           "\"int\",\"uint\",\"int\",\"int\",\"int\",\"uint\",\"int\",\"uint\",\"int\",\"uint\","
           "\"int\",\"uint\",\"int\",\"uint\",\"int\",\"uint\",\"int\",\"uint\",\"int\",\"int\","
           "\"uint\",\"int\",\"int\",\"int\",\"int\",\"int\",\"int\",\"int\",\"int\",\"int\"]"},
          {"[3, 1, 2, 1, 3].distinct()", "[3,1,2]"},
          {"r.map(x, [x, 11 - x]).flatten().distinct()", "[1,10,2,9,3,8,4,7,5,6]"},
          {"r.map(x, [x, x + 10, x + 20]).flatten().distinct().size()", "30"},
          {"(r + r + r + r).distinct()", "[1,2,3,4,5,6,7,8,9,10]"},
          {"[1, 1u, 1.0].distinct()", "[1]"},
      });
}

TEST_CASE("JSON text of every kind of value, as base::JsonWriter writes it compactly") {
  Evaluator ev;
  eval_rows(ev,
            {
                // One-digit integers take a short path; the others, and ints past 2^53
                // (written as strings), do not.
                {"[0, 1, 9, 10, 99, -1, -9, -10, 123456789]", "[0,1,9,10,99,-1,-9,-10,123456789]"},
                {"[9007199254740992, 9007199254740993, -9007199254740993]",
                 "[9007199254740992,\"9007199254740993\",\"-9007199254740993\"]"},
                {"[0u, 7u, 10u, 9007199254740993u]", "[0,7,10,\"9007199254740993\"]"},
                {"[1.5, -0.25, 1e300, 0.0 / 0.0, 1.0 / 0.0, -1.0 / 0.0]",
                 "[1.5,-0.25,1e+300,\"NaN\",\"Infinity\",\"-Infinity\"]"},
                {"[null, true, false, 'a\"b\\\\c\\n', b'\\x00\\xff']",
                 "[null,true,false,\"a\\\"b\\\\c\\n\",\"AP8=\"]"},
                {"[[], {}, [[1], [2, [3]]], {'k': [1, {'x': null}], 2: 'two', true: 1}]",
                 "[[],{},[[1],[2,[3]]],{\"k\":[1,{\"x\":null}],\"2\":\"two\",\"true\":1}]"},
                {"case.child",
                 "{\"name\":\"Alex\",\"born\":\"2015-03-01\",\"nickname\":null,"
                 "\"tags\":[\"a\",\"b\"]}"},
                {"[date('2024-02-29'), timestamp('2024-01-02T03:04:05Z'), duration('90s'), int]",
                 "[\"2024-02-29\",\"2024-01-02T03:04:05Z\",\"90s\",\"int\"]"},
            });
}

TEST_CASE("JSON text of a value can be bounded") {
  Evaluator ev;
  PlanOptions plan;
  std::unique_ptr<Program> program = ev.compile("r.map(a, r.map(b, r))", plan);
  safeguard::cel::Frame frame;
  program->prepare(frame, EvalLimits{});
  ev.bind(frame);
  const Value v = program->root(0)->eval(frame);
  REQUIRE(!v.is_error());
  const std::string whole = safeguard::cel::to_json(v);
  std::string out;
  CHECK(safeguard::cel::to_json(v, whole.size(), out));
  CHECK(out == whole);
  CHECK_FALSE(safeguard::cel::to_json(v, whole.size() - 1, out));
  CHECK_FALSE(safeguard::cel::to_json(v, 100, out));
  CHECK(out.size() > 100);
  CHECK(out.size() < 200);  // stops within an element of the limit
  CHECK(whole.compare(0, out.size(), out) == 0);
}

TEST_CASE("a small memory budget gives memory-exceeded, not a crash") {
  Evaluator ev;
  EvalLimits limits;
  limits.max_memory_bytes = 2048;
  CHECK(ev.eval("r.map(a, r.map(b, [a, b]))", {}, limits) == "error memory-exceeded");
  CHECK(ev.eval("r.map(a, r.map(b, case.child.born + string(a + b)))", {}, limits) ==
        "error memory-exceeded");
  CHECK(ev.eval("r.all(a, r.map(b, [a, b]).size() == 10)", {}, limits) == "error memory-exceeded");
  CHECK(ev.eval("r.map(a, string(a)).size()", {}, limits) == "10");
  // Constants live in the program, not in the evaluation's budget.
  CHECK(ev.eval("size([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16] + "
                "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16])",
                {}, limits) == "32");
}

TEST_CASE("calls of CEL functions are remembered within one evaluation only") {
  Evaluator ev;
  ev.add_function("count_over", {"xs", "k"}, "xs.filter(x, x > k).size()");
  // Same arguments again (remembered), then other ones (never confused with them),
  // including lists built afresh with equal contents.
  eval_rows(ev,
            {
                {"count_over(r, 5) + count_over(r, 5) + count_over(r, 8)", "12"},
                {"r.map(k, count_over(r, k))", "[9,8,7,6,5,4,3,2,1,0]"},
                {"r.map(k, count_over([k, k + 1], k))", "[1,1,1,1,1,1,1,1,1,1]"},
                {"[count_over([1, 2], 1), count_over([1, 2], 1), count_over([3], 1)]", "[1,1,1]"},
            });

  // A frame reused for another evaluation forgets what it remembered: the same call
  // reads another value of the global `n` there.
  ev.env().add_variable("n", types::int64());
  ev.add_function("above", {"k"}, "r.filter(x, x > k + n).size()");
  std::unique_ptr<Program> program = ev.compile("above(1)");
  safeguard::cel::Frame frame;
  for (std::int64_t n : {2, 7, 2}) {
    program->prepare(frame, EvalLimits{});
    for (std::size_t i = 0; i + 1 < program->variable_count(); ++i) {
      frame.slots()[i] = ev.eval_global(i);
    }
    frame.slots()[program->variable_count() - 1] = Value::integer(n);
    CHECK(Evaluator::show(program->root(0)->eval(frame)) == std::to_string(9 - n));
  }
}

TEST_CASE("calls of CEL functions with any number of arguments") {
  // Calls with one to three arguments have a node of their own; the others share one.
  Evaluator ev;
  ev.add_function("zero", {}, "size(r)");
  ev.add_function("one", {"a"}, "a * 2");
  ev.add_function("two", {"a", "b"}, "a - b");
  ev.add_function("three", {"a", "b", "c"}, "(a - b) * c");
  ev.add_function("four", {"a", "b", "c", "d"}, "((a - b) * c) - d");
  ev.add_function("seven", {"a", "b", "c", "d", "e", "f", "g"},
                  "[a, b, c, d, e, f, g].filter(x, x > d)");
  ev.add_function("via", {"a"}, "one(a) - two(a, 1)");
  eval_rows(ev,
            {
                {"zero() + zero()", "20"},
                {"one(3) + one(4) + one(3)", "20"},
                {"two(9, 4) * 10 + two(4, 9)", "45"},
                {"three(9, 4, 2) * 100 + three(4, 9, 2) + three(9, 4, 2)", "1000"},
                {"four(9, 4, 2, 1) * 100 + four(4, 9, 2, 1)", "889"},
                {"seven(1, 9, 2, 5, 7, 3, 6) + seven(1, 9, 2, 5, 7, 3, 6)", "[9,7,6,9,7,6]"},
                // Arguments that call the function itself, each with other values.
                {"two(two(9, 4), two(4, 1))", "2"},
                {"three(three(2, 1, 1), three(3, 1, 1), three(4, 1, 1))", "-3"},
                {"r.map(x, three(x, 1, x))", "[0,2,6,12,20,30,42,56,72,90]"},
                // One argument that is a variable (a loop's, a parameter, a binding).
                {"r.map(x, one(x) + one(x))", "[4,8,12,16,20,24,28,32,36,40]"},
                {"r.map(x, via(x))", "[2,3,4,5,6,7,8,9,10,11]"},
                {"cel.bind(m, 7, one(m) + via(m))", "22"},
                {"cel.bind(m, case.child.missing, one(m))", "error missing /case/child/missing"},
                // An error in an argument is the call's value.
                {"one(case.child.missing)", "error missing /case/child/missing"},
                {"three(1, 2, case.contacts[5])", "error index-out-of-range"},
            });
  // Traced (for explain), calls are not remembered: the same values.
  PlanOptions traced;
  traced.trace = true;
  CHECK(ev.eval("r.map(x, one(x) + via(x))", traced) == "[4,7,10,13,16,19,22,25,28,31]");
  CHECK(ev.eval("cel.bind(m, 7, one(m) + via(m) + one(m))", traced) == "36");
}

TEST_CASE("a call remembered while its body filled the table is found again") {
  // The body makes 100 calls of its own, so the table grows (and is rehashed) between the
  // search that missed and the store: the store must put the call where the next search
  // looks, which the steps show (a found call does not run its body again).
  Evaluator ev;
  ev.add_function("pair", {"a", "b"}, "a * 100 + b");
  ev.add_function("grid", {"k"}, "r.map(a, r.map(b, pair(a, b + k)).size()).size()");
  const auto steps = [&](std::string_view text, std::string* value) {
    std::unique_ptr<Program> program = ev.compile(text);
    safeguard::cel::Frame frame;
    const EvalLimits limits;
    program->prepare(frame, limits);
    ev.bind(frame);
    *value = Evaluator::show(program->root(0)->eval(frame));
    return static_cast<std::int64_t>(limits.max_iterations) - frame.steps_left();
  };
  std::string value;
  const std::int64_t once = steps("grid(1)", &value);
  CHECK(value == "10");
  CHECK(once > 100);
  CHECK(steps("grid(1) + grid(1) + grid(1)", &value) == once + 2);
  CHECK(value == "30");
  CHECK(steps("[1, 2, 3].map(k, grid(1) + grid(k))", &value) > once + 2);
  CHECK(value == "[20,20,20]");
}

TEST_CASE("a reused frame forgets cached values and reads unset variables as null") {
  Evaluator ev;
  ev.env().add_variable("n", types::dyn());
  // `n * 2` does not change inside the loop, so it is cached for the evaluation.
  std::unique_ptr<Program> cached = ev.compile("r.map(x, x + n * 2)[0]");
  std::unique_ptr<Program> unset = ev.compile("n == null");
  std::unique_ptr<Program> other = ev.compile("r.filter(x, x > n).size()");
  safeguard::cel::Frame frame;
  const auto run = [&](const Program& program, const Value* n) {
    program.prepare(frame, EvalLimits{});
    for (std::size_t i = 0; i + 1 < program.variable_count(); ++i) {
      frame.slots()[i] = ev.eval_global(i);
    }
    if (n != nullptr) frame.slots()[program.variable_count() - 1] = *n;
    return Evaluator::show(program.root(0)->eval(frame));
  };
  const Value one = Value::integer(1);
  const Value three = Value::integer(3);
  const Value five = Value::integer(5);
  CHECK(run(*cached, &one) == "3");
  CHECK(run(*cached, &three) == "7");
  CHECK(run(*other, &five) == "5");
  CHECK(run(*cached, &five) == "11");
  // A variable the host leaves unset is null, even after an evaluation that set it.
  CHECK(run(*unset, &five) == "false");
  CHECK(run(*unset, nullptr) == "true");
  CHECK(run(*cached, nullptr) == "error no-matching-overload");
}

TEST_CASE("date() remembers converted texts within one evaluation only") {
  Evaluator ev;
  // Texts built in the arena: each has its own address within an evaluation, and the next
  // evaluation reuses the addresses for other texts.
  eval_rows(ev, {
                    {"[1, 2, 3].map(k, date('2024-01-0' + string(k)))",
                     R"(["2024-01-01","2024-01-02","2024-01-03"])"},
                    {"[date('2024-02-29'), date('2024-02-29'), date('2024-03-01')]",
                     R"(["2024-02-29","2024-02-29","2024-03-01"])"},
                });
  ev.env().add_variable("n", types::int64());
  std::unique_ptr<Program> program = ev.compile("date('2024-01-0' + string(n))");
  safeguard::cel::Frame frame;
  for (std::int64_t n : {2, 7, 2, 9}) {
    program->prepare(frame, EvalLimits{});
    for (std::size_t i = 0; i + 1 < program->variable_count(); ++i) {
      frame.slots()[i] = ev.eval_global(i);
    }
    frame.slots()[program->variable_count() - 1] = Value::integer(n);
    CHECK(Evaluator::show(program->root(0)->eval(frame)) ==
          "\"2024-01-0" + std::to_string(n) + "\"");
  }
}

TEST_CASE("date(c.x) of a date validation checked is remembered as date() remembers it") {
  // DateFieldNode reads a text marked cel::kCheckedDate (by schema validation in the
  // engine; by hand here) without parsing it, and remembers its day number by the text's
  // address as date() does (Frame::date_find), so that later reads of the same text, by
  // either way, find it instead of reading the digits again.
  Evaluator ev;
  safeguard::cel::TypeStore& store = ev.env().types();
  safeguard::cel::ObjectType* type = store.new_object("T");
  safeguard::cel::ObjectField on;
  on.name = "on";
  on.type = types::string();
  type->fields.push_back(on);
  type->layout = 0;
  ev.env().add_variable("v", store.object(type));
  const std::unique_ptr<Program> program = ev.compile("date(v.on)");
  REQUIRE(dynamic_cast<const safeguard::cel::DateFieldNode*>(program->root(0)) != nullptr);

  safeguard::snapshot::JsonParser parser;
  safeguard::snapshot::JsonError error;
  safeguard::snapshot::ParsedJson json;
  REQUIRE(parser.parse(R"({"on": "2024-02-29"})", json, &error));
  safeguard::cel::JsonDoc doc = *json.doc();  // the parse, with a layout made by hand
  const std::uint32_t object = doc.root;
  const std::uint32_t text = object + 2;  // after the key
  REQUIRE(safeguard::cel::json_type(&doc, text) == '"');
  // tape[0] is the root marker; its payload is the index of the closing root marker.
  std::vector<std::uint32_t> at(static_cast<std::size_t>(safeguard::cel::json_payload(&doc, 0)) + 1,
                                safeguard::cel::kNoTape);
  const std::vector<std::uint32_t> words = {0, text};  // node 0, its one property
  at[object] = 0;
  at[text] = safeguard::cel::kCheckedDate;
  doc.layout_at = at.data();
  doc.layout_words = words.data();
  const std::int64_t day = safeguard::time::days_from_civil(2024, 2, 29);

  safeguard::cel::Frame frame;
  for (int evaluation = 0; evaluation < 2; ++evaluation) {
    program->prepare(frame, EvalLimits{});
    ev.bind(frame);
    frame.slots()[program->variable_count() - 1] =
        Value::json_container(safeguard::cel::ValueKind::kMap, &doc, object);
    const char* const address = safeguard::cel::json_string_ptr(&doc, text);
    std::int64_t found = 0;
    CHECK_FALSE(frame.date_find(address, &found));  // forgotten with the last evaluation
    for (int read = 0; read < 2; ++read) {
      const Value v = program->root(0)->eval(frame);
      REQUIRE(v.kind == safeguard::cel::ValueKind::kDate);
      CHECK(v.i == day);
      REQUIRE(frame.date_find(address, &found));
      CHECK(found == day);
    }
  }
}

TEST_CASE("dates as JSON and text match time::format_date, in and out of range") {
  const std::int64_t first = safeguard::time::kMinDay;
  const std::int64_t last = safeguard::time::kMaxDay;
  for (std::int64_t d :
       {first - 800, first - 366, first - 1, first, first + 58, std::int64_t{0},
        std::int64_t{19'782}, std::int64_t{11'016}, last - 1, last, last + 1, last + 400}) {
    INFO(d);
    const std::string text = safeguard::time::format_date(d);
    CHECK(safeguard::cel::to_json(Value::date(d)) == "\"" + text + "\"");
    std::string appended = "x";
    safeguard::cel::append_date(appended, d);
    CHECK(appended == "x" + text);
  }
  // Every day of a leap year and of the years around a century.
  for (std::int64_t d = 10'957 - 400; d < 10'957 + 800; ++d) {
    std::string appended;
    safeguard::cel::append_date(appended, d);
    REQUIRE(appended == safeguard::time::format_date(d));
  }
}

TEST_CASE("differential findings: CEL results that disagreed with the language definition") {
  Evaluator ev;
  eval_rows(ev, {
                    // A dyn list indexed by an expression typed double or uint: the checker
                    // must keep the list form of _[_], not only the map form.
                    {"r[double(1)]", "2"},
                    {"r[uint(1)] + 1", "3"},
                    {"case.child.tags[double(0)]", "\"a\""},
                    {"r[double(1) + 0.5]", "error invalid-argument"},
                    {"case.child[double(0)]", "error missing /case/child"},
                });
}

TEST_CASE("differential findings: uint() of a negative double is a range error") {
  Evaluator ev;
  eval_rows(ev, {
                    {"uint(-0.5)", "error range"},
                    {"uint(dyn(-0.999))", "error range"},
                    {"uint(-0.0)", "0"},
                    {"uint(0.5)", "0"},
                    {"int(-0.5)", "0"},
                });
}

TEST_CASE("double() of text too large for a double is a range error; too small reads as zero") {
  Evaluator ev;
  eval_rows(ev, {
                    {"double(\"1e309\")", "error range"},
                    {"double(\"-1e309\")", "error range"},
                    {"double(\"+1e999\") > 0.0", "error range"},
                    {"double(\"1.7976931348623157e308\") > 1e308", "true"},
                    {"double(\"1e-400\") == 0.0", "true"},
                    {"double(\"4.9e-324\") > 0.0", "true"},
                    {"double(\"Infinity\") > 1e308", "true"},
                    {"double(\"-inf\") < -1e308", "true"},
                    {"double(\"1e\")", "error invalid-argument"},
                    {"double(\"1e-400x\")", "error invalid-argument"},
                    {"double(\"1e999 \")", "error invalid-argument"},
                    // One sign only, then a number or Go's spellings of the special values.
                    {"double(\"+-1.5\")", "error invalid-argument"},
                    {"double(\"+-1e999\")", "error invalid-argument"},
                    {"double(\"+-1e-999\")", "error invalid-argument"},
                    {"double(\"-+1\")", "error invalid-argument"},
                    {"double(\"+\")", "error invalid-argument"},
                    {"double(\"-\")", "error invalid-argument"},
                    {"double(\"-nan\")", "error invalid-argument"},
                    {"double(\"+nan\")", "error invalid-argument"},
                    {"double(\"nan(1)\")", "error invalid-argument"},
                    {"double(\"infin\")", "error invalid-argument"},
                    {"double(\"+.5\") == 0.5", "true"},
                    {"double(\"-.5e1\") == -5.0", "true"},
                    {"double(\"+1.5\") == 1.5", "true"},
                    {"double(\"-0\") == 0.0", "true"},
                    {"double(\"-Infinity\") < 0.0", "true"},
                    {"double(\"+INF\") > 0.0", "true"},
                    {"double(\"NaN\") != double(\"NaN\")", "true"},
                });
}

namespace {

// Values of every kind for the fused operators' operands: read from a document (texts with
// escapes and non-ASCII, numbers, null, lists and maps), built while evaluating, constants,
// and errors.
constexpr const char* kKinds = R"({
  "s": "caf\u00e9", "s5": "cafe!", "q": "a\"b\\n\u00e9", "e": "", "i": 1, "big": 18446744073709551615,
  "d": 1.0, "h": 1.5, "n": null, "t": true, "f": false, "w": "2024-01-01T00:00:00Z",
  "l": ["caf\u00e9", 1, null, 1.0, ["x"], {"a": 1}], "ls": ["a", "caf\u00e9"], "le": [],
  "m": {"a": 1, "caf\u00e9": "x"}, "me": {}, "ll": [[1, "a"], []]
})";

const char* const kOperands[] = {
    // From the document.
    "s", "s5", "q", "e", "i", "big", "d", "h", "n", "t", "f", "w", "l", "ls", "le", "m", "me",
    "ll[0]", "ll[1]", "l[4]", "l[5]",
    // Built while evaluating, equal to values above.
    "s + ''", "q + ''", "i + 0", "d + 0.0", "dyn(uint(i))", "[s]", "ls.map(x, x)", "{'a': i}",
    "t && true", "date(w)", "timestamp(w)", "duration('1s')", "bytes(s)", "optional.of(i)",
    "optional.none()", "optional.ofNonZeroValue(e)",
    // Constants.
    "'café'", "'a\"b\\\\né'", "''", "1", "1u", "1.0", "-0.0", "null", "true", "b'caf\\xc3\\xa9'",
    "date('2024-01-01')", "['a', 'café']", "[1, 'a']", "[]", "{'a': 1}", "{}", "[['a']][3]",
    "optional.of(1)", "{1: 'a', 2u: 'b', 'café': 3, true: 4}",
    // Errors.
    "l[9]", "m.zz", "i / 0", "ll[0][5]", "dyn(s).zz"};

struct Outcome {
  std::string value;  // JSON, or the error's code, message, site and snapshot value
  std::int64_t steps_left = 0;
};

Outcome run(Evaluator& ev, const Program& program, const safeguard::cel::Node& node,
            std::int64_t budget) {
  EvalLimits limits;
  limits.max_iterations = budget;
  safeguard::cel::Frame frame;
  program.prepare(frame, limits);
  ev.bind(frame);
  const Value v = node.eval(frame);
  Outcome o;
  o.steps_left = frame.steps_left();
  if (!v.is_error()) {
    o.value = safeguard::cel::to_json(v);
  } else {
    o.value = Evaluator::show(v) + " | " + v.error->message + " | site " +
              std::to_string(v.error->expr_id) + " | tape " + std::to_string(v.error->tape_index);
  }
  return o;
}

}  // namespace

TEST_CASE(
    "fused ==, !=, in, size and orderings give exactly what their call gives, for every pair") {
  using safeguard::cel::EqualityNode;
  using safeguard::cel::InListNode;
  using safeguard::cel::ListSizeNode;
  using safeguard::cel::RelationNode;
  Evaluator ev(kKinds);
  std::size_t fused = 0;
  // Compares the fused node at the root with the call it stands for, each in a fresh frame.
  PlanOptions plan;
  auto compare = [&](const std::string& expr) {
    INFO(expr);
    INFO("folding " << plan.fold_constants);
    const std::unique_ptr<Program> program = ev.compile(expr, plan);
    const safeguard::cel::Node* root = program->root(0);
    const safeguard::cel::Node* call = nullptr;
    if (const auto* n = dynamic_cast<const InListNode*>(root)) call = n->call();
    if (const auto* n = dynamic_cast<const EqualityNode<false>*>(root)) call = n->call();
    if (const auto* n = dynamic_cast<const EqualityNode<true>*>(root)) call = n->call();
    if (const auto* n = dynamic_cast<const ListSizeNode*>(root)) call = n->call();
    if (const auto* n = dynamic_cast<const RelationNode<0>*>(root)) call = n->call();
    if (const auto* n = dynamic_cast<const RelationNode<1>*>(root)) call = n->call();
    if (const auto* n = dynamic_cast<const RelationNode<2>*>(root)) call = n->call();
    if (const auto* n = dynamic_cast<const RelationNode<3>*>(root)) call = n->call();
    if (call == nullptr) return;  // folded, or another node
    ++fused;
    for (std::int64_t budget : {1000000, 2, 0}) {
      INFO("budget " << budget);
      const Outcome a = run(ev, *program, *root, budget);
      const Outcome b = run(ev, *program, *call, budget);
      CHECK(a.value == b.value);
      CHECK(a.steps_left == b.steps_left);
    }
  };
  // With constants folded (a constant list is read once) and without.
  for (const bool fold : {true, false}) {
    plan.fold_constants = fold;
    for (const char* x : kOperands) {
      compare(std::string("size(dyn(") + x + "))");
      compare(std::string("dyn(") + x + ").size()");
      for (const char* y : kOperands) {
        const std::string a = std::string("dyn(") + x + ")";
        const std::string b = std::string("dyn(") + y + ")";
        compare(a + " == " + b);
        compare(a + " != " + b);
        compare(a + " in " + b);
        for (const char* op : {" < ", " <= ", " > ", " >= "}) compare(a + op + b);
        compare(std::string(x) + " in " + b);
      }
      // A text in constant lists, and a list that is a constant error.
      compare(std::string("dyn(") + x + ") in ['a', 'café', 1, null]");
      compare(std::string("dyn(") + x + ") in [['café']][3]");
      compare(std::string("dyn(") + x + ") in [['café']][0]");
    }
  }
  CHECK(fused > 20000);
}

TEST_CASE("&& and || chains and loop predicates of && give exactly what the binary nodes give") {
  // cel::JunctionNode for `a && b && c ...` (and ||), and the loops whose predicate is a
  // conjunction (MacroNode's kConjunction), each against the chain of AndNodes (OrNodes)
  // and the plain loop over the same operands in the same program: the same value, error
  // (message and site) and steps, at a budget that suffices and at one that does not.
  using safeguard::cel::AndNode;
  using safeguard::cel::ComprehensionNode;
  using safeguard::cel::JunctionNode;
  using safeguard::cel::MacroKind;
  using safeguard::cel::MacroNode;
  using safeguard::cel::Node;
  using safeguard::cel::OrNode;
  Evaluator ev(kKinds);
  PlanOptions plan;
  plan.fold_constants = false;
  std::vector<std::unique_ptr<Node>> made;  // the reference nodes
  const auto same = [&](const Program& program, const Node& node, const Node& reference) {
    for (std::int64_t budget : {1000000, 3, 0}) {
      INFO("budget " << budget);
      const Outcome a = run(ev, program, node, budget);
      const Outcome b = run(ev, program, reference, budget);
      CHECK(a.value == b.value);
      CHECK(a.steps_left == b.steps_left);
    }
  };
  // true, false, null and an int (no bools), two errors, and two loops (steps).
  const char* const operands[] = {
      "t", "f", "n", "i", "l[9]", "dyn(i / 0)", "ls.exists(x, x == 'a')", "ls.all(x, x == 'a')"};
  std::size_t chains = 0;
  for (const bool is_and : {true, false}) {
    const char* op = is_and ? " && " : " || ";
    const auto chain = [&](const std::vector<const char*>& parts) {
      std::string expr = parts[0];
      for (std::size_t k = 1; k < parts.size(); ++k) expr += op + std::string(parts[k]);
      INFO(expr);
      const std::unique_ptr<Program> program = ev.compile(expr, plan);
      const Node* root = program->root(0);
      std::vector<const Node*> operands_of;
      if (const auto* j = dynamic_cast<const JunctionNode<true>*>(root))
        operands_of = j->operands();
      if (const auto* j = dynamic_cast<const JunctionNode<false>*>(root))
        operands_of = j->operands();
      // The parser balances chains: `a && b && c` is (a && b) && c, and `a && b && c && d`
      // is (a && b) && (c && d), whose right part stays one operand.
      REQUIRE(operands_of.size() == 3);
      const Node* reference = operands_of[0];
      for (std::size_t k = 1; k < operands_of.size(); ++k) {
        made.push_back(
            is_and ? std::unique_ptr<Node>(std::make_unique<AndNode>(0, reference, operands_of[k]))
                   : std::unique_ptr<Node>(std::make_unique<OrNode>(0, reference, operands_of[k])));
        reference = made.back().get();
      }
      same(*program, *root, *reference);
      ++chains;
    };
    for (const char* a : operands) {
      for (const char* b : operands) {
        for (const char* c : operands) chain({a, b, c});
      }
    }
    for (const char* a : {"t", "f", "n", "l[9]"}) {
      for (const char* b : {"t", "f", "i", "dyn(i / 0)"}) {
        for (const char* c : {"t", "f", "n", "l[9]"}) {
          for (const char* d : {"t", "f", "i", "dyn(i / 0)"}) chain({a, b, c, d});
        }
      }
    }
  }
  CHECK(chains == 2 * (512 + 256));
  // Two operands stay a binary node; a cached or parenthesised part stays one operand.
  CHECK(dynamic_cast<const AndNode*>(ev.compile("t && f", plan)->root(0)) != nullptr);
  CHECK(dynamic_cast<const OrNode*>(ev.compile("(t && f) || n", plan)->root(0)) != nullptr);
  CHECK(dynamic_cast<const AndNode*>(ev.compile("t && (f && n)", plan)->root(0)) != nullptr);

  // Loops whose predicate is a conjunction of two or three parts, over l's elements (a
  // text, ints, a null, a double, a list, a map): bools, values that are not, errors.
  const char* const parts[] = {"x == 1", "x != null", "x", "x > 0", "x[0] == 'x'", "t", "f"};
  std::size_t loops = 0;
  const auto loop = [&](const char* macro, const std::string& predicate) {
    const std::string expr = std::string("l.") + macro + "(x, " + predicate + ")";
    INFO(expr);
    const std::unique_ptr<Program> program = ev.compile(expr, plan);
    const Node* root = program->root(0);
    const auto* m = dynamic_cast<const ComprehensionNode*>(root);
    REQUIRE(m != nullptr);
    const std::size_t count = made.size();
    const std::uint32_t id = root->expr_id();  // where the loop locates a budget error
    const Node* p = m->predicate();
    if (dynamic_cast<const MacroNode<MacroKind::kExists, false, true>*>(root) != nullptr) {
      made.push_back(std::make_unique<MacroNode<MacroKind::kExists>>(id, m->range(), m->slot(), p,
                                                                     nullptr, m->scope()));
    } else if (dynamic_cast<const MacroNode<MacroKind::kAll, false, true>*>(root) != nullptr) {
      made.push_back(std::make_unique<MacroNode<MacroKind::kAll>>(id, m->range(), m->slot(), p,
                                                                  nullptr, m->scope()));
    } else if (dynamic_cast<const MacroNode<MacroKind::kFilter, false, true>*>(root) != nullptr) {
      made.push_back(std::make_unique<MacroNode<MacroKind::kFilter>>(id, m->range(), m->slot(), p,
                                                                     nullptr, m->scope()));
    } else if (dynamic_cast<const MacroNode<MacroKind::kFilter, true, true>*>(root) != nullptr) {
      made.push_back(std::make_unique<MacroNode<MacroKind::kFilter, true>>(
          id, m->range(), m->slot(), p, nullptr, m->scope()));
    }
    if (made.size() == count) return;  // an invariant predicate: cached, a plain loop
    const Node* reference = made.back().get();
    same(*program, *root, *reference);
    ++loops;
  };
  for (const char* macro : {"exists", "all", "filter"}) {
    for (const char* a : parts) {
      for (const char* b : parts) {
        loop(macro, std::string(a) + " && " + b);
        if (std::string(macro) == "filter")
          loop(macro, "is_true(" + std::string(a) + " && " + b + ")");
        for (const char* c : {"x == 1", "x", "x > 0", "f"}) {
          loop(macro, std::string(a) + " && " + b + " && " + c);
        }
      }
    }
  }
  CHECK(loops == 784 - 28);  // all but those whose predicate is invariant (of t and f)
  // A predicate that is no conjunction keeps the plain loop.
  CHECK(dynamic_cast<const MacroNode<MacroKind::kExists>*>(
            ev.compile("l.exists(x, x == 1 || x == 2)", plan)->root(0)) != nullptr);
}

TEST_CASE("each one-variable macro is a node of its own kind, with the macro's values and steps") {
  using safeguard::cel::ComprehensionNode;
  using safeguard::cel::MacroKind;
  using safeguard::cel::MacroNode;
  Evaluator ev(kKinds);
  PlanOptions plan;
  plan.fold_constants = false;
  struct Case {
    const char* expr;
    MacroKind kind;
    const char* value;       // at a budget of a million steps
    std::int64_t steps = 0;  // the steps they take
  };
  // Snapshot lists and maps, lists and maps built while evaluating, errors in the range, the
  // predicate and the transform, and a range that is no list or map.
  const Case cases[] = {
      {"l.exists(x, x == 1)", MacroKind::kExists, "true", 2},
      {"l.exists(x, x == 'zz')", MacroKind::kExists, "false", 6},
      {"l.exists(x, x > 0)", MacroKind::kExists, "true", 2},
      {"ll.exists(x, x[1] == 'b')", MacroKind::kExists, "error index-out-of-range", 2},
      {"[1, 2].exists(x, x == 2)", MacroKind::kExists, "true", 2},
      {"m.exists(k, k == 'caf\u00e9')", MacroKind::kExists, "true", 2},
      {"{'a': 1}.exists(k, k == 'b')", MacroKind::kExists, "false", 1},
      {"i.exists(x, true)", MacroKind::kExists, "error no-matching-overload", 0},
      {"l[9].exists(x, true)", MacroKind::kExists, "error index-out-of-range", 0},
      {"ls.all(x, x != '')", MacroKind::kAll, "true", 2},
      {"l.all(x, x == 1)", MacroKind::kAll, "false", 1},
      {"[1, 'a'].all(x, x == 1 ? true : x)", MacroKind::kAll, "error no-matching-overload", 2},
      {"ls.exists_one(x, x == 'a')", MacroKind::kExistsOne, "true", 2},
      {"[1, 0].exists_one(x, 10 / x == 10)", MacroKind::kExistsOne, "error divide-by-zero", 2},
      {"ls.filter(x, x != 'a')", MacroKind::kFilter, "[\"caf\u00e9\"]", 2},
      {"l.filter(x, x == 1)", MacroKind::kFilter, "[1,1]", 6},
      {"m.filter(k, k == 'a')", MacroKind::kFilter, "[\"a\"]", 2},
      {"le.filter(x, true)", MacroKind::kFilter, "[]", 0},
      {"[1, 0].filter(x, 10 / x > 1)", MacroKind::kFilter, "error divide-by-zero", 2},
      {"ls.map(x, x + '!')", MacroKind::kMap, "[\"a!\",\"caf\u00e9!\"]", 2},
      {"ls.map(x, x == 'a', x + '!')", MacroKind::kMap, "[\"a!\"]", 2},
      {"[1, 2].map(x, 10 / (x - 2))", MacroKind::kMap, "error divide-by-zero", 2},
      {"me.map(k, k)", MacroKind::kMap, "[]", 0},
  };
  for (const Case& c : cases) {
    INFO(c.expr);
    const std::unique_ptr<Program> program = ev.compile(c.expr, plan);
    const safeguard::cel::Node* root = program->root(0);
    const auto* macro = dynamic_cast<const ComprehensionNode*>(root);
    REQUIRE(macro != nullptr);
    CHECK(macro->kind() == c.kind);
    const bool typed = c.kind == MacroKind::kAll
                           ? dynamic_cast<const MacroNode<MacroKind::kAll>*>(root) != nullptr
                       : c.kind == MacroKind::kExists
                           ? dynamic_cast<const MacroNode<MacroKind::kExists>*>(root) != nullptr
                       : c.kind == MacroKind::kExistsOne
                           ? dynamic_cast<const MacroNode<MacroKind::kExistsOne>*>(root) != nullptr
                       : c.kind == MacroKind::kFilter
                           ? dynamic_cast<const MacroNode<MacroKind::kFilter>*>(root) != nullptr
                           : dynamic_cast<const MacroNode<MacroKind::kMap>*>(root) != nullptr;
    CHECK(typed);
    const Outcome all = run(ev, *program, *root, 1000000);
    INFO(all.value);
    CHECK(all.value.rfind(c.value, 0) == 0);
    CHECK(1000000 - all.steps_left == c.steps);
    // One step short of what it takes: the budget error, located at the macro.
    if (c.steps > 0) {
      const Outcome short_of = run(ev, *program, *root, c.steps - 1);
      CHECK(short_of.value.rfind("error budget-exceeded", 0) == 0);
      CHECK(short_of.value.find("| site " + std::to_string(root->expr_id()) + " |") !=
            std::string::npos);
    }
  }
}

TEST_CASE("calls on snapshot objects are remembered by object exactly as in the hash table") {
  // Frame::object_memo_slot: a call of a one-parameter function on an object of the
  // snapshot is remembered in a table indexed by the object; with that table's limit at 0,
  // every call goes to the hash table. The two must give the same values, errors (site and
  // snapshot place) and steps, at every budget, and stop remembering at the same call.
  Evaluator ev;
  ev.add_function("score2", {"c"}, "[1, 2, 3, 4, 5].filter(x, x < c.score).size()");
  ev.add_function("outcome", {"c"}, "c.decision.outcome");
  ev.add_function("label", {"c"}, "c.id + string(score2(c))");
  ev.add_function("name", {"p"}, "p.name");
  ev.add_function("pair", {"a", "b"}, "a * 2 + b");
  const char* const exprs[] = {
      "case.contacts.map(c, score2(c)) + case.contacts.map(c, score2(c))",
      "case.contacts.map(c, label(c)) + [label(case.contacts[1]), label(case.contacts[0])]",
      "case.contacts.exists(c, outcome(c) == 'x') || case.contacts.all(c, score2(c) > 0)",
      "[outcome(case.contacts[0])]",
      "outcome(case.contacts[1])",
      "case.contacts.filter(c, score2(c) > 2).map(c, label(c))",
      "[name(case.child), name(case.child), name({'name': 'B'}), name(case.child)]",
      "name(case.contacts[0]) + name(case.child)",
      // Past kMaxMemoEntries calls (65,536) neither table remembers: the last calls run
      // their bodies again.
      "size(r.map(a, r.map(b, r.map(c, r.map(d, r.map(e, pair(a * 10000 + b * 1000 + c * 100 + "
      "d * 10, e))))))) + score2(case.contacts[1]) + score2(case.contacts[1])",
  };
  const auto run_with = [&](const Program& program, std::int64_t budget, std::size_t limit,
                            std::size_t* by_object) {
    EvalLimits limits;
    limits.max_iterations = budget;
    safeguard::cel::Frame frame;
    frame.set_object_memo_limit(limit);
    program.prepare(frame, limits);
    ev.bind(frame);
    const Value v = program.root(0)->eval(frame);
    *by_object = frame.object_memo_count();
    Outcome o;
    o.steps_left = frame.steps_left();
    o.value = !v.is_error() ? safeguard::cel::to_json(v)
                            : Evaluator::show(v) + " | " + v.error->message + " | site " +
                                  std::to_string(v.error->expr_id) + " | tape " +
                                  std::to_string(v.error->tape_index);
    return o;
  };
  std::size_t remembered_by_object = 0;
  for (const char* expr : exprs) {
    INFO(expr);
    const std::unique_ptr<Program> program = ev.compile(expr);
    std::size_t by_object = 0;
    std::size_t none = 0;
    const Outcome hashed = run_with(*program, 10000000, 0, &none);
    CHECK(none == 0);
    const Outcome all = run_with(*program, 10000000, std::size_t{1} << 18, &by_object);
    INFO(all.value);
    CHECK(all.value == hashed.value);
    CHECK(all.steps_left == hashed.steps_left);
    remembered_by_object += by_object;
    // Every budget up to what the expression takes (the long one: near its end).
    const std::int64_t used = 10000000 - all.steps_left;
    for (std::int64_t budget = used > 200 ? used - 8 : 0; budget <= used; ++budget) {
      INFO("budget " << budget);
      const Outcome a = run_with(*program, budget, std::size_t{1} << 18, &by_object);
      const Outcome b = run_with(*program, budget, 0, &none);
      CHECK(a.value == b.value);
      CHECK(a.steps_left == b.steps_left);
    }
  }
  CHECK(remembered_by_object > 10);
}
