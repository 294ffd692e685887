import type { ZodType } from 'zod';
import type { Logger } from '../harness/log.js';
import type { RequestBudget } from '../harness/pipeline/outbound/budget.js';
import type { Pipeline } from '../harness/pipeline/pipeline.js';
import type { Finding, ResultTable } from '../harness/runs/findings.js';
import type { Threshold } from '../harness/runs/thresholds.js';
import type { Target } from '../harness/targets/types.js';
import type { PipelineMetrics } from '../harness/telemetry/metrics.js';

/** One progress update; presenters (bar on a TTY, lines otherwise) only listen. */
export interface Progress {
  readonly phase: string;
  readonly done: number;
  readonly total: number;
  readonly detail: string;
}

export interface RunContext {
  readonly runId: string;
  readonly target: Target;
  readonly pipeline: Pipeline;
  /** The URL the vendor must post webhooks to. */
  readonly webhookUrl: string;
  readonly metrics: PipelineMetrics;
  readonly log: Logger;
  readonly signal: AbortSignal;
  /** The run's vendor request budget (--max-requests, --max-quota-share), when one is set. */
  readonly budget?: RequestBudget;
  progress(update: Progress): void;
}

export interface ScenarioResult {
  readonly findings: Finding[];
  /** Checks every run of the scenario carries, before any --threshold. */
  readonly defaultThresholds: Threshold[];
  readonly notes: string[];
  readonly tables?: ResultTable[];
}

/** Flags every scenario receives from `poc run`; each scenario validates the ones it uses. */
export interface CommonRunOptions {
  readonly rate?: number | undefined;
  readonly durationMs?: number | undefined;
  readonly graceMs?: number | undefined;
}

export interface Scenario<O = unknown> {
  readonly id: string;
  readonly summary: string;
  /** The mock's --time-scale when the user gives none (100 otherwise). */
  readonly defaultTimeScale?: number;
  /** Whether the vendor must reach the receiver (a live run then needs --public-url). */
  readonly receivesWebhooks: boolean;
  /** Every finding key the scenario can produce: thresholds are validated against it up front. */
  readonly findingKeys: readonly string[];
  readonly options: ZodType<O>;
  run(ctx: RunContext, options: O): Promise<ScenarioResult>;
}
