import type { Finding } from '../harness/runs/findings.js';
import type { StoredRun } from '../harness/runs/run-store.js';
import type { FindingSpec, Noise } from '../harness/runs/vocabulary.js';

export type Verdict = 'better' | 'worse' | 'same' | 'info' | 'new' | 'gone';

/**
 * How much two runs of the same thing differ by chance on a shared machine, per kind of noise a
 * finding declares (harness/runs/vocabulary.ts): differences up to max(relative × |a|, absolute)
 * are noise, not change. Correctness counts (`exact`) have none: one more is worse.
 */
export const NOISE_ALLOWANCES: Readonly<
  Record<Noise, { readonly relative: number; readonly absolute: number }>
> = {
  exact: { relative: 0, absolute: 0 },
  latency: { relative: 0.25, absolute: 10 },
  rate: { relative: 0.02, absolute: 0 },
  count: { relative: 0.25, absolute: 5 },
  throughput: { relative: 0.25, absolute: 0 },
};

/** What compare needs to know of a finding key: which way is better and how noisy it is. */
export type FindingLookup = (key: string) => Pick<FindingSpec, 'better' | 'noise'> | undefined;

export interface ComparedFinding {
  readonly key: string;
  readonly unit: string;
  readonly a: number | undefined;
  readonly b: number | undefined;
  readonly delta: number | undefined;
  readonly verdict: Verdict;
}

function verdictFor(spec: ReturnType<FindingLookup>, a: number | undefined, b: number | undefined): Verdict {
  if (a === undefined) return 'new';
  if (b === undefined) return 'gone';
  // A key poc no longer declares (a run from an older version) is shown, not judged.
  if (!spec || spec.better === 'none' || spec.noise === undefined) return 'info';
  const allowance = NOISE_ALLOWANCES[spec.noise];
  const noise = Math.max(allowance.relative * Math.abs(a), allowance.absolute);
  if (Math.abs(b - a) <= noise) return 'same';
  const improved = spec.better === 'lower' ? b < a : b > a;
  return improved ? 'better' : 'worse';
}

/** Every finding of two runs side by side, with its delta and a verdict that ignores noise. */
export function compareRuns(a: StoredRun, b: StoredRun, lookup: FindingLookup): ComparedFinding[] {
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
      verdict: verdictFor(lookup(key), va, vb),
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
