// Members and items checked in place (ValueCheck: plain strings, dates, date-times, enums,
// flags, and objects and arrays walked without validate()) against the general way, which
// clear_value_checks forces: the same violations, marks, normalised numbers and layouts,
// including where the step budget or the frame limit stops validation.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstring>
#include <set>
#include <vector>

#include "../../../bench/case_gen.hpp"
#include "schema_test_util.hpp"
#include "snapshot/schema_tree.hpp"
#include "snapshot/schema_validator.hpp"
#include "time/date.hpp"

using namespace schema_test;
using safeguard::cel::JsonDoc;

namespace {

struct SplitMix {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
};

// Values a mutation writes instead of a member or element: each shape the in-place checks
// tell apart, valid and not.
const char* const kOthers[] = {"null",
                               "true",
                               "false",
                               "0",
                               "-7",
                               "18446744073709551615",
                               "2.5",
                               "1e3",
                               "[]",
                               "{}",
                               "\"\"",
                               "\"x\"",
                               "\"neglect\"",
                               "\"police\"",
                               "\"medium\"",
                               "\"2024-02-29\"",
                               "\"2023-02-29\"",
                               "\"2024-04-31\"",
                               "\"2024-13-01\"",
                               "\"0000-01-01\"",
                               "\"0001-01-01\"",
                               "\"2024-1-01\"",
                               "\"2024-01-01 \"",
                               "\"2024/01/01\"",
                               "\"2024-01-0a\"",
                               "\"9999-12-31\"",
                               "\"2024-05-01T09:30:00Z\"",
                               "\"2024-05-01t09:30:00z\"",
                               "\"2024-05-01T09:30:00.123+01:00\"",
                               "\"2024-05-01T24:00:00Z\"",
                               "\"2024-05-01T09:30:00\"",
                               "\"2024-02-30T09:30:00Z\"",
                               "{\"id\": 1}",
                               "[\"neglect\", 3]",
                               "{\"outcome\": \"nfa\"}"};

// Writes a parsed document back as JSON, replacing, dropping and repeating members here and
// there.
class Mutator {
 public:
  Mutator(const JsonDoc* d, std::uint64_t seed) : d_(d), rng_{seed} {}

  std::string run() {
    value(d_->root);
    return out_;
  }

 private:
  bool chance(unsigned per_mille) { return rng_.next() % 1000 < per_mille; }

  void other() { out_ += kOthers[rng_.next() % (sizeof kOthers / sizeof kOthers[0])]; }

  void string(std::string_view s) {
    out_ += '"';
    for (char c : s) {
      if (c == '"' || c == '\\') out_ += '\\';
      out_ += c;
    }
    out_ += '"';
  }

  void value(std::uint32_t v) {
    const char t = safeguard::cel::json_type(d_, v);
    if (t == '{' || t == '[') {
      out_ += t;
      const std::uint32_t end = safeguard::cel::json_after(d_, v) - 1;
      bool first = true;
      for (std::uint32_t k = v + 1; k < end;) {
        const std::uint32_t item = t == '{' ? k + 1 : k;
        const std::uint32_t next = safeguard::cel::json_after(d_, item);
        if (!chance(30)) {
          for (int copies = chance(15) ? 2 : 1; copies > 0; --copies) {
            if (!first) out_ += ',';
            first = false;
            if (t == '{') {
              string(safeguard::cel::json_string(d_, k));
              out_ += ':';
            }
            if (chance(60)) {
              other();
            } else {
              value(item);
            }
          }
        }
        k = next;
      }
      out_ += t == '{' ? '}' : ']';
      return;
    }
    if (t == '"') {
      string(safeguard::cel::json_string(d_, v));
    } else if (t == 'l') {
      out_ += std::to_string(static_cast<std::int64_t>(d_->tape[v + 1]));
    } else if (t == 'd') {
      double x;
      std::memcpy(&x, &d_->tape[v + 1], sizeof x);
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "%.17g", x);
      out_ += buffer;
    } else if (t == 'u') {
      out_ += std::to_string(d_->tape[v + 1]);
    } else {
      out_ += t == 'n' ? "null" : t == 't' ? "true" : "false";
    }
  }

  const JsonDoc* d_;
  SplitMix rng_;
  std::string out_;
};

// Everything validation leaves behind, as text: violations, the tape (numbers are
// normalised in place), every mark and every recorded layout.
std::string outcome(const Schema& schema, const std::string& text, std::size_t limit = 100) {
  ParsedJson json;
  parse(text, json);
  std::string out;
  for (const auto& v : schema.validate(json, limit)) {
    out += v.code + " " + v.path + " " + v.message + " " + v.expected + "\n";
  }
  const JsonDoc* d = json.doc();
  const auto end = static_cast<std::uint32_t>(safeguard::cel::json_payload(d, 0));
  for (std::uint32_t i = 1; i < end; ++i) {
    out += std::to_string(d->tape[i]) + ",";
    if (const auto* e = safeguard::cel::json_invalid_error(d, i)) {
      out += std::string("marked ") + e->message + "\n";
    }
    if (d->layout_at != nullptr && d->layout_at[i] == safeguard::cel::kCheckedDate) {
      out += "checked date\n";
    }
    if (d->layout_at != nullptr && safeguard::cel::json_type(d, i) == '{' &&
        d->layout_at[i] != safeguard::cel::kNoTape) {
      const std::uint32_t at = d->layout_at[i];
      const std::uint32_t node = d->layout_words[at];
      out += "layout " + std::to_string(node) + ":";
      for (std::size_t p = 0; p < schema.tree().nodes[node].properties.size(); ++p) {
        out += std::to_string(d->layout_words[at + 1 + p]) + " ";
      }
      out += "\n";
    }
  }
  return out;
}

// The schema loaded twice: as it is, and with every member and item the general way.
struct Pair {
  std::unique_ptr<Schema> in_place;
  std::unique_ptr<Schema> general;
};

Pair load_pair(const std::string& text) {
  Pair p{load(text), load(text)};
  REQUIRE(p.in_place != nullptr);
  REQUIRE(p.general != nullptr);
  safeguard::snapshot::schema::clear_value_checks(
      const_cast<safeguard::snapshot::schema::Tree&>(p.general->tree()));
  return p;
}

}  // namespace

TEST_CASE("in-place checks agree with the general way on broken case snapshots") {
  const Pair schemas = load_pair(read_text("rules/schema/case-snapshot.schema.json"));
  const bench::CaseGenerator generator(11, *safeguard::time::parse_date("2024-06-03"));
  std::size_t with_violations = 0;
  for (std::uint64_t i = 0; i < 300; ++i) {
    const std::string original = generator.make(i);
    ParsedJson parsed;
    parse(original, parsed);
    const std::string text = i % 10 == 0 ? original : Mutator(parsed.doc(), i).run();
    const std::string a = outcome(*schemas.in_place, text);
    const std::string b = outcome(*schemas.general, text);
    REQUIRE(a == b);
    with_violations += a.find("schema.") != std::string::npos;
  }
  CHECK(with_violations > 200);
}

TEST_CASE("a string checked in place that fails is reported as before") {
  const Pair schemas = load_pair(read_text("rules/schema/case-snapshot.schema.json"));
  const std::string text = R"({"schema": "safeguarding-case/1", "case_id": "C-1",
    "episode": {"opened_on": "2024-02-30"},
    "contacts": [{"id": "K1", "received_at": "2024-05-01T25:00:00Z", "source": "postman",
                  "concerns": ["neglect", "bad_code", 3]}],
    "visits": [{"date": "2024-01-01", "child_seen": "yes"}]})";
  const std::string a = outcome(*schemas.in_place, text);
  CHECK(a == outcome(*schemas.general, text));
  CHECK(a.find("schema.format /episode/opened_on") != std::string::npos);
  CHECK(a.find("schema.format /contacts/0/received_at") != std::string::npos);
  CHECK(a.find("schema.enum /contacts/0/source") != std::string::npos);
  CHECK(a.find("schema.enum /contacts/0/concerns/1") != std::string::npos);
  CHECK(a.find("schema.type /contacts/0/concerns/2") != std::string::npos);
  CHECK(a.find("schema.type /visits/0/child_seen") != std::string::npos);
}

TEST_CASE("values reached through refs pay the same steps and frames in place") {
  // Scalars and objects behind chains of refs, nested: the frame limit falls at different
  // places for different depths and chain lengths, and must fall at the same place.
  for (int chain = 0; chain <= 3; ++chain) {
    std::string defs;
    for (int i = 0; i < chain; ++i) {
      defs +=
          "\"r" + std::to_string(i) + "\": {\"$ref\": \"#/$defs/r" + std::to_string(i + 1) + "\"},";
    }
    defs += "\"r" + std::to_string(chain) +
            R"(": {"type": ["object", "string", "null"], "format": "date",
                   "properties": {"a": {"$ref": "#/$defs/r0"}, "d": {"$ref": "#/$defs/r0"},
                                  "l": {"type": "array", "items": {"$ref": "#/$defs/r0"}}}})";
    const Pair schemas = load_pair(R"({"$ref": "#/$defs/r0", "$defs": {)" + defs + "}}");
    for (int depth : {95, 119, 149, 150, 198, 199, 200, 299, 300, 301, 598, 599, 600}) {
      std::string nested;
      for (int i = 0; i < depth; ++i)
        nested += i % 3 == 2 ? R"({"l": [)" : R"({"d": "2024-01-0x", "a": )";
      nested += R"("2024-02-29")";
      for (int i = depth - 1; i >= 0; --i) nested += i % 3 == 2 ? "]}" : "}";
      safeguard::snapshot::JsonParser parser(safeguard::snapshot::JsonLimits{1u << 20, 2000});
      safeguard::snapshot::JsonError error;
      ParsedJson a, b;
      REQUIRE(parser.parse(nested, a, &error));
      REQUIRE(parser.parse(nested, b, &error));
      const auto va = schemas.in_place->validate(a, 1000);
      const auto vb = schemas.general->validate(b, 1000);
      REQUIRE(summary(va) == summary(vb));
    }
  }
}

TEST_CASE("the step budget runs out at the same value in place") {
  // "h" spends most of the budget (each level applies S twice); then each item of "l" costs
  // six steps, three of them a date behind refs checked in place, and has its number
  // normalised when it was checked: how many were shows where the budget ran out. The
  // number of items is searched for one that makes it run out among them.
  const Pair schemas = load_pair(R"({"type": "object", "properties": {
      "h": {"$ref": "#/$defs/r"},
      "l": {"type": "array", "items": {"$ref": "#/$defs/i1"}}},
    "$defs": {
      "r": {"allOf": [{"$ref": "#/$defs/s"}, {"$ref": "#/$defs/s"}]},
      "s": {"properties": {"a": {"$ref": "#/$defs/r"}}},
      "i1": {"$ref": "#/$defs/i2"},
      "i2": {"type": "object", "properties": {"d": {"$ref": "#/$defs/c1"}, "n": {"type": "number"}}},
      "c1": {"$ref": "#/$defs/c2"}, "c2": {"$ref": "#/$defs/c3"},
      "c3": {"type": "string", "format": "date"}}})");
  // How many items were checked (-1: none, and the budget ran out; `items`: all, and it
  // did not), after comparing everything with the general way.
  const auto checked = [&](int items) {
    std::string text = R"({"h": )";
    for (int i = 0; i < 14; ++i) text += R"({"a": )";
    text += "1";
    for (int i = 0; i < 14; ++i) text += "}";
    text += R"(, "l": [)";
    for (int i = 0; i < items; ++i)
      text += i == 0 ? R"({"d": "2024-02-29", "n": 5})" : R"(,{"d": "2024-02-29", "n": 5})";
    text += "]}";
    REQUIRE(outcome(*schemas.in_place, text) == outcome(*schemas.general, text));
    ParsedJson json;
    const auto v = validate(*schemas.in_place, text, json);
    const bool ran_out = !v.empty() && v.back().code == "schema.too-complex";
    int normalised = 0;
    const JsonDoc* d = json.doc();
    const std::uint32_t list = at(json, "/l");
    const std::uint32_t end = safeguard::cel::json_after(d, list) - 1;
    for (std::uint32_t k = list + 1; k < end; k = safeguard::cel::json_after(d, k)) {
      normalised += safeguard::cel::json_type(d, k + 4) == 'd';  // {, "d", date, "n", number
    }
    if (!ran_out) return items;
    return normalised == 0 ? -1 : normalised;
  };
  int low = 1, high = 1 << 16;
  REQUIRE(checked(low) == -1);
  REQUIRE(checked(high) == high);
  bool inside = false;
  while (high - low > 1 && !inside) {
    const int middle = (low + high) / 2;
    const int n = checked(middle);
    if (n == -1) {
      low = middle;
    } else if (n == middle) {
      high = middle;
    } else {
      inside = true;
    }
  }
  CHECK(inside);
}

TEST_CASE("date-times accepted in place are exactly ones the RFC 3339 parser accepts") {
  const char* const valid[] = {
      "2024-05-01T09:30:00Z",       "2024-02-29t23:59:59z",
      "0001-01-01T00:00:00+23:59",  "9999-12-31T23:59:59-00:00",
      "2024-05-01T09:30:00.5Z",     "2024-05-01T09:30:00.123456789012+01:00",
      "2023-04-30T12:00:00-05:30",  "2023-12-31T20:00:00Z",
      "2024-01-30T19:09:59.0+05:00"};
  const char alphabet[] = "0123456789-:.TtZz+ x/9";
  SplitMix rng{42};
  std::size_t in_place = 0, parsed = 0;
  for (int round = 0; round < 200000; ++round) {
    std::string s = valid[rng.next() % (sizeof valid / sizeof valid[0])];
    // Up to three edits: replace, insert or delete a character.
    for (std::uint64_t edits = rng.next() % 4; edits > 0; --edits) {
      const std::size_t at = rng.next() % (s.size() + 1);
      const char c = alphabet[rng.next() % (sizeof alphabet - 1)];
      switch (rng.next() % 3) {
        case 0:
          if (at < s.size()) s[at] = c;
          break;
        case 1:
          s.insert(s.begin() + static_cast<std::ptrdiff_t>(at), c);
          break;
        default:
          if (at < s.size()) s.erase(at, 1);
          break;
      }
    }
    const bool fast = safeguard::snapshot::schema::is_plain_date_time(
        s.c_str(), static_cast<std::uint32_t>(s.size()));
    const bool full = safeguard::time::date_of_datetime(s).has_value();
    INFO(s);
    REQUIRE((!fast || full));
    in_place += fast;
    parsed += full;
  }
  CHECK(in_place > 20000);
  CHECK(parsed < 150000);  // and many are not date-times at all
  for (const char* s : valid) {
    CHECK(safeguard::snapshot::schema::is_plain_date_time(
        s, static_cast<std::uint32_t>(std::strlen(s))));
  }
}

TEST_CASE("arrays of objects walked in the item loop agree with the general way") {
  // check_object_items walks the items of an array whose items are objects of one node
  // with properties in its own loop (walk_object<true>): items of every additionalProperties
  // kind, with required members missing, repeated and undeclared keys, out of order, of 32
  // and 33 members (33 is large: its duplicates are found by sorting, through a call),
  // items that are not objects, nested arrays of such objects, and the same items inside
  // anyOf (probing, which takes the general loop).
  const char* const additional[] = {"true", "false", R"({"type": "integer"})"};
  for (const char* extra : additional) {
    const Pair schemas = load_pair(std::string(R"({"type": "object", "properties": {
        "l": {"type": "array", "items": {"$ref": "#/$defs/o"}},
        "a": {"anyOf": [{"type": "null"}, {"type": "array", "items": {"$ref": "#/$defs/o"}}]}},
      "$defs": {"o": {"type": "object", "required": ["id", "d"],
        "additionalProperties": )") +
                                   extra + R"(,
        "properties": {"id": {"type": "string"}, "d": {"type": "string", "format": "date"},
                       "e": {"enum": ["x", "y"]}, "n": {"type": "integer"},
                       "l": {"type": "array", "items": {"$ref": "#/$defs/o"}}}}}})");
    std::string members32, members33;
    for (int i = 0; i < 30; ++i)
      members32 += ",\"k" + std::to_string(i) + "\": " + std::to_string(i);
    members33 = members32 + ",\"k0\": 5";
    const std::string items[] = {
        R"({"id": "a", "d": "2024-02-29", "e": "x", "n": 1})",
        R"({"d": "2024-02-30", "id": "b"})",
        R"({"id": "c"})",
        R"({"id": "d", "d": "2024-01-01", "id": "e", "zz": 1, "zz": 2})",
        R"({"id": 3, "d": "2024-01-01", "e": "z", "n": 2.5, "undeclared": "q"})",
        R"({"id": "f", "d": "2024-01-01", "l": [{"id": "g", "d": "2024-01-02", "e": "y"},
            {"d": "2024-13-01"}, 7, {"id": "h", "d": "2024-01-03", "l": []}]})",
        R"({"id": "i", "d": "2024-01-01")" + members32 + "}",
        R"({"id": "j", "d": "2024-01-01")" + members33 + "}",
        "7",
        "null",
        R"("2024-01-01")",
        "[]",
        "{}"};
    std::string list;
    for (const std::string& item : items) list += (list.empty() ? "" : ",") + item;
    for (const std::string& text : std::vector<std::string>{
             R"({"l": [)" + list + R"(], "a": [)" + list + "]}",
             R"({"a": [{"id": "a", "d": "2024-01-01"}], "l": [{"id": "a", "d": "2024-01-01"}]})"}) {
      const std::string a = outcome(*schemas.in_place, text);
      INFO(extra);
      REQUIRE(a == outcome(*schemas.general, text));
    }
    const std::string a = outcome(*schemas.in_place, R"({"l": [)" + list + "]}");
    CHECK(a.find("schema.required /l/2") != std::string::npos);
    CHECK(a.find("schema.format /l/1/d ") != std::string::npos);
    CHECK(a.find("schema.format /l/5/l/1/d ") != std::string::npos);
    CHECK(a.find("schema.duplicate-key /l/3") != std::string::npos);
    CHECK(a.find("schema.duplicate-key /l/7") != std::string::npos);
    CHECK(a.find("schema.type /l/8 ") != std::string::npos);
    CHECK(a.find("layout ") != std::string::npos);
  }
}
