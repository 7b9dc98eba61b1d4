// JSON Schema for case snapshots: the types rules are checked against, and the validation
// every snapshot goes through before rules read it.
//
// A rule set declares the schema of the snapshots it reads (draft 2020-12, a subset:
// docs/snapshot-schema.md and schema_keywords.cpp). It is used twice:
//  - at load time, cel_type() gives the checker the type of `case`, so `c.severty` or a
//    date string compared with an int is a load error with a suggestion;
//  - at evaluation time, validate() checks each snapshot. Violations are reported by JSON
//    pointer and expected type, never with the values (case data is personal data), and
//    each violating value is marked invalid in the ParsedJson, so that the rules reading
//    it become undetermined while every other rule is still evaluated. One bad field must
//    not hide every other flag.
//
// A keyword the validator does not implement is a load error, never silently ignored:
// nobody should believe a constraint is enforced when it is not.
//
// Numbers are normalised in place: a snapshot field declared as "number" is always a
// double in CEL (an integer written as 3 becomes 3.0), and one declared as "integer" is
// always an int (3.0 becomes 3; 3.5 is a violation). Rules then never meet the int/double
// distinction JSON does not make.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cel/types/type.hpp"
#include "safeguard/diagnostic.hpp"
#include "snapshot/parsed_json.hpp"

namespace safeguard::snapshot {

// A snapshot value (or object) that does not match the schema. No field carries a value
// from the snapshot, nor the name of a key the schema does not declare.
struct Violation {
  // JSON pointer of the violating value; for "schema.required", of the missing property;
  // for "schema.additional-property", of the object. A path that would pass through a key
  // the schema does not declare stops at that key's object.
  std::string path;
  std::string expected;  // e.g. "date (YYYY-MM-DD)", "integer >= 0", "one of: police, school"
  std::string message;   // fixed text, e.g. "is not a valid date"
  // "schema.type", "schema.format", "schema.enum", "schema.const", "schema.range",
  // "schema.length", "schema.pattern", "schema.item-count", "schema.required",
  // "schema.additional-property", "schema.duplicate-key", "schema.no-alternative" (anyOf
  // or oneOf: none matched), "schema.one-of" (several matched), "schema.false", and the
  // limits "schema.too-deep" and "schema.too-complex" (see schema_validate.cpp).
  std::string code;
};

namespace schema {
struct Tree;
}

// A compiled schema. Immutable: any number of threads may validate with it at once.
// The messages of the errors validate() marks in a ParsedJson point into the Schema, so
// it must outlive the evaluation of the snapshots it validated.
class Schema {
 public:
  // Parses and compiles a schema. Every problem found becomes a diagnostic (stable codes
  // "schema.*", located at the offending keyword); returns null if any was an error.
  static std::unique_ptr<Schema> load(std::string_view json_text, const std::string& file_name,
                                      std::vector<Diagnostic>& diagnostics);

  ~Schema();
  Schema(const Schema&) = delete;
  Schema& operator=(const Schema&) = delete;

  // The CEL type of the document root: the root object is an ObjectType named "case",
  // nested objects are named by path ("case.contacts[]", "case.contacts[].decision").
  const cel::Type* cel_type(cel::TypeStore& store) const;

  // Validates `json`, normalises its numbers (see above) and marks every violating value
  // invalid (replacing earlier marks). Returns at most `max_violations` violations in
  // document order; values beyond the limit are still marked.
  std::vector<Violation> validate(ParsedJson& json, std::size_t max_violations = 100) const;

  const schema::Tree& tree() const noexcept { return *tree_; }

 private:
  explicit Schema(std::unique_ptr<schema::Tree> tree);
  std::unique_ptr<schema::Tree> tree_;
};

// For rule sets without a schema: reports objects with a key written more than once
// ("schema.duplicate-key", at the object's path, never naming the key) and marks the
// values of every occurrence invalid, since a lookup would silently pick the first.
// Replaces earlier marks.
std::vector<Violation> check_duplicate_keys(ParsedJson& json, std::size_t max_violations = 100);

}  // namespace safeguard::snapshot
