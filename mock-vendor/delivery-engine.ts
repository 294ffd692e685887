import { activeWindow, type DeliveryFaults } from './faults.js';
import type { GroundTruth } from './truth.js';

/** An event waiting for delivery, with the attempt it is on. */
export interface PendingEvent<E> {
  readonly event: E;
  readonly objectId: string;
  attempt: number;
  /** A copy injected by the duplicate fault: it does not count as a new acknowledgement. */
  readonly duplicate: boolean;
  acknowledged: boolean;
}

/** How a vendor puts events on the wire: batching, body shape and signature headers. */
export interface DeliveryFormat<E> {
  readonly batchMax: number;
  /** Whether the receiver's answer counts as delivered; any 2xx when absent. */
  accepted?(status: number, body: string): boolean;
  encode(
    batch: readonly PendingEvent<E>[],
    url: string,
    now: number,
  ): { body: string; headers: Record<string, string> };
}

export interface DeliveryPolicy {
  concurrency: number;
  timeoutMs: number;
  /** Nominal delay before each retry; the length is the number of retries before giving up. */
  retryDelaysMs: readonly number[];
  retryJitter: number;
  /** Retry delays are divided by this, so a day of retries fits in a test. */
  timeScale: number;
  /** When the mock started (fault windows count from it); the engine's creation when absent. */
  startedAt?: number;
}

/**
 * The vendor's outbound webhook engine: batches pending events, keeps at most `concurrency`
 * requests in flight, retries failed batches on the vendor's schedule and gives up after it.
 */
export class DeliveryEngine<E> {
  private queue: PendingEvent<E>[] = [];
  private head = 0;
  private inFlight = 0;
  private scheduled = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;
  private readonly inFlightAbort = new AbortController();
  private readonly startedAt: number;
  private outageWait = false;
  targetUrl: string | undefined;

  constructor(
    private readonly format: DeliveryFormat<E>,
    readonly policy: DeliveryPolicy,
    public faults: DeliveryFaults,
    private readonly truth: GroundTruth,
    private readonly random: () => number = Math.random,
  ) {
    this.startedAt = policy.startedAt ?? Date.now();
  }

  get pending(): number {
    return this.queue.length - this.head + this.inFlight;
  }

  emit(event: E, objectId: string): void {
    this.truth.recordEmit(objectId);
    this.enqueue({ event, objectId, attempt: 0, duplicate: false, acknowledged: false });
  }

  stop(): void {
    this.inFlightAbort.abort();
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private enqueue(item: PendingEvent<E>): void {
    if (item.attempt === 0 && !item.duplicate && this.random() < this.faults.reorder) {
      this.truth.reordered++;
      // Held back long enough that later events overtake it.
      this.later(() => this.push(item), 20 + this.random() * 200);
      return;
    }
    this.push(item);
  }

  private push(item: PendingEvent<E>): void {
    this.queue.push(item);
    this.schedule();
  }

  private later(fn: () => void, ms: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopped) fn();
    }, ms);
    this.timers.add(timer);
  }

  private schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    // During an injected outage nothing leaves the vendor; the queue waits for the end.
    const epoch = this.faults.epochMs ?? this.startedAt;
    const outage = activeWindow(this.faults.outages, Date.now() - epoch);
    if (outage) {
      if (!this.outageWait) {
        this.outageWait = true;
        this.later(
          () => {
            this.outageWait = false;
            this.schedule();
          },
          outage.startMs + outage.durationMs - (Date.now() - epoch),
        );
      }
      return;
    }
    while (this.inFlight < this.policy.concurrency && this.head < this.queue.length && this.targetUrl) {
      const end = Math.min(this.queue.length, this.head + this.format.batchMax);
      const batch = this.queue.slice(this.head, end);
      this.head = end;
      if (this.head > 4096 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      this.inFlight++;
      void this.attempt(batch, this.targetUrl).finally(() => {
        this.inFlight--;
        this.schedule();
      });
    }
  }

  private async attempt(batch: PendingEvent<E>[], url: string): Promise<void> {
    if (this.faults.jitterMs > 0)
      await new Promise((r) => setTimeout(r, this.random() * this.faults.jitterMs));
    this.truth.attempts++;
    if (this.random() < this.faults.failure) {
      this.truth.injectedFailures++;
      this.fail(batch);
      return;
    }
    let ok = false;
    try {
      // Encoding sits inside the try: a bad event must fail this attempt, not the process.
      const { body, headers } = this.format.encode(batch, url, Date.now());
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
        signal: AbortSignal.any([AbortSignal.timeout(this.policy.timeoutMs), this.inFlightAbort.signal]),
      });
      const text = await res.text();
      ok = this.format.accepted
        ? this.format.accepted(res.status, text)
        : res.status >= 200 && res.status < 300;
    } catch {
      ok = false;
    }
    if (!ok) {
      this.fail(batch);
      return;
    }
    for (const item of batch) {
      if (!item.duplicate && !item.acknowledged) {
        item.acknowledged = true;
        this.truth.acknowledged++;
      }
      if (!item.duplicate && this.random() < this.faults.duplicate) {
        this.truth.injectedDuplicates++;
        this.push({ ...item, duplicate: true });
      }
    }
  }

  private fail(batch: PendingEvent<E>[]): void {
    this.truth.failedAttempts++;
    // A batch can mix fresh events and retries: each follows its own place in the schedule.
    const byAttempt = new Map<number, PendingEvent<E>[]>();
    for (const item of batch) {
      const group = byAttempt.get(item.attempt);
      if (group) group.push(item);
      else byAttempt.set(item.attempt, [item]);
    }
    for (const [retry, items] of byAttempt) {
      const nominal = this.policy.retryDelaysMs[retry];
      if (nominal === undefined) {
        for (const item of items) if (!item.duplicate && !item.acknowledged) this.truth.dropped++;
        continue;
      }
      this.truth.retriesScheduled++;
      const spread = 1 + this.policy.retryJitter * (2 * this.random() - 1);
      this.later(
        () => {
          for (const item of items) {
            item.attempt = retry + 1;
            this.push(item);
          }
        },
        (nominal * spread) / this.policy.timeScale,
      );
    }
  }
}
