import { SCENARIOS } from '../../scenarios/index.js';
import { formatDuration } from '../duration.js';
import { RunStore } from '../runs/run-store.js';
import { VENDORS } from '../vendors/index.js';
import type { Documented, VendorProfile } from '../vendors/types.js';

/** `poc list scenarios|vendors|runs`. */
export async function listCommand(
  what: 'scenarios' | 'vendors' | 'runs' | 'playbooks',
  opts: { dataDir: string; json: boolean },
) {
  if (what === 'scenarios') {
    const rows = Object.values(SCENARIOS).map((s) => ({
      id: s.id,
      summary: s.summary,
      findings: Object.keys(s.findings),
    }));
    if (opts.json) return `${JSON.stringify(rows, null, 2)}\n`;
    const width = Math.max(...rows.map((r) => r.id.length));
    return rows
      .map((r) => `${r.id.padEnd(width)}  ${r.summary}\n  findings: ${r.findings.join(', ')}\n`)
      .join('');
  }
  if (what === 'vendors') {
    const profiles = Object.values(VENDORS).map((v) => v.profile);
    if (opts.json) return `${JSON.stringify(profiles, null, 2)}\n`;
    return profiles.map(describeVendor).join('\n');
  }
  const store = new RunStore(opts.dataDir, { mode: 'read' });
  try {
    if (what === 'playbooks') return listPlaybooks(store, opts);
    const runs = store.list();
    if (opts.json) return `${JSON.stringify(runs, null, 2)}\n`;
    if (runs.length === 0)
      return `no runs in ${opts.dataDir} yet; try: poc run webhook-storm --vendor hubspot\n`;
    return runs
      .map(
        (r) =>
          `${r.id}  ${r.status.padEnd(8)} ${r.scenario.padEnd(21)} ${r.vendor.padEnd(10)} ${r.target}  ${r.startedAt}${formatTags(r.tags)}\n`,
      )
      .join('');
  } finally {
    store.close();
  }
}

/** `--tag`s as they were given, after the columns every run has. */
function formatTags(tags: Readonly<Record<string, string>> | undefined): string {
  const pairs = Object.entries(tags ?? {}).map(([k, v]) => `${k}=${v}`);
  return pairs.length > 0 ? `  ${pairs.join(',')}` : '';
}

function fact<T>(d: Documented<T>, show: (v: T) => string = String): string {
  return `${show(d.value)} [${d.confidence}]`;
}

/** One vendor as procurement and engineers need it: what it supports and where that is written. */
function describeVendor(p: VendorProfile): string {
  const w = p.webhooks;
  const limits = p.rateLimits.map(
    (l) => `${l.value.requests}/${formatDuration(l.value.windowMs)} ${l.value.name} [${l.confidence}]`,
  );
  const sources = new Set(
    [p.batchMax, ...p.rateLimits, w.scheme, w.batchMax, w.retry, w.replay].map((d) => d.source),
  );
  return [
    `${p.id} — ${p.name}`,
    `  webhooks:   ${fact(w.scheme)}, up to ${fact(w.batchMax)} events per request, ${fact(w.concurrency)} in flight`,
    `  retries:    ${fact(w.retry, (r) => `${r.delaysMs.length} over ${formatDuration(r.delaysMs.reduce((a, b) => a + b, 0))}, timeout ${formatDuration(r.timeoutMs)}`)}`,
    `  replay:     ${fact(w.replay)}`,
    `  API batch:  ${fact(p.batchMax)} records per call`,
    `  limits:     ${limits.join('; ')}`,
    `  live creds: ${p.credentialsEnv.token}, ${p.credentialsEnv.webhookSecret}`,
    `  sources:    ${[...sources].join(', ')}`,
    '',
  ].join('\n');
}

/** Playbooks newest first, each with its runs counted by status (how far it got). */
function listPlaybooks(store: RunStore, opts: { dataDir: string; json: boolean }): string {
  const rows = store.playbooks().map((p) => {
    const runs = store.runsOfPlaybook(p.id);
    const byStatus: Record<string, number> = {};
    for (const r of runs) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    return { ...p, planText: undefined, runs: runs.length, byStatus };
  });
  if (opts.json)
    return `${JSON.stringify(
      rows.map(({ planText: _, ...r }) => r),
      null,
      2,
    )}\n`;
  if (rows.length === 0) return `no playbooks in ${opts.dataDir} yet; try: poc init && poc playbook\n`;
  return rows
    .map(
      (p) =>
        `${p.id}  ${p.status.padEnd(11)} ${p.vendors.length} vendor(s) x ${p.scenarios.length} scenario(s)  ${
          Object.entries(p.byStatus)
            .map(([s, n]) => `${n} ${s}`)
            .join(', ') || 'no runs'
        }  ${p.startedAt}  ${p.planPath}\n`,
    )
    .join('');
}
