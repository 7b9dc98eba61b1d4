// Loops over snapshot lists: an object element of a document without rejected values is
// read on a short path; in a document with any rejected value every element goes through
// the general one, which reports an element the schema rejected as a whole.
#include "rule_set_fixture.hpp"

using namespace safeguard;
using namespace safeguard::testing;

namespace {

// A contact has an id or a reference: one with neither matches no alternative and is
// rejected as a whole.
const char* const kContactSchema = R"({
  "type": "object",
  "properties": {
    "contacts": {"type": "array", "items": {"type": "object",
      "anyOf": [{"required": ["id"]}, {"required": ["ref"]}],
      "properties": {
        "id": {"type": "string"},
        "ref": {"type": "string"},
        "decision": {"type": ["string", "null"]}}}},
    "codes": {"type": "array", "items": {"type": ["string", "object"]}}
  }
})";

const std::string kRules =
    "rules:\n" + rule("any.nfa", "case.contacts.exists(c, c.decision == \"nfa\")") +
    rule("all.decided", "case.contacts.all(c, has(c.decision))") +
    rule("two.decided", "size(case.contacts.filter(c, has(c.decision))) == 2") +
    rule("ids", "case.contacts.map(c, c.id) == [\"K1\", \"K2\"]") +
    rule("mixed", "case.codes.filter(x, type(x) == string) == [\"a\", \"b\"]");

std::shared_ptr<const RuleSet> load() {
  return load_rules_with_schema(kRules, kContactSchema);
}

}  // namespace

TEST_CASE("list elements: records and mixed lists read alike on either path") {
  const auto rs = load();
  const std::string contacts =
      R"("contacts": [{"id": "K1", "decision": "nfa"}, {"id": "K2", "decision": null}])";
  const std::string codes = R"("codes": ["a", {"x": 1}, "b", {}])";
  const Result clean = evaluate(*rs, "{" + contacts + ", " + codes + "}", "2024-06-03");
  CHECK(clean.violations.empty());
  CHECK(flag_ids(clean) == std::vector<std::string>{"any.nfa", "ids", "mixed"});
  CHECK(clean.undetermined.empty());
  // A rejected value elsewhere in the document: the same answers.
  const Result dirty = evaluate(
      *rs, "{" + contacts + ", " + R"("codes": ["a", {"x": 1}, "b", 5])" + "}", "2024-06-03");
  CHECK_FALSE(dirty.violations.empty());
  CHECK(flag_ids(dirty) == std::vector<std::string>{"any.nfa", "ids"});
  CHECK(undetermined_ids(dirty) == std::vector<std::string>{"mixed"});
}

TEST_CASE("list elements: a record the schema rejects as a whole is unreadable") {
  const auto rs = load();
  const Result r = evaluate(
      *rs,
      R"({"contacts": [{"id": "K1", "decision": "nfa"}, {"decision": "cin"}, {"id": "K2", "decision": "cin"}]})",
      "2024-06-03");
  // exists() decides on a readable contact; the others cannot say whether every contact
  // was decided, how many were, or what the ids are.
  CHECK(flag_ids(r) == std::vector<std::string>{"any.nfa"});
  CHECK(undetermined_ids(r) ==
        std::vector<std::string>{"all.decided", "ids", "mixed", "two.decided"});
}
