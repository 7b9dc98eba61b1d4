// The compact result JSON of the common case, written straight into a raw buffer: what
// batch and the C ABI write for every case. It writes the same bytes as the general
// writer (result_json.cpp, base::JsonWriter) with pretty = false, without the writer's
// per-call state and std::string appends (tests/unit/report compares the two).
#pragma once

#include <string>

#include "safeguard/result.hpp"

namespace safeguard::report {

// Whether append_compact_json can write `result`: an evaluated result without
// explanations. The rest (errors, EvalOptions::explain) goes the general way.
bool compact_applies(const Result& result);

// Appends the compact JSON of `result` (compact_applies) to `out`.
void append_compact_json(const Result& result, std::string& out);

}  // namespace safeguard::report
