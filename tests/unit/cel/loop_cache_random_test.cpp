// Randomly built expressions (nested comprehensions, binds, calls of CEL functions from
// inside loops, short-circuiting operators and conditionals around parts that fail) give
// the same value or error with every planner option: hoisting into per-evaluation and
// per-loop-run caches (and the traced program, which hoists less) must change nothing but
// the work done. A frame reused across programs of different sizes must give what a fresh
// frame gives.
#include <catch2/catch.hpp>

#include <deque>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "cel/check/checker.hpp"
#include "cel/compile/planner.hpp"
#include "cel/parse/parser.hpp"
#include "cel/value/describe.hpp"
#include "cel/value/ops.hpp"
#include "cel/value/to_json.hpp"

using safeguard::cel::Checker;
using safeguard::cel::Env;
using safeguard::cel::EvalLimits;
using safeguard::cel::FunctionDecl;
using safeguard::cel::ParsedExpr;
using safeguard::cel::Planner;
using safeguard::cel::PlanOptions;
using safeguard::cel::Program;
using safeguard::cel::Value;
namespace types = safeguard::cel::types;

namespace {

// Writes random expressions over `r` (the list 1..10), the variables in scope and the
// functions declared so far. Integer division and modulo by a computed zero, indexes past
// a list's end and overflows make errors that the operators around them may or may not
// reach.
class Writer {
 public:
  explicit Writer(std::uint32_t seed) : rng_(seed) {}

  std::vector<std::string> scope;  // integer variables readable here
  std::vector<std::pair<std::string, std::size_t>> functions;

  std::string integer(int depth) {
    const int pick = depth <= 0 ? roll(3) : roll(13);
    switch (pick) {
      case 0:
        return std::to_string(roll(5));
      case 1:
        return scope.empty()
                   ? "3"
                   : scope[static_cast<std::size_t>(roll(static_cast<int>(scope.size())))];
      case 2:
        return "size(r)";
      case 3:
      case 4: {
        static const char* const kOps[] = {" + ", " - ", " * ", " / ", " % "};
        return "(" + integer(depth - 1) + kOps[roll(5)] + integer(depth - 1) + ")";
      }
      case 5:
        return "(" + boolean(depth - 1) + " ? " + integer(depth - 1) + " : " + integer(depth - 1) +
               ")";
      case 6:
        return loop(list(depth - 1), [&](const std::string& range, const std::string& v) {
          return range + ".filter(" + v + ", " + boolean(depth - 1) + ").size()";
        });
      case 7:
        return loop(list(depth - 1), [&](const std::string& range, const std::string& v) {
          return "size(" + range + ".filter(" + v + ", " + boolean(depth - 1) + "))";
        });
      case 8:
        return loop(list(depth - 1), [&](const std::string& range, const std::string& v) {
          return range + ".map(" + v + ", " + integer(depth - 1) + ")[" + std::to_string(roll(4)) +
                 "]";
        });
      case 9: {
        const std::string init = integer(depth - 1);
        return loop(init, [&](const std::string& value, const std::string& v) {
          return "cel.bind(" + v + ", " + value + ", " + integer(depth - 1) + ")";
        });
      }
      case 10:
      case 11:
        if (!functions.empty()) {
          const auto& f =
              functions[static_cast<std::size_t>(roll(static_cast<int>(functions.size())))];
          std::string call = f.first + "(";
          for (std::size_t i = 0; i < f.second; ++i) call += (i ? ", " : "") + integer(depth - 1);
          return call + ")";
        }
        return integer(depth - 1);
      default:
        return "(" + integer(depth - 1) + " + " + integer(depth - 1) + ")";
    }
  }

  std::string boolean(int depth) {
    const int pick = depth <= 0 ? roll(2) : roll(9);
    switch (pick) {
      case 0:
        return "(" + integer(depth - 1) + " < " + integer(depth - 1) + ")";
      case 1:
        return "(" + integer(depth - 1) + " == " + integer(depth - 1) + ")";
      case 2:
        return "(" + boolean(depth - 1) + " && " + boolean(depth - 1) + ")";
      case 3:
        return "(" + boolean(depth - 1) + " || " + boolean(depth - 1) + ")";
      case 4:
        return "!" + boolean(depth - 1);
      case 5:
      case 6:
      case 7: {
        static const char* const kMacros[] = {"exists", "all", "exists_one"};
        const char* macro = kMacros[pick - 5];
        return loop(list(depth - 1), [&](const std::string& range, const std::string& v) {
          return range + "." + macro + "(" + v + ", " + boolean(depth - 1) + ")";
        });
      }
      default:
        return "(" + boolean(depth - 1) + " ? " + boolean(depth - 1) + " : " + boolean(depth - 1) +
               ")";
    }
  }

  std::string list(int depth) {
    const int pick = depth <= 0 ? roll(2) : roll(5);
    switch (pick) {
      case 0:
        return "r";
      case 1:
        return "[1, 2, 3]";
      case 2:
        return "[" + integer(depth - 1) + ", " + integer(depth - 1) + "]";
      case 3:
        return loop("r", [&](const std::string& range, const std::string& v) {
          return range + ".filter(" + v + ", " + boolean(depth - 1) + ")";
        });
      default:
        return loop("r", [&](const std::string& range, const std::string& v) {
          return range + ".map(" + v + ", " + integer(depth - 1) + ")";
        });
    }
  }

 private:
  int roll(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }

  // A part that binds a new variable, readable only inside it: `outside` (the range, or
  // the bound value) was written before, without it.
  template <typename Body>
  std::string loop(const std::string& outside, Body body) {
    const std::string v = "v" + std::to_string(next_++);
    scope.push_back(v);
    std::string text = body(outside, v);
    scope.pop_back();
    return text;
  }

  std::mt19937 rng_;
  int next_ = 0;
};

std::string show(const Value& v) {
  if (!v.is_error()) return safeguard::cel::to_json(v);
  const auto what = safeguard::cel::describe(*v.error);
  return "error " + what.kind + (what.path.empty() ? "" : " " + what.path);
}

struct Programs {
  Env env;
  std::deque<ParsedExpr> parsed;
  std::vector<std::unique_ptr<Checker>> checkers;

  const ParsedExpr* parse(const std::string& text) {
    auto result = safeguard::cel::parse(text);
    INFO(text);
    REQUIRE(result.ok());
    parsed.push_back(std::move(result.expr));
    return &parsed.back();
  }
  std::unique_ptr<Program> compile(const ParsedExpr* ast, const PlanOptions& plan) {
    checkers.push_back(std::make_unique<Checker>(env));
    Checker& checker = *checkers.back();
    const auto* tree = checker.check(*ast, 0);
    REQUIRE_FALSE(checker.has_errors());
    Planner planner(env, checker, plan);
    planner.add_root(*tree);
    REQUIRE(planner.issues().empty());
    return planner.finish();
  }
};

}  // namespace

TEST_CASE("random nested loops give the same results with and without hoisting") {
  // Enough iterations for every program here; a budget error would say only that the two
  // plans did different amounts of work (hoisting saves steps), so none may occur.
  EvalLimits limits;
  limits.max_iterations = 50'000'000;
  safeguard::cel::Frame shared;  // reused by every hoisting program, as a thread's is
  std::size_t compared = 0;
  std::size_t errors = 0;
  for (std::uint32_t seed = 1; seed <= 12; ++seed) {
    Programs p;
    p.env.add_variable("r", types::dyn());
    Writer w(seed);
    // Functions calling the ones before them, with loops of their own over their
    // parameters.
    for (int f = 0; f < 3; ++f) {
      const std::size_t arity = static_cast<std::size_t>(1 + f % 3);
      FunctionDecl decl;
      decl.name = "f" + std::to_string(f);
      for (std::size_t i = 0; i < arity; ++i) decl.params.push_back("p" + std::to_string(i));
      decl.param_offsets.assign(arity, 0);
      w.scope = decl.params;
      decl.body = p.parse(w.integer(4));
      w.scope.clear();
      p.env.add_function(decl);
      w.functions.emplace_back(decl.name, arity);
    }
    PlanOptions uncached;
    uncached.cache_invariants = false;
    PlanOptions traced;
    traced.trace = true;
    for (int i = 0; i < 60; ++i) {
      const std::string text = i % 3 == 0 ? w.boolean(5) : w.integer(5);
      INFO("seed " << seed << ": " << text);
      const ParsedExpr* ast = p.parse(text);
      std::vector<std::string> results;
      const PlanOptions* const plans[] = {&uncached, &traced, nullptr};
      for (const PlanOptions* plan : plans) {
        std::unique_ptr<Program> program = p.compile(ast, plan ? *plan : PlanOptions{});
        safeguard::cel::Frame fresh;
        safeguard::cel::Frame& frame = plan == nullptr ? shared : fresh;
        program->prepare(frame, limits);
        // r: the list 1..10, built in the frame's arena.
        safeguard::cel::ListData* r = safeguard::cel::allocate_list(frame.arena(), 10);
        REQUIRE(r != nullptr);
        for (int k = 0; k < 10; ++k) r->items[k] = Value::integer(k + 1);
        frame.slots()[0] = Value::list_of(r);
        results.push_back(show(program->root(0)->eval(frame)));
        CHECK(results.back().find("budget") == std::string::npos);
      }
      CHECK(results[1] == results[0]);
      CHECK(results[2] == results[0]);
      ++compared;
      if (results[0].rfind("error", 0) == 0) ++errors;
    }
  }
  CHECK(compared == 720);
  // Some programs fail and some do not, or the comparison says little.
  CHECK(errors > 20);
  CHECK(errors < compared - 100);
}
