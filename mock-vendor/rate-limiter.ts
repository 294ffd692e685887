/**
 * A rolling-window request counter (HubSpot's "ten_secondly_rolling"): the window is cut into
 * fixed slots so memory stays constant whatever the request rate.
 */
export class RollingWindowLimiter {
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
