// Number formatting and parsing shared by conversions and JSON output.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace safeguard::cel {

// CEL's string(double): the shortest text that reads back as the same double, laid out
// like Go's strconv.FormatFloat(d, 'g', -1, 64) ("123.456", "-0.0045", "1e+30", "NaN",
// "+Inf", "-Inf").
std::string format_double(double d);

// Decimal integer text (optional sign for int); nullopt on bad syntax or out of range
// (`*range_error` tells which).
std::optional<std::int64_t> parse_int(std::string_view text, bool* range_error);
std::optional<std::uint64_t> parse_uint(std::string_view text, bool* range_error);
// Decimal floating-point text, or the special spellings Go's ParseFloat takes ("NaN",
// "Inf", "-Infinity", ...). A finite number too large for a double is out of range
// (`*range_error`), as in cel-go; one too small reads as zero or a subnormal.
std::optional<double> parse_double(std::string_view text, bool* range_error);

}  // namespace safeguard::cel
