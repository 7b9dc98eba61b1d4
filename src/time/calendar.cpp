#include "time/calendar.hpp"

#include <algorithm>

#include "time/civil.hpp"
#include "time/date.hpp"

namespace safeguard::time {

namespace {

bool by_day(const Closure& a, const Closure& b) noexcept {
  return a.day < b.day;
}

}  // namespace

WorkingCalendar::Built WorkingCalendar::build(Spec spec) {
  Built out;
  if (spec.first > spec.last || !in_date_range(spec.first) || !in_date_range(spec.last) ||
      spec.last - spec.first + 1 > kMaxCoverageDays) {
    out.error = BuildError::kBadCoverage;
    return out;
  }
  if ((spec.weekend & 0x7F) == 0x7F) {
    out.error = BuildError::kNoWorkingDays;
    return out;
  }
  std::stable_sort(spec.closures.begin(), spec.closures.end(), by_day);
  for (std::size_t i = 0; i < spec.closures.size(); ++i) {
    const std::int64_t day = spec.closures[i].day;
    if (day < spec.first || day > spec.last) {
      out.error = BuildError::kClosureOutsideCoverage;
      out.day = day;
      return out;
    }
    if (i > 0 && spec.closures[i - 1].day == day) {
      out.error = BuildError::kDuplicateClosure;
      out.day = day;
      return out;
    }
  }

  // make_shared cannot reach the private constructor.
  std::shared_ptr<WorkingCalendar> cal(new WorkingCalendar());
  cal->name_ = std::move(spec.name);
  cal->title_ = std::move(spec.title);
  cal->weekend_ = static_cast<std::uint8_t>(spec.weekend & 0x7F);
  cal->first_ = spec.first;
  cal->last_ = spec.last;
  cal->closures_ = std::move(spec.closures);

  const auto span = static_cast<std::size_t>(spec.last - spec.first + 1);
  cal->before_.resize(span + 1);
  cal->working_.reserve(span);
  auto closure = cal->closures_.begin();
  std::int32_t count = 0;
  for (std::size_t i = 0; i < span; ++i) {
    const std::int64_t day = spec.first + static_cast<std::int64_t>(i);
    cal->before_[i] = count;
    bool closed = (cal->weekend_ >> weekday_from_days(day)) & 1u;
    if (closure != cal->closures_.end() && closure->day == day) {
      closed = true;
      ++closure;
    }
    if (!closed) {
      cal->working_.push_back(static_cast<std::int32_t>(i));
      ++count;
    }
  }
  cal->before_[span] = count;
  out.calendar = std::move(cal);
  return out;
}

WorkingCalendar::Built WorkingCalendar::derive(const WorkingCalendar& base, Derivation d) {
  Spec spec;
  spec.name = std::move(d.name);
  spec.title = std::move(d.title);
  spec.weekend = d.weekend.value_or(base.weekend_);
  spec.first = d.first.value_or(base.first_);
  spec.last = d.last.value_or(base.last_);
  if (spec.first < base.first_ || spec.last > base.last_) {
    Built out;
    out.error = BuildError::kBadCoverage;
    return out;
  }
  for (const Closure& c : base.closures_) {
    if (c.day >= spec.first && c.day <= spec.last) spec.closures.push_back(c);
  }
  std::stable_sort(d.closures.begin(), d.closures.end(), by_day);
  for (std::size_t i = 0; i < d.closures.size(); ++i) {
    Closure& c = d.closures[i];
    if (i > 0 && d.closures[i - 1].day == c.day) {
      Built out;
      out.error = BuildError::kDuplicateClosure;
      out.day = c.day;
      return out;
    }
    const bool inside = c.day >= spec.first && c.day <= spec.last;
    if (inside && base.closure_on(c.day) != nullptr) continue;  // already closed
    spec.closures.push_back(std::move(c));  // build() rejects one outside the coverage
  }
  return build(std::move(spec));
}

std::optional<bool> WorkingCalendar::is_working_day(std::int64_t day) const noexcept {
  if (!in_date_range(day)) return std::nullopt;  // not a date at all
  if ((weekend_ >> weekday_from_days(day)) & 1u) return false;
  if (!covers(day)) return std::nullopt;
  const auto i = static_cast<std::size_t>(day - first_);
  return before_[i + 1] != before_[i];
}

const Closure* WorkingCalendar::closure_on(std::int64_t day) const noexcept {
  const auto it = std::lower_bound(closures_.begin(), closures_.end(), Closure{day, {}}, by_day);
  return it != closures_.end() && it->day == day ? &*it : nullptr;
}

std::optional<std::int64_t> WorkingCalendar::add_working_days(std::int64_t day,
                                                              std::int64_t n) const noexcept {
  if (n == 0) return day;
  const auto available = static_cast<std::int64_t>(working_.size());
  if (n > 0) {
    // Days day+1 .. result must be covered.
    if (day < first_ - 1 || day > last_ || n > available) return std::nullopt;
    const std::int64_t k = before_[static_cast<std::size_t>(day - first_ + 1)] + n - 1;
    if (k >= available) return std::nullopt;
    return first_ + working_[static_cast<std::size_t>(k)];
  }
  // Days result .. day-1 must be covered.
  if (day < first_ || day > last_ + 1 || n < -available) return std::nullopt;
  const std::int64_t k = before_[static_cast<std::size_t>(day - first_)] + n;
  if (k < 0) return std::nullopt;
  return first_ + working_[static_cast<std::size_t>(k)];
}

std::optional<std::int64_t> WorkingCalendar::working_days_between(std::int64_t from,
                                                                  std::int64_t to) const noexcept {
  if (from == to) return 0;
  if (to < from) {
    const std::optional<std::int64_t> forward = working_days_between(to, from);
    if (!forward) return std::nullopt;
    return -*forward;
  }
  // Days from+1 .. to must be covered.
  if (from < first_ - 1 || to > last_) return std::nullopt;
  return before_[static_cast<std::size_t>(to - first_ + 1)] -
         before_[static_cast<std::size_t>(from - first_ + 1)];
}

}  // namespace safeguard::time
