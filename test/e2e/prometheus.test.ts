import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, runCli } from '../helpers/cli.js';
import { requireTools } from '../helpers/libreoffice.js';
import {
  fillVariables,
  type Prometheus,
  type PromSeries,
  parseLabelValues,
  startPrometheus,
} from '../helpers/prometheus.js';
import { tempDir } from '../helpers/servers.js';

const DASHBOARDS = join(import.meta.dirname, '../../reports/grafana/dashboards');
const VENDOR = 'hubspot';
// The datasource's timeInterval in reports/grafana/provisioning: the default push interval.
const SCRAPE_S = 5;
const STEP_S = 5;

/** A short run of every scenario that has a dashboard, so each dashboard's queries have data. */
const RUNS: Record<string, readonly string[]> = {
  'webhook-storm': ['--rate', '300', '--duration', '5s'],
  'rate-limit-probe': ['--max-requests', '300'],
  'replay-backfill': ['--history', '1d', '--changes', '2000', '--outage', '1m', '--outage-changes', '200'],
  'signature-check': [],
  'observability-mapping': [],
};

interface Run {
  readonly runId: string;
  readonly start: number;
  readonly end: number;
  readonly findings: Record<string, { value: number }>;
}

interface Target {
  readonly expr: string;
  readonly instant?: boolean;
}
interface Panel {
  readonly title: string;
  readonly type: string;
  readonly targets?: Target[];
  readonly panels?: Panel[];
}
interface Dashboard {
  readonly title: string;
  readonly panels: Panel[];
  readonly templating: { list: { name: string; type: string; query: unknown }[] };
}

function panelsOf(panels: readonly Panel[]): Panel[] {
  return panels.flatMap((p) => [p, ...panelsOf(p.panels ?? [])]);
}

const finite = (s: PromSeries) =>
  [...(s.values ?? []), ...(s.value ? [s.value] : [])].some(([, v]) => Number.isFinite(Number(v)));

const dashboardFiles = readdirSync(DASHBOARDS).filter((f) => f.endsWith('.json'));

describe.runIf(requireTools(['prometheus'], 'prometheus'))(
  'poc run --prometheus-rw into a real Prometheus, and every Grafana panel query over it',
  () => {
    const dir = tempDir('poc-prometheus-');
    const runs = new Map<string, Run>();
    let prom: Prometheus;

    beforeAll(async () => {
      prom = await startPrometheus(dir.path);
      for (const [scenario, extra] of Object.entries(RUNS)) {
        const start = Date.now();
        const result = await runCli([
          'run',
          scenario,
          '--vendor',
          VENDOR,
          ...extra,
          '--prometheus-rw',
          prom.writeUrl,
          '--json',
          '--data-dir',
          join(dir.path, 'poc'),
        ]);
        expect(result.code, `${scenario}: ${result.stderr}`).toBe(0);
        // A push that failed is logged (once per kind): none may have.
        expect(result.stderr).not.toMatch(/remote-write/);
        const json = JSON.parse(result.stdout) as { runId: string; findings: Run['findings'] };
        runs.set(scenario, { runId: json.runId, start, end: Date.now(), findings: json.findings });
      }
    }, 300_000);

    afterAll(async () => {
      await prom?.stop();
      dir.remove();
    });

    it('the storm lands with run_id, vendor, scenario and target on every series, its totals exact', async () => {
      const storm = runs.get('webhook-storm') as Run;
      const at = Date.now();
      const all = await prom.query(`count({run_id="${storm.runId}"})`, at);
      expect(Number(all[0]?.value?.[1])).toBeGreaterThan(20);
      const unlabelled = await prom.query(
        `{run_id="${storm.runId}"} unless {vendor="${VENDOR}", scenario="webhook-storm", target="mock"}`,
        at,
      );
      expect(unlabelled).toEqual([]);
      // The final flush carries the end of the run: the totals equal what the storm reports.
      const received = await prom.query(`poc_webhook_receiver_events_total{run_id="${storm.runId}"}`, at);
      expect(Number(received[0]?.value?.[1])).toBe(storm.findings['webhook.events_received_count']?.value);
      expect(Number(received[0]?.value?.[1])).toBeGreaterThanOrEqual(1400);
      const loss = await prom.query(
        `poc_run_finding{run_id="${storm.runId}", finding="webhook.loss_count", unit="events"}`,
        at,
      );
      expect(Number(loss[0]?.value?.[1])).toBe(storm.findings['webhook.loss_count']?.value);
      // Counters as _total, histograms as _bucket/_sum/_count, in seconds.
      const names = await prom.labelValues('__name__', `{run_id="${storm.runId}"}`, storm.start, at);
      expect(names).toEqual(
        expect.arrayContaining([
          'poc_webhook_receiver_requests_total',
          'poc_vendor_api_requests_total',
          'poc_webhook_delivery_latency_seconds_bucket',
          'poc_webhook_delivery_latency_seconds_sum',
          'poc_webhook_delivery_latency_seconds_count',
          'poc_webhook_queue_depth',
          'poc_run_check_passed',
        ]),
      );
      // The prefix keeps a run apart from a team's own receiver metrics in a shared Prometheus.
      expect(names.filter((n) => !n.startsWith('poc_'))).toEqual([]);
    });

    it.each(dashboardFiles)(
      '%s: every variable lists the run and every panel query returns data for it',
      async (file) => {
        const dashboard = JSON.parse(readFileSync(join(DASHBOARDS, file), 'utf8')) as Dashboard;
        const scenario = file === 'overview.json' ? 'webhook-storm' : file.replace(/\.json$/, '');
        const run = runs.get(scenario);
        if (!run)
          throw new Error(`${file}: no run of "${scenario}" in RUNS; add one so its queries are checked`);
        // As someone opening the dashboard after the run: a run shorter than a step still gets one.
        const end = Math.max(Date.now(), run.end + 2 * STEP_S * 1000);
        const vars = {
          values: { vendor: VENDOR, scenario, run_id: run.runId },
          start: run.start - 5_000,
          end,
          stepS: STEP_S,
          scrapeS: SCRAPE_S,
        };
        const failures: string[] = [];

        for (const v of dashboard.templating.list) {
          if (v.type !== 'query') continue;
          const { match, label } = parseLabelValues(String(v.query));
          const expected = vars.values[label as keyof typeof vars.values];
          const listed = await prom.labelValues(label, fillVariables(match, vars), vars.start, end);
          if (!listed.includes(expected))
            failures.push(`variable $${v.name}: ${expected} not in [${listed}]`);
        }

        let queries = 0;
        for (const panel of panelsOf(dashboard.panels)) {
          for (const target of panel.targets ?? []) {
            queries++;
            const expr = fillVariables(target.expr, vars);
            const result = target.instant
              ? await prom.query(expr, end)
              : await prom.queryRange(expr, vars.start, end, STEP_S);
            const where = `${dashboard.title} / "${panel.title}": ${target.expr}`;
            if (result.length === 0) failures.push(`${where} -> no data`);
            else if (!result.some(finite)) failures.push(`${where} -> only NaN`);
            else if (result.some((s) => s.metric.run_id !== run.runId))
              failures.push(`${where} -> series without run_id=${run.runId}`);
          }
        }
        expect(queries).toBeGreaterThan(4);
        expect(failures).toEqual([]);
      },
    );

    it('an unreachable endpoint is logged once and never fails the run', async () => {
      const closed = await freePort();
      const result = await runCli([
        'run',
        'signature-check',
        '--vendor',
        VENDOR,
        '--prometheus-rw',
        `http://127.0.0.1:${closed}/api/v1/write`,
        '--prometheus-rw-interval',
        '200ms',
        '--data-dir',
        join(dir.path, 'poc-unreachable'),
      ]);
      expect(result.code, result.stderr).toBe(0);
      const warnings = result.stderr.split('\n').filter((l) => l.includes('remote-write: push failed'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain('ECONNREFUSED');
      expect(result.stderr).toMatch(/"failures":\d+/);
    });
  },
);

describe('--prometheus-rw is validated before anything starts', () => {
  it.each([
    ['not a url', /--prometheus-rw \(or POC_PROMETHEUS_RW_URL\): not a URL/],
    ['ftp://127.0.0.1/write', /must be an http:\/\/ or https:\/\/ URL, not ftp:/],
    ['http://user:hunter2@127.0.0.1:9090/api/v1/write', /credentials do not belong in the URL/],
  ])('%s', async (url, message) => {
    const result = await runCli(['run', 'webhook-storm', '--vendor', VENDOR, '--prometheus-rw', url]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('POC_ERR_BAD_OPTION');
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toContain('hunter2');
  });

  it('reads POC_PROMETHEUS_RW_URL like the flag', async () => {
    const result = await runCli(['run', 'webhook-storm', '--vendor', VENDOR], {
      env: { POC_PROMETHEUS_RW_URL: 'nope' },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--prometheus-rw \(or POC_PROMETHEUS_RW_URL\): not a URL/);
  });
});
