// Exports the protobuf-free CEL conformance tests of @bufbuild/cel-spec as one JSON file
// for the C++ runner, which then needs no JavaScript and no protobuf.
//
//   node export.mjs <npm prefix> <pinned version> <out.json>
//
// The package's testdata/conformance.js holds the upstream cel-spec SimpleTest files as
// a tree: { suites: [ file { suites: [ section { tests: [ { original: SimpleTest } ] } ] } ] },
// each SimpleTest in protobuf JSON. The exclusion rule is documented in README.md; keep
// the two in step.
import { createRequire } from "node:module";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

// The files whose protobuf-free tests must pass (the list).
const kFiles = [
  "basic",
  "comparisons",
  "conversions",
  "fp_math",
  "integer_math",
  "lists",
  "logic",
  "macros",
  "parse",
  "plumbing",
  "string",
  "timestamps",
  // cel-go's extensions (math, two-variable comprehensions, cel.bind, strings, encoders,
  // optional types), then core files added since.
  "math_ext",
  "macros2",
  "bindings_ext",
  "string_ext",
  "encoders_ext",
  "optionals",
  "fields",
  "namespace",
  "type_deductions",
];

// Anything naming a protobuf message, enum or Any. google.protobuf.Timestamp and
// google.protobuf.Duration are CEL's own names for the timestamp and duration types
// (what type() returns), so they alone do not make a test depend on protobuf.
const kProtobufMarkers = [
  /objectValue/,
  /enumValue/,
  /messageType/,
  /TestAllTypes/,
  /\bproto[23]\b/,
  /cel\.expr\.conformance/,
  /google\.protobuf\.(?!Timestamp\b|Duration\b)/,
];

function die(message) {
  console.error(`export.mjs: ${message}`);
  process.exit(2);
}

// Why a test is excluded, or null when it is protobuf-free.
function exclusion(test) {
  if (test.container) return "container";
  // Only what the test feeds in and expects: descriptions and error texts do not count.
  const declared = test.typeEnv?.filter((d) => {
    const type = d.ident?.type;
    // A variable declared as a Timestamp or Duration message is CEL's timestamp/duration.
    return !(type && /^google\.protobuf\.(Timestamp|Duration)$/.test(type.messageType ?? ""));
  });
  const inputs = JSON.stringify([
    test.expr,
    declared,
    test.bindings,
    test.value,
    test.typedResult,
  ]);
  for (const marker of kProtobufMarkers) {
    if (marker.test(inputs)) return marker.source;
  }
  return null;
}

const [prefixArg, version, outArg] = process.argv.slice(2);
if (!prefixArg || !version || !outArg) {
  die("usage: node export.mjs <npm prefix> <pinned version> <out.json>");
}
const prefix = resolve(prefixArg);
const require = createRequire(join(prefix, "package.json"));

let pkg;
let conformance;
try {
  // By path: package.json is not in the package's exports map.
  pkg = JSON.parse(readFileSync(join(prefix, "node_modules/@bufbuild/cel-spec/package.json")));
} catch (e) {
  die(`@bufbuild/cel-spec is not installed under ${prefix}: ${e.message}`);
}
if (pkg.version !== version) {
  die(`installed @bufbuild/cel-spec is ${pkg.version}, the pin is ${version}`);
}
try {
  conformance = require("@bufbuild/cel-spec/testdata/conformance.js").tests;
} catch (e) {
  die(`cannot load @bufbuild/cel-spec/testdata/conformance.js: ${e.message}`);
}

const files = [];
const tests = [];
for (const name of kFiles) {
  const file = conformance.suites.find((s) => s.name === name);
  if (!file) die(`the package has no conformance file '${name}'`);
  const summary = { name, total: 0, excluded: 0, reasons: {}, sections: [] };
  for (const section of file.suites ?? []) {
    const counts = { name: section.name, total: 0, excluded: 0 };
    for (const { original } of section.tests ?? []) {
      ++counts.total;
      const why = exclusion(original);
      if (why) {
        ++counts.excluded;
        summary.reasons[why] = (summary.reasons[why] ?? 0) + 1;
        continue;
      }
      tests.push({ file: name, section: section.name, ...original });
    }
    summary.total += counts.total;
    summary.excluded += counts.excluded;
    summary.sections.push(counts);
  }
  files.push(summary);
}

const out = resolve(outArg);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  JSON.stringify({ package: pkg.name, version: pkg.version, files, tests }, null, 1),
);
const kept = tests.length;
const all = files.reduce((n, f) => n + f.total, 0);
console.log(`exported ${kept} protobuf-free tests of ${all} from ${pkg.name}@${pkg.version}`);
