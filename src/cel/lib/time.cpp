// Timestamps and durations: construction, conversion, arithmetic and accessors.
#include <string>

#include "cel/lib/registry.hpp"
#include "cel/value/ops.hpp"
#include "time/duration.hpp"
#include "time/timestamp.hpp"
#include "time/timezone.hpp"

namespace safeguard::cel {

namespace {

time::Timestamp ts(const Value& v) {
  return time::Timestamp{v.i, v.nanos()};
}
time::Duration du(const Value& v) {
  return time::Duration{v.i, v.nanos()};
}
Value of(time::Timestamp t) {
  return Value::timestamp(t.seconds, t.nanos);
}
Value of(time::Duration d) {
  return Value::duration(d.seconds, d.nanos);
}

Value range_error(Frame& f) {
  return make_error(f, ErrorCode::kRange, "timestamp or duration out of range");
}

template <typename T>
Value result(Frame& f, const time::TimeResult<T>& r) {
  if (r.ok()) return of(r.value);
  return range_error(f);
}

Value add_ts_du(Frame& f, const Value* a) {
  return result(f, time::add(ts(a[0]), du(a[1])));
}
Value add_du_ts(Frame& f, const Value* a) {
  return result(f, time::add(ts(a[1]), du(a[0])));
}
Value add_du_du(Frame& f, const Value* a) {
  return result(f, time::add(du(a[0]), du(a[1])));
}
Value sub_ts_ts(Frame& f, const Value* a) {
  return result(f, time::difference(ts(a[0]), ts(a[1])));
}
Value sub_ts_du(Frame& f, const Value* a) {
  return result(f, time::subtract(ts(a[0]), du(a[1])));
}
Value sub_du_du(Frame& f, const Value* a) {
  return result(f, time::subtract(du(a[0]), du(a[1])));
}

Value identity(Frame&, const Value* a) {
  return a[0];
}

Value timestamp_from_string(Frame& f, const Value* a) {
  const auto r = time::parse_timestamp(a[0].str());
  if (r.ok()) return of(r.value);
  if (r.error == time::TimeError::kRange) return range_error(f);
  return error_about(f, ErrorCode::kInvalidArgument, "text is not an RFC 3339 timestamp", a[0]);
}
Value timestamp_from_int(Frame& f, const Value* a) {
  if (!time::in_timestamp_range(a[0].i)) return range_error(f);
  return Value::timestamp(a[0].i, 0);
}
Value duration_from_string(Frame& f, const Value* a) {
  const auto r = time::parse_duration(a[0].str());
  if (r.ok()) return of(r.value);
  if (r.error == time::TimeError::kRange) return range_error(f);
  return error_about(f, ErrorCode::kInvalidArgument, "text is not a duration", a[0]);
}
Value string_from_timestamp(Frame& f, const Value* a) {
  return make_string(f, time::format_timestamp(a[0].i, a[0].nanos()));
}
Value string_from_duration(Frame& f, const Value* a) {
  return make_string(f, time::format_duration(a[0].i, a[0].nanos()));
}
Value int_from_timestamp(Frame&, const Value* a) {
  return Value::integer(a[0].i);
}

// --- accessors ------------------------------------------------------------------------
enum class Field {
  kYear,
  kMonth,
  kDayOfYear,
  kDayOfMonth,
  kDate,
  kDayOfWeek,
  kHours,
  kMinutes,
  kSeconds,
  kMillis
};

Value field_value(const time::TimeFields& t, Field field) {
  switch (field) {
    case Field::kYear:
      return Value::integer(t.year);
    case Field::kMonth:
      return Value::integer(t.month - 1);
    case Field::kDayOfYear:
      return Value::integer(t.day_of_year);
    case Field::kDayOfMonth:
      return Value::integer(t.day - 1);
    case Field::kDate:
      return Value::integer(t.day);
    case Field::kDayOfWeek:
      return Value::integer(t.day_of_week);
    case Field::kHours:
      return Value::integer(t.hour);
    case Field::kMinutes:
      return Value::integer(t.minute);
    case Field::kSeconds:
      return Value::integer(t.second);
    case Field::kMillis:
      return Value::integer(t.millisecond);
  }
  return Value::integer(0);
}

template <Field kField>
Value ts_field_utc(Frame&, const Value* a) {
  return field_value(time::time_fields(a[0].i, a[0].nanos(), 0), kField);
}

template <Field kField>
Value ts_field_tz(Frame& f, const Value* a) {
  const time::TimeZone* zone = time::find_time_zone(a[1].str());
  if (zone == nullptr) return make_error(f, ErrorCode::kInvalidArgument, "unknown time zone");
  return field_value(time::time_fields(a[0].i, a[0].nanos(), zone->offset_at(a[0].i)), kField);
}

Value du_hours(Frame&, const Value* a) {
  return Value::integer(a[0].i / 3600);
}
Value du_minutes(Frame&, const Value* a) {
  return Value::integer(a[0].i / 60);
}
Value du_seconds(Frame&, const Value* a) {
  return Value::integer(a[0].i);
}
Value du_millis(Frame&, const Value* a) {
  return Value::integer(a[0].nanos() / 1000000);
}

template <Field kField>
void accessor(FunctionRegistry& r, const char* id, const char* name) {
  r.add_member(std::string("timestamp_to_") + id, name, "timestamp -> int", ts_field_utc<kField>);
  r.add_member(std::string("timestamp_to_") + id + "_with_tz", name, "timestamp, string -> int",
               ts_field_tz<kField>);
}

}  // namespace

void register_time(FunctionRegistry& r) {
  r.add("add_timestamp_duration", "_+_", "timestamp, duration -> timestamp", add_ts_du);
  r.add("add_duration_timestamp", "_+_", "duration, timestamp -> timestamp", add_du_ts);
  r.add("add_duration_duration", "_+_", "duration, duration -> duration", add_du_du);
  r.add("subtract_timestamp_timestamp", "_-_", "timestamp, timestamp -> duration", sub_ts_ts);
  r.add("subtract_timestamp_duration", "_-_", "timestamp, duration -> timestamp", sub_ts_du);
  r.add("subtract_duration_duration", "_-_", "duration, duration -> duration", sub_du_du);

  r.add("string_to_timestamp", "timestamp", "string -> timestamp", timestamp_from_string);
  r.add("timestamp_to_timestamp", "timestamp", "timestamp -> timestamp", identity);
  r.add("int64_to_timestamp", "timestamp", "int -> timestamp", timestamp_from_int);
  r.add("string_to_duration", "duration", "string -> duration", duration_from_string);
  r.add("duration_to_duration", "duration", "duration -> duration", identity);
  r.add("timestamp_to_string", "string", "timestamp -> string", string_from_timestamp);
  r.add("duration_to_string", "string", "duration -> string", string_from_duration);
  r.add("timestamp_to_int64", "int", "timestamp -> int", int_from_timestamp);

  accessor<Field::kYear>(r, "year", "getFullYear");
  accessor<Field::kMonth>(r, "month", "getMonth");
  accessor<Field::kDayOfYear>(r, "day_of_year", "getDayOfYear");
  accessor<Field::kDayOfMonth>(r, "day_of_month", "getDayOfMonth");
  accessor<Field::kDate>(r, "date", "getDate");
  accessor<Field::kDayOfWeek>(r, "day_of_week", "getDayOfWeek");
  accessor<Field::kHours>(r, "hours", "getHours");
  accessor<Field::kMinutes>(r, "minutes", "getMinutes");
  accessor<Field::kSeconds>(r, "seconds", "getSeconds");
  accessor<Field::kMillis>(r, "milliseconds", "getMilliseconds");
  r.add_member("duration_to_hours", "getHours", "duration -> int", du_hours);
  r.add_member("duration_to_minutes", "getMinutes", "duration -> int", du_minutes);
  r.add_member("duration_to_seconds", "getSeconds", "duration -> int", du_seconds);
  r.add_member("duration_to_milliseconds", "getMilliseconds", "duration -> int", du_millis);
}

}  // namespace safeguard::cel
