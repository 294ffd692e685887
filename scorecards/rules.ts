import type { Finding } from '../harness/runs/findings.js';
import type { Band, MeasuredRule } from './catalog.js';

/** One run's findings, as the scorecard reads them. */
export interface RunFindings {
  readonly runId: string;
  readonly scenario: string;
  readonly vendor: string;
  readonly target: 'mock' | 'live';
  readonly endedAt: string;
  readonly findings: ReadonlyMap<string, Finding>;
  /** The options that change what the run measures (comparability.ts), from its frozen config. */
  readonly options: Readonly<Record<string, unknown>>;
}

export interface RuleHit {
  readonly score: number;
  readonly run: RunFindings;
  readonly metric: string;
  readonly value: number;
  /** The finding's unit (`ratio` for a ratio of two findings), for showing the value. */
  readonly unit: string;
  /** The band that gave the score, in words: ">= 0.99 -> 3". */
  readonly band: string;
}

function holds(band: Band, value: number): boolean {
  if (!band.when) return true;
  const { op, value: v } = band.when;
  switch (op) {
    case '<':
      return value < v;
    case '<=':
      return value <= v;
    case '>':
      return value > v;
    case '>=':
      return value >= v;
    case '==':
      return value === v;
    case '!=':
      return value !== v;
  }
}

/** The value a rule reads from one run, or undefined when the run lacks it. */
function readValue(
  rule: MeasuredRule,
  run: RunFindings,
): { metric: string; value: number; unit: string } | undefined {
  if (rule.finding) {
    const f = run.findings.get(rule.finding);
    return f ? { metric: rule.finding, value: f.value, unit: f.unit } : undefined;
  }
  const ratio = rule.ratio as { of: string; to: string };
  const of = run.findings.get(ratio.of);
  const to = run.findings.get(ratio.to);
  if (!of || !to || to.value === 0) return undefined;
  return { metric: `${ratio.of} / ${ratio.to}`, value: of.value / to.value, unit: 'ratio' };
}

/**
 * Scores a measured criterion over a vendor's runs of the rule's scenario: each run's value goes
 * through the bands (the first that holds), then worst, best or latest decides. Undefined when
 * no run has the finding: the criterion is "not measured", never 0.
 */
export function applyRule(
  rule: MeasuredRule,
  runs: readonly RunFindings[],
): { hit: RuleHit; considered: RuleHit[] } | undefined {
  const hits: RuleHit[] = [];
  for (const run of runs) {
    if (run.scenario !== rule.scenario) continue;
    const v = readValue(rule, run);
    if (!v) continue;
    // The catalog's schema makes the last band unconditional: some band always holds.
    const band = rule.bands.find((b) => holds(b, v.value));
    if (!band) continue;
    hits.push({
      score: band.score,
      run,
      metric: v.metric,
      value: v.value,
      unit: v.unit,
      band: `${band.when?.text ?? 'otherwise'} -> ${band.score}`,
    });
  }
  if (hits.length === 0) return undefined;
  const pick =
    rule.aggregate === 'latest'
      ? hits.reduce((a, b) => (b.run.endedAt > a.run.endedAt ? b : a))
      : hits.reduce((a, b) => ((rule.aggregate === 'worst' ? b.score < a.score : b.score > a.score) ? b : a));
  return { hit: pick, considered: hits };
}
