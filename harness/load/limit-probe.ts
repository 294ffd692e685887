import { setTimeout as sleep } from 'node:timers/promises';
import { isPocError } from '../errors.js';
import type { ProbeResult } from '../vendors/types.js';

/** One burst: requests back to back until the vendor throttles, the cap is hit or the budget ends. */
export interface Burst {
  readonly ok: number;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly firstOk: ProbeResult | undefined;
  readonly lastOk: ProbeResult | undefined;
  /** The vendor's over-limit answer that ended the burst; undefined if it never came. */
  readonly throttle: ProbeResult | undefined;
}

/** The first admitted request after a throttle, and what finding it cost. */
export interface Recovery {
  readonly at: number;
  readonly probes: number;
  readonly result: ProbeResult;
}

/**
 * Sends probes for rate-limit-probe and counts what they cost. It never retries and stops for
 * good once the budget is spent (`exhausted`), so every figure says how much it was worth.
 */
export class LimitProber {
  spent = 0;
  exhausted = false;

  constructor(
    private readonly probe: () => Promise<ProbeResult>,
    private readonly maxRequests: number,
    private readonly signal?: AbortSignal,
  ) {}

  get left(): number {
    return this.exhausted ? 0 : this.maxRequests - this.spent;
  }

  async one(): Promise<ProbeResult | undefined> {
    if (this.spent >= this.maxRequests || this.signal?.aborted) {
      this.exhausted = true;
      return undefined;
    }
    this.spent++;
    try {
      return await this.probe();
    } catch (err) {
      if (isPocError(err) && err.code === 'POC_ERR_BUDGET_EXHAUSTED') {
        this.exhausted = true;
        return undefined;
      }
      throw err;
    }
  }

  /** Back-to-back requests until throttled (or `cap` admitted). */
  async burst(cap = Number.POSITIVE_INFINITY): Promise<Burst> {
    const startedAt = Date.now();
    let ok = 0;
    let firstOk: ProbeResult | undefined;
    let lastOk: ProbeResult | undefined;
    while (ok < cap) {
      const r = await this.one();
      if (!r) break;
      if (r.throttled) return { ok, startedAt, endedAt: r.at, firstOk, lastOk, throttle: r };
      ok++;
      firstOk ??= r;
      lastOk = r;
    }
    return { ok, startedAt, endedAt: Date.now(), firstOk, lastOk, throttle: undefined };
  }

  /**
   * Probes until one request is admitted again. Spacing grows geometrically but stays under 3%
   * of the time waited so far, so the recovery time is known to about 3% for a few dozen probes.
   */
  async recovery(since: number, maxWaitMs: number): Promise<Recovery | undefined> {
    let spacing = 2;
    let probes = 0;
    while (Date.now() - since < maxWaitMs) {
      await sleep(spacing, undefined, this.signal ? { signal: this.signal } : undefined).catch(
        () => undefined,
      );
      const r = await this.one();
      if (!r) return undefined;
      probes++;
      if (!r.throttled) return { at: r.at, probes, result: r };
      spacing = Math.min(spacing * 1.25, Math.max(2, 0.03 * (Date.now() - since)), 1000);
    }
    return undefined;
  }

  /** Waits, checking the signal, without spending anything. */
  async idle(ms: number): Promise<void> {
    await sleep(Math.max(0, ms), undefined, this.signal ? { signal: this.signal } : undefined).catch(
      () => undefined,
    );
  }
}
