import type { RunFindings } from './rules.js';

/**
 * The options of a stored run's frozen config that change what it measures: the scenario's own
 * (rate, duration, changes, outage...), the mock's time scale, injected faults and the request
 * budget. Ports, output paths, tags and the vendor are left out: they change nothing measured.
 */
export function comparableOptions(config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const own = (config.options ?? {}) as Record<string, unknown>;
  const picked: Record<string, unknown> = { ...own };
  for (const key of ['timeScale', 'faults', 'maxRequests'] as const) {
    if (config[key] !== undefined) picked[key] = config[key];
  }
  return picked;
}

/** A value as one short, stable text (sorted keys), for comparing and showing options. */
export function optionText(value: unknown): string {
  if (value === undefined) return '(default)';
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}

/** `rate=200 duration=3000 ...`: the options of a run, keys sorted, for a cell or a line. */
export function optionsLine(
  options: Readonly<Record<string, unknown>>,
  skip: readonly string[] = [],
): string {
  return Object.keys(options)
    .filter((k) => !skip.includes(k))
    .sort()
    .map((k) => `${k}=${optionText(options[k])}`)
    .join(' ');
}

/** Criteria whose runs differ across vendors in options or target kind: what the Summary warns of. */
export interface Incomparable {
  readonly scenario: string;
  readonly criteria: readonly string[];
  /** The option keys (and `target`) whose values differ between the runs. */
  readonly differ: readonly string[];
  readonly runs: readonly RunFindings[];
}

/** The runs each criterion was scored from, across every vendor. */
export interface CriterionRuns {
  readonly criterion: string;
  readonly scenario: string;
  readonly runs: readonly RunFindings[];
}

function differingKeys(runs: readonly RunFindings[]): string[] {
  const keys = new Set(runs.flatMap((r) => Object.keys(r.options)));
  const differ = [...keys].filter((k) => new Set(runs.map((r) => optionText(r.options[k]))).size > 1).sort();
  if (new Set(runs.map((r) => r.target)).size > 1) differ.unshift('target');
  return differ;
}

/**
 * The criteria scored from runs that are not alike (other options, or mock beside live), so a
 * difference in score may be a difference in test. Criteria resting on the same runs are one entry.
 */
export function findIncomparable(used: readonly CriterionRuns[]): Incomparable[] {
  const byRuns = new Map<string, { scenario: string; criteria: string[]; runs: readonly RunFindings[] }>();
  for (const u of used) {
    if (u.runs.length < 2) continue;
    const key = `${u.scenario}\u0000${u.runs
      .map((r) => r.runId)
      .sort()
      .join(',')}`;
    const entry = byRuns.get(key) ?? { scenario: u.scenario, criteria: [], runs: u.runs };
    entry.criteria.push(u.criterion);
    byRuns.set(key, entry);
  }
  const out: Incomparable[] = [];
  for (const entry of byRuns.values()) {
    const differ = differingKeys(entry.runs);
    if (differ.length > 0) out.push({ ...entry, differ });
  }
  return out;
}

/** One line per set of runs that are not alike, naming each run and its differing values. */
export function incomparableLine(x: Incomparable): string {
  const runs = x.runs
    .map((r) => {
      const values = x.differ.map((k) => (k === 'target' ? r.target : `${k}=${optionText(r.options[k])}`));
      return `${r.vendor} run ${r.runId} (${values.join(', ')})`;
    })
    .join('; ');
  return `not comparable: ${x.scenario} runs differ in ${x.differ.join(', ')}: ${runs}; criteria ${x.criteria.join(', ')}`;
}
