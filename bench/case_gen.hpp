// A deterministic generator of realistic case snapshots (safeguarding-case/1, see
// /work/shared/spec/case-snapshot.md) for the benchmarks.
//
// Case `i` depends only on (seed, as_of, i), so a corpus can be generated in any order or
// in parallel and is the same on every machine. Sizes run from 2 KB to 8 KB, about 4 KB
// on average (a few busy cases, many ordinary ones). The mix is tuned so that, as of the
// generator's date, every flag of the shipped pack is raised by some cases and most cases
// raise a few: overdue decisions, repeated domestic-abuse contacts, drifting plans, late
// conferences, written agreements relied on, worker churn, missing supervision; a small
// share of records lack a date or number, so some rules are undetermined, as in real
// exports.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bench_util.hpp"

namespace bench {

class CaseGenerator {
 public:
  // `as_of` in days since 1970-01-01: records are dated on or before it.
  CaseGenerator(std::uint64_t seed, std::int64_t as_of) : seed_(seed), as_of_(as_of) {}

  std::string make(std::uint64_t index) const {
    // Pick a target size: 2 KB + 6 KB * u^2 has a mean of 4 KB.
    Rng size_rng(mix(index, 0));
    const double u = static_cast<double>(size_rng.next() % 1000000) / 1e6;
    const std::size_t target = 2048 + static_cast<std::size_t>(6000.0 * u * u);
    std::string out;
    for (std::uint64_t attempt = 1;; ++attempt) {
      Rng rng(mix(index, attempt));
      out = build(rng, index, target);
      if (out.size() <= 8192 || attempt > 20) break;
    }
    return out;
  }

 private:
  std::uint64_t mix(std::uint64_t index, std::uint64_t attempt) const {
    return seed_ * 0x9E3779B97F4A7C15ULL ^
           (index * 0xD1B54A32D192ED03ULL + attempt * 0x8CB92BA72F3D8DD7ULL);
  }

  // --- JSON writing ---------------------------------------------------------------------
  struct Obj {
    std::string& s;
    bool first = true;
    explicit Obj(std::string& out) : s(out) { s += '{'; }
    ~Obj() { s += '}'; }
    std::string& key(const char* k) {
      if (!first) s += ',';
      first = false;
      s += '"';
      s += k;
      s += "\":";
      return s;
    }
    void str(const char* k, const std::string& v) {
      key(k) += '"';
      s += v;
      s += '"';
    }
    void num(const char* k, long v) { key(k) += std::to_string(v); }
    void boolean(const char* k, bool v) { key(k) += v ? "true" : "false"; }
    void null(const char* k) { key(k) += "null"; }
  };

  std::string day(std::int64_t d) const { return format_day(d > as_of_ ? as_of_ : d); }
  std::string stamp(Rng& rng, std::int64_t d) const {
    char t[64];
    const int offset = rng.range(0, 9);
    std::snprintf(t, sizeof t, "T%02d:%02d:%02d%s", rng.range(7, 19), rng.range(0, 59),
                  rng.range(0, 59),
                  offset < 6   ? "Z"
                  : offset < 9 ? "+01:00"
                               : ".250Z");
    return day(d) + t;
  }

  // --- the case -------------------------------------------------------------------------
  std::string build(Rng& rng, std::uint64_t index, std::size_t target) const {
    static const char* const kSources[] = {"police", "school",    "health", "family",
                                           "self",   "anonymous", "other"};
    static const char* const kConcerns[] = {"domestic_abuse",
                                            "domestic_abuse",
                                            "neglect",
                                            "neglect",
                                            "physical_abuse",
                                            "sexual_abuse",
                                            "emotional_abuse",
                                            "parental_substance_misuse",
                                            "parental_mental_health",
                                            "missing_education",
                                            "missing_from_home",
                                            "exploitation",
                                            "self_harm",
                                            "disability_unmet_needs",
                                            "homelessness"};
    static const char* const kOutcomes[] = {"nfa",
                                            "information_advice",
                                            "early_help",
                                            "early_help",
                                            "statutory_assessment",
                                            "statutory_assessment",
                                            "strategy_discussion"};
    static const char* const kEvidence[] = {"child_seen", "child_views", "home_visit",  "school",
                                            "health",     "police",      "other_agency"};
    static const char* const kPlanTypes[] = {"early_help", "child_in_need", "child_protection",
                                             "child_protection", "looked_after"};
    static const char* const kCategories[] = {"neglect",         "neglect",      "physical_abuse",
                                              "emotional_abuse", "sexual_abuse", "multiple"};
    static const char* const kProgress[] = {"improving", "static", "static", "deteriorating"};
    static const char* const kOwners[] = {"social_worker", "parent", "school", "health_visitor",
                                          "team_manager"};
    static const char* const kActionText[] = {
        "Attend parenting course and evidence routines at home",
        "Complete referral to domestic abuse support service",
        "Ensure school attendance above 95 percent",
        "Register with GP and attend health appointments",
        "Keep the home safe and free of hazards",
        "Direct work with the child about their wishes and feelings"};

    const std::int64_t A = as_of_;
    // Busy cases have more of everything; the target size keeps them within 8 KB.
    const double busy = static_cast<double>(target) / 4096.0;
    auto count = [&](int lo, int hi) {
      const int n = rng.range(lo, hi);
      return static_cast<int>(n * busy + 0.5);
    };

    std::string s;
    s.reserve(target + 1024);
    {
      Obj root(s);
      root.str("schema", "safeguarding-case/1");
      root.str("case_id", "C-" + std::to_string(100000 + index));
      if (rng.chance(30)) root.str("local_authority", "LA-" + std::to_string(rng.range(300, 399)));

      const bool disabled = rng.chance(18);
      const bool closed = rng.chance(8);
      const std::int64_t opened = A - rng.range(3, 1000);
      {
        root.key("child");
        Obj child(s);
        if (rng.chance(97)) child.str("date_of_birth", day(A - rng.range(30, 17 * 365)));
        if (disabled || rng.chance(60)) child.boolean("disabled", disabled);
        if (rng.chance(80)) {
          child.key("education");
          Obj ed(s);
          ed.boolean("missing_education", rng.chance(6));
          if (rng.chance(85))
            ed.num("attendance_percent", rng.chance(30) ? rng.range(55, 89) : rng.range(90, 100));
        }
      }
      {
        root.key("episode");
        Obj ep(s);
        ep.str("opened_on", day(opened));
        if (closed)
          ep.str("closed_on", day(A - rng.range(0, 20)));
        else if (rng.chance(50))
          ep.null("closed_on");
      }

      // Contacts: mostly decided, some waiting a few days; domestic abuse recurs in some cases.
      const bool da_pattern = rng.chance(22);
      const int contacts = count(1, 6);
      std::vector<std::pair<std::string, std::int64_t>> strategy_contacts;  // id, decided
      s += ",\"contacts\":[";
      for (int i = 0; i < contacts; ++i) {
        if (i) s += ',';
        Obj c(s);
        const std::string id = "K" + std::to_string(i + 1);
        c.str("id", id);
        const bool waiting = i == contacts - 1 && rng.chance(12);
        const std::int64_t received = waiting ? A - rng.range(0, 6) : A - rng.range(0, 700);
        c.str("received_at", stamp(rng, received));
        c.str("source", rng.pick(kSources));
        c.key("concerns") += '[';
        const int n = rng.range(0, 3);
        bool da = da_pattern && rng.chance(75);
        for (int k = 0; k < n || da; ++k) {
          if (k) s += ',';
          s += '"';
          s += da ? "domestic_abuse" : rng.pick(kConcerns);
          s += '"';
          da = false;
        }
        s += ']';
        if (rng.chance(30))
          c.str("domestic_abuse_risk", rng.chance(15)   ? "high"
                                       : rng.chance(50) ? "medium"
                                                        : "standard");
        if (waiting) {
          if (rng.chance(40)) c.null("decision");
          continue;
        }
        c.key("decision");
        Obj d(s);
        const std::string outcome = rng.pick(kOutcomes);
        d.str("outcome", outcome);
        const std::int64_t decided = received + rng.range(0, 2);
        if (rng.chance(98)) d.str("decided_at", stamp(rng, decided));
        if (rng.chance(85)) d.boolean("manager_approved", rng.chance(88));
        if (outcome == "strategy_discussion") strategy_contacts.emplace_back(id, decided);
      }
      s += ']';

      // Strategy discussions, s47 enquiries and conferences, linked by id.
      std::vector<std::pair<std::string, std::int64_t>> s47_discussions;
      std::vector<std::string> discussions;
      for (std::size_t i = 0; i < strategy_contacts.size(); ++i) {
        if (!rng.chance(80)) continue;
        const std::string id = "S" + std::to_string(i + 1);
        const std::int64_t held = strategy_contacts[i].second + rng.range(0, 3);
        const bool s47 = rng.chance(70);
        const std::string d = object([&](Obj& o) {
          o.str("id", id);
          o.str("held_on", day(held));
          o.str("contact_id", strategy_contacts[i].first);
          o.str("outcome", s47 ? "s47" : rng.chance(50) ? "single_agency" : "nfa");
        });
        discussions.push_back(d);
        if (s47) s47_discussions.emplace_back(id, held);
      }
      write_list(s, "strategy_discussions", discussions);

      std::vector<std::string> enquiries;
      std::vector<std::string> conferences;
      std::vector<std::int64_t> plan_starts;  // CP plans from initial conferences
      for (std::size_t i = 0; i < s47_discussions.size(); ++i) {
        const std::int64_t started = s47_discussions[i].second;
        const bool open = rng.chance(20);
        const bool icpc = rng.chance(60);
        std::string e = object([&](Obj& o) {
          o.str("id", "E" + std::to_string(i + 1));
          if (rng.chance(98)) o.str("started_on", day(started));
          if (!open) o.str("completed_on", day(started + rng.range(5, 20)));
          o.str("strategy_discussion_id", rng.chance(97) ? s47_discussions[i].first : "S99");
          if (!open)
            o.str("outcome", icpc ? "icpc" : rng.chance(60) ? "child_in_need" : "nfa");
          else if (icpc)
            o.str("outcome", "icpc");
        });
        enquiries.push_back(e);
        if (icpc && rng.chance(75)) {
          const std::int64_t held = started + rng.range(10, 24);
          if (held <= A) {
            const bool plan = rng.chance(70);
            conferences.push_back(object([&](Obj& o) {
              o.str("id", "F" + std::to_string(conferences.size() + 1));
              o.str("type", "initial");
              o.str("held_on", day(held));
              o.str("outcome", plan ? "cp_plan" : "no_plan");
            }));
            if (plan) plan_starts.push_back(held);
          }
        }
      }
      write_list(s, "s47_enquiries", enquiries);

      // Assessments.
      std::vector<std::string> assessments;
      const int n_assessments = rng.range(0, 2) + (busy > 1.3 ? 1 : 0);
      for (int i = 0; i < n_assessments; ++i) {
        assessments.push_back(object([&](Obj& o) {
          o.str("id", "A" + std::to_string(i + 1));
          o.str("type", rng.chance(70)   ? "single"
                        : rng.chance(50) ? "parenting"
                                         : "connected_carer");
          const std::int64_t started = A - rng.range(5, 500);
          o.str("started_on", day(started));
          const bool done = rng.chance(70);
          if (done) o.str("completed_on", day(started + rng.range(10, 60)));
          o.key("evidence_sources") += '[';
          if (rng.chance(12)) {
            o.s += "\"parent_self_report\"";
          } else {
            const int n = rng.range(1, 4);
            for (int k = 0; k < n; ++k) {
              if (k) o.s += ',';
              o.s += '"';
              o.s += rng.pick(kEvidence);
              o.s += '"';
            }
          }
          o.s += ']';
          if (done) o.str("outcome", rng.chance(50) ? "child_in_need" : "no_further_action");
        }));
      }
      write_list(s, "assessments", assessments);

      // Plans: from conferences, or of other kinds.
      std::vector<std::string> plans;
      const int extra_plans = rng.chance(55) ? 1 : 0;
      const int n_plans =
          static_cast<int>(plan_starts.size()) + extra_plans + (rng.chance(10) ? 1 : 0);
      std::vector<std::int64_t> open_cp;  // visit schedule anchors
      for (int i = 0; i < n_plans; ++i) {
        const bool from_conference = i < static_cast<int>(plan_starts.size());
        const std::string type = from_conference ? "child_protection" : rng.pick(kPlanTypes);
        const std::int64_t started = from_conference ? plan_starts[i] : A - rng.range(10, 720);
        const bool ended = rng.chance(25);
        if (type == "child_protection" && !ended) open_cp.push_back(started);
        plans.push_back(object([&](Obj& o) {
          o.str("id", "P" + std::to_string(i + 1));
          o.str("type", type);
          if (type == "child_protection") o.str("category", rng.pick(kCategories));
          if (rng.chance(98)) o.str("started_on", day(started));
          if (ended) {
            o.str("ended_on", day(started + rng.range(30, 400)));
            if (rng.chance(75)) o.boolean("manager_approved_end", rng.chance(85));
          }
          if (rng.chance(80))
            o.str("contingency", "If progress is not made, legal planning will be considered");
          else if (rng.chance(30))
            o.str("contingency", " ");
          o.key("actions") += '[';
          const int actions = count(1, 4);
          for (int k = 0; k < actions; ++k) {
            if (k) o.s += ',';
            Obj a(o.s);
            a.str("id", "P" + std::to_string(i + 1) + "A" + std::to_string(k + 1));
            a.str("text", kActionText[rng.next() % 6]);
            if (rng.chance(90)) a.str("owner", rng.pick(kOwners));
            const std::int64_t due = started + rng.range(14, 200);
            if (rng.chance(92)) a.str("due_on", format_day(due));
            if (rng.chance(55))
              a.str("done_on", day(due - rng.range(-20, 10)));
            else if (rng.chance(30))
              a.null("done_on");
          }
          o.s += ']';
          o.key("reviews") += '[';
          const int reviews = std::min<int>(rng.range(0, 4), static_cast<int>((A - started) / 90));
          for (int k = 0; k < reviews; ++k) {
            if (k) o.s += ',';
            Obj r(o.s);
            r.str("held_on", day(started + 90 + k * rng.range(80, 190)));
            if (rng.chance(90)) r.str("progress", rng.pick(kProgress));
          }
          o.s += ']';
        }));
      }
      write_list(s, "plans", plans);

      // Review conferences for open CP plans.
      for (std::size_t i = 0; i < open_cp.size() && i < 2; ++i) {
        if (open_cp[i] + 95 > A || !rng.chance(60)) continue;
        conferences.push_back(object([&](Obj& o) {
          o.str("id", "F" + std::to_string(conferences.size() + 1));
          o.str("type", "review");
          o.str("held_on", day(open_cp[i] + rng.range(85, 100)));
          o.str("outcome", rng.chance(80) ? "plan_continues" : "plan_ends");
        }));
      }
      write_list(s, "conferences", conferences);

      // Workforce.
      std::vector<std::string> workers;
      const int n_workers = rng.chance(25) ? rng.range(3, 5) : rng.range(1, 2);
      std::int64_t from = opened;
      int worker_number = rng.range(100, 900);
      for (int i = 0; i < n_workers; ++i) {
        const std::int64_t to = i + 1 < n_workers ? std::min(A, from + rng.range(20, 200)) : -1;
        workers.push_back(object([&](Obj& o) {
          o.str("worker_id", "W" + std::to_string(worker_number + i));
          o.str("from", day(from));
          if (to >= 0) o.str("to", day(to));
        }));
        if (to >= 0) from = to + 1;
      }
      write_list(s, "worker_history", workers);
      if (rng.chance(10)) {
        root.null("allocated_worker");
      } else {
        root.key("allocated_worker");
        Obj w(s);
        w.str("id", "W" + std::to_string(worker_number + n_workers - 1));
        if (rng.chance(96))
          w.num("caseload", rng.chance(25) ? rng.range(21, 32) : rng.range(8, 20));
        if (rng.chance(70)) w.boolean("agency", rng.chance(25));
      }

      // Legal.
      if (rng.chance(35)) {
        root.key("legal");
        Obj legal(s);
        legal.key("written_agreements") += '[';
        const int agreements = rng.range(0, 2);
        for (int i = 0; i < agreements; ++i) {
          if (i) s += ',';
          Obj w(s);
          const std::int64_t started = A - rng.range(10, 300);
          w.str("started_on", day(started));
          if (rng.chance(40)) w.str("ended_on", day(started + rng.range(20, 120)));
          if (rng.chance(92)) w.num("breaches", rng.range(0, 3));
        }
        s += ']';
        legal.key("legal_planning_meetings") += '[';
        const int meetings = rng.range(0, 2);
        for (int i = 0; i < meetings; ++i) {
          if (i) s += ',';
          Obj m(s);
          m.str("held_on", day(A - rng.range(5, 400)));
          m.str("decision", rng.chance(50)   ? "pre_proceedings"
                            : rng.chance(50) ? "issue_proceedings"
                                             : "threshold_not_met");
        }
        s += ']';
        if (rng.chance(40)) {
          legal.key("pre_proceedings");
          Obj p(s);
          const std::int64_t started = A - rng.range(2, 200);
          p.str("started_on", day(started));
          if (rng.chance(75)) p.str("letter_sent_on", day(started + rng.range(0, 5)));
          if (rng.chance(80)) p.boolean("plan_in_place", rng.chance(80));
          if (rng.chance(20)) p.str("ended_on", day(started + rng.range(30, 150)));
        }
        if (rng.chance(25)) {
          legal.key("care_proceedings");
          Obj p(s);
          const std::int64_t issued = A - rng.range(10, 320);
          p.str("issued_on", day(issued));
          if (rng.chance(30)) p.str("concluded_on", day(issued + rng.range(100, 200)));
        } else if (rng.chance(30)) {
          legal.null("care_proceedings");
        }
      }

      // Supervision, then visits until the case reaches its target size: busy cases are
      // busy because social workers visit and record.
      s += ",\"supervision\":[";
      const int supervisions = count(1, 5);
      std::int64_t last = A - (rng.chance(75) ? rng.range(0, 27) : rng.range(28, 90));
      for (int i = 0; i < supervisions; ++i) {
        if (i) s += ',';
        Obj o(s);
        o.str("date", day(last));
        last -= rng.range(20, 45);
      }
      s += "],\"visits\":[";
      const bool late_visits = rng.chance(30);
      std::int64_t visit = A - (late_visits ? rng.range(11, 40) : rng.range(0, 9));
      bool first_visit = true;
      while (s.size() + 60 < target || first_visit) {
        if (!first_visit) s += ',';
        first_visit = false;
        Obj v(s);
        v.str("date", day(visit));
        v.boolean("child_seen", rng.chance(85));
        if (rng.chance(70)) v.boolean("seen_alone", rng.chance(50));
        if (rng.chance(15)) v.str("type", rng.chance(50) ? "home" : "school");
        visit -= rng.range(5, 20);
      }
      s += ']';
    }  // closes the root object
    return s;
  }

  template <typename F>
  static std::string object(F&& fill) {
    std::string out;
    {
      Obj o(out);
      fill(o);
    }
    return out;
  }

  static void write_list(std::string& s, const char* name, const std::vector<std::string>& items) {
    s += ",\"";
    s += name;
    s += "\":[";
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (i) s += ',';
      s += items[i];
    }
    s += ']';
  }

  std::uint64_t seed_;
  std::int64_t as_of_;
};

}  // namespace bench
