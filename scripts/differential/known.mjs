// Known, accepted differences between safeguard and @marcbachmann/cel-js 8.0.0. README.md
// has the table with the reasons (spec references). classify() names the class of a
// disagreement, or returns null for one nobody has explained yet.
//
// Each rule looks at the expression text and the two outcomes ({error, message} or
// {type, value}). Rules are tried in order; keep the narrow ones first.

const sgErr = (r, re) => r.safeguard.error && re.test(r.safeguard.message)
const cjErr = (r, re) => r.celjs.error && re.test(r.celjs.message)
const sgVal = (r) => !r.safeguard.error
const cjVal = (r) => !r.celjs.error
const has = (r, re) => re.test(r.expr)

export const RULES = [
  // --- documented safeguard behaviour ---------------------------------------------------
  {name: 'has-json-null', why: 'safeguard: has() on a JSON field holding null is false (docs/cel.md)',
   test: (r) => has(r, /has\(mn\.x\.z\)/)},
  {name: 'regex-checked-at-load', why: 'safeguard rejects an invalid constant regex at check time',
   test: (r) => sgErr(r, /invalid regular expression/) && r.safeguard.error === 'check'},
  {name: 'duration-range', why: 'safeguard durations span ±10,000 years (protobuf/cel-cpp), cel-js any JS number',
   test: (r) => sgErr(r, /out of range/) && has(r, /duration|timestamp/)},

  // --- cel-js deviations from the CEL definition ---------------------------------------
  {name: 'celjs-nested-ternary', why: 'grammar: the middle of ?: is a ConditionalOr, so a ? b ? c : d : e is a syntax error',
   test: (r) => r.safeguard.error === 'parse' && sgErr(r, /expected ':' but found '\?'/)},
  {name: 'celjs-ternary-types', why: 'cel-js rejects ?: whose branches differ in type even where one is dyn (a JSON variable); safeguard, like cel-go, refuses two different known types but lets dyn go with any',
   test: (r) => cjErr(r, /Ternary branches must have the same type/)},
  {name: 'celjs-mixed-numeric', why: 'cel-js rejects int/uint/double equality and ordering; CEL compares numbers across kinds',
   test: (r) => cjErr(r, /no such overload: (int|uint|double) [!=<>]=? (int|uint|double)|found no matching overload for '_[<>=!]+_' applied to '\((int|uint|double), (int|uint|double)\)'/) ||
                (sgVal(r) && cjVal(r) && r.safeguard.type === 'bool' && has(r, /\d+[uU]\b|uint\(/) && has(r, /\bin\b|==|!=/)) ||
                (sgVal(r) && cjVal(r) && has(r, /\d+[uU] in /)) ||
                (sgVal(r) && cjVal(r) && has(r, /\d+[uU]\b/) && has(r, /==|!=|\bin\b/) && r.safeguard.type === 'map') ||
                // A mixed comparison as the condition of ?: sends cel-js down the other branch,
                // which may fail where the branch safeguard took did not.
                (sgVal(r) && r.celjs.error && has(r, /\d+[uU]\b[^?]*(==|!=)[^?]*\?|(==|!=)[^?]*\d+[uU]\b[^?]*\?/))},
  {name: 'celjs-null-or-list-compare', why: 'cel-js rejects ==, != and in between null/lists/maps and other types; CEL equality is defined for all values',
   test: (r) => cjErr(r, /no such overload: .*(null|list<|map<).* (==|!=|in) |no such overload: \S+ (==|!=|in) .*(null|list<|map<)|no such overload: undefined/)},
  {name: 'celjs-list-concat-types', why: 'cel-js rejects + of lists with different element types; CEL lists are heterogeneous',
   test: (r) => cjErr(r, /no such overload: list<.*> \+ list</)},
  {name: 'celjs-map-iteration', why: 'cel-js types a map comprehension variable by the value type, not the key type',
   test: (r) => cjErr(r, /Variable '\w+' is not of type/)},
  {name: 'celjs-comprehension-overlap', why: 'cel-js: internal error for a comprehension over an empty list',
   test: (r) => cjErr(r, /overlaps with/)},
  {name: 'celjs-bytes-ordering', why: 'cel-js has no < <= > >= on bytes; CEL orders bytes lexicographically',
   test: (r) => cjErr(r, /no such overload: bytes [<>]=? (bytes|dyn|undefined)/)},
  {name: 'celjs-bytes-literal', why: 'langdef: a bytes literal is the UTF-8 of its text; cel-js uses Latin-1 for non-ASCII',
   test: (r) => has(r, /b"[^"]*[^\x00-\x7f][^"]*"/)},
  {name: 'celjs-invalid-utf8', why: 'string(bytes) of invalid UTF-8 is an error; cel-js substitutes U+FFFD',
   test: (r) => sgErr(r, /not valid UTF-8/) || (r.safeguard.error && cjVal(r) && has(r, /string\(b"\\xff/))},
  {name: 'celjs-regex-dialect', why: 'langdef: regexes are RE2; cel-js uses JS RegExp (no (?i), [[:alpha:]])',
   test: (r) => cjErr(r, /Invalid regular expression/) || (has(r, /\.matches\(/) && has(r, /\(\?i\)|\[\[:alpha:\]\]|\\\\b|"\^\.+\$"/))},
  {name: 'celjs-string-conversion', why: 'CEL has string(timestamp), string(duration), int(uint), uint(int), timestamp(int); cel-js lacks some',
   test: (r) => cjErr(r, /found no matching overload for '(string|int|uint|timestamp|bytes|double)\(/)},
  {name: 'double-to-string', why: 'string(double) is written as cel-go does (Go %g: "-0", "1e-07"); cel-js uses JS number text',
   test: (r) => (sgVal(r) && cjVal(r) && has(r, /string\([^()]*(\bdz\b|-0\.0|-\(d0\)|double\("-0"\))/)) || sgVal(r) && cjVal(r) && has(r, /string\(/) && JSON.stringify(r.safeguard.value).replace(/e([-+])0(\d)/g, 'e$1$2').replace(/-0\b/g, '0') ===
                JSON.stringify(r.celjs.value).replace(/e\+/g, 'e+').replace(/-0\b/g, '0')},
  {name: 'celjs-number-parse', why: 'int(), uint(), double() of text that is not a CEL number are errors; cel-js accepts "", "-0" for uint, hex',
   test: (r) => sgErr(r, /not a valid number/)},
  {name: 'celjs-timestamp-parse', why: 'timestamp() takes RFC 3339 as cel-go does (T separator, real dates, 0001-9999); cel-js is lenient',
   test: (r) => sgErr(r, /not an RFC 3339 timestamp|not a valid timestamp/)},
  {name: 'celjs-duration-parse', why: 'duration("0") is valid Go/CEL duration text; cel-js rejects it',
   test: (r) => cjErr(r, /Invalid duration string/)},
  {name: 'celjs-duration-arith', why: 'cel-js duration/timestamp arithmetic bugs (wrong sums of negative fractions, missing overloads)',
   test: (r) => (cjErr(r, /is not a function|google\.protobuf\.(Duration|Timestamp) [-+<>=!]+ google/)) ||
                (sgVal(r) && cjVal(r) && has(r, /duration\("-|-\(duration|- duration|duration\([^)]*\) - /)) ||
                (sgVal(r) && r.celjs.error && has(r, /duration\("-/)) ||
                (sgVal(r) && cjVal(r) && r.safeguard.type === 'bool' && has(r, /duration\("[^"]*"\) \+ timestamp\(/)) ||
                (r.safeguard.type === 'duration' && r.celjs.type === 'duration' && r.safeguard.value.duration_ns &&
                 BigInt(r.safeguard.value.duration_ns) - BigInt(r.celjs.value.duration_ns) === 1000000000n) ||
                (r.safeguard.type === 'timestamp' && r.celjs.type === 'timestamp' &&
                 r.safeguard.value.timestamp_ms - r.celjs.value.timestamp_ms === 1000)},
  {name: 'celjs-duration-millis', why: 'conformance: duration.getMilliseconds() is the millisecond component; cel-js gives the total',
   test: (r) => has(r, /getMilliseconds\(\)/) && has(r, /duration|\) - timestamp/)},
  {name: 'celjs-uint-index', why: 'conformance (lists, index): a list index may be a uint or a whole double; cel-js rejects uint',
   test: (r) => sgVal(r) && cjErr(r, /No such key: \d+$|List index must be int/)},
  {name: 'celjs-string-order', why: 'langdef: strings order by code point; cel-js compares UTF-16 code units, so "\\ue000" > "😀" there',
   test: (r) => has(r, /\\ue000|\\uffff|😀|\\U0001F600|\bsa\b/) && has(r, /[<>]/) && (sgVal(r) || cjVal(r))},
  {name: 'celjs-timestamp-precision', why: 'cel-js holds timestamps as JS Dates (milliseconds); CEL has nanoseconds',
   test: (r) => (r.safeguard.type === 'duration' && r.celjs.type === 'duration' && r.safeguard.value.duration_ns &&
                 Math.abs(Number(BigInt(r.safeguard.value.duration_ns) - BigInt(r.celjs.value.duration_ns))) < 1e6) ||
                (sgVal(r) && cjVal(r) && has(r, /timestamp\("(0001|9999)-[^)]*\) - timestamp|- timestamp\("(0001|9999)-/)) ||
                (has(r, /(ns|µs)"|:\d\d\.\d{4,}/) && (r.safeguard.type === 'timestamp' || r.safeguard.type === 'duration' || r.safeguard.type === 'list' || r.safeguard.type === 'map' || r.safeguard.type === 'bool'))},
  {name: 'celjs-fixed-offset-tz', why: 'langdef Timezones: "+01:00" is a valid FixedTZ; cel-js rejects it',
   test: (r) => cjErr(r, /Invalid time zone/)},
  {name: 'celjs-leading-dot-double', why: 'grammar: FLOAT_LIT is DIGIT* . DIGIT+, so .5 is a double; cel-js rejects it',
   test: (r) => cjErr(r, /Unexpected token: DOT/) && has(r, /(^|[^\w.)\]])\.\d/)},
  {name: 'celjs-int-range', why: 'conformance: int(-9223372036854775808.0) and int(1e99) are range errors; cel-js returns a value',
   test: (r) => sgErr(r, /value out of range/) && cjVal(r)},
  {name: 'celjs-relation-precedence', why: 'grammar: == != < <= > >= in share one precedence, left-associative; cel-js binds in and < tighter than ==',
   test: (r) => (cjErr(r, /no such overload: .* (==|!=|<|>|<=|>=) bool$/) && has(r, / (in|==|!=|<|>|<=|>=) .* (in|==|!=|<|>|<=|>=) /)) ||
                has(r, / (==|!=|<|>|<=|>=) [^?&|]* in /) ||
                has(r, / (==|!=) [^?&|(),:\[]* (<|<=|>|>=) /) ||
                has(r, / (==|!=) [\w.]+\[\w+\] (<|<=|>|>=) /) ||
                (cjErr(r, /no such overload: \S+ (<|<=|>|>=) dyn/) && has(r, / (==|!=) [^?&|()]* (<|<=|>|>=) /)) ||
                (cjErr(r, /no such overload: map<.*> (<|<=|>|>=) dyn$/) && has(r, / (==|!=) \{.*\} (<|<=|>|>=) /))},
  {name: 'celjs-empty-list-element', why: 'the element of [] is dyn: -([][0]) type-checks and fails only if evaluated; cel-js rejects it even in a branch ?: does not take',
   test: (r) => sgVal(r) && cjErr(r, /no such overload: -undefined/) && has(r, /-\(\[\]\[/)},
  {name: 'celjs-logic-operands', why: 'cel-js rejects && / || with an operand that is not statically bool; CEL absorbs its error when the other side decides',
   test: (r) => sgVal(r) && cjErr(r, /Logical operator requires bool operands/)},
  {name: 'celjs-year-1-zone', why: 'timestamp 0001-01-01T00:00:00Z in a zone west of UTC is in year 0 (tzdata LMT); cel-js JS Date gives 2001',
   test: (r) => has(r, /timestamp\("0001-01-01T00:00:00Z"\)\.get\w+\("(Europe\/|America\/|UTC)/)},
  {name: 'celjs-lossy-numeric', why: 'conformance (comparisons, *_big_lossy_double): int and uint compare with double through double; cel-js compares exactly',
   // A bool, or any value computed from one (a filter's size): the comparison is in the text.
   test: (r) => sgVal(r) && cjVal(r) && (r.safeguard.type === 'bool' || has(r, /[<>]=?|[=!]=/)) && has(r, /imax|imin|ibig|922337203685477|18446744073709551615/) && has(r, /\d\.\d|e\d|dbig|dint|d0|dz|double\(/)},
  {name: 'celjs-map-key-type', why: 'langdef: map keys are int, uint, bool or string; cel-js accepts any value as a key',
   test: (r) => sgErr(r, /unsupported map key type|map keys must be strings, integers or booleans/)},
  {name: 'celjs-map-key-coercion', why: 'map keys are typed: {"1": x}[1u] and {"true": x}[true] are missing keys; cel-js stringifies keys',
   // (A list as the key is no key at all: cel-js stringifies it, [[0.0]] to "0", and finds 0.)
   test: (r) => (sgErr(r, /no such key|no matching overload for \(map, list\)/) && cjVal(r)) || (cjVal(r) && has(r, /\bin mstr\b/)) ||
                (sgVal(r) && cjVal(r) && has(r, /\{[^{}]*\b(\d+u?|true|false): [^{}]*\}\.(all|exists|exists_one|map|filter)\(/))},
  {name: 'checker-static-types', why: 'gradual typing: safeguard\'s checker rejects a statically ill-typed call (as cel-go does); cel-js evaluates it',
   test: (r) => r.safeguard.error === 'check' && sgErr(r, /cannot apply|no matching overload/)},
  {name: 'celjs-map-key-order', why: 'JSON objects with integer-like keys are reordered by JS; no difference in value',
   test: (r) => r.safeguard.type === 'list' && r.celjs.type === 'list' && Array.isArray(r.safeguard.value) &&
                JSON.stringify([...r.safeguard.value].map(String).sort()) === JSON.stringify([...r.celjs.value].map(String).sort())},
  {name: 'celjs-cascade', why: 'cel-js misjudges the side of && / || that decides (map key coercion, duration("0"), map iteration), so the error on the other side is not absorbed',
   test: (r) => sgVal(r) && r.celjs.error && has(r, /&&|\|\|/) && has(r, /1 \/ i0|1 \/ 0|li\[10\]|imax \+ 1|ms\.missing|int\("x"\)/)},
  {name: 'celjs-overflow', why: 'integer overflow is an error (langdef Overflow); cel-js misses some cases',
   test: (r) => sgErr(r, /integer overflow/) && cjVal(r)},
  {name: 'celjs-masked-lossy', why: 'safeguard\'s error is decided by a lossy int/double comparison (see celjs-lossy-numeric) that cel-js answers differently',
   test: (r) => r.safeguard.error && cjVal(r) && has(r, /imax|imin|ibig/) && has(r, /\d\.\d|e\d|double\(/)},
  {name: 'celjs-masked-error', why: 'safeguard\'s error comes from a sub-expression cel-js gets wrong (overflow, range, UTF-8) next to another error',
   test: (r) => r.safeguard.error && cjVal(r) && has(r, /mstr\[(t|true|f|false|\d+u?)\]|\d+[uU] in |int\((dbig|1e308|-?9\.223372036854776e18)\)|imin \/ -1|imin % -1|-\(imin\)|-\(-9223372036854775808\)|int\(-9\.223372036854776e18\)|uint\(-0\.5\)|b'\\377'|b"\\xff|b"\\x80/)}
]

export function classify(r) {
  for (const rule of RULES) if (rule.test(r)) return rule.name
  return null
}
