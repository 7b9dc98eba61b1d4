// The condition of bench/cel_condition_bench.cpp, compiled once by @marcbachmann/cel-js and
// evaluated over the same snapshot (written by `cel_condition_bench --dump-data FILE`).
//   node cel_condition.mjs FILE [passes]
import {readFileSync} from 'node:fs'
import {celEnvironment, dayOf} from './celjs_dates.mjs'

const condition =
  'case.contacts.filter(c, "domestic_abuse" in c.concerns && ' +
  'date(c.received_at) >= add_months(as_of, -12)).size() >= 3'
const file = process.argv[2]
const passes = +(process.argv[3] || 7)
const snapshot = JSON.parse(readFileSync(file, 'utf8'))
const contacts = snapshot.contacts.length
const env = celEnvironment()
const program = env.parse(condition)
const context = {case: snapshot, as_of: BigInt(dayOf('2024-06-03'))}
const result = program(context)

const iterations = Math.max(1000, Math.floor(200000 / contacts))
const times = []
for (let pass = 0; pass < passes; ++pass) {
  // CPU time (user + system), not the wall clock: the machine is shared.
  const start = process.cpuUsage()
  for (let i = 0; i < iterations; ++i) program(context)
  const used = process.cpuUsage(start)
  times.push(((used.user + used.system) * 1000) / iterations)
}
times.sort((a, b) => a - b)
const min = times[0]
const median = times[Math.floor(times.length / 2)]
console.log(`@marcbachmann/cel-js: result ${result}  ${min.toFixed(0)} ns/evaluation (median ${median.toFixed(0)})  ` +
            `${(min / contacts).toFixed(1)} ns/element (median ${(median / contacts).toFixed(1)})`)
