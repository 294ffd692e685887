import { setTimeout as sleep } from 'node:timers/promises';
import { isPocError, PocError } from '../errors.js';
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
    /** Concurrent callers in a burst (see `burst`). */
    private readonly workers = 1,
  ) {}

  get left(): number {
    return this.exhausted ? 0 : this.maxRequests - this.spent;
  }

  async one(): Promise<ProbeResult | undefined> {
    if (this.spent >= this.maxRequests || this.signal?.aborted) {
      this.exhausted = true;
      return undefined;
    }
    let r: ProbeResult;
    try {
      r = await this.probe();
    } catch (err) {
      // Ctrl-C or a spent budget ends probing; what was measured so far is still reported.
      if (this.signal?.aborted || (isPocError(err) && err.code === 'POC_ERR_BUDGET_EXHAUSTED')) {
        this.exhausted = true;
        return undefined;
      }
      throw err;
    }
    this.spent++;
    // Only a 2xx is admitted capacity: a 401 or a 5xx is not the limit talking.
    if (!r.throttled && (r.status < 200 || r.status >= 300)) {
      throw new PocError(
        'POC_ERR_VENDOR_HTTP',
        `rate-limit-probe: the probe request answered ${r.status}, which is neither admitted nor the vendor's over-limit answer; run \`poc doctor\` first`,
      );
    }
    return r;
  }

  /**
   * Back-to-back requests from `workers` concurrent callers until throttled (or `cap` admitted).
   * One caller cannot outrun a limit above 1/RTT, which on a live vendor is often too slow.
   */
  async burst(cap = Number.POSITIVE_INFINITY, workers = this.workers): Promise<Burst> {
    const startedAt = Date.now();
    let ok = 0;
    let firstOk: ProbeResult | undefined;
    let lastOk: ProbeResult | undefined;
    let throttle: ProbeResult | undefined;
    const worker = async () => {
      while (ok < cap && !throttle) {
        const r = await this.one();
        if (!r) return;
        if (r.throttled) {
          throttle ??= r;
          return;
        }
        ok++;
        if (!firstOk || r.at < firstOk.at) firstOk = r;
        if (!lastOk || r.at >= lastOk.at) lastOk = r;
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, workers) }, worker));
    const endedAt = (throttle as ProbeResult | undefined)?.at ?? Date.now();
    return { ok, startedAt, endedAt, firstOk, lastOk, throttle };
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
