#include <unistd.h>
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <thread>

#include "../read_text.hpp"
#include "time/posix_tz.hpp"
#include "time/timestamp.hpp"
#include "time/timezone.hpp"

using namespace safeguard::time;

namespace {

std::int64_t at(const char* text) {
  const TimeResult<Timestamp> r = parse_timestamp(text);
  REQUIRE(r.ok());
  return r.value.seconds;
}

const TimeZone& zone(const char* name) {
  const TimeZone* z = find_time_zone(name);
  INFO(name);
  REQUIRE(z != nullptr);
  return *z;
}

bool have_tzdata() {
  return std::filesystem::exists(zone_directory() + "/Europe/London");
}

}  // namespace

TEST_CASE("fixed offsets follow cel-go: [+-]hh:mm, sign optional") {
  CHECK(parse_fixed_offset("+05:30") == 19800);
  CHECK(parse_fixed_offset("-08:00") == -28800);
  CHECK(parse_fixed_offset("02:00") == 7200);
  CHECK(parse_fixed_offset("-00:00") == 0);
  CHECK(parse_fixed_offset("+23:59") == 86340);
  for (const char* bad :
       {"+24:00", "+5:30", "+05:60", "05:30:00", "+0530", "", "+", "UTC", "++05:30", "+05:3a"}) {
    INFO(bad);
    CHECK_FALSE(parse_fixed_offset(bad).has_value());
  }
  CHECK(zone("+05:30").offset_at(0) == 19800);
  CHECK(zone("-09:30").offset_at(at("2009-02-13T23:31:30Z")) == -34200);
  // Equivalent spellings share one cached zone.
  CHECK(&zone("05:30") == &zone("+05:30"));
  CHECK(find_time_zone("+25:00") == nullptr);
}

TEST_CASE("UTC needs no file; Z, empty and Local are not zones") {
  CHECK(zone("UTC").offset_at(at("2024-07-01T12:00:00Z")) == 0);
  CHECK(find_time_zone("Z") == nullptr);
  CHECK(find_time_zone("") == nullptr);
  CHECK(find_time_zone("Local") == nullptr);
  CHECK(find_time_zone("Nowhere/Atlantis") == nullptr);
}

TEST_CASE("zone names are validated before touching the file system") {
  CHECK(is_valid_zone_name("Europe/London"));
  CHECK(is_valid_zone_name("America/Argentina/Buenos_Aires"));
  CHECK(is_valid_zone_name("Etc/GMT+5"));
  CHECK(is_valid_zone_name("Etc/GMT-14"));
  CHECK(is_valid_zone_name("UTC"));
  for (const char* bad :
       {"../../etc/passwd", "/etc/passwd", "Europe/../../etc/passwd", "..", ".", "Europe//London",
        "Europe/London/", "/Europe/London", "zone.tab", "Europe/Lon don", "Europe\\London",
        "Europe/London\n", "", "Europe/Lo:ndon",
        "A123456789012345678901234567890123456789012345678901234567890123456789"}) {
    INFO(bad);
    CHECK_FALSE(is_valid_zone_name(bad));
  }
  CHECK_FALSE(is_valid_zone_name(std::string_view("Europe/Lond\0on", 14)));
  CHECK(find_time_zone("../../etc/passwd") == nullptr);
  CHECK(find_time_zone("/etc/passwd") == nullptr);
  // The host's zone would make results depend on the machine.
  CHECK_FALSE(is_valid_zone_name("localtime"));
  CHECK(find_time_zone("localtime") == nullptr);
}

TEST_CASE("America/Los_Angeles changes at 02:00 local time") {
  if (!have_tzdata()) {
    WARN("tzdata is not installed: skipped");
    return;
  }
  const TimeZone& la = zone("America/Los_Angeles");
  CHECK(la.has_rule());
  CHECK(la.offset_at(at("2024-03-10T09:59:59Z")) == -8 * 3600);
  CHECK(la.offset_at(at("2024-03-10T10:00:00Z")) == -7 * 3600);
  CHECK(la.offset_at(at("2024-11-03T08:59:59Z")) == -7 * 3600);
  CHECK(la.offset_at(at("2024-11-03T09:00:00Z")) == -8 * 3600);
  // Past the last listed transition, the footer rule (PST8PDT,M3.2.0,M11.1.0) applies.
  CHECK(la.offset_at(at("2100-03-14T09:59:59Z")) == -8 * 3600);
  CHECK(la.offset_at(at("2100-03-14T10:00:00Z")) == -7 * 3600);
  CHECK(la.offset_at(at("2100-11-07T08:59:59Z")) == -7 * 3600);
  CHECK(la.offset_at(at("2100-11-07T09:00:00Z")) == -8 * 3600);
  CHECK(la.offset_at(at("9999-12-31T23:59:59Z")) == -8 * 3600);
  // Before the first transition: local mean time, -7:52:58.
  CHECK(la.offset_at(at("1800-01-01T00:00:00Z")) == -28378);
}

TEST_CASE("Europe/London: GMT and BST change at 01:00 UTC") {
  if (!have_tzdata()) {
    WARN("tzdata is not installed: skipped");
    return;
  }
  const TimeZone& london = zone("Europe/London");
  CHECK(london.offset_at(at("2024-03-31T00:59:59Z")) == 0);
  CHECK(london.offset_at(at("2024-03-31T01:00:00Z")) == 3600);
  CHECK(london.offset_at(at("2024-10-27T00:59:59Z")) == 3600);
  CHECK(london.offset_at(at("2024-10-27T01:00:00Z")) == 0);
  CHECK(london.offset_at(at("2060-07-01T12:00:00Z")) == 3600);
  CHECK(london.offset_at(at("2060-12-01T12:00:00Z")) == 0);
  // 1968-1971 British Standard Time: an hour ahead all winter.
  CHECK(london.offset_at(at("1970-01-01T00:00:00Z")) == 3600);
  // A date-time in a UK case record, seen in London: 23:30Z on 30 June is 1 July locally.
  const std::int64_t t = at("2024-06-30T23:30:00Z");
  CHECK(time_fields(t, 0, london.offset_at(t)).day == 1);
}

TEST_CASE("Australia/Lord_Howe has half-hour daylight saving") {
  if (!have_tzdata()) {
    WARN("tzdata is not installed: skipped");
    return;
  }
  const TimeZone& lh = zone("Australia/Lord_Howe");
  CHECK(lh.offset_at(at("2024-01-15T00:00:00Z")) == 11 * 3600);
  CHECK(lh.offset_at(at("2024-07-15T00:00:00Z")) == 10 * 3600 + 1800);
  // Ends at 02:00 daylight time on the first Sunday of April (7 April 2024).
  CHECK(lh.offset_at(at("2024-04-06T14:59:59Z")) == 11 * 3600);
  CHECK(lh.offset_at(at("2024-04-06T15:00:00Z")) == 10 * 3600 + 1800);
  // Starts at 02:00 standard time on the first Sunday of October (6 October 2024).
  CHECK(lh.offset_at(at("2024-10-05T15:29:59Z")) == 10 * 3600 + 1800);
  CHECK(lh.offset_at(at("2024-10-05T15:30:00Z")) == 11 * 3600);
  // The footer rule across a southern-hemisphere new year.
  CHECK(lh.offset_at(at("2090-01-01T00:00:00Z")) == 11 * 3600);
  CHECK(lh.offset_at(at("2090-06-01T00:00:00Z")) == 10 * 3600 + 1800);
}

TEST_CASE("Asia/Kolkata and the zones of the conformance suite") {
  if (!have_tzdata()) {
    WARN("tzdata is not installed: skipped");
    return;
  }
  CHECK(zone("Asia/Kolkata").offset_at(at("2024-06-01T00:00:00Z")) == 19800);
  CHECK(zone("Asia/Kolkata").offset_at(at("2090-06-01T00:00:00Z")) == 19800);
  CHECK(zone("Asia/Kolkata").offset_at(at("1943-06-01T00:00:00Z")) == 23400);  // war time
  const std::int64_t t = at("2009-02-13T23:31:30Z");
  CHECK(time_fields(t, 0, zone("Australia/Sydney").offset_at(t)).day == 14);
  CHECK(time_fields(t, 0, zone("US/Central").offset_at(t)).day - 1 == 12);
  CHECK(time_fields(t, 0, zone("US/Central").offset_at(t)).day_of_year == 43);
  CHECK(time_fields(t, 0, zone("Asia/Kathmandu").offset_at(t)).minute == 16);
  const std::int64_t early = at("2009-02-13T02:00:00Z");
  CHECK(time_fields(early, 0, zone("America/St_Johns").offset_at(early)).day - 1 == 11);
}

TEST_CASE("zones are cached: one object per name, safe from many threads") {
  if (!have_tzdata()) {
    WARN("tzdata is not installed: skipped");
    return;
  }
  std::vector<const TimeZone*> seen(8, nullptr);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < seen.size(); ++i) {
    threads.emplace_back([&seen, i] {
      for (int k = 0; k < 200; ++k) seen[i] = find_time_zone(k % 2 ? "Europe/Paris" : "Asia/Tokyo");
      seen[i] = find_time_zone("Europe/Paris");
    });
  }
  for (auto& t : threads) t.join();
  for (const TimeZone* z : seen) CHECK(z == seen[0]);
  CHECK(seen[0] != nullptr);
}

TEST_CASE("every zone in the system tzdata loads and has a footer rule") {
  if (!have_tzdata()) {
    WARN("tzdata is not installed: skipped");
    return;
  }
  namespace fs = std::filesystem;
  const fs::path root = zone_directory();
  std::size_t loaded = 0;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator();
       ++it) {
    const std::string rel = fs::relative(it->path(), root).generic_string();
    if (it->is_directory() && (rel == "right" || rel == "posix")) {
      it.disable_recursion_pending();
      continue;
    }
    if (!is_valid_zone_name(rel) || rel == "localtime" || it->is_directory()) continue;
    if (safeguard::test::read_text(it->path().string()).compare(0, 4, "TZif") != 0) continue;
    const TimeZone* z = find_time_zone(rel);
    INFO(rel);
    REQUIRE(z != nullptr);
    CHECK(z->has_rule());
    ++loaded;
  }
  CHECK(loaded > 300);
}

TEST_CASE("POSIX TZ strings") {
  auto tz = parse_posix_tz("GMT0BST,M3.5.0/1,M10.5.0");
  REQUIRE(tz);
  CHECK(tz->std_offset == 0);
  CHECK(tz->dst_offset == 3600);
  CHECK(tz->start.month == 3);
  CHECK(tz->start.week == 5);
  CHECK(tz->start.time == 3600);
  tz = parse_posix_tz("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0");
  REQUIRE(tz);
  CHECK(tz->std_offset == 37800);
  CHECK(tz->dst_offset == 39600);
  tz = parse_posix_tz("IST-2IDT,M3.4.4/26,M10.5.0");
  REQUIRE(tz);
  CHECK(tz->start.time == 26 * 3600);
  tz = parse_posix_tz("<-03>3<-02>,M3.2.0/-2,M11.1.0/-1");
  REQUIRE(tz);
  CHECK(tz->start.time == -7200);
  // All-year daylight saving (TZif v3): always the DST offset.
  tz = parse_posix_tz("EST5EDT,0/0,J365/25");
  REQUIRE(tz);
  CHECK(posix_offset_at(*tz, at("2030-01-01T12:00:00Z")) == -4 * 3600);
  CHECK(posix_offset_at(*tz, at("2030-07-01T12:00:00Z")) == -4 * 3600);
  CHECK(posix_offset_at(*tz, at("2030-12-31T23:00:00Z")) == -4 * 3600);
  // Julian days: J60 is 1 March even in leap years.
  tz = parse_posix_tz("AAA0BBB,J60/0,J300/0");
  REQUIRE(tz);
  CHECK(posix_offset_at(*tz, at("2024-02-29T12:00:00Z")) == 0);
  CHECK(posix_offset_at(*tz, at("2024-03-01T12:00:00Z")) == 3600);
  CHECK(parse_posix_tz("UTC0").has_value());
  CHECK(parse_posix_tz("<+0545>-5:45")->std_offset == 20700);
  for (const char* bad : {"", "GM0", "GMT", "GMT0BST", "GMT0BST,M3.5.0", "GMT0BST,M13.1.0,M10.5.0",
                          "GMT0BST,M3.6.0,M10.5.0", "GMT0BST,M3.5.7,M10.5.0", "GMT0BST,J0,J100",
                          "GMT0BST,M3.5.0/200,M10.5.0", "<AB>0", "<+1030-10:30", "GMT25",
                          "GMT0BST,M3.5.0,M10.5.0junk"}) {
    INFO(bad);
    CHECK_FALSE(parse_posix_tz(bad).has_value());
  }
}

TEST_CASE("hostile TZif data is rejected without reading out of bounds") {
  if (!have_tzdata()) {
    WARN("tzdata is not installed: skipped");
    return;
  }
  const std::string good = safeguard::test::read_text(zone_directory() + "/Europe/London");
  REQUIRE(TimeZone::from_tzif("x", good).has_value());
  // Every truncation fails cleanly.
  for (std::size_t n = 0; n < good.size(); n += 7) {
    CHECK_FALSE(TimeZone::from_tzif("x", std::string_view(good).substr(0, n)).has_value());
  }
  // Huge counts in the header.
  for (std::size_t field = 0; field < 6; ++field) {
    std::string bad = good;
    for (int k = 0; k < 4; ++k) bad[20 + field * 4 + static_cast<std::size_t>(k)] = '\xff';
    CHECK_FALSE(TimeZone::from_tzif("x", bad).has_value());
  }
  // Random corruption: anything may come back, but nothing may crash (run under ASan).
  std::mt19937 rng(12345);
  for (int round = 0; round < 2000; ++round) {
    std::string bad = good;
    for (int k = 0; k < 4; ++k) bad[rng() % bad.size()] = static_cast<char>(rng());
    if (auto z = TimeZone::from_tzif("x", bad)) (void)z->offset_at(at("2024-06-01T00:00:00Z"));
  }
  CHECK_FALSE(TimeZone::from_tzif("x", std::string(kMaxTzifBytes + 1, 'T')).has_value());
  CHECK_FALSE(TimeZone::from_tzif("x", "TZif").has_value());
}

TEST_CASE("the zone directory can be changed for hosts and tests") {
  namespace fs = std::filesystem;
  const std::string saved = zone_directory();
  const fs::path dir =
      fs::temp_directory_path() / ("safeguard-zoneinfo-test-" + std::to_string(::getpid()));
  fs::create_directories(dir / "Test");
  { std::ofstream(dir / "Test" / "Garbage", std::ios::binary) << "not a zone"; }
  // A link out of the zone directory is refused even when its target is a zone.
  std::error_code ec;
  fs::create_symlink(fs::canonical(saved + "/Asia/Kolkata", ec), dir / "Test" / "Outside", ec);
  const bool copied = fs::exists(saved + "/Asia/Kolkata");
  if (copied) {
    fs::copy_file(saved + "/Asia/Kolkata", dir / "Test" / "India",
                  fs::copy_options::overwrite_existing);
    // The same zone made larger than a zone file may be: refused by its size, unread.
    fs::copy_file(saved + "/Asia/Kolkata", dir / "Test" / "Padded",
                  fs::copy_options::overwrite_existing);
    fs::resize_file(dir / "Test" / "Padded", kMaxTzifBytes + 1);
  }
  set_zone_directory(dir.string());
  CHECK(find_time_zone("Test/Garbage") == nullptr);
  CHECK(find_time_zone("Test/Missing") == nullptr);
  CHECK(find_time_zone("Test/Outside") == nullptr);
  if (copied) {
    REQUIRE(find_time_zone("Test/India") != nullptr);
    CHECK(find_time_zone("Test/India")->offset_at(0) == 19800);
    CHECK(find_time_zone("Test/Padded") == nullptr);
  }
  set_zone_directory(saved);
  CHECK(find_time_zone("Test/India") == nullptr);
  fs::remove_all(dir);
}
