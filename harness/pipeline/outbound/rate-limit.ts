import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The client side of a vendor's rate limit: one token bucket shared by every worker of a run,
 * so twenty concurrent writers together stay under the limit instead of each believing it has
 * the whole allowance. A 429 with Retry-After (or a reset header) pauses everyone, not just the
 * caller that got it: the vendor is telling the whole integration to wait.
 */
export class ClientRateLimiter {
  private tokens: number;
  private last = Date.now();
  private pausedUntil = 0;
  private tail: Promise<void> = Promise.resolve();

  constructor(
    /** Sustained requests per second to aim for (measured or documented, times headroom). */
    readonly perSecond: number,
    /** Requests that may go back to back; keep it under the vendor's burst. */
    readonly burst: number,
  ) {
    this.tokens = burst;
  }

  /** Resolves when this caller may send one request; callers are served in arrival order. */
  acquire(signal?: AbortSignal): Promise<void> {
    const turn = this.tail.then(() => this.waitForToken(signal));
    // A failed wait (abort) must not stall the callers queued behind it.
    this.tail = turn.catch(() => undefined);
    return turn;
  }

  /** Everyone waits `ms` (Retry-After or the reset header of an over-limit answer). */
  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
    this.tokens = Math.min(this.tokens, 0);
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.perSecond) / 1000);
    this.last = now;
  }

  private async waitForToken(signal?: AbortSignal): Promise<void> {
    const options = signal ? { signal } : undefined;
    for (;;) {
      const now = Date.now();
      if (now < this.pausedUntil) {
        await sleep(this.pausedUntil - now, undefined, options);
        this.last = Math.max(this.last, this.pausedUntil);
        continue;
      }
      this.refill(now);
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await sleep(Math.ceil(((1 - this.tokens) * 1000) / this.perSecond), undefined, options);
    }
  }
}
