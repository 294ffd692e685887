import { join } from 'node:path';
import { scorecardTitle } from '../../scorecards/headline.js';
import type { Scorecard } from '../../scorecards/model.js';
import { PocError } from '../errors.js';
import type { RunStore } from '../runs/run-store.js';
import { writeScorecard } from './scorecard.js';

export interface ScorecardSummary {
  readonly path: string;
  readonly title: string;
  readonly text: string;
  readonly totals: readonly {
    vendor: string;
    rank: number;
    total: number;
    max: number;
    pct: number;
    scored: number;
    scorable: number;
  }[];
  /** Per scenario, the findings the scorecard's criteria read: the overview's rows. */
  readonly headlines: ReadonlyMap<string, readonly string[]>;
}

/** The runs of a playbook a scorecard may rest on: the finished ones (a failed run still measured). */
export function finishedRunsOfPlaybook(store: RunStore, playbookId: string): string[] {
  return store
    .runsOfPlaybook(playbookId)
    .filter((r) => r.status === 'passed' || r.status === 'failed')
    .map((r) => r.id);
}

/**
 * The scorecard of exactly one playbook's finished runs, never another run of the data dir:
 * `poc playbook` builds it at the end, `poc scorecard --playbook <id>` again later.
 */
export async function playbookScorecard(options: {
  readonly dataDir: string;
  readonly runIds: readonly string[];
  readonly vendors: readonly string[];
  readonly weights?: string | undefined;
  readonly answers?: string | undefined;
  readonly dir: string;
  readonly file: string;
}): Promise<ScorecardSummary> {
  if (options.runIds.length === 0)
    throw new PocError('POC_ERR_BAD_OPTION', 'no run of the playbook finished, so nothing can be scored');
  const path = join(options.dir, options.file);
  const written = await writeScorecard({
    dataDir: options.dataDir,
    runIds: options.runIds,
    vendors: options.vendors,
    ...(options.weights ? { weightsPath: options.weights } : {}),
    ...(options.answers ? { answersPath: options.answers } : {}),
    out: path,
  });
  return {
    path,
    title: scorecardTitle(written.card),
    text: written.text,
    totals: written.card.totals.map((t) => ({
      vendor: t.vendor,
      rank: t.rank,
      total: t.total,
      max: t.max,
      pct: t.pct,
      scored: t.scored,
      scorable: t.scorable,
    })),
    headlines: headlinesOf(written.card),
  };
}

function headlinesOf(card: Scorecard): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const c of card.catalog.criteria) {
    if (!c.measured) continue;
    const keys = c.measured.finding ? [c.measured.finding] : c.measured.ratio ? [c.measured.ratio.of] : [];
    const list = rows.get(c.measured.scenario) ?? [];
    for (const k of keys) if (!list.includes(k)) list.push(k);
    rows.set(c.measured.scenario, list);
  }
  return rows;
}
