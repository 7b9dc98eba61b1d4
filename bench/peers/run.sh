#!/bin/sh
# Runs safeguard and the peer engines on the same conditions and the same corpus.
#   bench/peers/run.sh [BUILD_DIR] [CASES]
# BUILD_DIR: a Release build with the benchmarks (default build/release); CASES: corpus
# size (default 20000). Needs node and npm; installs the pinned peers into
# bench/peers/node_modules (gitignored) on first use.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-build/release}
count=${2:-5000}
case $build in /*) ;; *) build="$root/$build" ;; esac
tmp=${TMPDIR:-/tmp}/safeguard-peers.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT

# npm 11's `npm ci` refuses a lock file that lists zen-engine's optional native packages
# only for the platform it was made on; `npm install --no-save` then installs the same pinned
# versions (package.json pins them exactly) without rewriting the lock file.
if [ ! -d "$here/node_modules/@marcbachmann/cel-js" ]; then
  (cd "$here" && { npm ci --no-audit --no-fund 2>"$tmp/npm-ci.log" ||
                   npm install --no-save --no-audit --no-fund; })
fi

echo "== one condition over a 50-contact case (bench/cel_condition_bench.cpp)"
"$build/bench/cel_condition_bench" --dump-data "$tmp/cel50.json"
(cd "$here" && node cel_condition.mjs "$tmp/cel50.json")

echo "== the peer conditions over $count generated cases (bench/peers/conditions.mjs)"
"$build/bench/gen_cases" --count "$count" > "$tmp/corpus.jsonl"
"$build/bench/throughput_bench" --rules "$here/safeguard" --cases "$tmp/corpus.jsonl" --threads 1 --flags
(cd "$here" && node peers.mjs "$tmp/corpus.jsonl")
