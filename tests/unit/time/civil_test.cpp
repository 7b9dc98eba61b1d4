#include <catch2/catch.hpp>

#include <cstdint>
#include <random>

#include "time/civil.hpp"

using safeguard::time::civil_from_days;
using safeguard::time::CivilDate;
using safeguard::time::detail::civil_from_days_any;

namespace {

bool same(const CivilDate& a, const CivilDate& b) {
  return a.year == b.year && a.month == b.month && a.day == b.day;
}

void check_day(std::int64_t z) {
  const CivilDate fast = civil_from_days(z);
  const CivilDate any = civil_from_days_any(z);
  if (!same(fast, any)) {
    INFO("day " << z << ": " << fast.year << "-" << fast.month << "-" << fast.day << " against "
                << any.year << "-" << any.month << "-" << any.day);
    CHECK(false);
  }
}

}  // namespace

TEST_CASE("civil_from_days: the 32-bit path agrees with Hinnant's on every CEL date and beyond") {
  using safeguard::time::kMaxDay;
  using safeguard::time::kMinDay;
  // Every day from 400 years before 0001-01-01 to 400 years after 9999-12-31.
  for (std::int64_t z = kMinDay - 146097; z <= kMaxDay + 146097; ++z) {
    const CivilDate fast = civil_from_days(z);
    const CivilDate any = civil_from_days_any(z);
    if (!same(fast, any)) {
      check_day(z);  // reports the first day that differs
      return;
    }
  }
  CHECK(same(civil_from_days(0), CivilDate{1970, 1, 1}));
  CHECK(same(civil_from_days(19'782), CivilDate{2024, 2, 29}));
  CHECK(same(civil_from_days(kMinDay), CivilDate{1, 1, 1}));
  CHECK(same(civil_from_days(kMaxDay), CivilDate{9999, 12, 31}));
}

TEST_CASE("civil_from_days: days at and past the ends of the 32-bit path") {
  using safeguard::time::detail::kFastCivilLimit;
  using safeguard::time::detail::kFastCivilShift;
  const std::int64_t first = -kFastCivilShift;                      // the path's first day
  const std::int64_t last = kFastCivilLimit - 1 - kFastCivilShift;  // and its last
  for (std::int64_t z = first - 1000; z <= first + 1000; ++z) check_day(z);
  for (std::int64_t z = last - 1000; z <= last + 1000; ++z) check_day(z);
  // Far outside it, where the 32-bit arithmetic would wrap: Hinnant's answers.
  for (const std::int64_t z : {std::int64_t{-1'000'000'000'000}, std::int64_t{-4'294'967'296},
                               std::int64_t{4'294'967'296}, std::int64_t{1'000'000'000'000}}) {
    check_day(z);
  }
  // Random days over the whole path.
  std::mt19937_64 random(20261206);
  std::uniform_int_distribution<std::int64_t> day(first, last);
  for (int i = 0; i < 200'000; ++i) check_day(day(random));
}
