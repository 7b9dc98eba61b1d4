// Time zones for CEL's timestamp accessors (getHours("Europe/London") and friends).
//
// CEL's grammar (langdef "Timezones"): "UTC", a fixed offset, or an IANA name. cel-go,
// the reference implementation, treats any string containing ':' as an offset
// "[+-]hh:mm" (the sign may be left out: the conformance suite uses "02:00") and hands
// everything else to Go's time.LoadLocation. We do the same, reading IANA zones from TZif
// files under a zone directory (default /usr/share/zoneinfo, Debian's `tzdata`).
//
// Names come from expressions, that is from rule authors and possibly from case data, so a
// name is validated before it touches the file system, a file that resolves outside the
// zone directory (through a symbolic link) is refused, and a TZif file is treated as
// untrusted input: bounded in size and checked count by count.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "time/posix_tz.hpp"

namespace safeguard::time {

// Immutable once built; safe to share between threads.
class TimeZone {
 public:
  // A zone that is `offset_seconds` east of UTC at every instant.
  static TimeZone fixed(std::string name, std::int32_t offset_seconds);

  // Parses TZif data (RFC 8536, versions 1 to 4): the 64-bit section when there is one, and
  // the footer's POSIX TZ string for instants after the last transition. std::nullopt when
  // the data is malformed in any way, and for zones with leap-second records (the "right/"
  // zones), whose clock CEL does not use.
  static std::optional<TimeZone> from_tzif(std::string name, std::string_view data);

  const std::string& name() const noexcept { return name_; }

  // Seconds east of UTC in force at `utc_seconds`.
  std::int64_t offset_at(std::int64_t utc_seconds) const noexcept;

  // Whether the footer rule was present and understood (for tests and diagnostics).
  bool has_rule() const noexcept { return rule_.has_value(); }

 private:
  TimeZone() = default;

  std::string name_;
  std::int32_t initial_offset_ = 0;        // before the first transition (time type 0)
  std::vector<std::int64_t> transitions_;  // UTC seconds, strictly increasing
  std::vector<std::int32_t> offsets_;      // offset in force from transitions_[i]
  std::optional<PosixTimeZone> rule_;      // after the last transition
};

// The zone for a CEL time zone argument: "UTC", an offset such as "+05:30", "-08:00" or
// "02:00", or an IANA name such as "Europe/London". nullptr when the name is invalid or no
// such zone can be read. Zones are loaded once and cached for the life of the process
// (thread-safe); the pointer stays valid until exit. "Z", "" and "Local" are not zones here:
// CEL's grammar has none of them, and the host's local zone would make results depend on
// the machine.
const TimeZone* find_time_zone(std::string_view name);

// "[+-]hh:mm" (sign optional, hh 00-23, mm 00-59) as seconds east of UTC.
std::optional<std::int32_t> parse_fixed_offset(std::string_view text);

// Whether `name` may be looked up as a file: 1 to 64 characters, '/'-separated non-empty
// segments of letters, digits, '_', '+' and '-', and not "localtime" (the host's zone).
// This excludes "..", absolute paths and every file in the zone directory that is not a
// zone (they all contain a '.').
bool is_valid_zone_name(std::string_view name) noexcept;

// Where IANA zones are read from. Changing it affects later lookups only; zones already
// returned stay valid. Meant for start-up and tests, e.g. a host that ships its own tzdata.
void set_zone_directory(std::string directory);
std::string zone_directory();

// TZif files larger than this are rejected unread (the largest real zone is under 4 KiB
// in the "slim" format and under 8 KiB "fat").
inline constexpr std::size_t kMaxTzifBytes = 256 * 1024;

}  // namespace safeguard::time
