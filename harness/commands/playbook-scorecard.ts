import { join } from 'node:path';
import { SCENARIOS } from '../../scenarios/index.js';
import { defaultCatalogPath, loadCatalog } from '../../scorecards/catalog.js';
import type { Plan } from '../config/plan-file.js';
import { PocError } from '../errors.js';
import type { PlaybookOutcome } from '../playbook/execute.js';
import { scorecardCommand } from './scorecard.js';

export interface ScorecardSummary {
  readonly path: string;
  readonly title: string;
  readonly text: string;
  readonly totals: readonly { vendor: string; rank: number; pct: number; scored: number; scorable: number }[];
  /** Per scenario, the findings the scorecard's criteria read: the overview's rows. */
  readonly headlines: ReadonlyMap<string, readonly string[]>;
}

/** The scorecard of exactly the playbook's finished runs (never another run of the data dir). */
export async function playbookScorecard(plan: Plan, outcome: PlaybookOutcome): Promise<ScorecardSummary> {
  const runIds = outcome.cells.flatMap((c) =>
    c.runId && (c.status === 'passed' || c.status === 'failed') ? [c.runId] : [],
  );
  if (runIds.length === 0) throw new PocError('POC_ERR_BAD_OPTION', 'no run of the playbook finished');
  const path = join(plan.outputs.dir, plan.outputs.scorecard);
  const text = await scorecardCommand({
    runs: runIds.join(','),
    ...(plan.scorecard.weights ? { weights: plan.scorecard.weights } : {}),
    ...(plan.scorecard.answers ? { answers: plan.scorecard.answers } : {}),
    vendors: [...new Set(outcome.cells.map((c) => c.vendor))].join(','),
    out: path,
    dataDir: plan.dataDir,
  });
  return { path, title: 'Scorecard', text, totals: [], headlines: headlinesOf(plan.scorecard.weights) };
}

function headlinesOf(weights: string | undefined): Map<string, string[]> {
  const catalog = loadCatalog(weights ?? defaultCatalogPath(), (s) => {
    const found = SCENARIOS[s];
    return found ? Object.keys(found.findings) : undefined;
  });
  const rows = new Map<string, string[]>();
  for (const c of catalog.criteria) {
    if (!c.measured) continue;
    const keys = c.measured.finding ? [c.measured.finding] : c.measured.ratio ? [c.measured.ratio.of] : [];
    const list = rows.get(c.measured.scenario) ?? [];
    for (const k of keys) if (!list.includes(k)) list.push(k);
    rows.set(c.measured.scenario, list);
  }
  return rows;
}
