import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderRunReport } from '../../reports/html-report.js';
import { summaryJson } from '../../reports/summary.js';
import type { RunOutcome } from '../runs/outcome.js';
import { RunStore } from '../runs/run-store.js';

/**
 * The files every run leaves next to its data, whoever started it (`poc run`, `poc playbook`):
 * summary.json, and report.html from what the run store kept. A report that cannot be written
 * must not cost the run its summary or its exit code: it is a warning, and `report` is absent.
 */
export async function writeRunFiles(
  dataDir: string,
  outcome: RunOutcome & { readonly stopReason?: string },
): Promise<{ readonly json: string; readonly report?: string }> {
  const json = summaryJson(outcome);
  await writeFile(join(outcome.runDir, 'summary.json'), `${json}\n`).catch(() => undefined);
  const report = join(outcome.runDir, 'report.html');
  try {
    const store = new RunStore(dataDir, { mode: 'read' });
    try {
      await writeFile(report, renderRunReport(store.get(outcome.runId), store.series(outcome.runId)));
    } finally {
      store.close();
    }
    return { json, report };
  } catch {
    process.stderr.write(`warning: could not write ${report}\n`);
    return { json };
  }
}
