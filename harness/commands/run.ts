import { writeFile } from 'node:fs/promises';
import { renderJunit } from '../../reports/junit.js';
import { createProgressPrinter } from '../../reports/progress.js';
import { renderSummary } from '../../reports/summary.js';
import { scenariosTaking } from '../../scenarios/index.js';
import type { ConfigSource } from '../config/resolve.js';
import { resolveRunConfig } from '../config/run-config.js';
import { EXIT, type ExitCode, PocError } from '../errors.js';
import { createLogger } from '../log.js';
import { executeRun } from '../runner.js';
import type { Scenario } from '../scenario.js';
import { getVendor, VENDORS } from '../vendors/index.js';
import { planContext } from './plan-context.js';
import { writeRunFiles } from './run-files.js';

/**
 * `poc run <scenario>`: resolve the config once (every problem at once, nothing started), run,
 * print, and say which exit code it earned. `flags` are the options the user gave (schema
 * input); `signal` aborts the run (Ctrl-C): the load stops and what was measured is kept.
 * `configFile` is a plan (poc.yaml) whose options for this scenario and vendor sit under the flags.
 */
export async function runCommand(
  scenario: Scenario,
  flags: Readonly<Record<string, unknown>>,
  signal: AbortSignal,
  configFile?: string,
): Promise<ExitCode> {
  const { config, thresholds } = resolveRunConfig(scenario, {
    flags,
    env: process.env,
    ...(configFile
      ? { file: await planSource(configFile, scenario, flags.vendor ?? process.env.POC_VENDOR) }
      : {}),
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
    // Every run leaves its summary and report next to its data; --junit puts the checks where CI looks.
    const { json, report } = await writeRunFiles(config.dataDir, outcome);
    if (config.junit) await writeFile(config.junit, renderJunit(outcome));
    if (config.summaryExport) await writeFile(config.summaryExport, `${json}\n`);
    const text = `${renderSummary(outcome)}${report ? `\nreport:   ${report} (charts over time; opens offline)` : ''}`;
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

/** The plan's values for one run (`poc run --config poc.yaml`): the plan is checked whole first. */
async function planSource(path: string, scenario: Scenario, vendor: unknown): Promise<ConfigSource> {
  const { loadPlan } = await import('../config/plan-file.js');
  const plan = loadPlan(path, planContext());
  const mine = plan.runs.filter((r) => r.scenario.id === scenario.id);
  if (mine.length === 0)
    throw new PocError(
      'POC_ERR_BAD_OPTION',
      `--config: ${path} has no scenarios.${scenario.id} section; add one, or drop --config (plans: ${plan.scenarios.join(', ')})`,
    );
  if (typeof vendor !== 'string')
    throw new PocError(
      'POC_ERR_BAD_OPTION',
      `--vendor: is required with --config; the plan has ${Object.keys(plan.vendors).join(', ')}`,
    );
  const cell = mine.find((r) => r.vendor === vendor);
  if (!cell)
    throw new PocError(
      'POC_ERR_BAD_OPTION',
      `--vendor: ${path} does not list ${vendor} under vendors:; add it or choose one of ${Object.keys(plan.vendors).join(', ')}`,
    );
  return cell.source;
}
