import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderRunReport } from '../../reports/html-report.js';
import { renderJunit } from '../../reports/junit.js';
import { createProgressPrinter } from '../../reports/progress.js';
import { renderSummary, summaryJson } from '../../reports/summary.js';
import { scenariosTaking } from '../../scenarios/index.js';
import { resolveRunConfig } from '../config/run-config.js';
import { EXIT, type ExitCode, PocError } from '../errors.js';
import { createLogger } from '../log.js';
import { executeRun } from '../runner.js';
import { RunStore } from '../runs/run-store.js';
import type { Scenario } from '../scenario.js';
import { getVendor, VENDORS } from '../vendors/index.js';

/**
 * `poc run <scenario>`: resolve the config once (every problem at once, nothing started), run,
 * print, and say which exit code it earned. `flags` are the options the user gave (schema
 * input); `signal` aborts the run (Ctrl-C): the load stops and what was measured is kept.
 */
export async function runCommand(
  scenario: Scenario,
  flags: Readonly<Record<string, unknown>>,
  signal: AbortSignal,
): Promise<ExitCode> {
  const { config, thresholds } = resolveRunConfig(scenario, {
    flags,
    env: process.env,
    knownVendors: Object.keys(VENDORS),
    ownersOf: (key) => scenariosTaking(key, scenario.id),
  });
  const vendor = getVendor(config.vendor);
  const remoteWriteHeaders = config.prometheusRw
    ? (await import('../telemetry/remote-write.js')).remoteWriteAuth()
    : undefined;
  const progress = createProgressPrinter();
  try {
    const outcome = await executeRun({
      scenario,
      vendor,
      config,
      thresholds,
      log: createLogger(),
      signal,
      onProgress: (p) => progress.update(p),
      ...(remoteWriteHeaders ? { remoteWriteHeaders } : {}),
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
      await writeFile(report, runReport(config.dataDir, outcome.runId));
      reported = true;
    } catch {
      process.stderr.write(`warning: could not write ${report}\n`);
    }
    if (config.junit) await writeFile(config.junit, renderJunit(outcome));
    if (config.summaryExport) await writeFile(config.summaryExport, `${json}\n`);
    const text = `${renderSummary(outcome)}${reported ? `\nreport:   ${report} (charts over time; opens offline)` : ''}`;
    process.stdout.write(`${config.json ? json : text}\n`);
    // Stored and printed first: the error says why the run ended, the summary what it measured.
    if (outcome.stopReason && !outcome.breached)
      throw new PocError('POC_ERR_DISK_FULL', `${outcome.stopReason}; the run was stopped`);
    if (outcome.status === 'aborted') return EXIT.interrupted;
    return outcome.status === 'passed' ? EXIT.ok : EXIT.thresholds;
  } finally {
    progress.stop();
  }
}

/** The run's self-contained HTML report, from what the run store kept (findings and series). */
function runReport(dataDir: string, runId: string): string {
  const store = new RunStore(dataDir, { mode: 'read' });
  try {
    return renderRunReport(store.get(runId), store.series(runId));
  } finally {
    store.close();
  }
}
