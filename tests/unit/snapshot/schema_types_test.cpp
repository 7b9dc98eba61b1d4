// Schema::cel_type: the CEL types the checker sees for `case`.
#include <catch2/catch.hpp>

#include <algorithm>

#include "schema_test_util.hpp"

using namespace schema_test;
using safeguard::cel::ObjectField;
using safeguard::cel::Type;
using safeguard::cel::type_name;
using safeguard::cel::TypeKind;
using safeguard::cel::TypeStore;

namespace {

const ObjectField& field(const Type* object, const std::string& name) {
  REQUIRE(object->kind == TypeKind::kObject);
  const ObjectField* f = object->object->find(name);
  if (f == nullptr) FAIL("no field " << name << " in " << object->name);
  return *f;
}

const Type* element(const Type* list) {
  REQUIRE(list->kind == TypeKind::kList);
  return list->p1;
}

std::string type_of(const std::string& schema_text) {
  TypeStore store;
  const auto schema = load(schema_text);
  REQUIRE(schema != nullptr);
  return type_name(schema->cel_type(store));
}

}  // namespace

TEST_CASE("the case schema gives named object types with typed fields") {
  TypeStore store;
  const Type* c = case_schema().cel_type(store);
  REQUIRE(c->kind == TypeKind::kObject);
  CHECK(type_name(c) == "case");
  CHECK(field(c, "schema").type == safeguard::cel::types::string());
  CHECK(field(c, "schema").required);
  CHECK(field(c, "case_id").required);
  CHECK_FALSE(field(c, "child").required);
  CHECK(c->object->extra == nullptr);  // additionalProperties: true does not open reading

  const Type* contacts = field(c, "contacts").type;
  CHECK(type_name(contacts) == "list(case.contacts[])");
  const Type* contact = element(contacts);
  CHECK(type_name(field(contact, "received_at").type) == "string");
  CHECK(field(contact, "received_at").format == "date-time");
  CHECK(field(contact, "received_at").required);
  CHECK(type_name(field(contact, "concerns").type) == "list(string)");
  CHECK(type_name(field(contact, "domestic_abuse_risk").type) == "string");
  const Type* decision = field(contact, "decision").type;
  CHECK(type_name(decision) == "case.contacts[].decision");
  CHECK_FALSE(field(contact, "decision").required);
  CHECK(field(decision, "outcome").required);
  CHECK(type_name(field(decision, "manager_approved").type) == "bool");

  const Type* episode = field(c, "episode").type;
  CHECK(type_name(episode) == "case.episode");
  CHECK(field(episode, "opened_on").format == "date");
  CHECK(field(episode, "closed_on").format == "date");

  const Type* worker = field(c, "allocated_worker").type;
  CHECK(type_name(field(worker, "caseload").type) == "int");
  const Type* education = field(field(c, "child").type, "education").type;
  CHECK(type_name(education) == "case.child.education");
  CHECK(type_name(field(education, "attendance_percent").type) == "double");

  const Type* plan = element(field(c, "plans").type);
  CHECK(type_name(field(plan, "actions").type) == "list(case.plans[].actions[])");
  CHECK(type_name(field(c, "legal").type) == "case.legal");
  CHECK(type_name(field(field(c, "legal").type, "written_agreements").type) ==
        "list(case.legal.written_agreements[])");
}

TEST_CASE("scalar, nullable and alternative types") {
  CHECK(type_of(R"({"type": "string"})") == "string");
  CHECK(type_of(R"({"type": "integer"})") == "int");
  CHECK(type_of(R"({"type": "number"})") == "double");
  CHECK(type_of(R"({"type": ["integer", "number"]})") == "double");
  CHECK(type_of(R"({"type": "boolean"})") == "bool");
  CHECK(type_of(R"({"type": "null"})") == "null_type");
  CHECK(type_of(R"({"type": ["null", "integer"]})") == "int");
  CHECK(type_of(R"({"type": ["string", "integer"]})") == "dyn");
  CHECK(type_of(R"({})") == "dyn");
  CHECK(type_of(R"(true)") == "dyn");
  CHECK(type_of(R"({"type": "array"})") == "list(dyn)");
  CHECK(type_of(R"({"type": "array", "items": {"type": "integer"}})") == "list(int)");
  CHECK(type_of(R"({"type": "object"})") == "map(string, dyn)");
  CHECK(type_of(R"({"additionalProperties": {"type": "integer"}})") == "map(string, int)");
  CHECK(type_of(R"({"enum": ["a", "b", null]})") == "string");
  CHECK(type_of(R"({"enum": [true, false]})") == "bool");
  CHECK(type_of(R"({"enum": [1, "a"]})") == "dyn");
  CHECK(type_of(R"({"format": "date"})") == "string");
  CHECK(type_of(R"({"anyOf": [{"type": "null"}, {"type": "string"}]})") == "string");
  CHECK(type_of(R"({"oneOf": [{"type": "string"}, {"type": "integer"}]})") == "dyn");
  CHECK(type_of(R"({"allOf": [{}, {"type": "integer"}]})") == "int");
  CHECK(type_of(R"({"$ref": "#/$defs/n", "$defs": {"n": {"type": "number"}}})") == "double");
}

TEST_CASE("object types: extra from an additionalProperties schema, recursion, shared defs") {
  TypeStore store;
  const auto open = load(R"({"properties": {"a": {"type": "string"}},
                            "additionalProperties": {"type": "integer"}})");
  const Type* t = open->cel_type(store);
  REQUIRE(t->kind == TypeKind::kObject);
  CHECK(type_name(t->object->extra) == "int");

  const auto closed = load(R"({"properties": {"a": {"type": "string"}},
                              "additionalProperties": false})");
  CHECK(closed->cel_type(store)->object->extra == nullptr);

  const auto tree = load(R"({"$ref": "#/$defs/node", "$defs": {"node": {"type": "object",
      "properties": {"kids": {"type": "array", "items": {"$ref": "#/$defs/node"}},
                     "self": {"$ref": "#"}}}}})");
  const Type* node = tree->cel_type(store);
  CHECK(type_name(node) == "case");
  CHECK(element(field(node, "kids").type) == node);
  CHECK(field(node, "self").type == node);

  const auto lists = load(R"({"$defs": {"l": {"type": "array", "items": {"$ref": "#/$defs/l"}}},
                             "$ref": "#/$defs/l"})");
  CHECK(type_name(lists->cel_type(store)) == "list(dyn)");
}

TEST_CASE("fields record the codes their enum allows, for the checker's typo warning") {
  TypeStore store;
  const Type* c = case_schema().cel_type(store);
  const Type* contact = element(field(c, "contacts").type);
  using Codes = std::vector<std::string>;
  // The items of a list, through $ref.
  const Codes& concerns = field(contact, "concerns").codes;
  CHECK(std::find(concerns.begin(), concerns.end(), "neglect") != concerns.end());
  CHECK(std::find(concerns.begin(), concerns.end(), "neglekt") == concerns.end());
  // A nullable string: null is not a code.
  CHECK(field(contact, "domestic_abuse_risk").codes == Codes{"standard", "medium", "high"});
  CHECK(field(contact, "source").codes.size() == 7);
  // No enum, no codes; const is a one-code enum.
  CHECK(field(contact, "id").codes.empty());
  const auto schema = load(R"({"type": "object", "properties": {
      "kind": {"const": "a"},
      "tags": {"type": "array", "items": {"anyOf": [{"enum": ["x", "y", 3]}, {"type": "null"}]}}}})");
  REQUIRE(schema != nullptr);
  const Type* t = schema->cel_type(store);
  CHECK(field(t, "kind").codes == Codes{"a"});
  CHECK(field(t, "tags").codes == Codes{"x", "y"});
}
