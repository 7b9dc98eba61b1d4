#!/usr/bin/env node
// Differential test: random CEL expressions through `safeguard expr` and
// @marcbachmann/cel-js, reporting where the two disagree. See README.md.
//
//   node diff.mjs [--safeguard BIN] [--count N] [--seed S] [--jobs J] [--out FILE] [--all]
import {execFile} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {generator} from './gen.mjs'
import {VARS, VARS_JSON} from './vars.mjs'
import {classify} from './known.mjs'

const require = createRequire(import.meta.url)
let celjs
try {
  celjs = await import(require.resolve('@marcbachmann/cel-js', {paths: [process.cwd(), new URL('.', import.meta.url).pathname]}))
} catch {
  console.error('diff.mjs: @marcbachmann/cel-js is not installed; run `npm ci` in scripts/differential')
  process.exit(2)
}

const opts = {safeguard: 'build/dev/safeguard', count: 2000, seed: 1, jobs: 2, out: '', all: false, expr: ''}
for (let i = 2; i < process.argv.length; ++i) {
  const a = process.argv[i]
  if (a === '--all') opts.all = true
  else if (a.startsWith('--') && i + 1 < process.argv.length) opts[a.slice(2)] = process.argv[++i]
  else { console.error(`diff.mjs: unknown argument ${a}`); process.exit(2) }
}
opts.count = +opts.count
opts.seed = +opts.seed
opts.jobs = +opts.jobs

const env = new celjs.Environment({unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false})

// Both engines' results in one form: {error: kind} or {type, value}, value as safeguard's
// JSON mapping (docs/cel.md, "CEL values as JSON").
const TWO53 = 2n ** 53n
function bigToJson(v) {
  return v >= -TWO53 && v <= TWO53 ? Number(v) : v.toString()
}
function durationNanos(d) {
  return BigInt(d.seconds) * 1000000000n + BigInt(d.nanos)
}
function base64(bytes) {
  return Buffer.from(bytes).toString('base64')
}
function celjsKey(k) {
  return k
}
function durationText(ns) {
  const neg = ns < 0n
  const a = neg ? -ns : ns
  const frac = (a % 1000000000n).toString().padStart(9, '0').replace(/0+$/, '')
  return `${neg ? '-' : ''}${a / 1000000000n}${frac ? '.' + frac : ''}s`
}
function timestampText(d) {
  return d.toISOString().replace(/\.?0+Z$/, 'Z').replace(/^\+0*(\d{4})/, '$1')
}
// Top-level timestamps and durations are compared as numbers (see sgNormalise); nested
// ones as safeguard's JSON text.
function celjsToJson(v, nested = false) {
  if (nested && v instanceof Date) return timestampText(v)
  if (nested && v?.constructor?.name === 'Duration') return durationText(durationNanos(v))
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v
  if (typeof v === 'bigint') return bigToJson(v)
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'NaN'
    if (v === Infinity) return 'Infinity'
    if (v === -Infinity) return '-Infinity'
    return v
  }
  if (v?.constructor?.name === 'UnsignedInt') return bigToJson(BigInt(v.value))
  if (v instanceof Uint8Array) return base64(v)
  if (Array.isArray(v)) return v.map((x) => celjsToJson(x, true))
  if (v instanceof Date) return {timestamp_ms: v.getTime()}
  if (v?.constructor?.name === 'Duration') return {duration_ns: durationNanos(v).toString()}
  if (v?.constructor?.name === 'Type') return String(v.name ?? v).replace(/^Type<(.*)>$/, '$1')
  if (v instanceof Map) {
    const o = {}
    for (const [k, x] of v) o[String(celjsKey(k))] = celjsToJson(x, true)
    return o
  }
  if (typeof v === 'object') {
    const o = {}
    for (const [k, x] of Object.entries(v)) o[k] = celjsToJson(x, true)
    return o
  }
  return {unknown: String(v)}
}
function celjsType(v) {
  if (v === null) return 'null_type'
  if (typeof v === 'boolean') return 'bool'
  if (typeof v === 'string') return 'string'
  if (typeof v === 'bigint') return 'int'
  if (typeof v === 'number') return 'double'
  if (v?.constructor?.name === 'UnsignedInt') return 'uint'
  if (v instanceof Uint8Array) return 'bytes'
  if (Array.isArray(v)) return 'list'
  if (v instanceof Date) return 'timestamp'
  if (v?.constructor?.name === 'Duration') return 'duration'
  if (v?.constructor?.name === 'Type') return 'type'
  return 'map'
}

function runCeljs(expr) {
  try {
    const v = env.evaluate(expr, VARS)
    return {type: celjsType(v), value: celjsToJson(v)}
  } catch (e) {
    const kind = e instanceof celjs.ParseError ? 'parse' : e instanceof celjs.TypeError ? 'check' : 'eval'
    return {error: kind, message: String(e.message).split('\n')[0]}
  }
}

// safeguard's timestamps and durations are strings in JSON: put them in cel-js's form
// (milliseconds: cel-js holds timestamps as JS Dates) so the two compare.
function sgNormalise(type, value) {
  if (type === 'timestamp') return {timestamp_ms: Date.parse(value)}
  if (type === 'duration') {
    const m = /^(-?)(\d+)(?:\.(\d{1,9}))?s$/.exec(value)
    if (!m) return {duration_text: value}
    const ns = BigInt(m[2]) * 1000000000n + BigInt((m[3] ?? '').padEnd(9, '0'))
    return {duration_ns: (m[1] ? -ns : ns).toString()}
  }
  return value
}

function runSafeguard(expr) {
  return new Promise((resolve) => {
    execFile(opts.safeguard, ['expr', '--type', '--vars', VARS_JSON, expr], {maxBuffer: 1 << 24},
      (err, stdout, stderr) => {
        const code = err ? err.code : 0
        if (code === 0) {
          const m = /^(.*)  \(([a-z_]+)\)\n$/s.exec(stdout)
          if (!m) return resolve({error: 'output', message: stdout})
          return resolve({type: m[2], value: sgNormalise(m[2], JSON.parse(m[1]))})
        }
        const c = /\[([a-z.\-]+)\]/.exec(stderr)
        const codeName = c ? c[1] : ''
        const kind = code !== 1 ? `exit${code}` : codeName.startsWith('cel.eval') ? 'eval'
          : codeName.startsWith('cel.parse') || /syntax/.test(stderr) ? 'parse' : 'check'
        resolve({error: kind, message: stderr.split('\n')[0]})
      })
  })
}

function same(a, b) {
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b)
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false
    return a.every((x, i) => same(x, b[i]))
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).sort()
    const kb = Object.keys(b).sort()
    return same(ka, kb) && ka.every((k) => same(a[k], b[k]))
  }
  return a === b
}

function agree(s, c) {
  if (s.error && c.error) return true
  if (s.error || c.error) return false
  return s.type === c.type && same(s.value, c.value)
}

const show = (r) => r.error ? `error(${r.error}): ${r.message}` : `${JSON.stringify(r.value)} (${r.type})`

async function main() {
  const exprs = []
  if (opts.expr) exprs.push(opts.expr)
  else {
    const next = generator(opts.seed)
    const seen = new Set()
    while (exprs.length < opts.count) {
      const e = next()
      if (e.length > 400 || seen.has(e)) continue
      seen.add(e)
      exprs.push(e)
    }
  }
  const results = new Array(exprs.length)
  let at = 0
  let done = 0
  async function worker() {
    while (at < exprs.length) {
      const i = at++
      const expr = exprs[i]
      const c = runCeljs(expr)
      const s = await runSafeguard(expr)
      results[i] = {expr, safeguard: s, celjs: c}
      if (++done % 1000 === 0) process.stderr.write(`${done}/${exprs.length}\n`)
    }
  }
  await Promise.all(Array.from({length: opts.jobs}, worker))

  const counts = {total: exprs.length, agree: 0, bothValue: 0, bothError: 0, known: {}, unexplained: 0}
  const disagreements = []
  for (const r of results) {
    if (r.safeguard.error && r.celjs.error) counts.bothError++
    else if (!r.safeguard.error && !r.celjs.error) counts.bothValue++
    if (agree(r.safeguard, r.celjs)) { counts.agree++; continue }
    const known = classify(r)
    if (known) counts.known[known] = (counts.known[known] ?? 0) + 1
    else counts.unexplained++
    if (!known || opts.all) disagreements.push({...r, known})
  }
  for (const d of disagreements) {
    console.log(`${d.known ? `[${d.known}] ` : ''}${d.expr}\n  safeguard: ${show(d.safeguard)}\n  cel-js:    ${show(d.celjs)}`)
  }
  console.log(JSON.stringify(counts, null, 2))
  if (opts.out) writeFileSync(opts.out, disagreements.map((d) => JSON.stringify(d)).join('\n') + '\n')
  process.exitCode = counts.unexplained ? 1 : 0
}

await main()
