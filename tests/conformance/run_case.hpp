// Runs one exported conformance test (a cel.expr.conformance.test.SimpleTest in protobuf
// JSON) through the whole pipeline: parse, declare, check, plan, bind, evaluate, compare.
#pragma once

#include <boost/json.hpp>
#include <string>

namespace safeguard::conformance {

struct CaseResult {
  bool passed = false;
  std::string expected;  // rendered, for reports
  std::string actual;    // the value or error we produced, or the stage that failed
};

CaseResult run_case(const boost::json::object& test);

}  // namespace safeguard::conformance
