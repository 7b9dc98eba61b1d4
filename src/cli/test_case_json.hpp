// Case snapshots for rule tests: YAML mappings turned into JSON, case files, and RFC 7386
// JSON Merge Patch.
#pragma once

#include <boost/json/value.hpp>
#include <cstddef>
#include <string>
#include <vector>

#include "test_model.hpp"

namespace YAML {
class Node;
}

namespace safeguard::cli::test {

// Where yaml-cpp marks (0-based) point in a file; columns become code points.
class Locator {
 public:
  Locator(std::string file, std::string text);
  Where at(const YAML::Node& node) const;
  Where at_offset(long offset) const;
  const std::string& file() const noexcept { return file_; }

 private:
  std::string file_;
  std::string text_;
  std::vector<std::size_t> line_starts_;
};

// What one test file's cases may expand to. yaml-cpp shares an anchored node between its
// aliases, so copying them into JSON is where a few lines of nested aliases ("billion
// laughs") become billions of values, and an alias inside its own anchor a cycle that
// never ends: one budget spans a file, so many small cases cannot add up to a bomb either.
struct YamlBudget {
  static constexpr std::size_t kMaxNodes = 1'000'000;
  // Text copied into cases (an alias of one long scalar costs its length each time).
  static constexpr std::size_t kMaxTextBytes = std::size_t{64} << 20;
  // The cases' JSON kept for the run: case_ref copies a named case into every test.
  static constexpr std::size_t kMaxCaseBytes = std::size_t{64} << 20;
  // Deeper than any snapshot may be (Limits::max_json_depth), so the engine still reports
  // a merely deep case itself; low enough that the conversion never exhausts the stack.
  static constexpr std::size_t kMaxDepth = 256;
  std::size_t nodes = 0;
  std::size_t text_bytes = 0;
  std::size_t case_bytes = 0;
};

// A scalar's text. yaml-cpp (0.7, jbeder/yaml-cpp#803) decodes the double-quoted escapes
// "\N" and "\_" to the single bytes 0x85 and 0xA0, not UTF-8, so a case with a no-break space
// written "\_" (as PyYAML writes one) was not valid JSON; they are written as UTF-8 here.
// (Rule files get the same from base::repair_yaml_escapes; the CLI sees the public API only.)
std::string scalar_text(const YAML::Node& node);

// Converts YAML to JSON the way a test author expects: unquoted true/false, null, ~ (and
// nothing) and JSON-style numbers become bool, null and number; every other scalar, dates
// included, is a string. Duplicate keys and non-scalar keys are errors, and so is going
// over the budget (the result is then null).
boost::json::value yaml_to_json(const YAML::Node& node, const Locator& locator, YamlBudget* budget,
                                std::vector<TestError>* errors);

// Reads a case file: JSON (or YAML when it ends in .yaml/.yml). On failure, an error at
// `where` (the test's `case_file:`) and false.
bool read_case_file(const std::string& path, const Where& where, boost::json::value* out,
                    std::vector<TestError>* errors);

// Applies an RFC 7386 merge patch: null deletes a member, objects merge, anything else
// replaces.
void merge_patch(boost::json::value& target, const boost::json::value& patch);

}  // namespace safeguard::cli::test
