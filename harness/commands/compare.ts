import { writeFile } from 'node:fs/promises';
import { compareRuns, renderComparison } from '../../reports/compare.js';
import { renderComparisonReport } from '../../reports/html-report.js';
import { VOCABULARY } from '../../scenarios/index.js';
import { outputPathProblem } from '../config/output-path.js';
import { PocError } from '../errors.js';
import { RunStore } from '../runs/run-store.js';

/** `poc compare <run-a> <run-b>`: b against a, finding by finding; --html also writes a page. */
export async function compareCommand(
  a: string,
  b: string,
  opts: { dataDir: string; json: boolean; html?: string },
): Promise<string> {
  const problem = opts.html === undefined ? undefined : outputPathProblem(opts.html);
  if (problem) throw new PocError('POC_ERR_OUTPUT_PATH', `--html: ${problem}`);
  const store = new RunStore(opts.dataDir, { mode: 'read' });
  try {
    const runA = store.get(a);
    const runB = store.get(b);
    // `latest` and id prefixes resolved once: the series are read by the full ids.
    const rows = compareRuns(runA, runB, (key) => VOCABULARY.get(key));
    if (opts.html) {
      await writeFile(
        opts.html,
        renderComparisonReport(runA, runB, rows, store.series(runA.id), store.series(runB.id)),
      );
    }
    if (opts.json) return `${JSON.stringify({ a: runA.id, b: runB.id, findings: rows }, null, 2)}\n`;
    return `${renderComparison(runA, runB, rows)}${opts.html ? `wrote ${opts.html}\n` : ''}`;
  } finally {
    store.close();
  }
}
