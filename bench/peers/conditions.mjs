// The peer conditions: eight checks in the spirit of the shipped pack's rules, written once
// in plain CEL (no safeguard-only features: no functions, definitions or working days) for
// safeguard and @marcbachmann/cel-js, and in ZEN expression language for @gorules/zen-engine.
// They read absent and null alike ("!has(x) || x == null"), because cel-js, like standard
// CEL, sees a JSON null as present. safeguard runs the CEL text from safeguard/peer.yaml;
// keep the two in step.
export const conditions = [
  {
    id: 'peer.cumulative-da',
    cel: 'case.contacts.filter(c, "domestic_abuse" in c.concerns && date(c.received_at) >= add_months(as_of, -12)).size() >= 3',
    zen: 'len(filter(case.contacts, contains(#.concerns, "domestic_abuse") and d(#.received_at).startOf("day") >= d(as_of).sub(12, "M"))) >= 3'
  },
  {
    id: 'peer.decision-overdue',
    cel: 'case.contacts.exists(c, (!has(c.decision) || c.decision == null) && as_of > add_days(date(c.received_at), 1))',
    zen: 'some(case.contacts, #.decision == null and d(as_of) > d(#.received_at).startOf("day").add(1, "d"))'
  },
  {
    id: 'peer.caseload-high',
    cel: '(!has(case.episode.closed_on) || case.episode.closed_on == null) && has(case.allocated_worker) && case.allocated_worker != null && has(case.allocated_worker.caseload) && case.allocated_worker.caseload > 20',
    zen: 'case.episode.closed_on == null and case.allocated_worker != null and case.allocated_worker.caseload != null and case.allocated_worker.caseload > 20'
  },
  {
    id: 'peer.actions-overdue',
    cel: 'case.plans.exists(p, (!has(p.ended_on) || p.ended_on == null) && p.actions.exists(a, (!has(a.done_on) || a.done_on == null) && has(a.due_on) && as_of > date(a.due_on)))',
    zen: 'some(case.plans, #.ended_on == null and some(#.actions, #.done_on == null and #.due_on != null and d(as_of) > d(#.due_on)))'
  },
  {
    id: 'peer.supervision-overdue',
    cel: '(!has(case.episode.closed_on) || case.episode.closed_on == null) && date(case.episode.opened_on) < add_days(as_of, -28) && !case.supervision.exists(s, date(s.date) >= add_days(as_of, -28))',
    zen: 'case.episode.closed_on == null and d(case.episode.opened_on) < d(as_of).sub(28, "d") and not some(case.supervision, d(#.date) >= d(as_of).sub(28, "d"))'
  },
  {
    id: 'peer.cp-long-running',
    cel: 'case.plans.exists(p, p.type == "child_protection" && (!has(p.ended_on) || p.ended_on == null) && has(p.started_on) && date(p.started_on) <= add_months(as_of, -18))',
    zen: 'some(case.plans, #.type == "child_protection" and #.ended_on == null and #.started_on != null and d(#.started_on) <= d(as_of).sub(18, "M"))'
  },
  {
    id: 'peer.worker-changes',
    cel: 'case.worker_history.filter(w, date(w.from) >= add_months(as_of, -12)).size() >= 3',
    zen: 'len(filter(case.worker_history, d(#.from) >= d(as_of).sub(12, "M"))) >= 3'
  },
  {
    id: 'peer.cp-visits',
    cel: 'case.plans.exists(p, p.type == "child_protection" && (!has(p.ended_on) || p.ended_on == null)) && !case.visits.exists(v, v.child_seen && date(v.date) >= add_days(as_of, -14))',
    zen: 'some(case.plans, #.type == "child_protection" and #.ended_on == null) and not some(case.visits, #.child_seen and d(#.date) >= d(as_of).sub(14, "d"))'
  }
]
