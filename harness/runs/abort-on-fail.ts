import { formatDuration } from '../duration.js';
import { describeThreshold, firstBreach, type Threshold } from './thresholds.js';

/** The breach that stopped a run: which threshold, the value it saw, and the words for it. */
export interface Breach {
  readonly threshold: Threshold;
  readonly value: number;
  readonly reason: string;
}

/**
 * k6's abortOnFail for one run: `report` takes the findings a scenario knows so far and, at the
 * first breach of an abortOnFail threshold (after its delayAbortEval, counted from `start()`),
 * aborts `signal` once and calls `onBreach`. Thresholds without abortOnFail are never judged here.
 */
export class AbortOnFail {
  private readonly watched: readonly Threshold[];
  private readonly controller = new AbortController();
  private startedAt = Date.now();
  private found: Breach | undefined;

  constructor(
    thresholds: readonly Threshold[],
    private readonly onBreach: (breach: Breach) => void,
  ) {
    this.watched = thresholds.filter((t) => t.abortOnFail);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get breach(): Breach | undefined {
    return this.found;
  }

  /** The run's clock for delayAbortEval starts when the scenario does, not with the set-up. */
  start(now = Date.now()): void {
    this.startedAt = now;
  }

  report(values: Readonly<Record<string, number>>, now = Date.now()): void {
    if (this.watched.length === 0 || this.found || this.controller.signal.aborted) return;
    const elapsed = now - this.startedAt;
    const hit = firstBreach(this.watched, values, elapsed);
    if (!hit) return;
    this.found = {
      ...hit,
      reason: `threshold ${describeThreshold(hit.threshold)} breached at ${formatDuration(elapsed)} into the run (${hit.threshold.key} was ${hit.value}); abortOnFail stopped it`,
    };
    this.onBreach(this.found);
    this.controller.abort();
  }

  /** Stops judging: the run is already stopping for another reason. */
  disarm(): void {
    this.controller.abort();
  }
}
