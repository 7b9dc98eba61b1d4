// The fixed variables both engines see, and the atoms (variable names and literal text)
// the generator builds expressions from.
//
// Variables are what JSON can carry (safeguard reads them with `--vars`): ints are BigInt
// here and integers in the JSON text, doubles are JS numbers and always written with a
// fraction or exponent so safeguard reads them as double. Values JSON cannot carry (uint,
// NaN, infinities, bytes, timestamps, durations, maps with non-string keys) appear as
// literal CEL text instead, identical for both engines.

export const VARS = {
  i0: 0n,
  i1: 7n,
  ineg: -3n,
  imax: 9223372036854775807n,
  imin: -9223372036854775808n,
  ibig: 9007199254740993n,
  d0: 0.0,
  d1: 2.5,
  dneg: -1.5,
  dz: -0.0,
  dbig: 1e300,
  dtenth: 0.1,
  dint: 3.0,
  s0: '',
  s1: 'hello',
  su: 'héllo wörld ✓',
  sa: '😀a',
  snum: '42',
  t: true,
  f: false,
  n: null,
  li: [1n, 2n, 3n],
  ld: [1.5, -0.0, 2.0],
  ls: ['a', 'b', 'héllo'],
  le: [],
  lx: [1n, 'a', true, null, 2.5],
  ll: [[1n], [2n, 3n]],
  ms: {a: 1n, b: 2n, 'ü': 3n},
  me: {},
  mn: {x: {y: 1n, z: null}, k: [1n, 2n]},
  mstr: {a: 'x', '1': 'one', 'true': 'yes'}
}

function jsonText(v) {
  if (typeof v === 'bigint') return v.toString()
  if (typeof v === 'number') {
    if (Object.is(v, -0)) return '-0.0'
    if (Number.isInteger(v) && Math.abs(v) < 1e21) return `${v}.0`
    return String(v)
  }
  if (v === null || typeof v === 'boolean') return String(v)
  if (typeof v === 'string') return JSON.stringify(v)
  if (Array.isArray(v)) return `[${v.map(jsonText).join(',')}]`
  return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${jsonText(x)}`).join(',')}}`
}

export const VARS_JSON = jsonText(VARS)

export const ATOMS = {
  int: ['i0', 'i1', 'ineg', 'imax', 'imin', 'ibig', '0', '1', '-1', '2', '10', '-7', '0x10',
        '9223372036854775807', '-9223372036854775808', '3', '(imin / -1)', '(imin % -1)',
        '(-7 % 2)', '(7 / -2)', 'int(-0.5)', 'int(9.223372036854775e18)', 'int(-9.223372036854776e18)'],
  uint: ['0u', '1u', '2u', '7u', '18446744073709551615u', '9223372036854775808u', '0x10u', '0U',
         'uint(1.8446744073709550e19)', 'uint(-0.5)', 'uint(-0.0)'],
  double: ['d0', 'd1', 'dneg', 'dz', 'dbig', 'dtenth', 'dint', '0.0', '-0.0', '1.5', '1e308',
           '2.0', 'double("NaN")', 'double("Infinity")', 'double("-Infinity")', '0.1', '1e-320',
           '9.223372036854776e18', '1.8446744073709552e19', '-9.223372036854776e18', '.5', '1e+2',
           '5e-324', '1.7976931348623157e308'],
  string: ['s0', 's1', 'su', 'sa', 'snum', '""', '"a"', '"héllo"', '"ü"', '"😀"', '"\\u00e9"',
           '"hello"', '"lo"', '"\\x00"', "'quote\"d'", 'r"\\d+"', '"\\uffff"', '"\\ue000"',
           '"\\U0001F600"', '"\\101\\x41\\X41"', '"\\a\\v\\?\\`"', "'''tri\"ple'''", '"Ⅻ"', '"ǅ"'],
  bytes: ['b""', 'b"abc"', 'b"\\xff\\x00"', 'b"héllo"', 'b"\\303\\251"', 'b"hello"', 'b"\\x80"', "b'\\377'",
          'B"A"', 'b"\\u00e9"'],
  bool: ['t', 'f', 'true', 'false'],
  null: ['n', 'null', 'mn.x.z'],
  timestamp: ['timestamp("2024-03-28T16:05:00Z")', 'timestamp("1970-01-01T00:00:00Z")',
              'timestamp("0001-01-01T00:00:00Z")', 'timestamp("9999-12-31T23:59:59.999999999Z")',
              'timestamp("2024-02-29T12:00:00.5+01:00")', 'timestamp("2023-12-31T23:30:00-05:00")'],
  duration: ['duration("1h30m")', 'duration("-2.5s")', 'duration("0s")', 'duration("300ms")',
             'duration("1ns")', 'duration("86400s")', 'duration("1.5h")', 'duration("-1m30s")'],
  list: ['li', 'ld', 'ls', 'le', 'lx', 'll', '[]', '[1, 2u, 3.0]', '[null]', '[[1], [2]]',
         '["a", b"a"]', '[1, "1", true]'],
  list_int: ['li', '[1, 2, 3]', '[0, -1, 9223372036854775807]', '[]'],
  list_double: ['ld', '[1.5, -0.0, double("NaN")]', '[0.0]'],
  list_string: ['ls', '["a", "ü", ""]', '["😀", "b"]'],
  map: ['ms', 'me', 'mn', 'mstr', '{1: "a", 2: "b"}', '{1u: "u", true: "b"}', '{"a": 1, 2: "x"}',
        '{-1: "neg", 0: "zero"}', '{false: 0}'],
  map_int_value: ['ms', '{"a": 1, "b": 2}'],
  map_string_value: ['mstr', '{1: "a", 2u: "b", true: "c", "k": "d"}', '{0: "zero", 1u: "one"}'],
  numeric_string: ['"42"', '"-7"', '"0x10"', '"1.5"', '" 1"', '"1e3"', '"18446744073709551615"',
                   '"9223372036854775808"', '"-0"', '"+5"', '"NaN"', '"inf"', '"Infinity"', '""',
                   '"-9223372036854775808"', '"1_000"', '"٣"'],
  timestamp_string: ['"2024-03-28T16:05:00Z"', '"2024-03-28T16:05:00.123456789Z"',
                     '"2024-03-28T16:05:00+01:00"', '"2024-03-28 16:05:00Z"', '"2024-03-28"',
                     '"2024-13-01T00:00:00Z"', '"2024-02-30T00:00:00Z"', '"10000-01-01T00:00:00Z"',
                     '"2024-03-28T16:05:00z"', '"2024-03-28t16:05:00Z"', '"2024-03-28T24:00:00Z"',
                     '"2024-06-30T23:59:60Z"', '"0000-12-31T23:59:59Z"'],
  duration_string: ['"1h"', '"1.5h"', '"-30m"', '"1h2m3s4ms5us6ns"', '"1µs"', '"0"', '"1d"',
                    '"315576000000s"', '"315576000001s"', '"3.000000001s"', '"+1s"', '"1"', '""',
                    '"1h-1m"', '".5s"', '"5.s"'],
  regex: ['"h.*o"', '"^h"', '"[0-9]+"', '"é"', '"^.$"', '"(?i)HELLO"', '"\\\\d"', '""', '"a|b"',
          '"^...$"', '"[[:alpha:]]+"', '"\\\\bhello\\\\b"', '"(a"'],
  bool_error: ['(1 / i0 == 1)', 'ms.missing', 'li[10] == 1', '(imax + 1 > 0)', 'int("x") == 0',
               '(1 / 0 > 0)'],
  // Each pair: a JSON variable (or part of one) and a literal equal to it.
  json_pair: [['li', '[1, 2, 3]'], ['ld', '[1.5, -0.0, 2.0]'], ['ld', '[1.5, 0.0, 2]'], ['ms', '{"ü": 3, "b": 2, "a": 1}'],
              ['mn', '{"x": {"y": 1, "z": null}, "k": [1, 2]}'], ['mn.x', '{"y": 1u, "z": null}'],
              ['lx', '[1, "a", true, null, 2.5]'], ['ll', '[[1], [2, 3]]'], ['mstr', '{"a": "x", "1": "one", "true": "yes"}'],
              ['me', '{}'], ['le', '[]'], ['ld[2]', '2'], ['dint', '3u'], ['ibig', '9007199254740992.0'], ['su', '"héllo wörld ✓"']],
  type_name: ['int', 'uint', 'double', 'string', 'bytes', 'bool', 'null_type', 'list', 'map', 'type',
              'google.protobuf.Timestamp', 'google.protobuf.Duration', 'dyn(int)'],
  has_target: ['ms.a', 'ms.missing', 'mn.x', 'mn.x.z', 'mn.x.y', 'mn.k', 'me.a', 'mstr.true']
}
