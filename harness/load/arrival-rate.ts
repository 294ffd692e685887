import { EventEmitter } from 'node:events';

export interface ArrivalRateOptions {
  /** Iterations started per second, whatever the response times (open model). */
  readonly iterationsPerSec: number;
  readonly durationMs: number;
  /** Iterations allowed in flight; past it an iteration is dropped, as k6 does. */
  readonly maxInFlight: number;
  readonly signal?: AbortSignal;
  /** One iteration; `intendedAt` is when the schedule wanted it to start (epoch ms). */
  readonly iteration: (index: number, intendedAt: number) => Promise<void>;
}

export interface ArrivalRateResult {
  readonly started: number;
  readonly completed: number;
  readonly failed: number;
  readonly dropped: number;
  /** Wall time including waiting for the last iteration to finish. */
  readonly elapsedMs: number;
  /**
   * The schedule as it really ran: from the start to the last launch plus one interval. Equals
   * the duration when the generator kept up; longer when it fell behind.
   */
  readonly spanMs: number;
}

/**
 * An open-model arrival-rate generator (k6's constant-arrival-rate): iteration i is due at
 * start + i / rate. A late timer starts every overdue iteration at once, so slow responses
 * never slow the schedule down; they show up as latency measured from the intended time.
 */
export class ArrivalRate extends EventEmitter<{ done: [ArrivalRateResult] }> {
  started = 0;
  completed = 0;
  failed = 0;
  dropped = 0;
  private inFlight = 0;

  constructor(private readonly options: ArrivalRateOptions) {
    super();
  }

  async run(): Promise<ArrivalRateResult> {
    const { iterationsPerSec, durationMs, signal } = this.options;
    const total = Math.floor((iterationsPerSec * durationMs) / 1000);
    const start = Date.now();
    const intervalMs = 1000 / iterationsPerSec;
    const pending = new Set<Promise<void>>();
    let next = 0;
    let lastLaunch = start;
    while (next < total && !signal?.aborted) {
      const now = Date.now();
      while (next < total && start + next * intervalMs <= now) {
        this.launch(next, start + next * intervalMs, pending);
        lastLaunch = now;
        next++;
      }
      const wait = Math.max(0, start + next * intervalMs - Date.now());
      await new Promise((r) => setTimeout(r, Math.min(wait, 50)));
    }
    await Promise.allSettled(pending);
    const result = {
      started: this.started,
      completed: this.completed,
      failed: this.failed,
      dropped: this.dropped,
      elapsedMs: Date.now() - start,
      spanMs: next === 0 ? 0 : lastLaunch - start + intervalMs,
    };
    this.emit('done', result);
    return result;
  }

  private launch(index: number, intendedAt: number, pending: Set<Promise<void>>): void {
    if (this.inFlight >= this.options.maxInFlight) {
      this.dropped++;
      return;
    }
    this.started++;
    this.inFlight++;
    const p = this.options
      .iteration(index, intendedAt)
      .then(
        () => {
          this.completed++;
        },
        () => {
          this.failed++;
        },
      )
      .finally(() => {
        this.inFlight--;
        pending.delete(p);
      });
    pending.add(p);
  }
}
