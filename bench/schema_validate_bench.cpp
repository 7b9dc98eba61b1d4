// Schema validation cost per snapshot: what the batch command pays on top of parsing.
//
//   ./build/release/bench/schema_validate_bench [path/to/case-snapshot.schema.json]
//
// Validates a realistic ~4 KB case snapshot (the shipped safeguarding-case/1 schema) many
// times and prints the median over 5 passes of: parsing alone, parsing plus validation,
// and validation alone over an already parsed snapshot; plus the heap allocations one
// validation of a valid snapshot makes (the goal is none).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <new>
#include <sstream>
#include <string>
#include <vector>

#include "snapshot/parsed_json.hpp"
#include "snapshot/schema.hpp"

namespace {

std::atomic<long> g_allocations{0};

}  // namespace

void* operator new(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}

namespace {

using safeguard::snapshot::JsonError;
using safeguard::snapshot::JsonParser;
using safeguard::snapshot::ParsedJson;
using safeguard::snapshot::Schema;

std::string default_schema_path() {
  return std::string(SAFEGUARD_BENCH_SOURCE_DIR) + "/../rules/schema/case-snapshot.schema.json";
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string date(int day) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "2024-%02d-%02d", 1 + day / 28 % 12, 1 + day % 28);
  return buffer;
}

// A busy but ordinary case: several contacts, a CP plan with actions and reviews, visits.
std::string make_snapshot() {
  std::string s = R"({"schema":"safeguarding-case/1","case_id":"C-000123",)";
  s += R"("child":{"date_of_birth":"2014-05-17","disabled":false,)";
  s += R"("education":{"missing_education":false,"attendance_percent":87}},)";
  s += R"("episode":{"opened_on":"2024-01-08","closed_on":null},"contacts":[)";
  const char* sources[] = {"police", "school", "health", "family"};
  for (int i = 0; i < 6; ++i) {
    if (i) s += ',';
    s += R"({"id":"K)" + std::to_string(i) + R"(","received_at":")" + date(i * 9) +
         R"(T10:15:00Z","source":")" + sources[i % 4] +
         R"(","concerns":["domestic_abuse","neglect"],"domestic_abuse_risk":"medium",)";
    s += R"("decision":{"outcome":"early_help","decided_at":")" + date(i * 9 + 1) +
         R"(T09:00:00+01:00","manager_approved":true}})";
  }
  s +=
      R"(],"strategy_discussions":[{"id":"S1","held_on":"2024-02-02","contact_id":"K1","outcome":"s47"}],)";
  s += R"("s47_enquiries":[{"id":"E1","started_on":"2024-02-02","completed_on":"2024-02-20",)";
  s += R"("strategy_discussion_id":"S1","outcome":"icpc"}],)";
  s += R"("conferences":[{"id":"F1","type":"initial","held_on":"2024-03-01","outcome":"cp_plan"},)";
  s += R"({"id":"F2","type":"review","held_on":"2024-06-01","outcome":"plan_continues"}],)";
  s +=
      R"("assessments":[{"id":"A1","type":"single","started_on":"2024-01-09","completed_on":"2024-02-15",)";
  s += R"("evidence_sources":["child_seen","child_views","home_visit","school"],"outcome":"cp"}],)";
  s +=
      R"("plans":[{"id":"P1","type":"child_protection","category":"neglect","started_on":"2024-03-01",)";
  s += R"("contingency":"Placement with grandparents","actions":[)";
  for (int i = 0; i < 5; ++i) {
    if (i) s += ',';
    s += R"({"id":"PA)" + std::to_string(i) +
         R"(","text":"Action text","owner":"social_worker","due_on":")" + date(60 + i * 7) +
         R"(","done_on":null})";
  }
  s += R"(],"reviews":[{"held_on":"2024-06-01","progress":"static"}]}],"visits":[)";
  for (int i = 0; i < 8; ++i) {
    if (i) s += ',';
    s += R"({"date":")" + date(60 + i * 10) + R"(","child_seen":true,"seen_alone":false})";
  }
  s += R"(],"supervision":[{"date":"2024-03-10"},{"date":"2024-04-10"},{"date":"2024-05-10"}],)";
  s += R"("worker_history":[{"worker_id":"W1","from":"2024-01-08","to":"2024-03-31"},)";
  s +=
      R"({"worker_id":"W2","from":"2024-04-01"}],"allocated_worker":{"id":"W2","caseload":21,"agency":true},)";
  s +=
      R"("legal":{"written_agreements":[{"started_on":"2024-02-01","ended_on":null,"breaches":1}],)";
  s += R"("legal_planning_meetings":[{"held_on":"2024-05-20","decision":"pre_proceedings"}],)";
  s +=
      R"("pre_proceedings":{"started_on":"2024-06-01","letter_sent_on":"2024-06-03","plan_in_place":true},)";
  s += R"("care_proceedings":null}})";
  return s;
}

template <typename F>
double median_ns_per_iteration(int iterations, F&& body) {
  std::vector<double> passes;
  for (int pass = 0; pass < 5; ++pass) {
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < iterations; ++i) body();
    const std::chrono::duration<double, std::nano> elapsed =
        std::chrono::steady_clock::now() - start;
    passes.push_back(elapsed.count() / iterations);
  }
  std::sort(passes.begin(), passes.end());
  return passes[2];
}

}  // namespace

int main(int argc, char** argv) {
  const std::string schema_path = argc > 1 ? argv[1] : default_schema_path();
  const std::string schema_text = read_file(schema_path);
  std::vector<safeguard::Diagnostic> diagnostics;
  const auto schema = Schema::load(schema_text, schema_path, diagnostics);
  if (!schema) {
    std::fprintf(stderr, "%s", safeguard::format(diagnostics).c_str());
    return 2;
  }
  const std::string snapshot = make_snapshot();
  JsonParser parser;
  ParsedJson json;
  JsonError error;
  if (!parser.parse(snapshot, json, &error)) {
    std::fprintf(stderr, "bench snapshot is not JSON: %s\n", error.message.c_str());
    return 2;
  }
  const auto violations = schema->validate(json);
  if (!violations.empty()) {
    std::fprintf(stderr, "bench snapshot is not valid: %s %s\n", violations[0].code.c_str(),
                 violations[0].path.c_str());
    return 2;
  }

  const int iterations = 50000;
  const double parse_ns =
      median_ns_per_iteration(iterations, [&] { parser.parse(snapshot, json, &error); });
  const double both_ns = median_ns_per_iteration(iterations, [&] {
    parser.parse(snapshot, json, &error);
    schema->validate(json);
  });
  const double validate_ns = median_ns_per_iteration(iterations, [&] { schema->validate(json); });

  const long before = g_allocations.load();
  schema->validate(json);
  const long allocations = g_allocations.load() - before;

  std::printf("snapshot: %zu bytes\n", snapshot.size());
  std::printf("parse:            %8.0f ns/snapshot\n", parse_ns);
  std::printf("parse + validate: %8.0f ns/snapshot (%.0f snapshots/s on one core)\n", both_ns,
              1e9 / both_ns);
  std::printf("validate alone:   %8.0f ns/snapshot\n", validate_ns);
  std::printf("heap allocations per validation of a valid snapshot: %ld\n", allocations);
  return 0;
}
