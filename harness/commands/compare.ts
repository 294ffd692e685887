import { compareRuns, renderComparison } from '../../reports/compare.js';
import { RunStore } from '../runs/run-store.js';

/** `poc compare <run-a> <run-b>`: b against a, finding by finding. */
export async function compareCommand(
  a: string,
  b: string,
  opts: { dataDir: string; json: boolean },
): Promise<string> {
  const store = new RunStore(opts.dataDir);
  try {
    const runA = store.get(a);
    const runB = store.get(b);
    const rows = compareRuns(runA, runB);
    if (opts.json) return `${JSON.stringify({ a: runA.id, b: runB.id, findings: rows }, null, 2)}\n`;
    return renderComparison(runA, runB, rows);
  } finally {
    store.close();
  }
}
