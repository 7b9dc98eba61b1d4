// Loading calendar files: diagnostics (golden text of format()), directories, and the
// public safeguard::Calendar API.
#include <unistd.h>
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "ruleset/load/calendar_access.hpp"
#include "ruleset/load/calendar_file.hpp"
#include "safeguard/calendar.hpp"
#include "time/date.hpp"

using namespace safeguard;
using safeguard::ruleset::CalendarMap;

namespace {

const CalendarMap& shipped() {
  static const CalendarMap calendars =
      ruleset::load_calendar_directory(SAFEGUARD_SOURCE_DIR "/rules/calendars", {}).calendars;
  return calendars;
}

// format() of every diagnostic from loading `yaml` as council.yaml.
std::string problems(const std::string& yaml, bool* built = nullptr) {
  const ruleset::CalendarFileResult r =
      ruleset::load_calendar_text(yaml, "council.yaml", shipped());
  if (built != nullptr) *built = r.calendar != nullptr;
  return format(r.diagnostics);
}

std::vector<std::string> codes(const std::vector<Diagnostic>& diagnostics) {
  std::vector<std::string> out;
  for (const Diagnostic& d : diagnostics) out.push_back(d.code);
  return out;
}

// A fresh directory under the system temporary directory, removed afterwards.
class TempDir {
 public:
  explicit TempDir(const std::string& name)
      : path_(std::filesystem::temp_directory_path() /
              ("safeguard-" + name + "-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  void write(const std::string& file, const std::string& text) const {
    std::ofstream(path_ / file, std::ios::binary) << text;
  }
  std::string path() const { return path_.string(); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

const char* const kSmallBase =
    "calendar: base\n"
    "covers: {from: 2024-01-01, until: 2024-12-31}\n"
    "closures:\n"
    "  - {date: 2024-12-25, name: Christmas Day}\n";

}  // namespace

TEST_CASE("a misspelt key gets a did-you-mean, and the missing key is reported too") {
  bool built = true;
  CHECK(problems("calendar: test\n"
                 "covers: {from: 2024-01-01, until: 2024-12-31}\n"
                 "clousres:\n"
                 "  - {date: 2024-12-27, name: Office closure}\n",
                 &built) ==
        "council.yaml:3:1: error: unknown key 'clousres' in a calendar file "
        "[calendar.unknown-key]\n"
        "  clousres:\n"
        "  ^~~~~~~~\n"
        "  hint: did you mean 'closures'?\n"
        "council.yaml: error: missing key 'closures' [calendar.missing-key]\n"
        "  hint: list the closure days, or write 'closures: []' if there are none\n");
  CHECK_FALSE(built);
}

TEST_CASE("a calendar named with name: is pointed to calendar:") {
  bool built = true;
  const std::string out = problems(
      "name: council\n"
      "extends: england-and-wales\n"
      "closures: []\n",
      &built);
  CHECK(out.find("council.yaml:1:1: error: unknown key 'name' in a calendar file") !=
        std::string::npos);
  CHECK(out.find("hint: did you mean 'calendar'?") != std::string::npos);
  CHECK_FALSE(built);
}

TEST_CASE("impossible dates are reported with the reason") {
  CHECK(problems("calendar: test\n"
                 "covers: {from: 2023-01-01, until: 2023-12-31}\n"
                 "closures:\n"
                 "  - {date: 2023-02-29, name: Leap day}\n"
                 "  - {date: 2023-04-31, name: Bad}\n"
                 "  - {date: 23-04-30, name: Bad}\n") ==
        "council.yaml:4:12: error: '2023-02-29' is not a date [calendar.invalid-date]\n"
        "    - {date: 2023-02-29, name: Leap day}\n"
        "             ^~~~~~~~~~\n"
        "  hint: 2023 is not a leap year\n"
        "council.yaml:5:12: error: '2023-04-31' is not a date [calendar.invalid-date]\n"
        "    - {date: 2023-04-31, name: Bad}\n"
        "             ^~~~~~~~~~\n"
        "  hint: April has 30 days\n"
        "council.yaml:6:12: error: '23-04-30' is not a date [calendar.invalid-date]\n"
        "    - {date: 23-04-30, name: Bad}\n"
        "             ^~~~~~~~\n"
        "  hint: write dates as YYYY-MM-DD, e.g. 2024-12-27\n");
}

TEST_CASE("weekday typos, duplicates and uncovered closures are all reported at once") {
  CHECK(problems("calendar: test\n"
                 "covers: {from: 2024-01-01, until: 2024-12-31}\n"
                 "weekend: [saturday, sundya]\n"
                 "closures:\n"
                 "  - {date: 2024-12-27, name: Office closure}\n"
                 "  - {date: 2024-12-27, name: Office closure again}\n"
                 "  - {date: 2025-01-02, name: Too late}\n") ==
        "council.yaml:3:21: error: unknown weekday 'sundya' [calendar.invalid-weekday]\n"
        "  weekend: [saturday, sundya]\n"
        "                      ^~~~~~\n"
        "  hint: did you mean 'sunday'?\n"
        "council.yaml:6:12: error: 2024-12-27 is listed twice [calendar.duplicate-date]\n"
        "    - {date: 2024-12-27, name: Office closure again}\n"
        "             ^~~~~~~~~~\n"
        "  hint: it is also listed on line 5\n"
        "council.yaml:7:12: error: 2025-01-02 is outside 'covers' (2024-01-01 to 2024-12-31) "
        "[calendar.outside-coverage]\n"
        "    - {date: 2025-01-02, name: Too late}\n"
        "             ^~~~~~~~~~\n"
        "  hint: widen 'covers' if the closure list is complete for that year too\n");
}

TEST_CASE("extends must name a loaded calendar") {
  CHECK(problems("calendar: council\n"
                 "extends: england-and-wale\n"
                 "closures: []\n") ==
        "council.yaml:2:10: error: 'england-and-wale' is not a known calendar "
        "[calendar.unknown-calendar]\n"
        "  extends: england-and-wale\n"
        "           ^~~~~~~~~~~~~~~~\n"
        "  hint: did you mean 'england-and-wales'?\n");
  const ruleset::CalendarFileResult r =
      ruleset::load_calendar_text("calendar: c\nextends: wales\nclosures: []\n", "c.yaml", {});
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].hint == "no calendars are loaded yet; load the calendar it extends first");
}

TEST_CASE("YAML syntax errors point into the file") {
  CHECK(problems("calendar: test\n"
                 "covers: {from: 2024-01-01, until: 2024-12-31\n"
                 "closures: []\n") ==
        "council.yaml:3:9: error: YAML syntax error: end of map flow not found "
        "[calendar.syntax]\n"
        "  closures: []\n"
        "          ^\n");
}

TEST_CASE("missing keys, malformed closures and wrong shapes") {
  CHECK(codes(ruleset::load_calendar_text("title: No name\n"
                                          "closures:\n"
                                          "  - {name: Forgot the date}\n"
                                          "  - {date: 2024-01-05}\n"
                                          "  - {date: 2024-01-05, from: 2024-01-06, until: "
                                          "2024-01-07, name: Both}\n"
                                          "  - {from: 2024-01-09, until: 2024-01-08, name: B}\n"
                                          "  - {from: 2024-01-09, until: 2026-01-08, name: L}\n"
                                          "  - {from: 2024-01-09, name: No end}\n"
                                          "  - 2024-01-10\n",
                                          "c.yaml", {})
                  .diagnostics) ==
        std::vector<std::string>{
            "calendar.missing-key", "calendar.missing-key", "calendar.invalid-closure",
            "calendar.invalid-range", "calendar.range-too-long", "calendar.missing-key",
            "calendar.wrong-type", "calendar.missing-key", "calendar.missing-key"});
  CHECK(problems("calendar: Test Calendar\n"
                 "covers: {from: 2024-01-01}\n"
                 "covers: {from: 2024-01-01, until: 2024-12-31}\n"
                 "closures: {date: 2024-01-01}\n") ==
        "council.yaml:1:11: error: calendar name 'Test Calendar' must be lower-case letters, "
        "digits and '-' [calendar.invalid-name]\n"
        "  calendar: Test Calendar\n"
        "            ^~~~~~~~~~~~~\n"
        "  hint: e.g. 'england-and-wales'; put the name people read in 'title'\n"
        "council.yaml:2:9: error: 'covers' needs both 'from' and 'until' "
        "[calendar.missing-key]\n"
        "  covers: {from: 2024-01-01}\n"
        "          ^\n"
        "council.yaml:3:1: error: key 'covers' is given twice [calendar.duplicate-key]\n"
        "  covers: {from: 2024-01-01, until: 2024-12-31}\n"
        "  ^~~~~~\n"
        "  hint: it was first given on line 2\n"
        "council.yaml:4:11: error: 'closures' must be a list of entries such as "
        "{date: 2024-12-27, name: ...} [calendar.wrong-type]\n"
        "  closures: {date: 2024-01-01}\n"
        "            ^\n");
  CHECK(problems("") == "council.yaml: error: the calendar file is empty [calendar.wrong-type]\n");
  CHECK(codes(ruleset::load_calendar_text("- a\n- b\n", "c.yaml", {}).diagnostics) ==
        std::vector<std::string>{"calendar.wrong-type"});
  CHECK(codes(ruleset::load_calendar_text("calendar: c\n"
                                          "covers: {from: 2030-01-01, until: 2024-12-31}\n"
                                          "weekend: [monday, tuesday, wednesday, thursday, "
                                          "friday, saturday, sunday]\n"
                                          "closures: []\n",
                                          "c.yaml", {})
                  .diagnostics) ==
        std::vector<std::string>{"calendar.invalid-range", "calendar.no-working-days"});
  CHECK(codes(ruleset::load_calendar_text(
                  "calendar: c\ncovers: {from: 1800-01-01, until: 2100-12-31}\nclosures: []\n",
                  "c.yaml", {})
                  .diagnostics) == std::vector<std::string>{"calendar.coverage-too-long"});
}

TEST_CASE("warnings do not stop a calendar from being built") {
  bool built = false;
  CHECK(problems("calendar: council\n"
                 "extends: england-and-wales\n"
                 "covers: {from: 2024-01-01, until: 2024-12-31}\n"
                 "closures:\n"
                 "  - {date: 2024-12-25, name: Christmas}\n"
                 "  - {date: 2024-12-28, name: Staff party}\n",
                 &built) ==
        "council.yaml:5:12: warning: 2024-12-25 is already closed in england-and-wales "
        "(Christmas Day) [calendar.redundant-closure]\n"
        "    - {date: 2024-12-25, name: Christmas}\n"
        "             ^~~~~~~~~~\n"
        "council.yaml:6:12: warning: 2024-12-28 (Staff party) is a Saturday, which is not a "
        "working day anyway [calendar.weekend-closure]\n"
        "    - {date: 2024-12-28, name: Staff party}\n"
        "             ^~~~~~~~~~\n"
        "  hint: if the holiday moves to a weekday, list that substitute day instead\n");
  CHECK(built);
}

TEST_CASE("an extending calendar may not reach beyond its base's coverage") {
  bool built = true;
  CHECK(problems("calendar: council\n"
                 "extends: england-and-wales\n"
                 "covers: {from: 1999-01-01, until: 2024-12-31}\n"
                 "closures: []\n",
                 &built) ==
        "council.yaml:3:9: error: 'covers' reaches beyond england-and-wales, which covers "
        "2000-01-01 to 2030-12-31 [calendar.outside-coverage]\n"
        "  covers: {from: 1999-01-01, until: 2024-12-31}\n"
        "          ^\n");
  CHECK_FALSE(built);
  CHECK(codes(ruleset::load_calendar_text("calendar: council\nextends: england-and-wales\n"
                                          "closures:\n  - {date: 2031-01-02, name: X}\n",
                                          "c.yaml", shipped())
                  .diagnostics) == std::vector<std::string>{"calendar.outside-coverage"});
}

TEST_CASE("hostile calendar files are rejected, not crashed on") {
  const std::string deep =
      "calendar: x\ncovers: {from: 2024-01-01, until: 2024-12-31}\n"
      "closures: " +
      std::string(50000, '[') + std::string(50000, ']') + "\n";
  CHECK(ruleset::load_calendar_text(deep, "deep.yaml", {}).calendar == nullptr);
  CHECK(codes(ruleset::load_calendar_text(std::string(ruleset::kMaxCalendarFileBytes + 1, '#'),
                                          "big.yaml", {})
                  .diagnostics) == std::vector<std::string>{"calendar.too-large"});
  // Thousands of problems are capped, and the cap is itself an error.
  std::string many = "calendar: x\ncovers: {from: 2024-01-01, until: 2024-12-31}\nclosures:\n";
  for (int i = 0; i < 1000; ++i) many += "  - {date: 2024-01-01x, name: y}\n";
  const ruleset::CalendarFileResult r = ruleset::load_calendar_text(many, "many.yaml", {});
  CHECK(r.diagnostics.size() == ruleset::kMaxCalendarDiagnostics + 1);
  CHECK(r.diagnostics.back().code == "calendar.too-many-problems");
  CHECK(r.diagnostics.back().severity == Severity::kError);
  // An alias repeats an entry: that is a duplicate date, not a second closure.
  CHECK(codes(ruleset::load_calendar_text("calendar: x\ncovers: {from: 2024-01-01, until: "
                                          "2024-12-31}\nclosures: [&a {date: 2024-01-02, "
                                          "name: X}, *a]\n",
                                          "alias.yaml", {})
                  .diagnostics) == std::vector<std::string>{"calendar.duplicate-date"});
}

TEST_CASE("a directory loads in dependency order, all or nothing") {
  TempDir dir("calendars-order");
  // "a-council" sorts before the calendar it extends.
  dir.write("a-council.yaml",
            "calendar: council\nextends: base\nclosures:\n"
            "  - {date: 2024-12-27, name: Office closure}\n");
  dir.write("base.yml", kSmallBase);
  dir.write("notes.txt", "not a calendar");
  ruleset::CalendarDirectoryResult r = ruleset::load_calendar_directory(dir.path(), {});
  INFO(format(r.diagnostics));
  CHECK(r.diagnostics.empty());
  REQUIRE(r.calendars.size() == 2);
  const time::WorkingCalendar& council = *r.calendars.at("council");
  CHECK(time::format_date(*council.add_working_days(*time::parse_date("2024-12-24"), 2)) ==
        "2024-12-30");

  dir.write("z-broken.yaml",
            "calendar: broken\ncovers: {from: 2024-01-01, until: 2024-12-31}\n"
            "closures:\n  - {date: 2024-02-30, name: X}\n");
  r = ruleset::load_calendar_directory(dir.path(), {});
  CHECK(codes(r.diagnostics) == std::vector<std::string>{"calendar.invalid-date"});
  CHECK(r.calendars.empty());
}

TEST_CASE("cycles and duplicate names across a directory") {
  TempDir dir("calendars-cycle");
  dir.write("a.yaml", "calendar: a\nextends: b\nclosures: []\n");
  dir.write("b.yaml", "calendar: b\nextends: a\nclosures: []\n");
  dir.write("c.yaml", "calendar: c\nextends: a\nclosures: []\n");
  ruleset::CalendarDirectoryResult r = ruleset::load_calendar_directory(dir.path(), {});
  CHECK(r.calendars.empty());
  CHECK(format(r.diagnostics) ==
        dir.file("a.yaml") +
            ":2:10: error: calendars extend each other in a circle: a -> b -> a "
            "[calendar.extends-cycle]\n"
            "  extends: b\n"
            "           ^\n" +
            dir.file("b.yaml") +
            ":2:10: error: calendars extend each other in a circle: a -> b -> a "
            "[calendar.extends-cycle]\n"
            "  extends: a\n"
            "           ^\n");

  TempDir twice("calendars-twice");
  twice.write("one.yaml", kSmallBase);
  twice.write("two.yaml", kSmallBase);
  r = ruleset::load_calendar_directory(twice.path(), {});
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].code == "calendar.duplicate-name");
  CHECK(r.diagnostics[0].hint == "it is also defined in " + twice.file("one.yaml"));
  r = ruleset::load_calendar_directory(SAFEGUARD_SOURCE_DIR "/rules/calendars", shipped());
  CHECK(codes(r.diagnostics) ==
        std::vector<std::string>(3, "calendar.duplicate-name"));  // already loaded

  r = ruleset::load_calendar_directory(dir.file("missing"), {});
  CHECK(codes(r.diagnostics) == std::vector<std::string>{"calendar.io"});
  CHECK(codes(ruleset::load_calendar_file(dir.file("missing.yaml"), {}).diagnostics) ==
        std::vector<std::string>{"calendar.io"});
}

TEST_CASE("the public Calendar API works on date strings") {
  const CalendarSetLoad set = Calendar::load_directory(SAFEGUARD_SOURCE_DIR "/rules/calendars");
  REQUIRE(set.diagnostics.empty());
  REQUIRE(set.calendars.size() == 3);
  const std::shared_ptr<const Calendar> england = set.calendars[0];
  CHECK(england->name() == "england-and-wales");
  CHECK(england->title() == "England and Wales");
  CHECK(england->covers_from() == "2000-01-01");
  CHECK(england->covers_until() == "2030-12-31");

  CHECK(england->add_working_days("2024-03-28", 1).value == "2024-04-02");
  CHECK(england->add_working_days("2024-04-02", -1).value == "2024-03-28");
  CHECK(england->add_working_days("2024-02-30", 1).error == CalendarError::kInvalidDate);
  CHECK(england->add_working_days("2030-12-31", 1).error == CalendarError::kOutsideCoverage);
  CHECK(england->working_days_between("2024-03-28", "2024-04-02").value == 1);
  CHECK(england->working_days_between("2024-04-02", "2024-03-28").value == -1);
  CHECK(england->working_days_between("2024-04-02", "tomorrow").error ==
        CalendarError::kInvalidDate);
  CHECK(england->is_working_day("2024-12-25").ok());
  CHECK_FALSE(england->is_working_day("2024-12-25").value);
  CHECK(england->is_working_day("2024-12-24").value);
  CHECK(england->is_working_day("2040-01-02").error == CalendarError::kOutsideCoverage);
  CHECK(std::string(to_string(CalendarError::kOutsideCoverage)) ==
        "outside the calendar's coverage");

  // Internal code reaches the working-day tables.
  CHECK(&CalendarAccess::working(*england) == CalendarAccess::share(*england).get());

  const CalendarLoad council = england->with_closures("my-council", {"2024-12-27", "2024-12-30"});
  REQUIRE(council.calendar);
  CHECK(council.diagnostics.empty());
  CHECK(council.calendar->add_working_days("2024-12-24", 1).value == "2024-12-31");
  CHECK(council.calendar->covers_until() == "2030-12-31");
  const CalendarLoad bad =
      england->with_closures("Bad Name", {"2024-12-27", "2024-12-27", "2031-01-02", "nope"});
  CHECK(bad.calendar == nullptr);
  CHECK(codes(bad.diagnostics) ==
        std::vector<std::string>{"calendar.invalid-name", "calendar.duplicate-date",
                                 "calendar.outside-coverage", "calendar.invalid-date"});
  const CalendarLoad redundant = england->with_closures("c", {"2024-12-25"});
  CHECK(redundant.calendar != nullptr);
  CHECK(codes(redundant.diagnostics) == std::vector<std::string>{"calendar.redundant-closure"});
}

TEST_CASE("public loading from text and from a file, extending known calendars") {
  const CalendarSetLoad set = Calendar::load_directory(SAFEGUARD_SOURCE_DIR "/rules/calendars");
  const CalendarLoad council = Calendar::load_file(
      SAFEGUARD_SOURCE_DIR "/examples/calendars/council-office-closures.yaml", set.calendars);
  INFO(format(council.diagnostics));
  REQUIRE(council.calendar);
  CHECK(council.calendar->name() == "example-council");
  CHECK(council.calendar->add_working_days("2024-12-24", 1).value == "2025-01-02");

  const CalendarLoad from_text = Calendar::from_yaml(kSmallBase, "db:calendars/7");
  REQUIRE(from_text.calendar);
  CHECK(from_text.calendar->name() == "base");
  const CalendarLoad broken = Calendar::from_yaml("calendar: [", "db:calendars/8");
  CHECK(broken.calendar == nullptr);
  REQUIRE_FALSE(broken.diagnostics.empty());
  CHECK(broken.diagnostics[0].file == "db:calendars/8");
  CHECK(broken.diagnostics[0].code == "calendar.syntax");
}

TEST_CASE("the built-in calendars are at hand, and extends: reaches them without loading files") {
  const auto& all = Calendar::built_in();
  REQUIRE(all.size() == 3);
  CHECK(all[0]->name() == "england-and-wales");
  CHECK(all[1]->name() == "northern-ireland");
  CHECK(all[2]->name() == "scotland");
  const std::shared_ptr<const Calendar> scotland = Calendar::built_in("scotland");
  REQUIRE(scotland);
  CHECK(scotland->is_working_day("2024-01-02").ok());
  CHECK_FALSE(scotland->is_working_day("2024-01-02").value);  // 2 January is a holiday there
  CHECK(Calendar::built_in("atlantis") == nullptr);

  // A council calendar from text, extending a built-in calendar with no `known` given.
  const CalendarLoad council = Calendar::from_yaml(
      "calendar: my-council\ntitle: My council\nextends: england-and-wales\n"
      "covers: {from: 2024-01-01, until: 2024-12-31}\n"
      "closures:\n  - {date: 2024-12-27, name: Office closure}\n",
      "db:calendars/9");
  INFO(format(council.diagnostics));
  REQUIRE(council.calendar);
  CHECK(council.calendar->add_working_days("2024-12-24", 1).value == "2024-12-30");

  // A calendar the host passes in `known` wins over the built-in one of the same name.
  const CalendarLoad own_england = Calendar::from_yaml(
      "calendar: england-and-wales\ncovers: {from: 2024-01-01, until: 2024-12-31}\nclosures: []\n",
      "db:calendars/10");
  INFO(format(own_england.diagnostics));
  REQUIRE(own_england.calendar);
  const CalendarLoad on_own =
      Calendar::from_yaml("calendar: c\nextends: england-and-wales\nclosures: []\n",
                          "db:calendars/11", {own_england.calendar});
  REQUIRE(on_own.calendar);
  CHECK(on_own.calendar->is_working_day("2024-12-25").value);  // no bank holidays in the host's
}

TEST_CASE("a calendar file is read as the rule set loader reads one") {
  // The same words as the loader's calendar.read, without the operating system's.
  TempDir dir("calendar-read");
  const ruleset::CalendarFileResult missing =
      ruleset::load_calendar_file(dir.file("missing.yaml"), {});
  REQUIRE(missing.diagnostics.size() == 1);
  CHECK(missing.diagnostics[0].code == "calendar.io");
  CHECK(missing.diagnostics[0].message == "file does not exist");
  // A device is refused unread, as a FIFO is: only a regular file is a calendar file (a
  // device was read up to the limit, and a FIFO without a writer waited for ever).
  const ruleset::CalendarFileResult device = ruleset::load_calendar_file("/dev/zero", {});
  REQUIRE(device.diagnostics.size() == 1);
  CHECK(device.diagnostics[0].code == "calendar.io");
  CHECK(device.diagnostics[0].message == "file is not a regular file");
  dir.write("big.yaml", std::string(ruleset::kMaxCalendarFileBytes + 1, '#'));
  const ruleset::CalendarFileResult over = ruleset::load_calendar_file(dir.file("big.yaml"), {});
  REQUIRE(over.diagnostics.size() == 1);
  CHECK(over.diagnostics[0].message ==
        "the file has " + std::to_string(ruleset::kMaxCalendarFileBytes + 1) + " bytes (limit is " +
            std::to_string(ruleset::kMaxCalendarFileBytes) + ")");
}
