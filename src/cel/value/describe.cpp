#include "cel/value/describe.hpp"

#include "cel/value/json.hpp"
#include "cel/value/ops.hpp"

namespace safeguard::cel {

ErrorDescription describe(const ErrorData& error) {
  const ErrorData* e = &error;
  std::string rule;
  // Follow undetermined-rule chains to the error that started it.
  for (int hops = 0; e->code == ErrorCode::kUndetermined && e->cause != nullptr && hops < 1000;
       ++hops) {
    if (rule.empty()) rule = e->message;
    e = e->cause;
  }
  ErrorDescription d;
  d.kind = error_code_name(e->code);
  d.message = e->message;
  d.rule = rule;
  if (e->doc != nullptr && e->tape_index != kNoTape) {
    d.path = json_pointer(e->doc, e->tape_index);
    if (e->field.kind == ValueKind::kString) {
      d.path += '/';
      for (char c : e->field.str()) {
        if (c == '~') {
          d.path += "~0";
        } else if (c == '/') {
          d.path += "~1";
        } else {
          d.path += c;
        }
      }
    }
  }
  return d;
}

}  // namespace safeguard::cel
