// Random, mostly well-typed CEL expressions over a fixed set of variables (vars.mjs).
// Deterministic: the same seed gives the same expressions.
import {ATOMS} from './vars.mjs'

// mulberry32: small, fast, good enough for test generation.
export function rng(seed) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (xs) => xs[Math.floor(next() * xs.length)],
    chance: (p) => next() < p
  }
}

const SCALARS = ['int', 'uint', 'double', 'string', 'bytes', 'bool', 'timestamp', 'duration']
const NUMERIC = ['int', 'uint', 'double']
const ANY = [...SCALARS, 'list', 'map', 'null']

export function generator(seed) {
  const r = rng(seed)
  const iters = ['x', 'y', 'e']
  let scope = []  // [{name, type}] of comprehension variables in scope

  function atom(type) {
    const inScope = scope.filter((v) => v.type === type)
    if (inScope.length && r.chance(0.4)) return r.pick(inScope).name
    return r.pick(ATOMS[type])
  }

  // An expression that is (usually) of `type`.
  function gen(type, depth) {
    if (depth <= 0 || r.chance(0.25)) return atom(type)
    // "ish": now and then a value of another type, to exercise runtime errors and
    // heterogeneous comparisons.
    if (r.chance(0.04)) type = r.pick(ANY)
    const f = PRODUCTIONS[type]
    return f ? f(depth - 1) : atom(type)
  }

  const g = gen
  const paren = (s) => `(${s})`

  function comprehension(depth, body) {
    const listType = r.pick(['int', 'string', 'double', 'list_mixed', 'map'])
    const name = r.pick(iters)
    let source
    let elemType
    if (listType === 'map') {
      source = r.pick(ATOMS.map)
      elemType = 'key'
    } else if (listType === 'list_mixed') {
      source = r.pick(ATOMS.list)
      elemType = 'dyn'
    } else {
      source = r.pick(ATOMS[`list_${listType}`])
      elemType = listType
    }
    const saved = scope
    scope = [...scope.filter((v) => v.name !== name), {name, type: elemType === 'key' || elemType === 'dyn' ? 'dyn' : elemType}]
    // A predicate that mostly uses the iteration variable.
    const pred = () => {
      if (elemType === 'int' || elemType === 'double')
        return `${name} ${r.pick(['>', '<', '==', '!=', '>=', '<='])} ${atom(r.pick(NUMERIC))}`
      if (elemType === 'string')
        return r.chance(0.5) ? `${name}.${r.pick(['contains', 'startsWith', 'endsWith'])}(${atom('string')})` : `size(${name}) > ${atom('int')}`
      return r.chance(0.5) ? `${name} == ${atom(r.pick(ANY))}` : g('bool', depth)
    }
    const out = body(source, name, pred)
    scope = saved
    return out
  }

  const PRODUCTIONS = {
    int: (d) => r.pick([
      () => `${g('int', d)} ${r.pick(['+', '-', '*', '/', '%'])} ${g('int', d)}`,
      () => `-${paren(g('int', d))}`,
      () => `size(${g(r.pick(['string', 'bytes', 'list', 'map']), d)})`,
      () => `${g('string', d)}.size()`,
      () => `int(${g(r.pick(['uint', 'double', 'string', 'timestamp', 'int']), d)})`,
      () => `int(${r.pick(ATOMS.numeric_string)})`,
      () => `${g('bool', d)} ? ${g('int', d)} : ${g('int', d)}`,
      () => `${r.pick(ATOMS.list_int)}[${g('int', d)}]`,
      () => `${r.pick(ATOMS.map_int_value)}[${r.pick(ATOMS.string)}]`,
      () => `${g('timestamp', d)}.${r.pick(['getFullYear', 'getMonth', 'getDate', 'getDayOfMonth', 'getDayOfWeek', 'getDayOfYear', 'getHours', 'getMinutes', 'getSeconds', 'getMilliseconds'])}(${r.chance(0.3) ? r.pick(['"UTC"', '"+01:00"', '"-05:30"', '"Europe/London"', '"America/New_York"']) : ''})`,
      () => `${g('duration', d)}.${r.pick(['getHours', 'getMinutes', 'getSeconds', 'getMilliseconds'])}()`,
      () => comprehension(d, (src, v, p) => `size(${src}.filter(${v}, ${p()}))`)
    ])(),
    uint: (d) => r.pick([
      () => `${g('uint', d)} ${r.pick(['+', '-', '*', '/', '%'])} ${g('uint', d)}`,
      () => `uint(${g(r.pick(['int', 'double', 'string', 'uint']), d)})`,
      () => `uint(${r.pick(ATOMS.numeric_string)})`,
      () => `${g('bool', d)} ? ${g('uint', d)} : ${g('uint', d)}`
    ])(),
    double: (d) => r.pick([
      () => `${g('double', d)} ${r.pick(['+', '-', '*', '/'])} ${g('double', d)}`,
      () => `-${paren(g('double', d))}`,
      () => `double(${g(r.pick(['int', 'uint', 'string', 'double']), d)})`,
      () => `double(${r.pick(ATOMS.numeric_string)})`,
      () => `${g('bool', d)} ? ${g('double', d)} : ${g('double', d)}`,
      () => `${r.pick(ATOMS.list_double)}[${g('int', d)}]`
    ])(),
    string: (d) => r.pick([
      () => `${g('string', d)} + ${g('string', d)}`,
      () => `string(${g(r.pick(SCALARS), d)})`,
      () => `${g('bool', d)} ? ${g('string', d)} : ${g('string', d)}`,
      () => `${r.pick(ATOMS.list_string)}[${g('int', d)}]`,
      () => `${r.pick(ATOMS.map_string_value)}[${g(r.pick(['int', 'uint', 'string', 'bool']), d)}]`,
      () => `string(${r.pick(ATOMS.bytes)})`
    ])(),
    bytes: (d) => r.pick([
      () => `${g('bytes', d)} + ${g('bytes', d)}`,
      () => `bytes(${g('string', d)})`,
      () => `${g('bool', d)} ? ${g('bytes', d)} : ${g('bytes', d)}`
    ])(),
    bool: (d) => r.pick([
      () => { const t = r.pick([...SCALARS, 'list', 'map', 'null']); return `${g(t, d)} ${r.pick(['==', '!='])} ${g(r.chance(0.8) ? t : r.pick(ANY), d)}` },
      () => { const t = r.pick(['int', 'uint', 'double', 'string', 'bytes', 'bool', 'timestamp', 'duration']); return `${g(t, d)} ${r.pick(['<', '<=', '>', '>='])} ${g(r.chance(0.7) ? t : r.pick(NUMERIC), d)}` },
      () => `${g(r.pick(NUMERIC), d)} ${r.pick(['<', '<=', '>', '>=', '==', '!='])} ${g(r.pick(NUMERIC), d)}`,
      () => `${g('bool', d)} ${r.pick(['&&', '||'])} ${g('bool', d)}`,
      () => `${g('bool', d)} ${r.pick(['&&', '||'])} ${r.pick(ATOMS.bool_error)}`,
      () => `${r.pick(ATOMS.bool_error)} ${r.pick(['&&', '||'])} ${g('bool', d)}`,
      () => `!${paren(g('bool', d))}`,
      () => `${g(r.pick(['int', 'uint', 'double', 'string', 'bool', 'null']), d)} in ${r.pick([...ATOMS.list, ...ATOMS.list_int, ...ATOMS.list_string, ...ATOMS.list_double])}`,
      () => `${g(r.pick(['string', 'int', 'uint', 'bool', 'double']), d)} in ${r.pick(ATOMS.map)}`,
      () => `${g('string', d)}.${r.pick(['contains', 'startsWith', 'endsWith'])}(${g('string', d)})`,
      () => `${g('string', d)}.matches(${r.pick(ATOMS.regex)})`,
      () => `has(${r.pick(ATOMS.has_target)})`,
      () => comprehension(d, (src, v, p) => `${src}.${r.pick(['all', 'exists', 'exists_one'])}(${v}, ${p()})`),
      () => `${g('bool', d)} ? ${g('bool', d)} : ${g('bool', d)}`,
      // JSON values (read in place by safeguard) against literals built in the expression.
      () => `${r.pick(ATOMS.json_pair)[r.int(2)]} ${r.pick(['==', '!='])} ${r.pick(ATOMS.json_pair)[r.int(2)]}`,
      () => `type(${g(r.pick(ANY), d)}) == ${r.pick(ATOMS.type_name)}`
    ])(),
    timestamp: (d) => r.pick([
      () => `${g('timestamp', d)} ${r.pick(['+', '-'])} ${g('duration', d)}`,
      () => `${g('duration', d)} + ${g('timestamp', d)}`,
      () => `timestamp(${r.pick(ATOMS.timestamp_string)})`,
      () => `timestamp(${g('int', d)})`
    ])(),
    duration: (d) => r.pick([
      () => `${g('duration', d)} ${r.pick(['+', '-'])} ${g('duration', d)}`,
      () => `${g('timestamp', d)} - ${g('timestamp', d)}`,
      () => `duration(${r.pick(ATOMS.duration_string)})`,
      () => `-${paren(g('duration', d))}`
    ])(),
    list: (d) => r.pick([
      () => `${g('list', d)} + ${g('list', d)}`,
      () => `[${g(r.pick(ANY), d)}, ${g(r.pick(ANY), d)}]`,
      () => comprehension(d, (src, v, p) => `${src}.filter(${v}, ${p()})`),
      () => comprehension(d, (src, v, p) => `${src}.map(${v}, ${r.chance(0.5) ? `${v} == ${atom(r.pick(ANY))}` : `[${v}]`})`),
      () => comprehension(d, (src, v, p) => `${src}.map(${v}, ${p()}, ${v})`)
    ])(),
    map: (d) => r.pick([
      () => `{${g(r.pick(['int', 'uint', 'string', 'bool']), d)}: ${g(r.pick(ANY), d)}}`,
      () => `${r.pick(ATOMS.map)}`
    ])()
  }

  return () => gen(r.chance(0.5) ? 'bool' : r.pick(ANY), 2 + r.int(3))
}
