import { PocError } from '../harness/errors.js';
import type { Finding } from '../harness/runs/findings.js';
import type { RunStore } from '../harness/runs/run-store.js';
import type { Catalog } from './catalog.js';
import { comparableOptions } from './comparability.js';
import type { RunFindings } from './rules.js';

const FINISHED = new Set(['passed', 'failed']);

/**
 * The runs a scorecard rests on. `latest`: for each vendor, the newest finished run of every
 * scenario the catalog measures, on the mock and on the live target each (a failed run still
 * measured something; an aborted or broken one did not), so a newer mock run never hides the
 * live one that alone can score performance. Otherwise exactly the run ids given. Runs of
 * different sizes are not mixed silently: the scorecard flags them (comparability.ts).
 */
export function selectRuns(
  store: RunStore,
  catalog: Catalog,
  selection: 'latest' | readonly string[],
  vendors: readonly string[] | undefined,
): RunFindings[] {
  const wanted = vendors ? new Set(vendors) : undefined;
  let ids: string[];
  if (selection === 'latest') {
    const scenarios = new Set(catalog.criteria.flatMap((c) => (c.measured ? [c.measured.scenario] : [])));
    const seen = new Set<string>();
    ids = [];
    // Newest first: the first finished run of each vendor x scenario is its latest.
    for (const run of store.list(1_000_000)) {
      const key = `${run.vendor}\u0000${run.scenario}\u0000${run.target}`;
      if (!FINISHED.has(run.status) || !scenarios.has(run.scenario) || seen.has(key)) continue;
      if (wanted && !wanted.has(run.vendor)) continue;
      seen.add(key);
      ids.push(run.id);
    }
  } else ids = [...selection];
  return ids
    .map((id) => {
      const run = store.get(id);
      if (selection !== 'latest' && !FINISHED.has(run.status)) {
        throw new PocError(
          'POC_ERR_BAD_OPTION',
          `--runs: run ${id} is ${run.status}; only finished runs (passed or failed) measured anything`,
        );
      }
      return {
        runId: run.id,
        scenario: run.scenario,
        vendor: run.vendor,
        target: run.target,
        endedAt: run.endedAt ?? run.startedAt,
        findings: new Map<string, Finding>(run.findings.map((f) => [f.key, f])),
        options: comparableOptions(run.config),
      };
    })
    .filter((r) => !wanted || wanted.has(r.vendor));
}
