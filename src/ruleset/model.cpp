#include "ruleset/model.hpp"

namespace safeguard::ruleset {

const char* severity_name(RuleSeverity s) {
  switch (s) {
    case RuleSeverity::kLow:
      return "low";
    case RuleSeverity::kMedium:
      return "medium";
    case RuleSeverity::kHigh:
      return "high";
    case RuleSeverity::kCritical:
      return "critical";
  }
  return "medium";
}

}  // namespace safeguard::ruleset
