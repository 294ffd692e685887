import type { Plan, PlannedRun } from '../config/plan-file.js';
import type { Logger } from '../log.js';
import { budgetFor, documentedDailyQuota, RequestBudget } from '../pipeline/outbound/budget.js';
import { executeRun } from '../runner.js';
import type { Check, Finding, RunStatus } from '../runs/findings.js';
import type { RunOutcome } from '../runs/outcome.js';
import { newRunId, RunStore } from '../runs/run-store.js';
import type { Progress } from '../scenario.js';
import { getVendor } from '../vendors/index.js';
import { liveEnvFor } from './live-env.js';

/** What became of one vendor x scenario of the plan. */
export interface CellOutcome {
  readonly vendor: string;
  readonly scenario: string;
  /** `error`: the run could not start or threw; `pending`: not reached (interrupted plan). */
  readonly status: RunStatus | 'pending';
  readonly runId?: string;
  readonly findings: readonly Finding[];
  readonly checks: readonly Check[];
  readonly error?: string;
  readonly durationMs?: number;
  /** Finished by an earlier invocation of the same playbook (`--resume`), not run again. */
  readonly resumed?: boolean;
}

export interface PlaybookOutcome {
  readonly id: string;
  readonly plan: Plan;
  readonly cells: readonly CellOutcome[];
  readonly interrupted: boolean;
  readonly startedAt: string;
  /** Wall time of this invocation, and the part the runs themselves took (the rest is overhead). */
  readonly wallMs: number;
  readonly runsMs: number;
}

/** What the presenter hears: each run starting and ending, and the run's own progress. */
export interface PlaybookEvents {
  runStarting(cell: { index: number; total: number; vendor: string; scenario: string }): void;
  runEnded(cell: CellOutcome & { index: number; total: number }): void;
  progress(p: Progress): void;
  /** After each run that produced an outcome: the files it leaves next to its data (report.html). */
  runFiles?(outcome: RunOutcome & { readonly stopReason?: string }): Promise<void>;
}

export interface PlaybookRequest {
  readonly plan: Plan;
  /** The playbook to continue (`--resume`), whose plan and selection `plan` was read from. */
  readonly resume?: string;
  readonly vendors: readonly string[];
  readonly scenarios: readonly string[];
  readonly log: Logger;
  readonly signal: AbortSignal;
  readonly events: PlaybookEvents;
  readonly remoteWriteHeaders?: Readonly<Record<string, string>>;
}

/** A run that ended with an outcome; aborted, crashed and error runs are done again on resume. */
const FINISHED = new Set<string>(['passed', 'failed']);

/**
 * Runs the plan's matrix vendor by vendor, one run at a time (one machine's cores and one
 * vendor's limits are measured, never shared with a neighbour run), storing every run with the
 * playbook id. A run that fails or cannot start is recorded and the plan goes on; Ctrl-C stops
 * after the current run is stored, and `resume` continues with what is not finished.
 */
export async function executePlaybook(req: PlaybookRequest): Promise<PlaybookOutcome> {
  const started = Date.now();
  const { plan } = req;
  const store = new RunStore(plan.dataDir, { check: true });
  const id = req.resume ?? `pb-${newRunId()}`;
  let runsMs = 0;
  const cells: CellOutcome[] = [];
  let interrupted = false;
  try {
    const earlier = req.resume ? store.runsOfPlaybook(req.resume) : [];
    if (req.resume) store.endPlaybook(id, 'running');
    else
      store.beginPlaybook({
        id,
        planPath: plan.path,
        planText: plan.text,
        vendors: req.vendors,
        scenarios: req.scenarios,
      });
    const matrix = plan.runs.filter(
      (r) => req.vendors.includes(r.vendor) && req.scenarios.includes(r.scenario.id),
    );
    const budgets = sharedBudgets(plan, matrix, earlier);
    for (const [index, planned] of matrix.entries()) {
      const done = earlier.find(
        (r) => r.vendor === planned.vendor && r.scenario === planned.scenario.id && FINISHED.has(r.status),
      );
      if (done) {
        const run = store.get(done.id);
        cells.push({
          vendor: planned.vendor,
          scenario: planned.scenario.id,
          status: run.status,
          runId: run.id,
          findings: run.findings,
          checks: run.checks,
          resumed: true,
          ...(run.endedAt ? { durationMs: Date.parse(run.endedAt) - Date.parse(run.startedAt) } : {}),
        });
        continue;
      }
      if (req.signal.aborted) {
        interrupted = true;
        cells.push({
          vendor: planned.vendor,
          scenario: planned.scenario.id,
          status: 'pending',
          findings: [],
          checks: [],
        });
        continue;
      }
      req.events.runStarting({
        index,
        total: matrix.length,
        vendor: planned.vendor,
        scenario: planned.scenario.id,
      });
      const runStarted = Date.now();
      const cell = await runCell(planned, id, budgets.get(planned.vendor), req);
      runsMs += Date.now() - runStarted;
      cells.push(cell);
      req.events.runEnded({ ...cell, index, total: matrix.length });
      if (cell.status === 'aborted' && req.signal.aborted) interrupted = true;
    }
    store.endPlaybook(id, interrupted ? 'interrupted' : 'finished');
  } finally {
    store.close();
  }
  return {
    id,
    plan,
    cells,
    interrupted,
    startedAt: new Date(started).toISOString(),
    wallMs: Date.now() - started,
    runsMs,
  };
}

async function runCell(
  planned: PlannedRun,
  playbookId: string,
  budget: RequestBudget | undefined,
  req: PlaybookRequest,
): Promise<CellOutcome> {
  const base = { vendor: planned.vendor, scenario: planned.scenario.id };
  const started = Date.now();
  const vendorPlan = req.plan.vendors[planned.vendor];
  try {
    const outcome = await executeRun({
      scenario: planned.scenario,
      vendor: getVendor(planned.vendor),
      config: planned.resolved.config,
      thresholds: planned.resolved.thresholds,
      log: req.log,
      signal: req.signal,
      onProgress: (p) => req.events.progress(p),
      playbookId,
      ...(budget ? { sharedBudget: budget } : {}),
      ...(vendorPlan?.target === 'live'
        ? {
            liveEnv: liveEnvFor(
              getVendor(planned.vendor).profile.credentialsEnv,
              vendorPlan.credentials,
              process.env,
            ),
          }
        : {}),
      ...(req.remoteWriteHeaders ? { remoteWriteHeaders: req.remoteWriteHeaders } : {}),
    });
    await req.events.runFiles?.(outcome);
    return {
      ...base,
      status: outcome.status,
      runId: outcome.runId,
      findings: outcome.findings,
      checks: outcome.checks,
      durationMs: Date.now() - started,
      ...(outcome.stopReason ? { error: outcome.stopReason } : {}),
    };
  } catch (err) {
    // One vendor's broken run must not cost the others theirs: recorded, and the plan goes on.
    return {
      ...base,
      status: 'error',
      findings: [],
      checks: [],
      error: (err as Error).message,
      durationMs: Date.now() - started,
    };
  }
}

/**
 * One budget per vendor whose plan sets one, shared by all its runs, less what earlier
 * invocations of the same playbook already spent (a resumed plan does not start afresh).
 */
function sharedBudgets(
  plan: Plan,
  matrix: readonly PlannedRun[],
  earlier: readonly { vendor: string; vendorRequests?: number }[],
): Map<string, RequestBudget> {
  const budgets = new Map<string, RequestBudget>();
  for (const vendorId of new Set(matrix.map((r) => r.vendor))) {
    const limits = plan.vendors[vendorId]?.budget;
    if (!limits) continue;
    const whole = budgetFor(
      limits.maxRequests,
      limits.maxQuotaShare,
      documentedDailyQuota(getVendor(vendorId).profile.rateLimits),
    );
    if (!whole) continue;
    const spent = earlier
      .filter((r) => r.vendor === vendorId)
      .reduce((sum, r) => sum + (r.vendorRequests ?? 0), 0);
    budgets.set(
      vendorId,
      new RequestBudget(
        Math.max(0, whole.limit - spent),
        `vendors.${vendorId}.budget of ${plan.path} (${whole.limit}${spent > 0 ? `, ${spent} spent by earlier runs of this playbook` : ''})`,
      ),
    );
  }
  return budgets;
}
