import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { poc, runCli } from '../helpers/cli.js';
import { requireTools } from '../helpers/libreoffice.js';
import { startPrometheus } from '../helpers/prometheus.js';
import { tempDir } from '../helpers/servers.js';

interface SummaryJson {
  runId: string;
  status: string;
  stopReason?: string;
  findings: Record<string, { value: number; unit: string }>;
  checks: { key: string; op: string; threshold: number; value: number | null; passed: boolean }[];
  notes: string[];
}

interface StoredRun {
  id: string;
  status: string;
  startedAt: string;
  endedAt: string;
  notes: string[];
  tags: Record<string, string>;
  config: Record<string, unknown>;
  findings: { key: string; value: number }[];
}

const data = tempDir('poc-k6-');
afterAll(() => data.remove());

async function show(runId: string): Promise<StoredRun> {
  const shown = await runCli(poc`show ${runId} --json --data-dir ${data.path}`);
  expect(shown.code, shown.stderr).toBe(0);
  return JSON.parse(shown.stdout) as StoredRun;
}

const recordedMs = (run: StoredRun) => Date.parse(run.endedAt) - Date.parse(run.startedAt);

describe('k6 habits through the CLI', () => {
  it('abortOnFail stops a long storm at the first breach: failed, exit 99, what was measured kept', async () => {
    const result = await runCli(
      poc`run webhook-storm --vendor hubspot --rate 200 --duration 60s --grace 5s --json --data-dir ${data.path}
          --threshold ${'webhook.events_received_count: count<50, abortOnFail'}
          --threshold ${'webhook.latency_p99_ms: p(99)<10m'}`,
    );
    expect(result.code, result.stderr).toBe(99);
    const json = JSON.parse(result.stdout) as SummaryJson;
    expect(json.status).toBe('failed');
    expect(json.stopReason).toMatch(
      /^threshold webhook\.events_received_count<50 breached at [\d.]+m?s into the run \(webhook\.events_received_count was \d+\); abortOnFail stopped it$/,
    );
    const breached = json.checks.find((c) => c.key === 'webhook.events_received_count');
    expect(breached).toMatchObject({ op: '<', threshold: 50, passed: false });
    expect(breached?.value).toBeGreaterThanOrEqual(50);
    // The other threshold was judged on what was measured, not dropped.
    expect(json.checks.find((c) => c.key === 'webhook.latency_p99_ms')).toMatchObject({ threshold: 600_000 });
    expect(json.findings['webhook.events_sent_count']?.value).toBeGreaterThan(0);
    const stored = await show(json.runId);
    expect(stored.status).toBe('failed');
    expect(stored.notes.some((n) => n.startsWith(`stopped early: ${json.stopReason}`))).toBe(true);
    expect(stored.findings.find((f) => f.key === 'webhook.events_sent_count')?.value).toBe(
      json.findings['webhook.events_sent_count']?.value,
    );
    // Stopped well before the 60 s it was asked for (set-up and the short drain included).
    expect(recordedMs(stored)).toBeLessThan(30_000);
  });

  it('a threshold without abortOnFail lets the storm run to its end, then fails it', async () => {
    const result = await runCli(
      poc`run webhook-storm --vendor hubspot --rate 200 --duration 3s --grace 5s --json --data-dir ${data.path}
          --threshold ${'webhook.events_received_count: count<50'}`,
    );
    expect(result.code, result.stderr).toBe(99);
    const json = JSON.parse(result.stdout) as SummaryJson;
    expect(json.status).toBe('failed');
    expect(json).not.toHaveProperty('stopReason');
    expect(json.notes.join('\n')).not.toContain('stopped early');
    // The whole 3 s at 200 events/s was sent (a few writes may miss the window).
    expect(json.findings['webhook.events_sent_count']?.value).toBeGreaterThanOrEqual(500);
    expect(recordedMs(await show(json.runId))).toBeGreaterThanOrEqual(3000);
  });

  it('refuses abortOnFail on a finding known only at the end, before anything runs', async () => {
    const result = await runCli(
      poc`run webhook-storm --vendor hubspot --data-dir ${data.path} --threshold ${'webhook.achieved_rate_ratio: value>0.9, abortOnFail'}`,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('POC_ERR_BAD_THRESHOLD');
    expect(result.stderr).toContain('findings that can: webhook.events_sent_count');
  });

  it('takes its options from POC_* variables, tags the run, and exports the summary', async () => {
    const exported = join(data.path, 'summary-export.json');
    const result = await runCli(
      poc`run webhook-storm --vendor hubspot --json --data-dir ${data.path} --tag team=integrations --summary-export ${exported}`,
      {
        env: {
          POC_RATE: '150',
          POC_DURATION: '1s',
          POC_GRACE: '5s',
          POC_TAG: 'ignored=because-the-flag-wins',
        },
      },
    );
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as SummaryJson;
    expect(json.findings['webhook.target_rate_per_s']?.value).toBe(150);
    expect(readFileSync(exported, 'utf8')).toBe(result.stdout);
    const stored = await show(json.runId);
    expect(stored.tags).toEqual({ team: 'integrations' });
    expect(stored.config).toMatchObject({
      tags: { team: 'integrations' },
      options: { rate: 150, duration: 1000 },
    });
    const list = await runCli(poc`list runs --json --data-dir ${data.path}`);
    const rows = JSON.parse(list.stdout) as { id: string; tags: Record<string, string> }[];
    expect(rows.find((r) => r.id === json.runId)?.tags).toEqual({ team: 'integrations' });
    const text = await runCli(poc`list runs --data-dir ${data.path}`);
    expect(text.stdout.split('\n').find((l) => l.startsWith(json.runId))).toMatch(/ {2}team=integrations$/);
  });

  it('names a bad variable, a bad tag and an unwritable export before anything runs', async () => {
    const before = JSON.parse(
      (await runCli(poc`list runs --json --data-dir ${data.path}`)).stdout,
    ) as unknown[];
    const rate = await runCli(poc`run webhook-storm --vendor hubspot --data-dir ${data.path}`, {
      env: { POC_RATE: 'fast' },
    });
    expect(rate.code).toBe(2);
    expect(rate.stderr).toContain('--rate (or POC_RATE): "fast" is not a number');
    const bad = await runCli(
      poc`run webhook-storm --vendor hubspot --data-dir ${data.path} --tag vendor=x --summary-export ${join(data.path, 'no-such-dir', 's.json')}`,
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--tag: "vendor" is a label poc or Prometheus already sets');
    expect(bad.stderr).toContain('--summary-export: ');
    expect(bad.stderr).toContain('no-such-dir does not exist');
    const after = JSON.parse(
      (await runCli(poc`list runs --json --data-dir ${data.path}`)).stdout,
    ) as unknown[];
    expect(after).toHaveLength(before.length);
  });

  it('documents the threshold grammar and every variable in help', async () => {
    const help = await runCli(['run', 'webhook-storm', '--help']);
    expect(help.stdout).toContain('<finding>: <aggregation><op><number>[unit]');
    expect(help.stdout).toContain('abortOnFail applies to the findings reported during the run');
    expect(help.stdout).toMatch(/--rate <events\/s>[\s\S]*?\(env:\s+POC_RATE\)/);
    expect(help.stdout).toMatch(/--prometheus-rw <url>[\s\S]*?\(env:\s+POC_PROMETHEUS_RW_URL\)/);
    const probe = await runCli(['run', 'signature-check', '--help']);
    expect(probe.stdout).toContain('so none can stop it');
  });
});

describe.runIf(requireTools(['prometheus'], 'prometheus'))('--tag in a real Prometheus', () => {
  it('labels every series of the run', async () => {
    const dir = join(data.path, 'prom');
    mkdirSync(dir);
    const prom = await startPrometheus(dir);
    try {
      const result = await runCli(
        poc`run webhook-storm --vendor hubspot --rate 200 --duration 2s --grace 5s --json --data-dir ${data.path}
            --tag team=integrations --tag poc_env=ci --prometheus-rw ${prom.writeUrl} --prometheus-rw-interval 500ms`,
      );
      expect(result.code, result.stderr).toBe(0);
      const { runId } = JSON.parse(result.stdout) as SummaryJson;
      const at = Date.now();
      const tagged = await prom.query(`count({run_id="${runId}", team="integrations", poc_env="ci"})`, at);
      expect(Number(tagged[0]?.value?.[1])).toBeGreaterThan(20);
      expect(await prom.query(`{run_id="${runId}"} unless {team="integrations", poc_env="ci"}`, at)).toEqual(
        [],
      );
    } finally {
      await prom.stop();
    }
  });
});
