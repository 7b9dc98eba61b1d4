// safeguard: the whole C++ API in one include.
//
//   #include <safeguard/safeguard.hpp>
//
//   auto loaded = safeguard::RuleSet::load("rules/");
//   if (!loaded.ok()) { std::cerr << safeguard::format(loaded.diagnostics); return 2; }
//   safeguard::EvalOptions options;
//   options.as_of = "2024-06-03";
//   std::cout << loaded.rule_set->evaluate(snapshot_json, options).to_json() << "\n";
//
// docs/embedding.md explains thread safety, hot reload, memory ownership and versioning.
// C hosts include <safeguard/safeguard.h> instead.
#pragma once

#include "safeguard/calendar.hpp"
#include "safeguard/diagnostic.hpp"
#include "safeguard/export.hpp"
#include "safeguard/expr.hpp"
#include "safeguard/live_rule_set.hpp"
#include "safeguard/options.hpp"
#include "safeguard/result.hpp"
#include "safeguard/rule_set.hpp"
#include "safeguard/snapshot.hpp"
#include "safeguard/version.hpp"
