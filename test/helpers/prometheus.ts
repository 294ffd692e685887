import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, stopChild } from './cli.js';

export interface PromSeries {
  readonly metric: Record<string, string>;
  readonly value?: [number, string];
  readonly values?: [number, string][];
}

export interface Prometheus {
  readonly url: string;
  /** The remote-write endpoint, as --prometheus-rw takes it. */
  readonly writeUrl: string;
  query(expr: string, time: number): Promise<PromSeries[]>;
  queryRange(expr: string, start: number, end: number, stepS: number): Promise<PromSeries[]>;
  labelValues(label: string, match: string, start: number, end: number): Promise<string[]>;
  stop(): Promise<void>;
}

/**
 * A real Prometheus (Debian's package) on a free loopback port with its remote-write receiver on,
 * scraping nothing, storing in `dir`.
 */
export async function startPrometheus(dir: string): Promise<Prometheus> {
  const port = await freePort();
  const config = join(dir, 'prometheus.yml');
  writeFileSync(config, 'global: {}\n');
  const child: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-remote-write-receiver',
      '--storage.tsdb.retention.time=1h',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.on('data', (d: Buffer) => {
    log = (log + d.toString()).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}: ${log}`);
    const ready = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      await stopChild(child);
      throw new Error(`prometheus not ready within 30 s: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  // GET as Grafana sends them: /api/v1/label/*/values takes no POST.
  const api = async <T>(path: string, params: Record<string, string>): Promise<T> => {
    const res = await fetch(`${url}${path}?${new URLSearchParams(params)}`);
    const text = await res.text();
    if (!res.headers.get('content-type')?.includes('json')) throw new Error(`${path}: ${res.status} ${text}`);
    const body = JSON.parse(text) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`${path} ${JSON.stringify(params)}: ${body.error}`);
    return body.data;
  };
  return {
    url,
    writeUrl: `${url}/api/v1/write`,
    query: async (expr, time) =>
      (await api<{ result: PromSeries[] }>('/api/v1/query', { query: expr, time: String(time / 1000) }))
        .result,
    queryRange: async (expr, start, end, stepS) =>
      (
        await api<{ result: PromSeries[] }>('/api/v1/query_range', {
          query: expr,
          start: String(start / 1000),
          end: String(end / 1000),
          step: String(stepS),
        })
      ).result,
    labelValues: (label, match, start, end) =>
      api<string[]>(`/api/v1/label/${label}/values`, {
        'match[]': match,
        start: String(start / 1000),
        end: String(end / 1000),
      }),
    stop: () => stopChild(child),
  };
}

/** Grafana's variables as it fills them in for one run over [start, end] (ms). */
export interface GrafanaVariables {
  readonly values: Readonly<Record<string, string>>;
  readonly start: number;
  readonly end: number;
  /** The panel's step, what Grafana calls $__interval. */
  readonly stepS: number;
  /** The datasource's scrape interval (jsonData.timeInterval). */
  readonly scrapeS: number;
}

/** Regex metacharacters escaped, as Grafana does for a value used with =~. */
const regexEscape = (v: string) => v.replace(/[\\^$*+?.()|[\]{}]/g, '\\$&');

/**
 * Interpolates a dashboard expression the way Grafana does: $__rate_interval is
 * max($__interval + scrape interval, 4 x scrape interval), $__range the dashboard's range; user
 * variables regex-escaped. Throws on a variable it does not know, so no `$` reaches Prometheus.
 */
export function fillVariables(expr: string, v: GrafanaVariables): string {
  const rangeS = Math.ceil((v.end - v.start) / 1000);
  const builtIn: Record<string, string> = {
    __rate_interval: `${Math.max(v.stepS + v.scrapeS, 4 * v.scrapeS)}s`,
    __interval: `${v.stepS}s`,
    __interval_ms: String(v.stepS * 1000),
    __range: `${rangeS}s`,
    __range_s: String(rangeS),
    __range_ms: String(rangeS * 1000),
  };
  return expr.replace(/\$\{(\w+)\}|\$(\w+)|\[\[(\w+)\]\]/g, (_m, a, b, c) => {
    const name = (a ?? b ?? c) as string;
    const value = builtIn[name] ?? (name in v.values ? regexEscape(v.values[name] as string) : undefined);
    if (value === undefined) throw new Error(`unknown variable $${name} in ${expr}`);
    return value;
  });
}

/** `label_values(selector, label)` as Grafana sends it to Prometheus. */
export function parseLabelValues(query: string): { match: string; label: string } {
  const m = /^label_values\((.*),\s*(\w+)\s*\)$/.exec(query.trim());
  if (!m) throw new Error(`not a label_values(selector, label) query: ${query}`);
  return { match: m[1] as string, label: m[2] as string };
}
