// Case snapshots for rule tests: YAML mappings turned into JSON, case files, and RFC 7386
// JSON Merge Patch.
#pragma once

#include <boost/json/value.hpp>
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

// Converts YAML to JSON the way a test author expects: unquoted true/false, null, ~ (and
// nothing) and JSON-style numbers become bool, null and number; every other scalar, dates
// included, is a string. Duplicate keys and non-scalar keys are errors.
boost::json::value yaml_to_json(const YAML::Node& node, const Locator& locator,
                                std::vector<TestError>* errors);

// Reads a case file: JSON (or YAML when it ends in .yaml/.yml). On failure, an error at
// `where` (the test's `case_file:`) and false.
bool read_case_file(const std::string& path, const Where& where, boost::json::value* out,
                    std::vector<TestError>* errors);

// Applies an RFC 7386 merge patch: null deletes a member, objects merge, anything else
// replaces.
void merge_patch(boost::json::value& target, const boost::json::value& patch);

}  // namespace safeguard::cli::test
