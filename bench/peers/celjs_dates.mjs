// safeguard's date extension for @marcbachmann/cel-js, so the peer runs the same CEL text.
// A date is an int: days since 1970-01-01 (safeguard has a date type; comparing ints is
// the cheapest faithful stand-in here). A date-time counts by the date written in it.
import {Environment} from '@marcbachmann/cel-js'

const DAY = 86400000

export function dayOf(text) {
  // "YYYY-MM-DD" or an RFC 3339 date-time: the date part.
  const y = +text.slice(0, 4)
  const m = +text.slice(5, 7)
  const d = +text.slice(8, 10)
  return Math.round(Date.UTC(y, m - 1, d) / DAY)
}

export function addMonths(days, months) {
  const t = new Date(days * DAY)
  const total = t.getUTCFullYear() * 12 + t.getUTCMonth() + months
  const y = Math.floor(total / 12)
  const m = total - y * 12
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate()
  return Math.round(Date.UTC(y, m, Math.min(t.getUTCDate(), last)) / DAY)
}

// The peer conditions use no working days (zen-engine has no calendar to give them).
export function celEnvironment() {
  const env = new Environment({unlistedVariablesAreDyn: true})
    .registerFunction('date(string): int', (s) => BigInt(dayOf(s)))
    .registerFunction('add_months(int, int): int', (d, n) => BigInt(addMonths(Number(d), Number(n))))
    .registerFunction('add_days(int, int): int', (d, n) => d + n)
    .registerFunction('add_weeks(int, int): int', (d, n) => d + 7n * n)
  return env
}
