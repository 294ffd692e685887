import type { z } from 'zod';
import type { Logger } from './log.js';
import type { RequestBudget } from './pipeline/outbound/budget.js';
import type { Pipeline } from './pipeline/pipeline.js';
import type { Finding, ResultTable } from './runs/findings.js';
import type { Threshold } from './runs/thresholds.js';
import type { FindingSpecs } from './runs/vocabulary.js';
import type { Target } from './targets/types.js';
import type { PipelineMetrics } from './telemetry/metrics.js';

/**
 * The contract every playbook scenario implements: the one seam a new scenario passes through.
 * A scenario is a folder under scenarios/ whose definition.ts exports one `Scenario`; the CLI,
 * the plan file, thresholds, compare and the scorecard all read what it declares here.
 */

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
  /**
   * The findings known so far (a subset of `interimFindings`), reported during the run, e.g. at
   * each progress tick. The runner judges the abortOnFail thresholds on them and aborts `signal`
   * at the first breach; the scenario then ends as on Ctrl-C and returns what it measured.
   */
  reportInterim(values: Readonly<Record<string, number>>): void;
}

export interface ScenarioResult {
  readonly findings: Finding[];
  /** Checks every run of the scenario carries, before any --threshold. */
  readonly defaultThresholds: Threshold[];
  readonly notes: string[];
  readonly tables?: ResultTable[];
}

export interface Scenario<S extends z.ZodObject = z.ZodObject> {
  readonly id: string;
  readonly summary: string;
  /** Whether the vendor must reach the receiver (a live run then needs --public-url). */
  readonly receivesWebhooks: boolean;
  /** The mock's --time-scale when the user gives none (100 otherwise). */
  readonly defaultTimeScale?: number;
  /**
   * The scenario's own options, strict, each with `.describe()` and its default: `poc run <id>`
   * flags, their help and the plan file's keys are generated from it. A key that is also a run
   * option (maxRequests) refines that option for this scenario.
   */
  readonly options: S;
  /** Every finding the scenario can produce; thresholds, compare and the scorecard check against it. */
  readonly findings: FindingSpecs;
  /**
   * The findings run() reports while it runs (RunContext.reportInterim): the only ones an
   * abortOnFail threshold may name. Absent: the findings are known only at the end.
   */
  readonly interimFindings?: readonly string[];
  /** Loaded on demand: `--help` and the registry never pay for what a run needs. */
  run(ctx: RunContext, options: z.output<S>): Promise<ScenarioResult>;
}

/** A scenario with its option types inferred from its schema. */
export function defineScenario<S extends z.ZodObject>(scenario: Scenario<S>): Scenario<S> {
  return scenario;
}
