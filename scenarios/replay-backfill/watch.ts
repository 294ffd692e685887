import type { RunContext } from '../../harness/scenario.js';
import type { ApiCounters } from '../../harness/targets/connect.js';
import { sleep } from '../../harness/wait.js';

/** Counts what reaches the receiver, to tell the history's end and the vendor's retries. */
export class DeliveryWatch {
  events = 0;
  lastAcceptedAt = Date.now();
  readonly onAccepted = (events: readonly unknown[]) => {
    this.events += events.length;
    this.lastAcceptedAt = Date.now();
  };
}

/** Waits until nothing arrived for `quietMs` and the queue is drained, or `timeoutMs` passed. */
export async function waitQuiet(
  ctx: RunContext,
  watch: DeliveryWatch,
  quietMs: number,
  timeoutMs: number,
): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (!ctx.signal.aborted && Date.now() < until) {
    if (Date.now() - watch.lastAcceptedAt >= quietMs && ctx.pipeline.inbox.depth === 0) return true;
    await sleep(100, ctx.signal);
  }
  return false;
}

/** One recovery step's cost, for the recovery table. */
export interface Phase {
  readonly name: string;
  readonly calls: number;
  readonly ms: number;
}

/** Runs one step and records its API calls and time in `phases`. */
export async function measured<T>(
  phases: Phase[],
  name: string,
  counters: ApiCounters,
  fn: () => Promise<T>,
): Promise<T> {
  const calls = counters.requests;
  const started = Date.now();
  const out = await fn();
  phases.push({ name, calls: counters.requests - calls, ms: Date.now() - started });
  return out;
}
