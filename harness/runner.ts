import { join } from 'node:path';
import type { Progress, Scenario } from '../scenarios/types.js';
import type { Logger } from './log.js';
import { budgetFor } from './pipeline/outbound/budget.js';
import { createPipeline } from './pipeline/pipeline.js';
import type { Check, Finding, ResultTable, RunStatus } from './runs/findings.js';
import { newRunId, RunStore } from './runs/run-store.js';
import { evaluate, type Threshold } from './runs/thresholds.js';
import { liveTarget } from './targets/live.js';
import { startMockTarget } from './targets/mock.js';
import type { Target } from './targets/types.js';
import { createPipelineMetrics } from './telemetry/metrics.js';
import type { VendorAdapter } from './vendors/types.js';

export interface RunRequest {
  readonly scenario: Scenario<never>;
  readonly scenarioOptions: unknown;
  readonly vendor: VendorAdapter;
  readonly live: boolean;
  readonly faults: readonly string[];
  readonly timeScale: number;
  readonly thresholds: readonly Threshold[];
  readonly dataDir: string;
  readonly receiverPort: number;
  readonly publicUrl: string | undefined;
  /** Recorded with the run (no secrets: they never reach this object). */
  readonly config: Readonly<Record<string, unknown>>;
  readonly log: Logger;
  readonly signal: AbortSignal;
  readonly onProgress: (p: Progress) => void;
  readonly mockEnv?: Readonly<Record<string, string>>;
  readonly maxRequests?: number | undefined;
  readonly maxQuotaShare?: number | undefined;
}

export interface RunOutcome {
  readonly runId: string;
  readonly scenario: string;
  readonly vendor: string;
  readonly target: string;
  readonly status: RunStatus;
  readonly findings: Finding[];
  readonly checks: Check[];
  readonly notes: string[];
  readonly tables: ResultTable[];
  readonly runDir: string;
}

/** One run: target up, pipeline listening, scenario driven, thresholds judged, all stored. */
export async function executeRun(req: RunRequest): Promise<RunOutcome> {
  const runId = newRunId();
  const runDir = join(req.dataDir, 'runs', runId);
  const target: Target = req.live
    ? liveTarget(req.vendor)
    : await startMockTarget(req.vendor, {
        faults: req.faults,
        timeScale: req.timeScale,
        ...(req.mockEnv ? { env: req.mockEnv } : {}),
      });
  const store = new RunStore(req.dataDir);
  const metrics = createPipelineMetrics({
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
    ...(req.publicUrl ? { publicBaseUrl: new URL(req.publicUrl).origin } : {}),
  });
  try {
    const address = await pipeline.listen(req.receiverPort);
    const webhookUrl = req.publicUrl ?? `${address}${pipeline.path}`;
    store.begin(
      { scenario: req.scenario.id, vendor: req.vendor.profile.id, target: target.kind, config: req.config },
      runId,
    );
    let status: RunStatus = 'error';
    let findings: Finding[] = [];
    let checks: Check[] = [];
    let notes: string[] = [];
    let tables: ResultTable[] = [];
    try {
      const daily = req.vendor.profile.rateLimits.map((l) => l.value).find((l) => l.windowMs >= 86_400_000);
      const budget = budgetFor(req.maxRequests, req.maxQuotaShare, daily?.requests);
      const result = await req.scenario.run(
        {
          ...(budget ? { budget } : {}),
          runId,
          target,
          pipeline,
          webhookUrl,
          metrics,
          log: req.log,
          signal: req.signal,
          progress: req.onProgress,
        },
        req.scenarioOptions as never,
      );
      findings = result.findings;
      notes = result.notes;
      tables = result.tables ?? [];
      checks = evaluate([...result.defaultThresholds, ...req.thresholds], findings);
      status = req.signal.aborted ? 'aborted' : checks.every((c) => c.passed) ? 'passed' : 'failed';
    } finally {
      store.end(runId, status, findings, checks, { notes, tables });
    }
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
    };
  } finally {
    await pipeline.close();
    await target.stop();
    store.close();
  }
}
