// JSON value helpers for schema validation: equality as JSON Schema defines it (1 and 1.0
// are the same number), exact comparison of tape numbers with bounds, and the text used to
// describe schema constants in "expected" messages.
#pragma once

#include <cstdint>
#include <string>

#include "cel/value/json.hpp"

namespace safeguard::snapshot::schema {

// Whether the tape number at `i` ('l', 'u' or 'd') is below (-1), equal to (0) or above
// (1) `bound`, exactly: no rounding of large integers through double.
int compare_number(const cel::JsonDoc* d, std::uint32_t i, double bound) noexcept;

// JSON Schema equality of two values, possibly in different documents: numbers by value,
// objects regardless of member order, arrays element by element.
bool json_equal(const cel::JsonDoc* a, std::uint32_t i, const cel::JsonDoc* b,
                std::uint32_t j) noexcept;

// Whether the double is a whole number that an int64 holds exactly.
bool fits_int64(double x) noexcept;

// A schema constant as shown in "expected": strings as written (quoted when `quote`),
// numbers, true, false, null; containers only by kind.
void describe_json(std::string& out, const cel::JsonDoc* d, std::uint32_t i, bool quote);

// Bound values as written in "expected": "0", "100", "0.5".
std::string format_number(double x);

}  // namespace safeguard::snapshot::schema
