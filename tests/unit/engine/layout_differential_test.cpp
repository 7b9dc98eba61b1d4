// Fields read where validation found them (cel::JsonDoc::layout_at) against fields found by
// searching the keys: for generated case snapshots, valid and broken in many ways (keys
// written twice, dropped, renamed, moved; values of the wrong type; members the schema does
// not declare), the shipped pack must give byte-identical results either way.
//
// Each run validates the snapshot first, then evaluates it with validation off, so that the
// layouts stay as validation left them (the values it marked are then only those under
// keys written twice, the same in every run: a position is a tape index either way). One
// run reads the layouts, one forgets them, and one blanks every recorded property, which
// must change results: the rules did read through the layouts.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "../../../bench/case_gen.hpp"
#include "base/json_writer.hpp"
#include "engine/impl.hpp"
#include "safeguard/rule_set.hpp"
#include "safeguard/snapshot.hpp"
#include "snapshot/parsed_json.hpp"
#include "snapshot/schema_tree.hpp"
#include "time/date.hpp"

using namespace safeguard;

namespace {

// Writes a parsed document back as JSON text, breaking it here and there on the way.
class Mutator {
 public:
  Mutator(const cel::JsonDoc* d, std::uint64_t seed, unsigned per_mille)
      : d_(d), rng_(seed), per_mille_(per_mille) {
    collect_keys(d_->root);
  }

  std::string run() {
    out_.clear();
    value(d_->root, 0);
    return out_;
  }

 private:
  bool chance() { return per_mille_ != 0 && rng_.next() % 1000 < per_mille_; }
  std::uint64_t pick(std::uint64_t n) { return rng_.next() % n; }

  void collect_keys(std::uint32_t v) {
    const char t = cel::json_type(d_, v);
    if (t != '{' && t != '[') return;
    const std::uint32_t end = cel::json_after(d_, v) - 1;
    if (t == '[') {
      for (std::uint32_t k = v + 1; k < end; k = cel::json_after(d_, k)) collect_keys(k);
      return;
    }
    for (std::uint32_t k = v + 1; k < end; k = cel::json_after(d_, k + 1)) {
      keys_.emplace_back(cel::json_string(d_, k));
      collect_keys(k + 1);
    }
  }

  void string(std::string_view s) { base::append_json_string(out_, s); }

  // A value of some other shape, for a member or element the mutation replaces.
  void other_value(int depth) {
    switch (pick(12)) {
      case 0:
        out_ += "null";
        break;
      case 1:
        out_ += "\"2024-02-30\"";
        break;
      case 2:
        out_ += "\"2024-05-01\"";
        break;
      case 3:
        out_ += "\"2024-05-01T09:30:00Z\"";
        break;
      case 4:
        out_ += "42";
        break;
      case 5:
        out_ += "-3.5";
        break;
      case 6:
        out_ += "true";
        break;
      case 7:
        out_ += "[]";
        break;
      case 8:
        out_ += "{}";
        break;
      case 9:
        out_ += "\"neglect\"";
        break;
      case 10:
        if (depth < 6 && !keys_.empty()) {
          out_ += '{';
          string(keys_[pick(keys_.size())]);
          out_ += ':';
          other_value(depth + 1);
          out_ += '}';
        } else {
          out_ += "0";
        }
        break;
      default:
        out_ += "[\"x\", 1]";
        break;
    }
  }

  void member(std::string_view key, std::uint32_t v, int depth, bool& first) {
    if (!first) out_ += ',';
    first = false;
    string(key);
    out_ += ':';
    if (chance()) {
      other_value(depth);
    } else {
      value(v, depth + 1);
    }
  }

  void value(std::uint32_t v, int depth) {
    switch (cel::json_type(d_, v)) {
      case '{': {
        std::vector<std::uint32_t> keys;
        const std::uint32_t end = cel::json_after(d_, v) - 1;
        for (std::uint32_t k = v + 1; k < end; k = cel::json_after(d_, k + 1)) keys.push_back(k);
        if (chance() && keys.size() > 1) {
          // Out of the schema's order.
          const std::size_t a = pick(keys.size()), b = pick(keys.size());
          std::swap(keys[a], keys[b]);
        }
        out_ += '{';
        bool first = true;
        for (std::uint32_t k : keys) {
          const std::string_view key = cel::json_string(d_, k);
          if (chance()) continue;  // dropped
          if (chance() && pick(4) == 0) {
            // Written twice (rarely: validation marks both values, hiding what a rule reads):
            // another value first or second.
            const bool other_first = pick(2) == 0;
            if (!first) out_ += ',';
            first = false;
            string(key);
            out_ += ':';
            if (other_first) {
              other_value(depth);
              member(key, k + 1, depth, first);
            } else {
              value(k + 1, depth + 1);
              out_ += ',';
              string(key);
              out_ += ':';
              other_value(depth);
            }
            continue;
          }
          if (chance() && !keys_.empty()) {
            // Renamed to a key used elsewhere (perhaps one this object already has).
            member(keys_[pick(keys_.size())], k + 1, depth, first);
            continue;
          }
          member(key, k + 1, depth, first);
        }
        if (chance()) {
          if (!first) out_ += ',';
          first = false;
          string(pick(2) == 0 && !keys_.empty() ? keys_[pick(keys_.size())] : "vendor_note");
          out_ += ':';
          other_value(depth);
        }
        out_ += '}';
        break;
      }
      case '[': {
        out_ += '[';
        bool first = true;
        const std::uint32_t end = cel::json_after(d_, v) - 1;
        for (std::uint32_t k = v + 1; k < end; k = cel::json_after(d_, k)) {
          if (chance()) continue;
          const int copies = chance() ? 2 : 1;
          for (int c = 0; c < copies; ++c) {
            if (!first) out_ += ',';
            first = false;
            value(k, depth + 1);
          }
        }
        out_ += ']';
        break;
      }
      case '"':
        string(cel::json_string(d_, v));
        break;
      case 'l':
        out_ += std::to_string(static_cast<std::int64_t>(d_->tape[v + 1]));
        break;
      case 'u':
        out_ += std::to_string(d_->tape[v + 1]);
        break;
      case 'd': {
        double x;
        std::memcpy(&x, &d_->tape[v + 1], sizeof x);
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "%.17g", x);
        out_ += buffer;
        break;
      }
      case 't':
        out_ += "true";
        break;
      case 'f':
        out_ += "false";
        break;
      default:
        out_ += "null";
        break;
    }
  }

  const cel::JsonDoc* d_;
  bench::Rng rng_;
  unsigned per_mille_;
  std::vector<std::string> keys_;
  std::string out_;
};

struct Runs {
  std::string with_layouts;
  std::string searching;
  std::string blanked;      // with every recorded property blanked: shows positions are read
  std::size_t layouts = 0;  // objects whose layout validation recorded
};

Runs run_three(const RuleSet& rs, const std::string& text, const EvalOptions& options) {
  const ruleset::CompiledRuleSet& compiled = *rs.impl().compiled;
  EvalOptions unvalidated = options;
  unvalidated.validate = false;
  Runs runs;
  snapshot::JsonParser parser;
  snapshot::JsonError error;
  for (int forget = 0; forget < 3; ++forget) {
    snapshot::ParsedJson json;
    REQUIRE(parser.parse(text, json, &error));
    if (compiled.schema) (void)compiled.schema->validate(json);
    const cel::JsonDoc* d = json.doc();
    if (forget == 0 && d->layout_at != nullptr) {
      const auto end = static_cast<std::uint32_t>(cel::json_payload(d, 0));
      for (std::uint32_t i = 1; i < end; ++i) {
        runs.layouts += cel::json_type(d, i) == '{' && d->layout_at[i] != cel::kNoTape;
      }
    }
    if (forget == 1) json.mutable_doc()->layout_at = nullptr;
    if (forget == 2 && d->layout_at != nullptr) {
      const auto end = static_cast<std::uint32_t>(cel::json_payload(d, 0));
      auto* words = const_cast<std::uint32_t*>(d->layout_words);
      for (std::uint32_t i = 1; i < end; ++i) {
        // Objects' entries only: a string's may mark a checked date (cel::kCheckedDate).
        if (cel::json_type(d, i) != '{' || d->layout_at[i] == cel::kNoTape) continue;
        const std::uint32_t node = words[d->layout_at[i]];
        const auto count =
            static_cast<std::uint32_t>(compiled.schema->tree().nodes[node].properties.size());
        for (std::uint32_t p = 0; p < count; ++p) words[d->layout_at[i] + 1 + p] = cel::kNoTape;
      }
    }
    const std::string out = engine::evaluate(rs.impl(), json, unvalidated).to_json();
    (forget == 0 ? runs.with_layouts : forget == 1 ? runs.searching : runs.blanked) = out;
  }
  return runs;
}

// 400 snapshots per test (about a second in a debug build); SAFEGUARD_LAYOUT_CASES asks
// for more when hunting.
std::uint64_t case_count() {
  const char* more = std::getenv("SAFEGUARD_LAYOUT_CASES");
  return more != nullptr ? std::stoull(more) : 400;
}

std::shared_ptr<const RuleSet> shipped_pack() {
  static const std::shared_ptr<const RuleSet> rs = [] {
    LoadResult loaded = RuleSet::load(std::string(SAFEGUARD_SOURCE_DIR) + "/rules");
    REQUIRE(loaded.ok());
    return loaded.rule_set;
  }();
  return rs;
}

}  // namespace

TEST_CASE("layouts: the shipped pack reads the same fields as a key search, snapshot by snapshot") {
  const auto rs = shipped_pack();
  const std::string as_of = "2024-06-03";
  const bench::CaseGenerator generator(7, *time::parse_date(as_of));
  EvalOptions options;
  options.as_of = as_of;
  std::size_t compared = 0, with_layouts = 0, differing_texts = 0, blanked_differs = 0;
  const unsigned rates[] = {0, 5, 20, 60, 200};
  const std::uint64_t kCases = case_count();
  for (std::uint64_t i = 0; i < kCases; ++i) {
    const std::string original = generator.make(i);
    snapshot::JsonParser parser;
    snapshot::ParsedJson parsed;
    snapshot::JsonError error;
    REQUIRE(parser.parse(original, parsed, &error));
    const unsigned rate = rates[i % 5];
    const std::string text = Mutator(parsed.doc(), i * 7919 + 1, rate).run();
    differing_texts += text.size() != original.size();
    options.explain = i % 3 == 0;
    options.show_values = i % 6 == 0;
    const Runs runs = run_three(*rs, text, options);
    INFO("case " << i << " at " << rate << " per mille: " << text);
    REQUIRE(runs.with_layouts == runs.searching);
    ++compared;
    blanked_differs += runs.blanked != runs.with_layouts;
    with_layouts += runs.layouts > 0;
  }
  CHECK(compared == kCases);
  CHECK(with_layouts == compared);             // validation recorded layouts
  CHECK(blanked_differs > compared * 9 / 10);  // and rules read fields through them
  CHECK(differing_texts > kCases / 2);         // and most snapshots were broken somehow
}

namespace {

// Objects reached through $ref, anyOf/oneOf with null, allOf of two orders of the same
// properties, properties beside a $ref, a nullable type list, more than 64 properties,
// additionalProperties with a schema, and a list of objects.
std::string shapes_schema() {
  std::string wide;
  for (int i = 0; i < 70; ++i) {
    wide +=
        (i > 0 ? "," : "") + std::string("\"p") + std::to_string(i) + "\": {\"type\": \"string\"}";
  }
  return R"({
  "type": "object",
  "$defs": {
    "abc": {"type": "object", "properties": {
      "a": {"type": "string"}, "b": {"type": "string"}, "c": {"type": "string"}}},
    "cba": {"type": "object", "properties": {
      "c": {"type": "string"}, "b": {"type": "string"}, "a": {"type": "string"}}},
    "abc_ref": {"$ref": "#/$defs/abc"}
  },
  "properties": {
    "nullable": {"anyOf": [{"$ref": "#/$defs/abc"}, {"type": "null"}]},
    "one": {"oneOf": [{"type": "null"}, {"$ref": "#/$defs/abc_ref"}]},
    "both": {"allOf": [{"$ref": "#/$defs/abc"}, {"$ref": "#/$defs/cba"}]},
    "beside": {"$ref": "#/$defs/cba", "properties": {"b": {"type": "string"}, "a": {"type": "string"}}},
    "typelist": {"type": ["object", "null"], "properties": {
      "c": {"type": "string"}, "a": {"type": "string"}, "b": {"type": "string"}}},
    "wide": {"type": "object", "properties": {)" +
         wide + R"(}},
    "extra": {"type": "object", "properties": {"a": {"type": "string"}},
              "additionalProperties": {"type": "string"}},
    "closed": {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
               "additionalProperties": false, "required": ["a"]},
    "list": {"type": "array", "items": {"$ref": "#/$defs/abc"}}
  }
})";
}

std::string shapes_rules() {
  std::string rules = "rules:\n";
  int n = 0;
  const auto rule = [&](const std::string& when) {
    rules += "  - id: r" + std::to_string(n++) + "\n    title: T\n    severity: low\n    when: '" +
             when +
             "'\n    actions:\n      - {id: act, text: Act, owner: social_worker, due: as_of}\n";
  };
  rule("[case.beside.a, case.beside.b] == [] || has(case.beside.a)");
  for (const char* o : {"nullable", "one", "both", "typelist", "list[0]"}) {
    const std::string p = std::string("case.") + o;
    rule("[" + p + ".a, " + p + ".b, " + p + ".c] == [] || has(" + p + ".a) || has(" + p + ".c)");
  }
  std::string wide;
  for (int i = 0; i < 70; ++i)
    wide += (i > 0 ? ", " : "") + std::string("case.wide.p") + std::to_string(i);
  rule("[" + wide + "] == []");
  rule("has(case.wide.p65) && has(case.wide.p0) || case.wide.p66 == \"v1\"");
  rule("[case.extra.a, case.extra.z] == [] || has(case.extra.a) || has(case.extra.z)");
  rule("[case.closed.a, case.closed.b] == [] || has(case.closed.b)");
  rule("case.list.exists(x, x.a == \"v1\" || has(x.b)) || case.list.map(x, x.c) == []");
  return rules;
}

// A random object with some of the keys the schema declares (and some it does not), in
// any order, a key now and then twice, values of the declared type mostly.
void random_object(bench::Rng& rng, std::string& out, int depth) {
  static const char* const kKeys[] = {"a",   "b",   "c",   "z",   "p0", "p1",
                                      "p63", "p64", "p65", "p66", "p69"};
  out += '{';
  const int members = static_cast<int>(rng.next() % 8);
  for (int m = 0; m < members; ++m) {
    if (m > 0) out += ',';
    out += '"';
    out += kKeys[rng.next() % (sizeof kKeys / sizeof kKeys[0])];
    out += "\":";
    switch (rng.next() % 10) {
      case 0:
        out += "null";
        break;
      case 1:
        out += "7";
        break;
      case 2:
        if (depth < 2) {
          random_object(rng, out, depth + 1);
        } else {
          out += "{}";
        }
        break;
      default:
        out += "\"v" + std::to_string(rng.next() % 3) + "\"";
        break;
    }
  }
  out += '}';
}

std::string random_shapes_case(bench::Rng& rng) {
  std::string out = "{";
  bool first = true;
  for (const char* p :
       {"nullable", "one", "both", "beside", "typelist", "wide", "extra", "closed", "list"}) {
    if (rng.next() % 8 == 0) continue;
    if (!first) out += ',';
    first = false;
    out += '"';
    out += p;
    out += "\":";
    const std::uint64_t shape = rng.next() % 10;
    if (shape == 0) {
      out += "null";
    } else if (shape == 1) {
      out += "\"v1\"";
    } else if (std::string(p) == "list") {
      out += '[';
      const int items = static_cast<int>(rng.next() % 4);
      for (int i = 0; i < items; ++i) {
        if (i > 0) out += ',';
        random_object(rng, out, 1);
      }
      out += ']';
    } else {
      random_object(rng, out, 1);
    }
  }
  return out + "}";
}

}  // namespace

namespace {

LoadResult load_shapes() {
  return RuleSet::load({{"ruleset.yaml",
                         "ruleset: shapes\nversion: \"1\"\nlevels: [universal, early_help]\n"
                         "calendar: england-and-wales\nschema: case.schema.json\n"},
                        {"case.schema.json", shapes_schema()},
                        {"rules.yaml", shapes_rules()}});
}

}  // namespace

TEST_CASE("layouts: objects through $ref, anyOf, oneOf, allOf, wide and open ones read alike") {
  LoadResult loaded = load_shapes();
  std::string diagnostics;
  for (const auto& d : loaded.diagnostics) diagnostics += d.code + " " + d.message + "\n";
  INFO(diagnostics);
  REQUIRE(loaded.ok());
  EvalOptions options;
  options.as_of = "2024-06-03";
  options.explain = true;
  options.show_values = true;  // every field a rule read is in the result
  bench::Rng rng(11);
  std::size_t with_layouts = 0, blanked_differs = 0;
  const std::uint64_t kCases = case_count();
  for (std::uint64_t i = 0; i < kCases; ++i) {
    const std::string text = random_shapes_case(rng);
    const Runs runs = run_three(*loaded.rule_set, text, options);
    INFO(text);
    REQUIRE(runs.with_layouts == runs.searching);
    with_layouts += runs.layouts > 1;
    blanked_differs += runs.blanked != runs.with_layouts;
  }
  CHECK(with_layouts > kCases * 3 / 4);
  CHECK(blanked_differs > kCases * 3 / 4);
}

TEST_CASE(
    "layouts: none outlive their snapshot, across rule sets, parsed snapshots and no validation") {
  // One thread's scratch document serves every rule set and both ways in: layouts one
  // schema recorded must never be read through another's positions, nor a previous
  // snapshot's through this one's.
  const auto pack = shipped_pack();
  LoadResult shapes = load_shapes();
  REQUIRE(shapes.ok());
  const bench::CaseGenerator generator(3, *time::parse_date("2024-06-03"));
  bench::Rng rng(5);
  for (std::uint64_t i = 0; i < 60; ++i) {
    const std::string texts[] = {generator.make(i), random_shapes_case(rng)};
    for (const std::string& text : texts) {
      const SnapshotParse parsed = Snapshot::parse(text);
      REQUIRE(parsed.ok());
      for (const RuleSet* rs : {pack.get(), shapes.rule_set.get()}) {
        EvalOptions options;
        options.as_of = "2024-06-03";
        options.explain = i % 2 == 0;
        options.show_values = options.explain;
        for (const bool validate : {true, false}) {
          options.validate = validate;
          // Each way after the other rule set read the other snapshot, validated.
          const std::string& other_text = &text == &texts[0] ? texts[1] : texts[0];
          const auto other = [&] {
            EvalOptions o;
            o.as_of = "2024-06-03";
            (void)(rs == pack.get() ? *shapes.rule_set : *pack).evaluate(other_text, o);
          };
          other();
          const std::string from_text = rs->evaluate(text, options).to_json();
          other();
          const std::string from_snapshot = rs->evaluate(*parsed.snapshot, options).to_json();
          // What a document of its own, new to both, gives.
          snapshot::JsonParser parser;
          snapshot::ParsedJson fresh;
          snapshot::JsonError error;
          REQUIRE(parser.parse(text, fresh, &error));
          const std::string alone = engine::evaluate(rs->impl(), fresh, options).to_json();
          INFO(text);
          CHECK(from_text == alone);
          CHECK(from_snapshot == alone);
        }
      }
    }
  }
}
