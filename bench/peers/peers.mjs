// Runs the peer conditions (conditions.mjs) over a JSON Lines corpus on each peer engine:
// parse the line with JSON.parse, evaluate every condition, count the cases that raise
// each. Times are CPU time (user + system) of this process, min and median of the passes.
//   node peers.mjs CORPUS.jsonl [passes] [as_of]
import {readFileSync} from 'node:fs'
import {evaluateExpressionSync} from '@gorules/zen-engine'
import {conditions} from './conditions.mjs'
import {celEnvironment, dayOf} from './celjs_dates.mjs'

const [file, passesArg, asOfArg] = process.argv.slice(2)
const passes = +(passesArg || 3)
const asOf = asOfArg || '2024-06-03'
const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0)
const bytes = lines.reduce((n, l) => n + l.length, 0)

const env = celEnvironment()
const celPrograms = conditions.map((c) => env.parse(c.cel))
const celAsOf = BigInt(dayOf(asOf))

const engines = {
  '@marcbachmann/cel-js 8.0.0': (snapshot, counts) => {
    const context = {case: snapshot, as_of: celAsOf}
    for (let i = 0; i < celPrograms.length; ++i) {
      let v
      try {
        v = celPrograms[i](context)
      } catch (e) {
        v = 'error'
      }
      if (v === true) counts[i]++
      else if (v !== false) counts.errors++
    }
  },
  '@gorules/zen-engine 0.54.0': (snapshot, counts) => {
    const context = {case: snapshot, as_of: asOf}
    for (let i = 0; i < conditions.length; ++i) {
      let v
      try {
        v = evaluateExpressionSync(conditions[i].zen, context)
      } catch (e) {
        v = 'error'
      }
      if (v === true) counts[i]++
      else if (v !== false) counts.errors++
    }
  }
}

for (const [name, run] of Object.entries(engines)) {
  const times = []
  let counts
  for (let pass = 0; pass < passes; ++pass) {
    counts = conditions.map(() => 0)
    counts.errors = 0
    const start = process.cpuUsage()
    for (const line of lines) run(JSON.parse(line), counts)
    const used = process.cpuUsage(start)
    times.push((used.user + used.system) / 1e6)
  }
  times.sort((a, b) => a - b)
  const min = times[0]
  const median = times[Math.floor(times.length / 2)]
  console.log(`${name}: ${lines.length} cases (${(bytes / lines.length).toFixed(0)} bytes mean), ` +
              `parse + ${conditions.length} conditions: ${(lines.length / min).toFixed(0)} cases/s ` +
              `(median ${(lines.length / median).toFixed(0)}), ${(min * 1e6 / lines.length).toFixed(2)} us/case`)
  console.log('  cases raising: ' + conditions.map((c, i) => `${c.id} ${counts[i]}`).join(', ') +
              `; non-bool results ${counts.errors}`)
}
