import { join } from 'node:path';
import type { RunConfig } from './config/run-config.js';
import { PocError } from './errors.js';
import type { Logger } from './log.js';
import { budgetFor, documentedDailyQuota, type RequestBudget } from './pipeline/outbound/budget.js';
import { createPipeline, type Pipeline } from './pipeline/pipeline.js';
import { AbortOnFail } from './runs/abort-on-fail.js';
import { diskProblem, holdBallast, isDiskFull } from './runs/disk-guard.js';
import type { Check, Finding, ResultTable, RunStatus } from './runs/findings.js';
import type { RunOutcome } from './runs/outcome.js';
import { newRunId, RunStore } from './runs/run-store.js';
import { evaluate, type Threshold } from './runs/thresholds.js';
import type { Progress, Scenario } from './scenario.js';
import { liveTarget } from './targets/live.js';
import { startMockTarget } from './targets/mock.js';
import type { Target } from './targets/types.js';
import { createPipelineMetrics } from './telemetry/metrics.js';
import { SeriesSampler } from './telemetry/series.js';
import { setRunAttributes } from './telemetry/trace-spans.js';
import type { VendorAdapter } from './vendors/types.js';

export interface RunRequest {
  readonly scenario: Scenario;
  readonly vendor: VendorAdapter;
  /** Resolved and frozen (harness/config/run-config.ts); recorded with the run as it is. */
  readonly config: Readonly<RunConfig>;
  readonly thresholds: readonly Threshold[];
  readonly log: Logger;
  readonly signal: AbortSignal;
  readonly onProgress: (p: Progress) => void;
  readonly mockEnv?: Readonly<Record<string, string>>;
  /** Authorization for --prometheus-rw, from env; never recorded with the run. */
  readonly remoteWriteHeaders?: Readonly<Record<string, string>>;
  /** Set by `poc playbook`: the playbook the run is part of, stored with it. */
  readonly playbookId?: string;
  /** A budget shared with other runs (a playbook's per-vendor budget); the run's own limit also holds. */
  readonly sharedBudget?: RequestBudget;
  /** Where a live target reads its credentials (a plan may name other variables); process.env otherwise. */
  readonly liveEnv?: NodeJS.ProcessEnv;
}

/** One run: target up, pipeline listening, scenario driven, thresholds judged, all stored. */
export async function executeRun(
  req: RunRequest,
): Promise<RunOutcome & { readonly stopReason?: string; readonly breached?: true }> {
  const runId = newRunId();
  // Every span of the run says which run it belongs to (no cost when tracing is off).
  setRunAttributes({
    'poc.run_id': runId,
    'poc.scenario': req.scenario.id,
    'crm.vendor': req.vendor.profile.id,
  });
  const { config } = req;
  const runDir = join(config.dataDir, 'runs', runId);
  // Whatever was started is stopped, in reverse order, even if a later step fails.
  const cleanup: (() => unknown)[] = [];
  try {
    // Opened and checked first: a damaged or unwritable store is refused before anything starts.
    const store = new RunStore(config.dataDir, { check: true });
    cleanup.push(() => store.close());
    const lowDisk = diskProblem(config.dataDir);
    if (lowDisk) throw new PocError('POC_ERR_DISK_FULL', `${lowDisk}; nothing was started`);
    // Room for the outcome: given back when the disk fills, so the run is still stored.
    let ballast: { release(): void };
    try {
      ballast = holdBallast(runDir);
    } catch (err) {
      if (!isDiskFull(err)) throw err;
      throw new PocError(
        'POC_ERR_DISK_FULL',
        `the disk under ${config.dataDir} is full; nothing was started`,
      );
    }
    cleanup.push(() => ballast.release());
    // The run stops itself when the disk fills (checked each second), as a Ctrl-C would.
    const stop = new AbortController();
    let stopReason: string | undefined;
    const halt = (reason: string) => {
      if (stopReason !== undefined) return;
      stopReason = reason;
      abortOnFail.disarm();
      req.log.error({ reason }, 'stopping the run');
      // Deliveries would take the room the outcome needs: the vendor is told to retry later.
      pipeline.setDown(true);
      ballast.release();
      stop.abort();
    };
    // An abortOnFail threshold breached by the findings reported so far stops the run as a
    // Ctrl-C would (what was measured is kept), but the run failed: exit 99, not 130.
    const abortOnFail = new AbortOnFail(req.thresholds, (breach) => {
      stopReason ??= breach.reason;
      req.log.warn({ reason: breach.reason }, 'stopping the run');
    });
    const signal = AbortSignal.any([req.signal, stop.signal, abortOnFail.signal]);
    const target: Target = config.live
      ? liveTarget(req.vendor, req.liveEnv)
      : await startMockTarget(req.vendor, {
          faults: config.faults,
          timeScale: config.timeScale,
          ...(req.mockEnv ? { env: req.mockEnv } : {}),
        });
    cleanup.push(() => target.stop());
    const metrics = createPipelineMetrics({
      // --tag labels every series; the keys were checked not to shadow the run's own labels.
      ...config.tags,
      run_id: runId,
      vendor: req.vendor.profile.id,
      scenario: req.scenario.id,
      target: target.kind,
    });
    const pipeline = createPipeline({
      scheme: req.vendor.webhooks({ secrets: [target.credentials.webhookSecret] }),
      metrics,
      dir: runDir,
      vendor: req.vendor.profile.id,
      ...(config.publicUrl ? { publicBaseUrl: new URL(config.publicUrl).origin } : {}),
    });
    cleanup.push(() => pipeline.close());
    if (config.prometheusRw) {
      // Loaded only when asked for: protobufjs costs nothing to runs without --prometheus-rw.
      const { startRemoteWrite } = await import('./telemetry/remote-write.js');
      const remoteWrite = startRemoteWrite(metrics.registry, {
        url: config.prometheusRw,
        intervalMs: config.prometheusRwInterval,
        ...(req.remoteWriteHeaders ? { headers: req.remoteWriteHeaders } : {}),
        log: req.log,
        // The gauge is read, not counted: refresh it for each snapshot.
        beforeCollect: () => metrics.queueDepth.set(pipeline.inbox.depth),
      });
      // Stopped before the pipeline closes, after the verdict is set: the final flush carries it.
      cleanup.push(() => remoteWrite.stop());
    }
    const address = await listen(pipeline, config.receiverPort);
    const webhookUrl = config.publicUrl ?? `${address}${pipeline.path}`;
    store.begin(
      {
        scenario: req.scenario.id,
        vendor: req.vendor.profile.id,
        target: target.kind,
        config,
        ...(req.playbookId ? { playbookId: req.playbookId } : {}),
        tags: config.tags,
      },
      runId,
    );
    // One point a second into the run store, for the report's charts (on disk, not in memory).
    const sampler = new SeriesSampler(
      metrics.registry,
      (at, values) => {
        try {
          store.appendSeries(runId, at, values);
          store.heartbeat(runId);
        } catch (err) {
          if (isDiskFull(err)) halt(`the disk under ${config.dataDir} is full (${(err as Error).message})`);
          throw err;
        }
        const problem = diskProblem(config.dataDir);
        if (problem) halt(problem);
      },
      () => metrics.queueDepth.set(pipeline.inbox.depth),
    );
    sampler.start();
    let status: RunStatus = 'error';
    let findings: Finding[] = [];
    let checks: Check[] = [];
    let notes: string[] = [];
    let tables: ResultTable[] = [];
    let failure: unknown;
    const budget = budgetFor(
      config.maxRequests,
      config.maxQuotaShare,
      documentedDailyQuota(req.vendor.profile.rateLimits),
      req.sharedBudget,
    );
    try {
      abortOnFail.start();
      const result = await req.scenario.run(
        {
          ...(budget ? { budget } : {}),
          runId,
          target,
          pipeline,
          webhookUrl,
          metrics,
          log: req.log,
          signal,
          progress: req.onProgress,
          reportInterim: (values) => abortOnFail.report(values),
        },
        config.options,
      );
      findings = result.findings;
      notes = result.notes;
      tables = result.tables ?? [];
      const judged = [...result.defaultThresholds, ...req.thresholds];
      const breach = abortOnFail.breach;
      checks = evaluate(judged, findings).map((check, i) =>
        // The breach stopped the run even if the final figure recovered: it is the one shown.
        breach && judged[i] === breach.threshold && check.passed
          ? { ...check, value: breach.value, passed: false }
          : check,
      );
      status = breach
        ? 'failed'
        : stopReason
          ? 'error'
          : req.signal.aborted
            ? 'aborted'
            : checks.every((c) => c.passed)
              ? 'passed'
              : 'failed';
    } catch (err) {
      // Ctrl-C during set-up aborts calls in flight: that is an interruption, not a failure.
      if (!signal.aborted) failure = err;
      else {
        status = abortOnFail.breach ? 'failed' : stopReason ? 'error' : 'aborted';
        notes = [`interrupted before anything was measured (${(err as Error).message})`];
      }
    }
    // Whatever happened, the run is stored before the error (if any) goes on up.
    await sampler.stop().catch(() => undefined);
    if (stopReason) notes.push(`stopped early: ${stopReason}; what was measured until then is kept`);
    storeOutcome(store, config.dataDir, runId, {
      status,
      findings,
      checks,
      notes,
      tables,
      ...(budget ? { vendorRequests: budget.spent } : {}),
    });
    if (failure !== undefined) throw failure;
    for (const f of findings) metrics.findings.set({ finding: f.key, unit: f.unit }, f.value);
    for (const c of checks) metrics.checks.set({ check: `${c.key}${c.op}${c.threshold}` }, c.passed ? 1 : 0);
    return {
      runId,
      scenario: req.scenario.id,
      vendor: req.vendor.profile.id,
      target: target.describe(),
      status,
      findings,
      checks,
      notes,
      tables,
      runDir,
      ...(stopReason ? { stopReason } : {}),
      ...(abortOnFail.breach ? { breached: true as const } : {}),
    };
  } finally {
    for (const close of cleanup.reverse()) {
      try {
        await close();
      } catch (err) {
        req.log.warn({ err: (err as Error).message }, 'cleanup step failed; continuing');
      }
    }
  }
}

/** The run's outcome into the run store; a full disk is said as such, runs.db stays intact. */
function storeOutcome(
  store: RunStore,
  dataDir: string,
  runId: string,
  outcome: {
    status: RunStatus;
    findings: readonly Finding[];
    checks: readonly Check[];
    notes: readonly string[];
    tables: readonly ResultTable[];
    vendorRequests?: number;
  },
): void {
  try {
    store.end(runId, outcome.status, outcome.findings, outcome.checks, outcome, outcome.vendorRequests);
  } catch (err) {
    if (!isDiskFull(err)) throw err;
    throw new PocError(
      'POC_ERR_DISK_FULL',
      `the disk under ${dataDir} is full: the run's outcome could not be stored (${(err as Error).message}); runs.db is intact and the next command marks the run crashed`,
    );
  }
}

async function listen(pipeline: Pipeline, port: number): Promise<string> {
  try {
    return await pipeline.listen(port);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new PocError('POC_ERR_PORT_IN_USE', `--receiver-port: ${port} is already in use`);
    }
    throw err;
  }
}
