// Calendar dates as day numbers (days since 1970-01-01, see civil.hpp): parsing, printing
// and the month/year/age arithmetic that safeguarding timescales are written in.
//
// Every function keeps to CEL's range of dates, 0001-01-01 .. 9999-12-31, and reports a
// result outside it as std::nullopt instead of wrapping or extrapolating.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "time/civil.hpp"

namespace safeguard::time {

constexpr bool in_date_range(std::int64_t days) noexcept {
  return days >= kMinDay && days <= kMaxDay;
}

// Strict "YYYY-MM-DD": exactly ten characters, a four-digit year 0001-9999, and a day that
// exists in that month (2023-02-29 and 2024-04-31 fail). No whitespace, no time part.
std::optional<std::int64_t> parse_date(std::string_view text);

// The date written in an RFC 3339 date-time such as "2024-03-28T23:30:00-01:00", after
// checking the whole string (see parse_date_time in timestamp.hpp for the syntax).
// The case-snapshot contract says "a date-time counts by the date written in it": the
// offset is validated but not applied, so the example above is 2024-03-28 although the
// instant is 2024-03-29 in UTC. The written date must be within 0001-9999. A leap second
// is accepted where it can be one, at 23:59:60 in UTC ("2016-12-31T23:59:60Z",
// "2016-12-31T15:59:60-08:00"), as the JSON Schema date-time format accepts it; timestamp()
// refuses it, as cel-go does.
std::optional<std::int64_t> date_of_datetime(std::string_view text);

// "YYYY-MM-DD". Days outside 0001..9999 are still printed (a five-digit or negative year)
// rather than hidden, but no function of this library produces them.
std::string format_date(std::int64_t days);

// The same day of the month `months` later (earlier when negative), clamped to the last
// day of a shorter month: 2024-01-31 + 1 = 2024-02-29, 2024-02-29 + 1 = 2024-03-29,
// 2023-05-31 + 9 = 2024-02-29. Clamping looks only at the starting day, never at where an
// earlier step landed, which is what "N months after D" means in statutory guidance.
std::optional<std::int64_t> add_months(std::int64_t days, std::int64_t months);

// add_months(days, 12 * years): 29 February becomes 28 February in a common year.
std::optional<std::int64_t> add_years(std::int64_t days, std::int64_t years);

// Whole years of age on `on` for someone born on `dob`.
//
// A birthday counts from the start of its day (Family Law Reform Act 1969, s.9: a person
// attains an age at the commencement of the anniversary of their birth). Someone born on
// 29 February becomes a year older on 1 March in a common year, and on 29 February in a
// leap year: the convention usually applied in the UK, since a common year has no
// 29 February to be the anniversary.
//
// std::nullopt when `on` is before `dob`: there is no age before birth, and a date of birth
// later than the as-of date is a data problem the rule should report as undetermined,
// not a negative age that compares as "under 18".
std::optional<std::int64_t> age_in_years(std::int64_t dob, std::int64_t on);

}  // namespace safeguard::time
