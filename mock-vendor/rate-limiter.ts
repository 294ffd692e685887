/**
 * A request limiter as a vendor runs one. Every style admits `limit` requests per `windowMs` on
 * average (the sustained rate); they differ in burst and in how capacity comes back, which is
 * exactly what rate-limit-probe has to infer from outside.
 */
export interface RequestLimiter {
  readonly limit: number;
  readonly windowMs: number;
  /** Counts the request if it fits; false when it is over the limit. */
  tryTake(now: number): boolean;
  remaining(now: number): number;
  /** How long until at least one more request would be admitted (0 when one would be now). */
  resetInMs(now: number): number;
}

export type LimiterStyle = 'fixed' | 'sliding' | 'token-bucket';

export interface LimiterSpec {
  readonly style: LimiterStyle;
  readonly limit: number;
  readonly windowMs: number;
}

export function createLimiter(spec: LimiterSpec): RequestLimiter {
  switch (spec.style) {
    case 'fixed':
      return new FixedWindowLimiter(spec.limit, spec.windowMs);
    case 'sliding':
      return new RollingWindowLimiter(spec.limit, spec.windowMs);
    case 'token-bucket':
      return new TokenBucketLimiter(spec.limit, spec.windowMs);
  }
}

/** Counts requests per window aligned on multiples of `windowMs`; the count drops to 0 at each boundary. */
export class FixedWindowLimiter implements RequestLimiter {
  private window = -1;
  private used = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  private roll(now: number): void {
    const w = Math.floor(now / this.windowMs);
    if (w !== this.window) {
      this.window = w;
      this.used = 0;
    }
  }

  tryTake(now: number): boolean {
    this.roll(now);
    if (this.used >= this.limit) return false;
    this.used++;
    return true;
  }

  remaining(now: number): number {
    this.roll(now);
    return this.limit - this.used;
  }

  resetInMs(now: number): number {
    this.roll(now);
    return this.used < this.limit ? 0 : (this.window + 1) * this.windowMs - now;
  }
}

/**
 * A bucket of `limit` tokens refilled continuously so that a full bucket takes `windowMs`:
 * bursts up to `limit`, sustained `limit / windowMs`.
 */
export class TokenBucketLimiter implements RequestLimiter {
  private tokens: number;
  private last = -1;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {
    this.tokens = limit;
  }

  private refill(now: number): void {
    if (this.last >= 0)
      this.tokens = Math.min(this.limit, this.tokens + ((now - this.last) * this.limit) / this.windowMs);
    this.last = now;
  }

  tryTake(now: number): boolean {
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  remaining(now: number): number {
    this.refill(now);
    return Math.floor(this.tokens);
  }

  resetInMs(now: number): number {
    this.refill(now);
    return this.tokens >= 1 ? 0 : ((1 - this.tokens) * this.windowMs) / this.limit;
  }
}

/**
 * A rolling-window request counter (HubSpot's "ten_secondly_rolling"): the window is cut into
 * fixed slots so memory stays constant whatever the request rate.
 */
export class RollingWindowLimiter implements RequestLimiter {
  private readonly slots: Int32Array;
  private readonly slotMs: number;
  private lastSlot = 0;
  private inWindow = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    slots = 100,
  ) {
    this.slots = new Int32Array(slots);
    this.slotMs = windowMs / slots;
  }

  private advance(now: number): void {
    const slot = Math.floor(now / this.slotMs);
    if (slot - this.lastSlot >= this.slots.length) {
      this.slots.fill(0);
      this.inWindow = 0;
    } else {
      for (let s = this.lastSlot + 1; s <= slot; s++) {
        const i = s % this.slots.length;
        this.inWindow -= this.slots[i] ?? 0;
        this.slots[i] = 0;
      }
    }
    this.lastSlot = Math.max(this.lastSlot, slot);
  }

  /** Counts the request if it fits; returns false when it is over the limit. */
  tryTake(now: number): boolean {
    this.advance(now);
    if (this.inWindow >= this.limit) return false;
    const i = this.lastSlot % this.slots.length;
    this.slots[i] = (this.slots[i] ?? 0) + 1;
    this.inWindow++;
    return true;
  }

  remaining(now: number): number {
    this.advance(now);
    return Math.max(0, this.limit - this.inWindow);
  }

  resetInMs(now: number): number {
    this.advance(now);
    if (this.inWindow < this.limit) return 0;
    // The oldest non-empty slot leaves the window first.
    for (let age = this.slots.length - 1; age >= 0; age--) {
      const slot = this.lastSlot - age;
      if ((this.slots[slot % this.slots.length] ?? 0) > 0)
        return (slot + this.slots.length) * this.slotMs - now;
    }
    return 0;
  }
}

/** A daily quota that resets at midnight UTC (HubSpot resets in the account's time zone). */
export class DailyQuota {
  private day = -1;
  private used = 0;

  constructor(readonly limit: number) {}

  tryTake(now: number): boolean {
    const day = Math.floor(now / 86_400_000);
    if (day !== this.day) {
      this.day = day;
      this.used = 0;
    }
    if (this.used >= this.limit) return false;
    this.used++;
    return true;
  }

  remaining(): number {
    return Math.max(0, this.limit - this.used);
  }
}
