import { formatValue } from '../harness/runs/format.js';
import type { Answers, Catalog, Criterion } from './catalog.js';
import { applyRule, type RunFindings } from './rules.js';

export type CellStatus = 'measured' | 'answered' | 'not measured' | 'not answered';

/** One criterion x vendor cell; `score` is null when nothing stands behind it. */
export interface Cell {
  readonly score: number | null;
  readonly status: CellStatus;
  /** Where the score comes from, in words (the workbook's cell note). */
  readonly note: string;
}

/** One finding a score rests on: the workbook's Evidence sheet, row by row. */
export interface EvidenceRow {
  readonly vendor: string;
  readonly criterion: string;
  readonly runId: string;
  readonly scenario: string;
  readonly target: 'mock' | 'live';
  readonly metric: string;
  readonly value: number;
  /** The finding's unit: the workbook shows the value as poc's summary does. */
  readonly unit: string;
  readonly rule: string;
  readonly score: number;
  readonly date: string;
  /** Whether this run decided the score (aggregate worst/best/latest) or was only considered. */
  readonly decisive: boolean;
}

export interface AreaTotal {
  readonly total: number;
  readonly max: number;
}

export interface VendorTotals {
  readonly vendor: string;
  readonly rank: number;
  /** Sum of weight x score over the scored criteria. */
  readonly total: number;
  /** 3 x the sum of all weights: what a perfect vendor would get. */
  readonly max: number;
  readonly pct: number;
  /** Criteria with no score: measured without a run, manual without an answer. */
  readonly missing: number;
  readonly areas: Readonly<Record<string, AreaTotal>>;
}

export interface Scorecard {
  readonly catalog: Catalog;
  readonly vendors: readonly string[];
  /** criterion id -> vendor -> cell */
  readonly cells: ReadonlyMap<string, ReadonlyMap<string, Cell>>;
  /** Ranked, best first. */
  readonly totals: readonly VendorTotals[];
  readonly evidence: readonly EvidenceRow[];
  readonly runs: readonly RunFindings[];
  readonly generatedAt: string;
}

export const MAX_SCORE = 3;

function cellFor(
  c: Criterion,
  vendor: string,
  runs: readonly RunFindings[],
  answers: Answers,
  evidence: EvidenceRow[],
): Cell {
  if (c.manual) {
    const a = answers.get(vendor)?.get(c.id);
    if (!a)
      return { score: null, status: 'not answered', note: `to answer in answers.yaml: ${c.manual.guide}` };
    return {
      score: a.score,
      status: 'answered',
      note: `answered: ${a.evidence}${a.note ? ` (${a.note})` : ''}`,
    };
  }
  const rule = c.measured as NonNullable<Criterion['measured']>;
  const result = applyRule(rule, runs);
  if (!result) {
    return {
      score: null,
      status: 'not measured',
      note: `not measured: run \`poc run ${rule.scenario} --vendor ${vendor}\``,
    };
  }
  for (const h of result.considered) {
    evidence.push({
      vendor,
      criterion: c.id,
      runId: h.run.runId,
      scenario: h.run.scenario,
      target: h.run.target,
      metric: h.metric,
      value: h.value,
      unit: h.unit,
      rule: h.band,
      score: h.score,
      date: h.run.endedAt,
      decisive: h === result.hit,
    });
  }
  const h = result.hit;
  const of = result.considered.length > 1 ? ` (${rule.aggregate} of ${result.considered.length} runs)` : '';
  return {
    score: h.score,
    status: 'measured',
    note: `${h.metric} = ${formatValue(h.value, h.unit)} in run ${h.run.runId} on the ${h.run.target}: ${h.band}${of}`,
  };
}

/**
 * Totals, area subtotals and the ranking for given weights (the catalog's unless overridden):
 * the same arithmetic as the workbook's formulas, so a test can hold one against the other.
 * Ties keep the order of `vendors`.
 */
export function rank(
  catalog: Catalog,
  vendors: readonly string[],
  cells: ReadonlyMap<string, ReadonlyMap<string, Cell>>,
  weights: ReadonlyMap<string, number> = new Map(),
): VendorTotals[] {
  const weightOf = (c: Criterion) => weights.get(c.id) ?? c.weight;
  const max = MAX_SCORE * catalog.criteria.reduce((s, c) => s + weightOf(c), 0);
  const rows = vendors.map((vendor, order) => {
    let total = 0;
    let missing = 0;
    const areas: Record<string, { total: number; max: number }> = {};
    for (const a of catalog.areas) areas[a.id] = { total: 0, max: 0 };
    for (const c of catalog.criteria) {
      const area = areas[c.area] as { total: number; max: number };
      area.max += MAX_SCORE * weightOf(c);
      const score = cells.get(c.id)?.get(vendor)?.score ?? null;
      if (score === null) missing++;
      else {
        total += weightOf(c) * score;
        area.total += weightOf(c) * score;
      }
    }
    return { vendor, order, total, max, pct: max === 0 ? 0 : total / max, missing, areas };
  });
  rows.sort((a, b) => b.total - a.total || a.order - b.order);
  return rows.map(({ order: _order, ...r }, i) => ({ ...r, rank: i + 1 }));
}

/** The scorecard: every criterion scored for every vendor from its runs and the answers. */
export function buildScorecard(
  catalog: Catalog,
  answers: Answers,
  runs: readonly RunFindings[],
  vendors: readonly string[],
): Scorecard {
  const evidence: EvidenceRow[] = [];
  const cells = new Map<string, Map<string, Cell>>();
  const byVendor = new Map<string, RunFindings[]>();
  for (const r of runs) byVendor.set(r.vendor, [...(byVendor.get(r.vendor) ?? []), r]);
  for (const c of catalog.criteria) {
    const row = new Map<string, Cell>();
    for (const v of vendors) row.set(v, cellFor(c, v, byVendor.get(v) ?? [], answers, evidence));
    cells.set(c.id, row);
  }
  return {
    catalog,
    vendors,
    cells,
    totals: rank(catalog, vendors, cells),
    evidence,
    runs,
    generatedAt: new Date().toISOString(),
  };
}
