// The type checker: inferred types, check errors with their hints, and the rule-set
// extensions (definitions, CEL-defined functions, raised()) including cycles and recursion.
#include <catch2/catch.hpp>

#include <cstdint>
#include <deque>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "cel/check/checker.hpp"
#include "cel/parse/parser.hpp"

using safeguard::cel::CheckedTree;
using safeguard::cel::Checker;
using safeguard::cel::CheckOptions;
using safeguard::cel::Env;
using safeguard::cel::FunctionDecl;
using safeguard::cel::ObjectType;
using safeguard::cel::ParsedExpr;
using safeguard::cel::Type;
using safeguard::cel::TypeStore;
namespace types = safeguard::cel::types;

namespace {

// An Env with one variable of each kind and a `person` object, plus the parsed texts
// it refers to (the checker keeps pointers into them).
class Fixture {
 public:
  Fixture() {
    TypeStore& store = env_.types();
    env_.add_variable("i", types::int64());
    env_.add_variable("u", types::uint64());
    env_.add_variable("d", types::real());
    env_.add_variable("s", types::string());
    env_.add_variable("b", types::boolean());
    env_.add_variable("l", store.list(types::int64()));
    env_.add_variable("m", store.map(types::string(), types::int64()));
    env_.add_variable("ts", types::timestamp());
    env_.add_variable("du", types::duration());
    env_.add_variable("day", types::date());
    env_.add_variable("j", types::dyn());
    env_.add_variable("count", types::int64());
    ObjectType* person = store.new_object("Person");
    person->fields.push_back({"name", types::string(), true, "", {}, {}});
    person->fields.push_back({"age", types::int64(), false, "", {}, {}});
    person->fields.push_back({"born", types::string(), false, "date", {}, {}});
    env_.add_variable("person", store.object(person));
    env_.add_variable("people", store.list(store.object(person)));
  }

  Env& env() { return env_; }

  const ParsedExpr* parse(std::string_view text) {
    auto result = safeguard::cel::parse(text);
    REQUIRE(result.ok());
    parsed_.push_back(std::move(result.expr));
    return &parsed_.back();
  }

  // The root's type name, or "ERROR <code>: <message> [<hint>]" for the first issue and
  // how many more there are.
  std::string check(std::string_view text, CheckOptions options = {}) {
    const ParsedExpr* ast = parse(text);
    Checker checker(env_, options);
    const CheckedTree* tree = checker.check(*ast, 0);
    return describe(checker, tree);
  }

  static std::string describe(const Checker& checker, const CheckedTree* tree) {
    if (checker.issues().empty()) return safeguard::cel::type_name(tree->type_of(*tree->ast->root));
    const auto& issue = checker.issues().front().issue;
    std::string out = "ERROR " + issue.code + ": " + issue.message;
    if (!issue.hint.empty()) out += " [" + issue.hint + "]";
    if (checker.issues().size() > 1) {
      out += " (+" + std::to_string(checker.issues().size() - 1) + " more)";
    }
    return out;
  }

  void define(std::string name, std::string_view body) {
    env_.add_definition(std::move(name), parse(body), 1);
  }

  void function(std::string name, std::vector<std::string> params, std::string_view body) {
    FunctionDecl decl;
    decl.name = std::move(name);
    decl.params = std::move(params);
    decl.param_offsets.assign(decl.params.size(), 0);
    decl.body = parse(body);
    decl.source = 2;
    env_.add_function(std::move(decl));
  }

 private:
  Env env_;
  std::deque<ParsedExpr> parsed_;
};

struct Row {
  const char* expr;
  const char* expected;
};

void check_rows(Fixture& f, const std::vector<Row>& rows) {
  for (const Row& row : rows) {
    INFO(row.expr);
    CHECK(f.check(row.expr) == row.expected);
  }
}

}  // namespace

TEST_CASE("literals, aggregates and operators have the types CEL gives them") {
  Fixture f;
  check_rows(f, {
                    {"1", "int"},
                    {"1u", "uint"},
                    {"1.5", "double"},
                    {"'a'", "string"},
                    {"b'a'", "bytes"},
                    {"true", "bool"},
                    {"null", "null_type"},
                    {"[1, 2]", "list(int)"},
                    {"[1, null]", "list(dyn)"},
                    {"[1, 'a']", "list(dyn)"},
                    {"[]", "list(dyn)"},
                    {"[[1], [2, 3]]", "list(list(int))"},
                    {"{'a': 1}", "map(string, int)"},
                    {"{'a': 1, 2: 'b'}", "map(dyn, dyn)"},
                    {"{}", "map(dyn, dyn)"},
                    {"i + 1", "int"},
                    {"u * 2u", "uint"},
                    {"d / 2.0", "double"},
                    {"-i", "int"},
                    {"s + 'x'", "string"},
                    {"l + [3]", "list(int)"},
                    {"i < 2 && !b", "bool"},
                    {"i == 1u", "bool"},
                    {"i == null", "bool"},
                    {"1 in l", "bool"},
                    {"'k' in m", "bool"},
                    {"b ? 1 : 2", "int"},
                    {"b ? j : 'a'", "dyn"},
                    {"b ? l : []", "list(int)"},
                    {"b ? [1] : [j]", "list(dyn)"},
                    {"b ? person : {'name': 'x'}", "dyn"},
                    {"b ? type(1) : type('a')", "dyn"},
                    {"l[0]", "int"},
                    {"m['k']", "int"},
                    {"m.k", "int"},
                    {"{'a': [1]}['a'][0]", "int"},
                    {"has(m.k)", "bool"},
                });
}

TEST_CASE("functions, conversions, time and macros infer their result types") {
  Fixture f;
  check_rows(f, {
                    {"size(s)", "int"},
                    {"s.size()", "int"},
                    {"l.size()", "int"},
                    {"s.startsWith('a')", "bool"},
                    {"int(d)", "int"},
                    {"string(i)", "string"},
                    {"dyn(1)", "dyn"},
                    {"type(1)", "type(int)"},
                    {"int", "type(int)"},
                    {"type(1) == type('a')", "bool"},
                    {"google.protobuf.Timestamp", "type(timestamp)"},
                    {"timestamp('2024-01-01T00:00:00Z')", "timestamp"},
                    {"ts - ts", "duration"},
                    {"ts + du", "timestamp"},
                    {"ts.getFullYear()", "int"},
                    {"date('2024-01-01')", "date"},
                    {"add_days(day, 1)", "date"},
                    {"l.map(x, x * 2)", "list(int)"},
                    {"l.map(x, x > 1, string(x))", "list(string)"},
                    {"l.filter(x, x > 1)", "list(int)"},
                    {"l.exists(x, x > 1)", "bool"},
                    {"l.all(x, x > 1)", "bool"},
                    {"l.exists_one(x, x > 1)", "bool"},
                    {"m.all(k, k != '')", "bool"},
                    {"m.map(k, m[k])", "list(int)"},
                    {"l.filter(x, x > 1).size()", "int"},
                    {"[l, l].map(x, x.size())", "list(int)"},
                    {"cel.bind(x, 'a', x + x)", "string"},
                    {"people.map(p, p.age)", "list(int)"},
                    {"person.name", "string"},
                });
}

TEST_CASE("dyn flows through: fields, indexes and calls on dyn check as dyn or by overload") {
  Fixture f;
  check_rows(f, {
                    {"j.anything", "dyn"},
                    {"j[0]", "dyn"},
                    {"j.a.b.c", "dyn"},
                    {"j + 1", "int"},
                    {"j == 'a'", "bool"},
                    {"j.exists(x, x == 1)", "bool"},
                    {"[j, 1]", "list(dyn)"},
                    {"{'a': 1} == {'a': j}", "bool"},
                    {"{'a': 1, 'b': 'x'} == {'a': 1, 'b': 2}", "bool"},
                    {"[1, 'a'] == [1, 2]", "bool"},
                });
}

TEST_CASE("undeclared names are errors with a did-you-mean hint") {
  Fixture f;
  CHECK(f.check("coutn + 1") ==
        "ERROR cel.undeclared: undeclared reference to 'coutn' [did you mean 'count'?]");
  CHECK(f.check("persn.name") ==
        "ERROR cel.undeclared: undeclared reference to 'persn' [did you mean 'person'?]");
  CHECK(f.check("l.exists(item, itme > 1)") ==
        "ERROR cel.undeclared: undeclared reference to 'itme' [did you mean 'item'?]");
  CHECK(f.check("zzzzzz") == "ERROR cel.undeclared: undeclared reference to 'zzzzzz'");
  // One problem, one issue: nothing more is said about what the unknown name leads to.
  CHECK(f.check("persn.name.frobnicate(1) + 1") ==
        "ERROR cel.undeclared: undeclared reference to 'persn' [did you mean 'person'?]");
  CHECK(f.check("sizee(s)") ==
        "ERROR cel.undeclared-function: undeclared function 'sizee' [did you mean 'size'?]");
  CHECK(f.check("size(s, s)") == "ERROR cel.wrong-arity: no form of 'size' takes 2 argument(s)");
}

TEST_CASE("dotted names resolve by their longest declared prefix") {
  Fixture f;
  f.env().add_variable("cfg.limits", f.env().types().map(types::string(), types::int64()));
  f.env().add_variable("cfg.limits.max", types::string());
  CHECK(f.check("cfg.limits.min") == "int");
  CHECK(f.check("cfg.limits.max") == "string");
  CHECK(f.check(".cfg.limits.min + 1") == "int");
  CHECK(f.check("cfg.other") == "ERROR cel.undeclared: undeclared reference to 'cfg'");
}

TEST_CASE("fields of object types are checked against the declared fields") {
  Fixture f;
  CHECK(f.check("person.nmae") ==
        "ERROR cel.unknown-field: unknown field 'nmae' of Person [did you mean 'name'?]");
  CHECK(f.check("has(person.agee)") ==
        "ERROR cel.unknown-field: unknown field 'agee' of Person [did you mean 'age'?]");
  CHECK(f.check("people.exists(p, p.nme == 'x')") ==
        "ERROR cel.unknown-field: unknown field 'nme' of Person [did you mean 'name'?]");
  CHECK(f.check("person.age + 1") == "int");
  CHECK(f.check("i.field") ==
        "ERROR cel.no-such-field: cannot select field 'field' of a value of type int");
  CHECK(f.check("{1: 2}.a") == "ERROR cel.no-such-field: a map with int keys has no fields");
}

TEST_CASE("optional selection and chaining check fields of object types too") {
  Fixture f;
  CHECK(f.check("person.?age") == "optional_type(int)");
  CHECK(f.check("person.?age.orValue(0) + 1") == "int");
  CHECK(f.check("person.?nmae") ==
        "ERROR cel.unknown-field: unknown field 'nmae' of Person [did you mean 'name'?]");
  CHECK(f.check("people[?0].nmae") ==
        "ERROR cel.unknown-field: unknown field 'nmae' of Person [did you mean 'name'?]");
  // `.?` on an optional selects from its value: one optional, not two.
  CHECK(f.check("people[?0].?name") == "optional_type(string)");
  CHECK(f.check("people[?0].name") == "optional_type(string)");
  CHECK(f.check("people[?0].optFlatMap(p, p.?born)") == "optional_type(string)");
  CHECK(f.check("has(people[?0].age)") == "bool");
  CHECK(f.check("[?person.?age, 1][0]") == "int");
  // optional.none() is optional_type(dyn) (cel-go would infer optional_type(int)).
  CHECK(f.check("true ? person.?age : optional.none()") == "optional_type(dyn)");
  CHECK(f.check("person.?age == optional.of(3)") == "bool");
  CHECK(f.check("person.?age == optional.of('3')").rfind("ERROR cel.no-matching-overload", 0) == 0);
  CheckOptions unchecked;
  unchecked.strict_types = false;
  CHECK(f.check("i.?field", unchecked) == "optional_type(dyn)");
  CHECK(f.check("[?i]", unchecked) == "list(dyn)");
  CHECK(f.check("i.optMap(x, x)", unchecked) == "optional_type(dyn)");
}

TEST_CASE("calls with no matching overload say what was applied and what is accepted") {
  Fixture f;
  CHECK(f.check("1 + 'a'") ==
        "ERROR cel.no-matching-overload: cannot apply '+' to int and string [to put a number into "
        "text convert it first: \"...\" + string(n)]");
  CHECK(f.check("i + u") == "ERROR cel.no-matching-overload: cannot apply '+' to int and uint");
  CHECK(f.check("size(1)") ==
        "ERROR cel.no-matching-overload: no matching overload for 'size' applied to (int) "
        "[accepted forms: size(string) -> int; size(bytes) -> int; size(list(A)) -> int; "
        "size(map(K, V)) -> int]");
  CHECK(f.check("day < '2024-01-01'") ==
        "ERROR cel.no-matching-overload: cannot apply '<' to date and string "
        "[convert the text to a date first, e.g. date(x.received_at)]");
  CHECK(f.check("[1] < [2]") ==
        "ERROR cel.no-matching-overload: cannot apply '<' to list(int) and list(int)");
  CHECK(f.check("1 && true") == "ERROR cel.type-mismatch: operand of '&&' must be a bool, not int");
  CHECK(f.check("s ? 1 : 2") ==
        "ERROR cel.type-mismatch: condition of '?:' must be a bool, not string");
  // CEL declares `?:` as (bool, A, A) -> A: no join to dyn of two known, different types.
  CHECK(f.check("b ? 1 : 'a'") ==
        "ERROR cel.type-mismatch: the two branches of '?:' must have the same type, not int and "
        "string [convert one branch, e.g. double(x) or string(x), so that both give the same "
        "type]");
  CHECK(f.check("b ? i : d") ==
        "ERROR cel.type-mismatch: the two branches of '?:' must have the same type, not int and "
        "double [convert one branch, e.g. double(x) or string(x), so that both give the same "
        "type]");
  CHECK(f.check("b ? [1] : ['a']") ==
        "ERROR cel.type-mismatch: the two branches of '?:' must have the same type, not "
        "list(int) and list(string) [convert one branch, e.g. double(x) or string(x), so that "
        "both give the same type]");
  CHECK(f.check("b ? day : ts") ==
        "ERROR cel.type-mismatch: the two branches of '?:' must have the same type, not date "
        "and timestamp [convert one branch, e.g. double(x) or string(x), so that both give the "
        "same type]");
  CHECK(f.check("l.exists(x, x)") ==
        "ERROR cel.type-mismatch: the condition of this macro must be a bool, not int");
  CHECK(f.check("1.exists(x, true)") ==
        "ERROR cel.not-iterable: cannot iterate over a value of type int (macros need a list or a "
        "map)");
  CHECK(f.check("{[1]: 2}") ==
        "ERROR cel.invalid-map-key: map keys must be strings, integers or booleans, not list(int)");
}

TEST_CASE("unchecked mode defers type and name problems to evaluation") {
  Fixture f;
  CheckOptions unchecked;
  unchecked.strict_types = false;
  CHECK(f.check("1 + 'a'", unchecked) == "dyn");
  CHECK(f.check("x || true", unchecked) == "bool");
  CHECK(f.check("f_unknown(1)", unchecked) == "dyn");
  CHECK(f.check("a.b.c", unchecked) == "dyn");
  CHECK(f.check("i.field", unchecked) == "dyn");
}

TEST_CASE("definitions are checked once, typed by their body, and may use one another") {
  Fixture f;
  f.define("adult", "person.age >= 18");
  f.define("named_adult", "adult && person.name != ''");
  f.define("ages", "people.map(p, p.age)");
  CHECK(f.check("named_adult") == "bool");
  CHECK(f.check("ages[0] + 1") == "int");
  CHECK(f.check("adlt") ==
        "ERROR cel.undeclared: undeclared reference to 'adlt' [did you mean 'adult'?]");
}

TEST_CASE("a definition that refers to itself is a cycle") {
  Fixture f;
  f.define("a", "b + 1");
  f.define("b", "c + 1");
  f.define("c", "a + 1");
  f.define("self", "self");
  const std::string cycle =
      "ERROR cel.cycle: definition 'a' refers to itself (directly or through other definitions) "
      "[break the cycle: a definition cannot use its own value]";
  CHECK(f.check("a") == cycle);
  CHECK(f.check("self").rfind("ERROR cel.cycle: definition 'self' refers to itself", 0) == 0);
}

TEST_CASE("definitions nested past max_reference_depth are refused") {
  Fixture f;
  for (int k = 0; k < 10; ++k) f.define("d" + std::to_string(k), "d" + std::to_string(k + 1));
  f.define("d10", "1");
  CHECK(f.check("d0") == "int");
  CheckOptions shallow;
  shallow.max_reference_depth = 4;
  CHECK(f.check("d0", shallow) ==
        "ERROR cel.limit: definitions and functions refer to one another too deeply (the "
        "limit is 4)");
}

TEST_CASE("functions are instantiated per argument types") {
  Fixture f;
  f.function("twice", {"x"}, "x + x");
  f.function("older", {"p", "years"}, "p.age > years");
  CHECK(f.check("twice(2)") == "int");
  CHECK(f.check("twice(2.5)") == "double");
  CHECK(f.check("twice('a')") == "string");
  CHECK(f.check("twice([1])") == "list(int)");
  CHECK(f.check("people.filter(p, older(p, 30))") == "list(Person)");
  CHECK(f.check("twice(1, 2)") ==
        "ERROR cel.wrong-arity: function 'twice' takes 1 argument(s), not 2");
  CHECK(f.check("twice(true)") ==
        "ERROR cel.no-matching-overload: cannot apply '+' to bool and bool");
  CHECK(f.check("older(person, 'x')") ==
        "ERROR cel.no-matching-overload: cannot apply '>' to int and string [numbers and text do "
        "not mix: write numbers without quotes (a param too: value: 5, not \"5\"), or convert the "
        "text with int(...) or double(...)]");
}

TEST_CASE("recursive functions are refused, directly or through another function") {
  Fixture f;
  f.function("fact", {"n"}, "n <= 1 ? 1 : n * fact(n - 1)");
  f.function("ping", {"n"}, "pong(n)");
  f.function("pong", {"n"}, "ping(n)");
  const std::string recursion = " calls itself [CEL functions here cannot be recursive]";
  CHECK(f.check("fact(3)") == "ERROR cel.recursion: function 'fact'" + recursion);
  CHECK(f.check("ping(1)") == "ERROR cel.recursion: function 'ping'" + recursion);
}

TEST_CASE("raised() reads declared rules, named by a string literal") {
  Fixture f;
  f.env().add_rule("contact.overdue");
  f.env().add_rule("plan.missing");
  CHECK(f.check("raised('contact.overdue') && !raised('plan.missing')") == "bool");
  CHECK(f.check("raised('contact.overdeu')") ==
        "ERROR cel.unknown-rule: unknown rule 'contact.overdeu' [did you mean 'contact.overdue'?]");
  CHECK(f.check("raised(s)").rfind("ERROR cel.rule-reference: raised() takes one rule id", 0) == 0);

  // Rules read through definitions count as used by the expression.
  f.define("any_raised", "raised('plan.missing')");
  const ParsedExpr* ast = f.parse("any_raised || raised('contact.overdue')");
  Checker checker(f.env());
  const CheckedTree* tree = checker.check(*ast, 0);
  REQUIRE_FALSE(checker.has_errors());
  CHECK(tree->rules_used == std::set<std::uint32_t>{0, 1});

  f.env().set_rule_function("fired");
  CHECK(f.check("fired('plan.missing')") == "bool");
}

TEST_CASE("null is a branch of '?:' only for the types that accept it, as in cel-go") {
  // cel-go declares `?:` as (bool, A, A) -> A and binds null only to a message, timestamp,
  // duration, opaque type or wrapper: `false ? 1 : null` is "no matching overload for
  // '_?_:_' applied to '(bool, int, null)'". It checked here as an int, so
  // `(false ? 1 : null) + 1` failed only when evaluated.
  Fixture f;
  const std::string hint =
      " [null stands only for an object, a timestamp, a duration, a date or an optional: give "
      "the other case a value of the same type (0, \"\", [])]";
  CHECK(f.check("(false ? 1 : null) + 1") ==
        "ERROR cel.type-mismatch: the two branches of '?:' must have the same type, not int and "
        "null_type" +
            hint);
  CHECK(f.check("b ? null : s") ==
        "ERROR cel.type-mismatch: the two branches of '?:' must have the same type, not null_type "
        "and string" +
            hint);
  // A list or a map does not accept null either (this once checked as list(int)).
  CHECK(f.check("b ? null : [1]").rfind("ERROR cel.type-mismatch", 0) == 0);
  CHECK(f.check("b ? l : null").rfind("ERROR cel.type-mismatch", 0) == 0);
  CHECK(f.check("b ? m : null").rfind("ERROR cel.type-mismatch", 0) == 0);
  CHECK(f.check("b ? d : null").rfind("ERROR cel.type-mismatch", 0) == 0);
  CHECK(f.check("b ? b : null").rfind("ERROR cel.type-mismatch", 0) == 0);
  // The types null may stand for keep their type.
  CHECK(f.check("b ? ts : null") == "timestamp");
  CHECK(f.check("b ? null : du") == "duration");
  CHECK(f.check("b ? day : null") == "date");
  CHECK(f.check("b ? person : null") == f.check("person"));
  CHECK(f.check("b ? optional.of(1) : null") == "optional_type(int)");
  CHECK(f.check("b ? null : null") == "null_type");
  CHECK(f.check("b ? j : null") == "dyn");
  CHECK(f.check("b ? dyn(1) : null") == "dyn");
  // A list or map literal with null among other items is of dyn items, as in cel-go.
  CHECK(f.check("[1, null]") == "list(dyn)");
  CHECK(f.check("[null, 'a']") == "list(dyn)");
  CHECK(f.check("[ts, null]") == "list(timestamp)");
  CHECK(f.check("{'a': 1, 'b': null}") == "map(string, dyn)");
  // Unchecked, the join is dyn: the failure is left to evaluation, whatever the branch.
  CheckOptions unchecked;
  unchecked.strict_types = false;
  CHECK(f.check("b ? 1 : null", unchecked) == "dyn");
}

TEST_CASE("null binds a type parameter only beside a type that accepts it, as in cel-go") {
  // cel-go's checker (checker/types.go, internalIsAssignable and internalIsAssignableNull)
  // lets null and another type share a type parameter only when that type is a message, a
  // timestamp, a duration, an opaque type (optional) or a wrapper. `in` is (A, list(A)) and
  // (A, map(A, B)), so `null in [1, 2]` does not check there; it checked here and was false.
  Fixture f;
  const std::string null_hint =
      " [null stands only for an object, a timestamp, a duration, a date or an optional: ";
  CHECK(f.check("null in [1, 2]") ==
        "ERROR cel.no-matching-overload: cannot apply 'in' to null_type and list(int)" + null_hint +
            "to ask whether a list holds null write l.exists(x, x == null)]");
  CHECK(f.check("1 in [null]").rfind("ERROR cel.no-matching-overload", 0) == 0);
  CHECK(f.check("null in l").rfind("ERROR cel.no-matching-overload", 0) == 0);
  CHECK(f.check("null in m").rfind("ERROR cel.no-matching-overload", 0) == 0);
  CHECK(f.check("null in {'a': 1}").rfind("ERROR cel.no-matching-overload", 0) == 0);
  // The other operators and functions with a type parameter in two places.
  CHECK(f.check("m[null]") ==
        "ERROR cel.no-matching-overload: cannot apply '[]' to map(string, int) and null_type" +
            null_hint + "index a map with a key of its key type]");
  CHECK(f.check("[1] + [null]").rfind("ERROR cel.no-matching-overload", 0) == 0);
  CHECK(f.check("l + [null]").rfind("ERROR cel.no-matching-overload", 0) == 0);
  CHECK(f.check("optional.of(1).orValue(null)") ==
        "ERROR cel.no-matching-overload: no matching overload for 'orValue' applied to "
        "(optional_type(int), null_type)" +
            null_hint + "give a value of the other argument's type]");
  CHECK(f.check("or_else(s, null)").rfind("ERROR cel.no-matching-overload", 0) == 0);
  CHECK(f.check("sets.contains([1], [null])").rfind("ERROR cel.no-matching-overload", 0) == 0);
  CHECK(f.check("[1] == [null]").rfind("ERROR cel.no-matching-overload", 0) == 0);
  CHECK(f.check("{'a': 1} != {'a': null}").rfind("ERROR cel.no-matching-overload", 0) == 0);
  CHECK(f.check("b ? [1] : [null]").rfind("ERROR cel.type-mismatch", 0) == 0);
  CHECK(f.check("b ? {'a': null} : m").rfind("ERROR cel.type-mismatch", 0) == 0);
  // A refusal that is not about null keeps its own hint.
  CHECK(f.check("l[null]") ==
        "ERROR cel.no-matching-overload: cannot apply '[]' to list(int) and null_type");

  // Beside a type that accepts null, dyn, or null itself, the same calls check.
  check_rows(f, {
                    {"null in [ts]", "bool"},
                    {"ts in [null]", "bool"},
                    {"null in [du, null]", "bool"},
                    {"null in [day]", "bool"},
                    {"null in people", "bool"},
                    {"null in [optional.of(1)]", "bool"},
                    {"null in [null]", "bool"},
                    {"null in [1, null]", "bool"},
                    {"null in j", "bool"},
                    {"null in [j]", "bool"},
                    {"[ts] + [null]", "list(timestamp)"},
                    {"[null] + [du]", "list(duration)"},
                    {"optional.of(ts).orValue(null)", "timestamp"},
                    {"[null] == [null]", "bool"},
                    {"[1, null] == [1, 2]", "bool"},
                    {"b ? [ts] : [null]", "list(timestamp)"},
                });
  CHECK(f.check("or_else(person, null)") == f.check("person"));

  // Unchecked, nothing is refused: evaluation decides.
  CheckOptions unchecked;
  unchecked.strict_types = false;
  CHECK(f.check("null in [1, 2]", unchecked) == "dyn");
}

TEST_CASE("null is compared with any value, a deliberate difference from cel-go") {
  // cel-go declares == and != as (A, A) -> bool, so its checker refuses `1 == null` (the
  // conformance suite writes `dyn(1) == null`). A snapshot field of schema type
  // ["string", "null"] is a string here (docs/snapshot-schema.md), the way cel-go's wrapper
  // types are nullable primitives (`msg.single_int64_wrapper == null` checks there, as do
  // messages, timestamps, durations, Any and opaque types beside null), and
  // the shipped rules test such fields with `x == null`; so comparing anything with null
  // stays allowed.
  Fixture f;
  check_rows(f, {
                    {"i == null", "bool"},
                    {"null == s", "bool"},
                    {"l != null", "bool"},
                    {"null != m", "bool"},
                    {"person.name == null", "bool"},
                    {"null == null", "bool"},
                });
}

TEST_CASE("null as the argument of a function") {
  Fixture f;
  // A CEL-defined function is checked with null for its parameter: the body decides.
  f.function("inc", {"x"}, "x + 1");
  f.function("missing", {"x"}, "x == null");
  CHECK(f.check("inc(null)") ==
        "ERROR cel.no-matching-overload: cannot apply '+' to null_type and int");
  CHECK(f.check("missing(1)") == "bool");
  CHECK(f.check("missing(null)") == "bool");
  // A library parameter of a declared type takes no null: cel-go's checker lets null stand
  // for a timestamp or duration parameter, where the call can only fail when evaluated.
  CHECK(f.check("size(null)").rfind("ERROR cel.no-matching-overload", 0) == 0);
  CHECK(f.check("days_between(null, day)").rfind("ERROR cel.no-matching-overload", 0) == 0);
  CHECK(f.check("ts + null").rfind("ERROR cel.no-matching-overload", 0) == 0);
}
