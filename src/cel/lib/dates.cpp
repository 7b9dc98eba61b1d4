// safeguard's calendar extension: the date type and the arithmetic that safeguarding
// timescales are written in (docs/cel-extensions.md documents each function).
//
//   date(string) -> date            "2024-03-28", or the date written in a date-time
//   date(timestamp [, tz]) -> date  the calendar date of an instant (UTC or in a zone)
//   add_days / add_weeks / add_months / add_years(date, int) -> date
//   add_working_days(date, int [, calendar]) -> date
//   working_days_between(date, date [, calendar]) -> int
//   is_working_day(date [, calendar]) -> bool
//   days_between(date, date) -> int
//   age_years(date_of_birth, date) -> int
//   date accessors: getFullYear, getMonth, getDate, getDayOfMonth, getDayOfWeek, getDayOfYear
#include <string>

#include "cel/lib/arena_text.hpp"
#include "cel/lib/registry.hpp"
#include "cel/value/ops.hpp"
#include "cel/value/to_json.hpp"
#include "time/calendar.hpp"
#include "time/date.hpp"
#include "time/timestamp.hpp"
#include "time/timezone.hpp"

namespace safeguard::cel {

namespace {

Value out_of_range(Frame& f) {
  return make_error(f, ErrorCode::kRange, "date out of range");
}

Value date_result(Frame& f, const std::optional<std::int64_t>& days) {
  return days ? Value::date(*days) : out_of_range(f);
}

// Two digits at `at`, or -1.
int two_digits_at(std::string_view s, std::size_t at) {
  const unsigned hi = static_cast<unsigned char>(s[at]) - '0';
  const unsigned lo = static_cast<unsigned char>(s[at + 1]) - '0';
  return hi <= 9 && lo <= 9 ? static_cast<int>(hi * 10 + lo) : -1;
}

// date(c.received_at) runs once per list element in many rules, so the shapes exports
// write, "YYYY-MM-DDThh:mm:ssZ" and "YYYY-MM-DDThh:mm:ss+hh:mm", are checked in place;
// anything else (fractions of a second, lower-case 't' or 'z', odd years, errors) goes
// through the full RFC 3339 parser, which accepts exactly the same strings as this does.
std::optional<std::int64_t> day_of_datetime(std::string_view s) {
  if ((s.size() == 20 || s.size() == 25) && s[10] == 'T' && s[13] == ':' && s[16] == ':') {
    const int hour = two_digits_at(s, 11);
    const int minute = two_digits_at(s, 14);
    const int second = two_digits_at(s, 17);
    bool zone_ok = false;
    if (s.size() == 20) {
      zone_ok = s[19] == 'Z';
    } else if ((s[19] == '+' || s[19] == '-') && s[22] == ':') {
      const int off_hour = two_digits_at(s, 20);
      const int off_minute = two_digits_at(s, 23);
      zone_ok = off_hour >= 0 && off_hour <= 23 && off_minute >= 0 && off_minute <= 59;
    }
    if (zone_ok && hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 &&
        second <= 59) {
      if (auto days = time::parse_date(s.substr(0, 10))) return days;
    }
  }
  return time::date_of_datetime(s);
}

Value date_from_string(Frame& f, const Value* a) {
  std::int64_t cached;
  if (f.date_find(a[0].s, &cached)) return Value::date(cached);
  const std::string_view s = a[0].str();
  const auto days = s.size() == 10 ? time::parse_date(s) : day_of_datetime(s);
  if (days) {
    f.date_store(a[0].s, *days);
    return Value::date(*days);
  }
  return error_about(f, ErrorCode::kInvalidArgument,
                     "text is not a date (YYYY-MM-DD) or an RFC 3339 date-time", a[0]);
}
Value date_from_timestamp(Frame&, const Value* a) {
  return Value::date(time::local_day(a[0].i, 0));
}
Value date_from_timestamp_tz(Frame& f, const Value* a) {
  const time::TimeZone* zone = time::find_time_zone(a[1].str());
  if (zone == nullptr) return make_error(f, ErrorCode::kInvalidArgument, "unknown time zone");
  return Value::date(time::local_day(a[0].i, zone->offset_at(a[0].i)));
}
Value identity(Frame&, const Value* a) {
  return a[0];
}
Value string_from_date(Frame& f, const Value* a) {
  const std::int64_t days = a[0].i;
  if (days >= time::kMinDay && days <= time::kMaxDay) {  // "YYYY-MM-DD", written in place
    return build_text(f, 10, ValueKind::kString, [days](char* p) { write_date(p, days); });
  }
  std::string text;  // outside years 1-9999: the general formatter (a sign, more digits)
  append_date(text, days);
  return make_string(f, text);
}

Value add_days(Frame& f, const Value* a) {
  std::int64_t r;
  if (__builtin_add_overflow(a[0].i, a[1].i, &r) || !time::in_date_range(r)) return out_of_range(f);
  return Value::date(r);
}
Value add_weeks(Frame& f, const Value* a) {
  std::int64_t days;
  if (__builtin_mul_overflow(a[1].i, std::int64_t{7}, &days)) return out_of_range(f);
  const Value args[2] = {a[0], Value::integer(days)};
  return add_days(f, args);
}
Value add_months(Frame& f, const Value* a) {
  return date_result(f, time::add_months(a[0].i, a[1].i));
}
Value add_years(Frame& f, const Value* a) {
  return date_result(f, time::add_years(a[0].i, a[1].i));
}
Value days_between(Frame&, const Value* a) {
  return Value::integer(a[1].i - a[0].i);
}
Value age_years(Frame& f, const Value* a) {
  const auto age = time::age_in_years(a[0].i, a[1].i);
  if (!age) return make_error(f, ErrorCode::kInvalidArgument, "date of birth is after the date");
  return Value::integer(*age);
}

// --- working days -----------------------------------------------------------------------
Value no_calendar(Frame& f) {
  return make_error(f, ErrorCode::kCalendar, "no working-day calendar is configured");
}

Value outside(Frame& f, const time::WorkingCalendar& cal) {
  const std::string message = "date outside the coverage of calendar '" + cal.name() + "' (" +
                              time::format_date(cal.first()) + " to " +
                              time::format_date(cal.last()) + ")";
  const char* text = f.arena().copy_string(message.data(), message.size());
  return make_error(f, ErrorCode::kCalendar,
                    text != nullptr ? text : "date outside the calendar's coverage");
}

const time::WorkingCalendar* named(Frame& f, const Value& name) {
  if (f.calendars == nullptr) return nullptr;
  return f.calendars->find(name.str());
}

Value unknown_calendar(Frame& f) {
  return make_error(f, ErrorCode::kCalendar, "unknown calendar");
}

Value add_working(Frame& f, const time::WorkingCalendar* cal, const Value* a) {
  const auto r = cal->add_working_days(a[0].i, a[1].i);
  return r ? Value::date(*r) : outside(f, *cal);
}
Value add_working_default(Frame& f, const Value* a) {
  return f.calendar == nullptr ? no_calendar(f) : add_working(f, f.calendar, a);
}
Value add_working_named(Frame& f, const Value* a) {
  const time::WorkingCalendar* cal = named(f, a[2]);
  return cal == nullptr ? unknown_calendar(f) : add_working(f, cal, a);
}

Value between(Frame& f, const time::WorkingCalendar* cal, const Value* a) {
  const auto r = cal->working_days_between(a[0].i, a[1].i);
  return r ? Value::integer(*r) : outside(f, *cal);
}
Value between_default(Frame& f, const Value* a) {
  return f.calendar == nullptr ? no_calendar(f) : between(f, f.calendar, a);
}
Value between_named(Frame& f, const Value* a) {
  const time::WorkingCalendar* cal = named(f, a[2]);
  return cal == nullptr ? unknown_calendar(f) : between(f, cal, a);
}

Value is_working(Frame& f, const time::WorkingCalendar* cal, const Value* a) {
  const auto r = cal->is_working_day(a[0].i);
  return r ? Value::boolean(*r) : outside(f, *cal);
}
Value is_working_default(Frame& f, const Value* a) {
  return f.calendar == nullptr ? no_calendar(f) : is_working(f, f.calendar, a);
}
Value is_working_named(Frame& f, const Value* a) {
  const time::WorkingCalendar* cal = named(f, a[1]);
  return cal == nullptr ? unknown_calendar(f) : is_working(f, cal, a);
}

// --- accessors (same conventions as the timestamp accessors) -------------------------------
Value year(Frame&, const Value* a) {
  return Value::integer(time::civil_from_days(a[0].i).year);
}
Value month0(Frame&, const Value* a) {
  return Value::integer(static_cast<std::int64_t>(time::civil_from_days(a[0].i).month) - 1);
}
Value day1(Frame&, const Value* a) {
  return Value::integer(time::civil_from_days(a[0].i).day);
}
Value day0(Frame&, const Value* a) {
  return Value::integer(static_cast<std::int64_t>(time::civil_from_days(a[0].i).day) - 1);
}
Value weekday(Frame&, const Value* a) {
  return Value::integer(time::weekday_from_days(a[0].i));
}
Value day_of_year(Frame&, const Value* a) {
  const auto c = time::civil_from_days(a[0].i);
  return Value::integer(a[0].i - time::days_from_civil(c.year, 1, 1));
}

}  // namespace

void register_dates(FunctionRegistry& r) {
  r.add("string_to_date", "date", "string -> date", date_from_string);
  r.add("timestamp_to_date", "date", "timestamp -> date", date_from_timestamp);
  r.add("timestamp_to_date_with_tz", "date", "timestamp, string -> date", date_from_timestamp_tz);
  r.add("date_to_date", "date", "date -> date", identity);
  r.add("date_to_string", "string", "date -> string", string_from_date);
  r.add("add_days_date_int64", "add_days", "date, int -> date", add_days);
  r.add("add_weeks_date_int64", "add_weeks", "date, int -> date", add_weeks);
  r.add("add_months_date_int64", "add_months", "date, int -> date", add_months);
  r.add("add_years_date_int64", "add_years", "date, int -> date", add_years);
  r.add("days_between_date_date", "days_between", "date, date -> int", days_between);
  r.add("age_years_date_date", "age_years", "date, date -> int", age_years);
  r.add("add_working_days_date_int64", "add_working_days", "date, int -> date", add_working_default)
      .contextual = true;
  r.add("add_working_days_date_int64_string", "add_working_days", "date, int, string -> date",
        add_working_named)
      .contextual = true;
  r.add("working_days_between_date_date", "working_days_between", "date, date -> int",
        between_default)
      .contextual = true;
  r.add("working_days_between_date_date_string", "working_days_between",
        "date, date, string -> int", between_named)
      .contextual = true;
  r.add("is_working_day_date", "is_working_day", "date -> bool", is_working_default).contextual =
      true;
  r.add("is_working_day_date_string", "is_working_day", "date, string -> bool", is_working_named)
      .contextual = true;
  r.add_member("date_to_year", "getFullYear", "date -> int", year);
  r.add_member("date_to_month", "getMonth", "date -> int", month0);
  r.add_member("date_get_date", "getDate", "date -> int", day1);
  r.add_member("date_to_day_of_month", "getDayOfMonth", "date -> int", day0);
  r.add_member("date_to_day_of_week", "getDayOfWeek", "date -> int", weekday);
  r.add_member("date_to_day_of_year", "getDayOfYear", "date -> int", day_of_year);
}

}  // namespace safeguard::cel
