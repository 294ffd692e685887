import { formatValue } from '../harness/runs/format.js';
import type { Answers } from './answers.js';
import type { Catalog, Criterion } from './catalog.js';
import { type CriterionRuns, findIncomparable, type Incomparable } from './comparability.js';
import type { CriterionKind, CriterionKinds } from './evidence-kind.js';
import { applyRule, type RuleHit, type RunFindings } from './rules.js';

/**
 * What stands behind a cell. `measured`: a live run; `emulated`: a mock run of a design fact
 * ("documented, emulated"); `answered`: an answer with checkable evidence. The rest score nothing:
 * `unverified` (an answer without checkable evidence), `needs a live run` (a performance
 * criterion only mock runs measured), `not measured`, `not answered`.
 */
export type CellStatus =
  | 'measured'
  | 'emulated'
  | 'answered'
  | 'unverified'
  | 'needs a live run'
  | 'not measured'
  | 'not answered';

/** One criterion x vendor cell; `score` is null when nothing that can score stands behind it. */
export interface Cell {
  readonly score: number | null;
  readonly status: CellStatus;
  /** Where the score comes from, in words (the workbook's cell note). */
  readonly note: string;
  /** The score an unverified answer gives, shown beside the mark but never added. */
  readonly given?: number;
}

/** One finding or answer a cell rests on: the workbook's Evidence sheet, row by row. */
export interface EvidenceRow {
  readonly vendor: string;
  readonly criterion: string;
  readonly kind: CriterionKind;
  /** How it counts: `live`, `documented, emulated`, `answered`, `unverified: why`, `not scored: ...`. */
  readonly status: string;
  /** The run, or null for an answer. */
  readonly run: RunFindings | null;
  readonly runId: string;
  readonly scenario: string;
  readonly target: 'mock' | 'live' | '';
  /** The finding (or `answer`). */
  readonly metric: string;
  readonly value: number;
  /** The finding's unit: the workbook shows the value as poc's summary does. */
  readonly unit: string;
  /** The band that applied, or an answer's evidence. */
  readonly rule: string;
  /** What it adds to the cell; null when it does not score. */
  readonly score: number | null;
  readonly date: string;
  /** Whether this row decided the score (aggregate worst/best/latest) or was only considered. */
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
  /** Criteria with no score (coverage = scored / scorable). */
  readonly missing: number;
  /** Criteria scored. */
  readonly scored: number;
  /** Criteria that evidence could score: every one of the catalog (a run or an answer). */
  readonly scorable: number;
  /** 3 x the weights of the scored criteria: the maximum over what was scored. */
  readonly scoredMax: number;
  /** total / scoredMax: how good the vendor is on what was measured (0 when nothing was). */
  readonly pctScored: number;
  /** Answers whose evidence is missing or a placeholder: given, not added. */
  readonly unverified: number;
  readonly areas: Readonly<Record<string, AreaTotal>>;
}

export interface Scorecard {
  readonly catalog: Catalog;
  readonly kinds: CriterionKinds;
  /** The vendors scored: those with a run or an answer, in the order asked. */
  readonly vendors: readonly string[];
  /** Vendors asked for that had no run and no answer: left out rather than ranked at 0. */
  readonly leftOut: readonly string[];
  /** criterion id -> vendor -> cell */
  readonly cells: ReadonlyMap<string, ReadonlyMap<string, Cell>>;
  /** Ranked, best first. */
  readonly totals: readonly VendorTotals[];
  readonly evidence: readonly EvidenceRow[];
  readonly runs: readonly RunFindings[];
  /** Runs behind one criterion that differ in options or target across vendors. */
  readonly incomparable: readonly Incomparable[];
  /** Every run is a mock run: no performance criterion can be scored, and the title says so. */
  readonly mockOnly: boolean;
  readonly generatedAt: string;
}

export const MAX_SCORE = 3;

function runRow(
  c: Criterion,
  vendor: string,
  kind: CriterionKind,
  h: RuleHit,
  status: string,
  scores: boolean,
  decisive: boolean,
): EvidenceRow {
  return {
    vendor,
    criterion: c.id,
    kind,
    status,
    run: h.run,
    runId: h.run.runId,
    scenario: h.run.scenario,
    target: h.run.target,
    metric: h.metric,
    value: h.value,
    unit: h.unit,
    rule: h.band,
    score: scores ? h.score : null,
    date: h.run.endedAt,
    decisive,
  };
}

function answerCell(c: Criterion, vendor: string, answers: Answers, evidence: EvidenceRow[]): Cell {
  const guide = c.manual?.guide ?? '';
  const a = answers.get(vendor)?.get(c.id);
  if (!a) return { score: null, status: 'not answered', note: `to answer in answers.yaml: ${guide}` };
  const status = a.unverified ? `unverified: ${a.unverified}` : 'answered';
  evidence.push({
    vendor,
    criterion: c.id,
    kind: 'answer',
    status,
    run: null,
    runId: '',
    scenario: '',
    target: '',
    metric: 'answer',
    value: a.score,
    unit: 'score',
    rule: a.evidence + (a.note ? ` (${a.note})` : ''),
    score: a.unverified ? null : a.score,
    date: '',
    decisive: !a.unverified,
  });
  if (a.unverified) {
    return {
      score: null,
      status: 'unverified',
      given: a.score,
      note: `unverified, not added: answered ${a.score} but ${a.unverified}; give evidence a reader can check in answers.yaml`,
    };
  }
  return {
    score: a.score,
    status: 'answered',
    note: `answered: ${a.evidence}${a.note ? ` (${a.note})` : ''}`,
  };
}

function measuredCell(
  c: Criterion,
  kind: CriterionKind,
  vendor: string,
  runs: readonly RunFindings[],
  evidence: EvidenceRow[],
  used: RunFindings[],
): Cell {
  const rule = c.measured as NonNullable<Criterion['measured']>;
  const live = runs.filter((r) => r.target === 'live');
  // Live runs are the vendor itself: where a vendor has them, they beat the emulation.
  const onLive = applyRule(rule, live);
  const result = onLive ?? (kind === 'design' ? applyRule(rule, runs) : undefined);
  if (!result) {
    const onMock = kind === 'service' ? applyRule(rule, runs) : undefined;
    if (!onMock) {
      return {
        score: null,
        status: 'not measured',
        note: `not measured: run \`poc run ${rule.scenario} --vendor ${vendor}${kind === 'service' ? ' --live' : ''}\``,
      };
    }
    for (const h of onMock.considered) {
      evidence.push(runRow(c, vendor, kind, h, 'not scored: needs a live run', false, false));
      // Shown beside other vendors' values on Evidence: it must be alike to be read side by side.
      used.push(h.run);
    }
    return {
      score: null,
      status: 'needs a live run',
      note: `needs a live run: ${c.title.toLowerCase()} is the vendor's service performance, which the emulation cannot show (the mock measured ${onMock.hit.metric} = ${formatValue(onMock.hit.value, onMock.hit.unit)}); run \`poc run ${rule.scenario} --vendor ${vendor} --live\``,
    };
  }
  const emulated = !onLive;
  for (const h of result.considered) {
    evidence.push(
      runRow(c, vendor, kind, h, emulated ? 'documented, emulated' : 'live', true, h === result.hit),
    );
    used.push(h.run);
  }
  const h = result.hit;
  const of = result.considered.length > 1 ? ` (${rule.aggregate} of ${result.considered.length} runs)` : '';
  return {
    score: h.score,
    status: emulated ? 'emulated' : 'measured',
    note: `${emulated ? 'documented, emulated: ' : ''}${h.metric} = ${formatValue(h.value, h.unit)} in run ${h.run.runId} on the ${h.run.target}: ${h.band}${of}`,
  };
}

/**
 * Totals, area subtotals, coverage and the ranking for given weights (the catalog's unless
 * overridden): the same arithmetic as the workbook's formulas, so a test can hold one against
 * the other. Ties keep the order of `vendors`.
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
    let scored = 0;
    let scoredMax = 0;
    let unverified = 0;
    const areas: Record<string, { total: number; max: number }> = {};
    for (const a of catalog.areas) areas[a.id] = { total: 0, max: 0 };
    for (const c of catalog.criteria) {
      const area = areas[c.area] as { total: number; max: number };
      area.max += MAX_SCORE * weightOf(c);
      const cell = cells.get(c.id)?.get(vendor);
      if (cell?.status === 'unverified') unverified++;
      const score = cell?.score ?? null;
      if (score === null) continue;
      scored++;
      scoredMax += MAX_SCORE * weightOf(c);
      total += weightOf(c) * score;
      area.total += weightOf(c) * score;
    }
    const scorable = catalog.criteria.length;
    return {
      vendor,
      order,
      total,
      max,
      pct: max === 0 ? 0 : total / max,
      missing: scorable - scored,
      scored,
      scorable,
      scoredMax,
      pctScored: scoredMax === 0 ? 0 : total / scoredMax,
      unverified,
      areas,
    };
  });
  rows.sort((a, b) => b.total - a.total || a.order - b.order);
  return rows.map(({ order: _order, ...r }, i) => ({ ...r, rank: i + 1 }));
}

/**
 * The scorecard: every criterion scored for every vendor that has a run or an answer, from its
 * runs (performance only from live ones) and the answers (only those with checkable evidence).
 */
export function buildScorecard(
  catalog: Catalog,
  kinds: CriterionKinds,
  answers: Answers,
  runs: readonly RunFindings[],
  asked: readonly string[],
): Scorecard {
  const byVendor = new Map<string, RunFindings[]>();
  for (const r of runs) byVendor.set(r.vendor, [...(byVendor.get(r.vendor) ?? []), r]);
  const vendors = asked.filter((v) => byVendor.has(v) || answers.has(v));
  const evidence: EvidenceRow[] = [];
  const cells = new Map<string, Map<string, Cell>>();
  const used: CriterionRuns[] = [];
  for (const c of catalog.criteria) {
    const kind = kinds.get(c.id) ?? (c.manual ? 'answer' : 'service');
    const row = new Map<string, Cell>();
    const runsOf: RunFindings[] = [];
    for (const v of vendors) {
      row.set(
        v,
        c.manual
          ? answerCell(c, v, answers, evidence)
          : measuredCell(c, kind, v, byVendor.get(v) ?? [], evidence, runsOf),
      );
    }
    if (c.measured) used.push({ criterion: c.id, scenario: c.measured.scenario, runs: runsOf });
    cells.set(c.id, row);
  }
  return {
    catalog,
    kinds,
    vendors,
    leftOut: asked.filter((v) => !vendors.includes(v)),
    cells,
    totals: rank(catalog, vendors, cells),
    evidence,
    runs: runs.filter((r) => vendors.includes(r.vendor)),
    incomparable: findIncomparable(used),
    mockOnly: runs.length > 0 && runs.every((r) => r.target === 'mock'),
    generatedAt: new Date().toISOString(),
  };
}
