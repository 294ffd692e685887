import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderRunReport } from '../../reports/html-report.js';
import { renderJunit } from '../../reports/junit.js';
import { createProgressPrinter } from '../../reports/progress.js';
import { renderSummary, summaryJson } from '../../reports/summary.js';
import { getScenario } from '../../scenarios/index.js';
import { parseDuration } from '../duration.js';
import { EXIT, type ExitCode, PocError } from '../errors.js';
import { createLogger } from '../log.js';
import { executeRun, type PrometheusRwOptions } from '../runner.js';
import { RunStore } from '../runs/run-store.js';
import { parseThreshold } from '../runs/thresholds.js';
import { parseFaults } from '../targets/faults.js';
import { getVendor } from '../vendors/index.js';

export interface RunFlags {
  vendor: string;
  live: boolean;
  rate?: number;
  duration: string;
  grace: string;
  timeScale?: number;
  fault: string[];
  threshold: string[];
  json: boolean;
  dataDir: string;
  receiverPort: number;
  publicUrl?: string;
  maxRequests?: number;
  maxQuotaShare?: number;
  receiverUrl?: string;
  junit?: string;
  poolSize?: number;
  apiShare?: number;
  maxWait?: string;
  history?: string;
  outage?: string;
  changes?: number;
  outageChanges?: number;
  prometheusRw?: string;
  prometheusRwInterval?: string;
}

/**
 * `poc run`: validate everything up front, run, print, and say which exit code it earned.
 * `signal` aborts the run (Ctrl-C): the load stops and what was measured is kept.
 */
export async function runCommand(
  scenarioId: string,
  flags: RunFlags,
  signal: AbortSignal,
): Promise<ExitCode> {
  const scenario = getScenario(scenarioId);
  const vendor = getVendor(flags.vendor);
  const thresholds = flags.threshold.map((t) => parseThreshold(t, scenario.findingKeys));
  if (flags.live && flags.fault.length > 0) {
    throw new PocError(
      'POC_ERR_BAD_OPTION',
      '--fault: faults are injected by the mock; drop --fault or --live',
    );
  }
  parseFaults(flags.fault); // fail on a bad spec here, before anything starts
  if (flags.live && scenario.receivesWebhooks) requirePublicUrl(flags.publicUrl, vendor.profile.id);
  const parsed = scenario.options.safeParse({
    ...(flags.rate === undefined ? {} : { rate: flags.rate }),
    ...(flags.maxRequests === undefined ? {} : { maxRequests: Math.floor(flags.maxRequests) }),
    ...(flags.receiverUrl === undefined ? {} : { receiverUrl: flags.receiverUrl }),
    ...(flags.poolSize === undefined ? {} : { poolSize: Math.floor(flags.poolSize) }),
    ...(flags.apiShare === undefined ? {} : { apiShare: flags.apiShare }),
    ...(flags.maxWait === undefined ? {} : { maxWaitMs: parseDuration(flags.maxWait, '--max-wait') }),
    ...(flags.history === undefined ? {} : { historyMs: parseDuration(flags.history, '--history') }),
    ...(flags.outage === undefined ? {} : { outageMs: parseDuration(flags.outage, '--outage') }),
    ...(flags.changes === undefined ? {} : { changes: Math.floor(flags.changes) }),
    ...(flags.outageChanges === undefined ? {} : { outageChanges: Math.floor(flags.outageChanges) }),
    durationMs: parseDuration(flags.duration, '--duration'),
    graceMs: parseDuration(flags.grace, '--grace'),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PocError(
      'POC_ERR_BAD_OPTION',
      `--${flagName(String(issue?.path[0] ?? 'option'))}: ${issue?.message ?? 'invalid'}`,
    );
  }

  const prometheusRw = await remoteWrite(flags);
  const timeScale = flags.timeScale ?? scenario.defaultTimeScale ?? 100;
  const progress = createProgressPrinter();
  try {
    const outcome = await executeRun({
      scenario,
      scenarioOptions: parsed.data,
      vendor,
      live: flags.live,
      faults: flags.fault,
      timeScale,
      thresholds,
      dataDir: flags.dataDir,
      receiverPort: flags.receiverPort,
      publicUrl: flags.publicUrl,
      maxRequests: flags.maxRequests,
      // A live vendor's daily quota is shared with real integrations: spend a fifth at most by default.
      maxQuotaShare: flags.maxQuotaShare ?? (flags.live ? 0.2 : undefined),
      prometheusRw,
      config: {
        scenario: scenario.id,
        vendor: vendor.profile.id,
        live: flags.live,
        options: parsed.data,
        faults: flags.fault,
        timeScale,
        thresholds: flags.threshold,
        ...(prometheusRw ? { prometheusRw: prometheusRw.url } : {}),
      },
      log: createLogger(),
      signal,
      onProgress: (p) => progress.update(p),
      ...(process.env.POC_MOCK_SETTINGS
        ? { mockEnv: { POC_MOCK_SETTINGS: process.env.POC_MOCK_SETTINGS } }
        : {}),
    });
    progress.stop();
    const json = summaryJson(outcome);
    // Every run leaves its summary next to its data; --junit puts the checks where CI looks.
    await writeFile(join(outcome.runDir, 'summary.json'), `${json}\n`).catch(() => undefined);
    // A report that cannot be written must not cost the run its summary or exit code.
    const report = join(outcome.runDir, 'report.html');
    let reported = false;
    try {
      await writeFile(report, runReport(flags.dataDir, outcome.runId));
      reported = true;
    } catch {
      process.stderr.write(`warning: could not write ${report}\n`);
    }
    if (flags.junit) await writeFile(flags.junit, renderJunit(outcome));
    const text = `${renderSummary(outcome)}${reported ? `\nreport:   ${report} (charts over time; opens offline)` : ''}`;
    process.stdout.write(`${flags.json ? json : text}\n`);
    if (outcome.status === 'aborted') return EXIT.interrupted;
    return outcome.status === 'passed' ? EXIT.ok : EXIT.thresholds;
  } finally {
    progress.stop();
  }
}

/** The run's self-contained HTML report, from what the run store kept (findings and series). */
function runReport(dataDir: string, runId: string): string {
  const store = new RunStore(dataDir);
  try {
    return renderRunReport(store.get(runId), store.series(runId));
  } finally {
    store.close();
  }
}

/** --prometheus-rw resolved before anything starts; the CLI has checked the URL itself. */
async function remoteWrite(flags: RunFlags): Promise<PrometheusRwOptions | undefined> {
  if (flags.prometheusRw === undefined) return undefined;
  const intervalMs =
    flags.prometheusRwInterval === undefined
      ? 5000
      : parseDuration(flags.prometheusRwInterval, '--prometheus-rw-interval');
  if (intervalMs < 100)
    throw new PocError('POC_ERR_BAD_OPTION', '--prometheus-rw-interval: must be at least 100ms, e.g. 5s');
  const { remoteWriteAuth } = await import('../telemetry/remote-write.js');
  return { url: flags.prometheusRw, intervalMs, headers: remoteWriteAuth() };
}

/** A live vendor cannot post to 127.0.0.1: it needs the public URL of a tunnel to the receiver. */
function requirePublicUrl(publicUrl: string | undefined, vendor: string): void {
  const path = `/webhooks/${vendor}`;
  if (publicUrl === undefined) {
    throw new PocError(
      'POC_ERR_BAD_OPTION',
      `--public-url: a live vendor cannot reach 127.0.0.1; give the public URL of a tunnel to the receiver, ending in ${path}`,
    );
  }
  let url: URL;
  try {
    url = new URL(publicUrl);
  } catch {
    throw new PocError('POC_ERR_BAD_OPTION', `--public-url: "${publicUrl}" is not a URL`);
  }
  if (url.pathname !== path) {
    throw new PocError(
      'POC_ERR_BAD_OPTION',
      `--public-url: the path must be ${path} (the receiver's webhook path), not ${url.pathname}`,
    );
  }
}

/** The flag a scenario option comes from: poolSize -> pool-size, durationMs -> duration. */
function flagName(option: string): string {
  return option.replace(/Ms$/, '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
