#include "snapshot/schema_report.hpp"

#include <algorithm>

namespace safeguard::snapshot::schema {

void apply_marks(ParsedJson& json, std::vector<Mark>& marks) {
  std::stable_sort(marks.begin(), marks.end(),
                   [](const Mark& a, const Mark& b) { return a.tape < b.tape; });
  std::vector<std::uint32_t> indexes;
  std::vector<cel::ErrorData> errors;
  indexes.reserve(marks.size());
  errors.reserve(marks.size());
  for (const Mark& m : marks) {
    if (!indexes.empty() && indexes.back() == m.tape) continue;
    cel::ErrorData e;
    e.code = cel::ErrorCode::kSchemaMismatch;
    e.tape_index = m.tape;
    e.doc = json.doc();
    e.message = m.message;
    indexes.push_back(m.tape);
    errors.push_back(e);
  }
  json.set_invalid(std::move(indexes), std::move(errors));
}

std::vector<Violation> finish_violations(std::vector<Found>& found) {
  std::stable_sort(found.begin(), found.end(),
                   [](const Found& a, const Found& b) { return a.order < b.order; });
  std::vector<Violation> out;
  out.reserve(found.size());
  std::size_t group = 0;  // first entry of `out` with the current order
  for (std::size_t i = 0; i < found.size(); ++i) {
    if (i == 0 || found[i].order != found[i - 1].order) group = out.size();
    const Violation& v = found[i].violation;
    bool repeat = false;
    for (std::size_t j = group; j < out.size() && !repeat; ++j) {
      repeat = out[j].path == v.path && out[j].code == v.code && out[j].expected == v.expected;
    }
    if (!repeat) out.push_back(std::move(found[i].violation));
  }
  return out;
}

void append_pointer_token(std::string& out, std::string_view token) {
  out.push_back('/');
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out.push_back(c);
    }
  }
}

}  // namespace safeguard::snapshot::schema
