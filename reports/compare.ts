import type { Finding } from '../harness/runs/findings.js';
import type { StoredRun } from '../harness/runs/run-store.js';

export type Direction = 'lower' | 'higher' | 'info';
export type Verdict = 'better' | 'worse' | 'same' | 'info' | 'new' | 'gone';

interface Rule {
  readonly match: RegExp;
  readonly direction: Direction;
  /** Differences up to max(relative × |a|, absolute) are noise, not change. */
  readonly relative: number;
  readonly absolute: number;
}

/**
 * Which way is good for each finding, and how much two runs of the same thing differ by chance
 * on a shared machine. First match wins. Correctness counts (loss, duplicates applied, errors)
 * have no noise allowance: one more is worse.
 */
const RULES: readonly Rule[] = [
  {
    match:
      /(loss|duplicates_applied|write_errors|dead_letter|cases_failed|forgeries_accepted|header_mismatch)_(count|ratio)$/,
    direction: 'lower',
    relative: 0,
    absolute: 0,
  },
  { match: /_ms$/, direction: 'lower', relative: 0.25, absolute: 10 },
  {
    match: /achieved_rate|sustained_per_s|_honest$|rejects_unknown_token/,
    direction: 'higher',
    relative: 0.02,
    absolute: 0,
  },
  {
    match: /(rate_limited|retries|retried|dropped_iterations|rejected|out_of_order|undetectable)_count$/,
    direction: 'lower',
    relative: 0.25,
    absolute: 5,
  },
];

export interface ComparedFinding {
  readonly key: string;
  readonly unit: string;
  readonly a: number | undefined;
  readonly b: number | undefined;
  readonly delta: number | undefined;
  readonly verdict: Verdict;
}

function verdictFor(key: string, a: number | undefined, b: number | undefined): Verdict {
  if (a === undefined) return 'new';
  if (b === undefined) return 'gone';
  const rule = RULES.find((r) => r.match.test(key));
  if (!rule || rule.direction === 'info') return 'info';
  const noise = Math.max(rule.relative * Math.abs(a), rule.absolute);
  if (Math.abs(b - a) <= noise) return 'same';
  const improved = rule.direction === 'lower' ? b < a : b > a;
  return improved ? 'better' : 'worse';
}

/** Every finding of two runs side by side, with its delta and a verdict that ignores noise. */
export function compareRuns(a: StoredRun, b: StoredRun): ComparedFinding[] {
  const byKey = (fs: readonly Finding[]) => new Map(fs.map((f) => [f.key, f]));
  const fa = byKey(a.findings);
  const fb = byKey(b.findings);
  const keys = [...new Set([...fa.keys(), ...fb.keys()])].sort();
  return keys.map((key) => {
    const va = fa.get(key)?.value;
    const vb = fb.get(key)?.value;
    return {
      key,
      unit: fa.get(key)?.unit ?? fb.get(key)?.unit ?? '',
      a: va,
      b: vb,
      delta: va !== undefined && vb !== undefined ? vb - va : undefined,
      verdict: verdictFor(key, va, vb),
    };
  });
}

const num = (v: number | undefined) =>
  v === undefined ? '—' : Number.isInteger(v) ? String(v) : v.toFixed(2);

export function renderComparison(a: StoredRun, b: StoredRun, rows: readonly ComparedFinding[]): string {
  const width = Math.max(10, ...rows.map((r) => r.key.length));
  const lines = [
    `a: ${a.id}  ${a.scenario} ${a.vendor} (${a.target}) ${a.status}`,
    `b: ${b.id}  ${b.scenario} ${b.vendor} (${b.target}) ${b.status}`,
    '',
    `  ${'finding'.padEnd(width)}  ${'a'.padStart(10)}  ${'b'.padStart(10)}  ${'delta'.padStart(10)}  verdict`,
    ...rows.map(
      (r) =>
        `  ${r.key.padEnd(width)}  ${num(r.a).padStart(10)}  ${num(r.b).padStart(10)}  ${(r.delta === undefined ? '—' : `${r.delta > 0 ? '+' : ''}${num(r.delta)}`).padStart(10)}  ${r.verdict}`,
    ),
  ];
  const worse = rows.filter((r) => r.verdict === 'worse').map((r) => r.key);
  lines.push(
    '',
    worse.length === 0 ? 'b is not worse than a on any finding' : `b is worse on: ${worse.join(', ')}`,
  );
  return `${lines.join('\n')}\n`;
}
