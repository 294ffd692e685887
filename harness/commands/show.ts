import { renderResults } from '../../reports/summary.js';
import { RunStore } from '../runs/run-store.js';

/** `poc show <run-id>`: the stored run, as a table or JSON. */
export async function showCommand(runId: string, opts: { dataDir: string; json: boolean }): Promise<string> {
  const store = new RunStore(opts.dataDir, { mode: 'read' });
  try {
    const run = store.get(runId);
    if (opts.json) return `${JSON.stringify(run, null, 2)}\n`;
    const lines = [
      `run:      ${run.id}`,
      `scenario: ${run.scenario}`,
      `vendor:   ${run.vendor} (target: ${run.target})`,
      `status:   ${run.status}`,
      `started:  ${run.startedAt}`,
      `ended:    ${run.endedAt ?? '-'}`,
      `config:   ${JSON.stringify(run.config)}`,
      '',
      renderResults(run),
    ];
    return `${lines.join('\n')}\n`;
  } finally {
    store.close();
  }
}
