import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderPlaybookMarkdown } from '../../reports/playbook-markdown.js';
import {
  type OverviewCell,
  type PlaybookOverview,
  relativeHref,
  renderPlaybookOverview,
} from '../../reports/playbook-overview.js';
import { createProgressPrinter } from '../../reports/progress.js';
import { SCENARIOS } from '../../scenarios/index.js';
import { loadPlan, type Plan, planFromText } from '../config/plan-file.js';
import { formatDuration } from '../duration.js';
import { EXIT, type ExitCode, PocError } from '../errors.js';
import { createLogger } from '../log.js';
import { type CellOutcome, executePlaybook, type PlaybookOutcome } from '../playbook/execute.js';
import { RunStore } from '../runs/run-store.js';
import { getVendor } from '../vendors/index.js';
import { planContext } from './plan-context.js';
import { playbookScorecard, type ScorecardSummary } from './playbook-scorecard.js';
import { writeRunFiles } from './run-files.js';

export interface PlaybookFlags {
  readonly plan: string;
  readonly vendors?: string;
  readonly scenarios?: string;
  readonly resume?: string;
  readonly json: boolean;
}

/**
 * `poc playbook [poc.yaml]`: every scenario of the plan on every vendor, one run after the
 * other, then the scorecard of exactly those runs, the overview page and the Markdown summary.
 * Exit 0 when every run passed, 99 when a threshold failed, 1 when a run could not run, 130 on
 * Ctrl-C (`--resume <id>` then runs what is left).
 */
export async function playbookCommand(flags: PlaybookFlags, signal: AbortSignal): Promise<ExitCode> {
  const { plan, vendors, scenarios, resume } = readPlaybookPlan(flags);
  const out = plan.outputs;
  // Outputs are checked before the first run: a plan must not run for an hour to fail writing.
  try {
    mkdirSync(out.dir, { recursive: true });
  } catch (err) {
    throw new PocError(
      'POC_ERR_OUTPUT_PATH',
      `outputs.dir: cannot create ${out.dir} (${(err as Error).message})`,
    );
  }
  const remoteWriteHeaders = plan.runs.some((r) => r.resolved.config.prometheusRw)
    ? (await import('../telemetry/remote-write.js')).remoteWriteAuth()
    : undefined;
  // One printer per run: a TTY bar, once stopped, is not started again.
  let progress = createProgressPrinter();
  const started = Date.now();
  const failed: string[] = [];
  let current = '';
  const outcome = await executePlaybook({
    plan,
    ...(resume ? { resume } : {}),
    vendors,
    scenarios,
    log: createLogger(),
    signal,
    ...(remoteWriteHeaders ? { remoteWriteHeaders } : {}),
    events: {
      runStarting: (c) => {
        progress = createProgressPrinter();
        current = `${c.index + 1}/${c.total} ${c.vendor} × ${c.scenario}`;
        const so = failed.length > 0 ? `; not passed so far: ${failed.join(', ')}` : '';
        process.stderr.write(
          `playbook: run ${current} (elapsed ${formatDuration(Date.now() - started)}${so})\n`,
        );
      },
      progress: (p) => progress.update({ ...p, phase: `${current} ${p.phase}` }),
      runEnded: (c) => {
        progress.stop();
        if (c.status !== 'passed') failed.push(`${c.vendor} × ${c.scenario} (${c.status})`);
        process.stderr.write(
          `playbook: run ${c.index + 1}/${c.total} ${c.vendor} × ${c.scenario}: ${c.status}${c.runId ? ` (${c.runId})` : ''}${c.error ? `: ${c.error}` : ''}\n`,
        );
      },
      runFiles: (runOutcome) => writeRunFiles(plan.dataDir, runOutcome).then(() => undefined),
    },
  });
  progress.stop();
  const written = await writeOutputs(plan, outcome);
  const summary = summarise({ ...outcome, wallMs: Date.now() - started }, written);
  process.stdout.write(flags.json ? `${JSON.stringify(summary.json, null, 2)}\n` : summary.text);
  if (outcome.interrupted) return EXIT.interrupted;
  if (outcome.cells.some((c) => c.status === 'error' || c.status === 'crashed')) return EXIT.failed;
  return outcome.cells.every((c) => c.status === 'passed') ? EXIT.ok : EXIT.thresholds;
}

/** The plan to run: the file as it is now, or, to resume, the plan as the playbook first read it. */
function readPlaybookPlan(flags: PlaybookFlags): {
  plan: Plan;
  vendors: string[];
  scenarios: string[];
  resume?: string;
} {
  const context = planContext();
  const current = loadPlan(flags.plan, context);
  if (flags.resume) {
    if (flags.vendors || flags.scenarios)
      throw new PocError(
        'POC_ERR_BAD_OPTION',
        '--resume: continues the playbook with the vendors and scenarios it started with; drop --vendors and --scenarios',
      );
    const store = new RunStore(current.dataDir, { mode: 'read' });
    let stored: ReturnType<RunStore['getPlaybook']>;
    try {
      stored = store.getPlaybook(flags.resume);
    } finally {
      store.close();
    }
    const plan = planFromText(stored.planPath, stored.planText, context);
    if (existsSync(stored.planPath) && readFileSync(stored.planPath, 'utf8') !== stored.planText)
      process.stderr.write(
        `note: ${stored.planPath} changed since playbook ${stored.id} started; resuming the plan as it was then\n`,
      );
    return { plan, vendors: [...stored.vendors], scenarios: [...stored.scenarios], resume: stored.id };
  }
  return {
    plan: current,
    vendors: pick('--vendors', flags.vendors, Object.keys(current.vendors)),
    scenarios: pick('--scenarios', flags.scenarios, current.scenarios),
  };
}

/** A subset of the plan's list, named on the command line; anything not in the plan is refused. */
function pick(flag: string, given: string | undefined, planned: readonly string[]): string[] {
  if (given === undefined) return [...planned];
  const wanted = given
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = wanted.filter((w) => !planned.includes(w));
  if (unknown.length > 0 || wanted.length === 0)
    throw new PocError(
      'POC_ERR_BAD_OPTION',
      `${flag}: ${unknown.length > 0 ? `${unknown.join(', ')} not in the plan` : 'empty'}; the plan has ${planned.join(', ')}`,
    );
  return planned.filter((p) => wanted.includes(p));
}

interface Written {
  readonly scorecard?: ScorecardSummary;
  readonly overview: string;
  readonly markdown: string;
}

/** The scorecard of exactly this playbook's finished runs, the overview page and the Markdown. */
async function writeOutputs(plan: Plan, outcome: PlaybookOutcome): Promise<Written> {
  const out = plan.outputs;
  const overviewPath = join(out.dir, out.overview);
  const markdownPath = join(out.dir, out.markdown);
  let scorecard: ScorecardSummary | undefined;
  try {
    scorecard = await playbookScorecard({
      dataDir: plan.dataDir,
      runIds: outcome.cells.flatMap((c) =>
        c.runId && (c.status === 'passed' || c.status === 'failed') ? [c.runId] : [],
      ),
      vendors: [...new Set(outcome.cells.map((c) => c.vendor))],
      weights: plan.scorecard.weights,
      answers: plan.scorecard.answers,
      dir: out.dir,
      file: out.scorecard,
    });
  } catch (err) {
    // The runs are stored whatever happens here: `poc scorecard --playbook <id>` builds it again.
    process.stderr.write(`warning: no scorecard: ${(err as Error).message}\n`);
  }
  const overview = overviewOf(plan, outcome, out.dir, scorecard);
  await writeFile(overviewPath, renderPlaybookOverview(overview));
  await writeFile(markdownPath, renderPlaybookMarkdown(overview));
  return { ...(scorecard ? { scorecard } : {}), overview: overviewPath, markdown: markdownPath };
}

function overviewOf(
  plan: Plan,
  outcome: PlaybookOutcome,
  dir: string,
  scorecard: ScorecardSummary | undefined,
): PlaybookOverview {
  const scenarios = [...new Set(outcome.cells.map((c) => c.scenario))];
  const vendors = [...new Set(outcome.cells.map((c) => c.vendor))];
  return {
    id: outcome.id,
    plan: plan.path,
    startedAt: outcome.startedAt,
    endedAt: new Date().toISOString(),
    vendors: vendors.map((id) => ({
      id,
      name: getVendor(id).profile.name,
      target: plan.vendors[id]?.target ?? 'mock',
    })),
    scenarios: scenarios.map((id) => {
      const scenario = SCENARIOS[id];
      return {
        id,
        summary: scenario?.summary ?? id,
        headlines: scorecard?.headlines.get(id) ?? Object.keys(scenario?.findings ?? {}).slice(0, 4),
        ...(scenario ? { findings: scenario.findings } : {}),
      };
    }),
    cells: outcome.cells.map((c) => overviewCell(c, plan.dataDir, dir)),
    ...(scorecard
      ? {
          scorecard: {
            href: relativeHref(dir, scorecard.path),
            title: scorecard.title,
            totals: scorecard.totals,
          },
        }
      : {}),
  };
}

function overviewCell(c: CellOutcome, dataDir: string, dir: string): OverviewCell {
  const report = c.runId ? join(dataDir, 'runs', c.runId, 'report.html') : undefined;
  return {
    vendor: c.vendor,
    scenario: c.scenario,
    status: c.status === 'running' ? 'error' : c.status,
    ...(c.runId ? { runId: c.runId } : {}),
    ...(report && existsSync(report) ? { reportHref: relativeHref(dir, report) } : {}),
    findings: c.findings,
    checks: c.checks,
    ...(c.error ? { error: c.error } : {}),
    ...(c.durationMs !== undefined ? { durationMs: c.durationMs } : {}),
  };
}

function summarise(outcome: PlaybookOutcome, written: Written): { text: string; json: unknown } {
  const count = (status: string) => outcome.cells.filter((c) => c.status === status).length;
  const statuses = ['passed', 'failed', 'error', 'aborted', 'crashed', 'pending']
    .map((s) => [s, count(s)] as const)
    .filter(([, n]) => n > 0);
  const resumed = outcome.cells.filter((c) => c.resumed).length;
  const lines = [
    `playbook ${outcome.id}: ${outcome.cells.length} run(s): ${statuses.map(([s, n]) => `${n} ${s}`).join(', ')}${resumed > 0 ? ` (${resumed} kept from before the resume)` : ''}`,
    ...outcome.cells
      .filter((c) => c.status !== 'passed')
      .map(
        (c) =>
          `  ${c.status.padEnd(8)} ${c.vendor} × ${c.scenario}${c.runId ? ` (${c.runId})` : ''}${c.error ? `: ${c.error}` : ''}`,
      ),
    ...(written.scorecard ? [written.scorecard.text.trimEnd()] : []),
    `overview: ${written.overview}`,
    `summary:  ${written.markdown}`,
    `wall ${formatDuration(outcome.wallMs)}, runs ${formatDuration(outcome.runsMs)}`,
    ...(outcome.interrupted
      ? [`interrupted: continue with  poc playbook ${outcome.plan.path} --resume ${outcome.id}`]
      : []),
    '',
  ];
  return {
    text: lines.join('\n'),
    json: {
      playbookId: outcome.id,
      plan: outcome.plan.path,
      interrupted: outcome.interrupted,
      wallMs: outcome.wallMs,
      runsMs: outcome.runsMs,
      runs: outcome.cells.map((c) => ({
        vendor: c.vendor,
        scenario: c.scenario,
        status: c.status,
        runId: c.runId ?? null,
        resumed: c.resumed === true,
        error: c.error ?? null,
        failedChecks: c.checks.filter((k) => !k.passed).map((k) => `${k.key}${k.op}${k.threshold}`),
      })),
      scorecard: written.scorecard
        ? { path: written.scorecard.path, totals: written.scorecard.totals }
        : null,
      overview: written.overview,
      markdown: written.markdown,
    },
  };
}
