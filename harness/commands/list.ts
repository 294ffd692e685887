import { SCENARIOS } from '../../scenarios/index.js';
import { RunStore } from '../runs/run-store.js';
import { VENDORS } from '../vendors/index.js';

/** `poc list scenarios|vendors|runs`. */
export async function listCommand(
  what: 'scenarios' | 'vendors' | 'runs',
  opts: { dataDir: string; json: boolean },
) {
  if (what === 'scenarios') {
    const rows = Object.values(SCENARIOS).map((s) => ({
      id: s.id,
      summary: s.summary,
      findings: s.findingKeys,
    }));
    if (opts.json) return `${JSON.stringify(rows, null, 2)}\n`;
    return rows
      .map((r) => `${r.id.padEnd(16)} ${r.summary}\n  findings: ${r.findings.join(', ')}\n`)
      .join('');
  }
  if (what === 'vendors') {
    const rows = Object.values(VENDORS).map((v) => ({
      id: v.profile.id,
      name: v.profile.name,
      webhooks: v.profile.webhooks.scheme.value,
      replay: v.profile.webhooks.replay.value,
      env: v.profile.credentialsEnv,
    }));
    if (opts.json) return `${JSON.stringify(rows, null, 2)}\n`;
    return rows
      .map(
        (r) =>
          `${r.id.padEnd(12)} ${r.name.padEnd(12)} webhooks: ${r.webhooks}, replay: ${r.replay}; live credentials: ${r.env.token}, ${r.env.webhookSecret}\n`,
      )
      .join('');
  }
  const store = new RunStore(opts.dataDir);
  try {
    const runs = store.list();
    if (opts.json) return `${JSON.stringify(runs, null, 2)}\n`;
    if (runs.length === 0)
      return `no runs in ${opts.dataDir} yet; try: poc run webhook-storm --vendor hubspot\n`;
    return runs
      .map(
        (r) =>
          `${r.id}  ${r.status.padEnd(8)} ${r.scenario.padEnd(16)} ${r.vendor.padEnd(10)} ${r.target}  ${r.startedAt}\n`,
      )
      .join('');
  } finally {
    store.close();
  }
}
