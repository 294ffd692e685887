import { SERVICE_PROTECTION_CODES } from '../../harness/vendors/dynamics/profile.js';
import { createLimiter, type LimiterSpec, type RequestLimiter } from '../rate-limiter.js';
import type { DynamicsMockSettings } from './settings.js';

/**
 * The request-count limit (0x80072322): a test's `rateLimit` in any style, else Dataverse's own
 * sliding window (6,000 per 300 s by default, both adjustable through the settings).
 */
export function requestLimitSpec(settings: DynamicsMockSettings): LimiterSpec {
  return (
    settings.rateLimit ?? { style: 'sliding', limit: settings.requestsLimit, windowMs: settings.windowMs }
  );
}

/** Dataverse states Retry-After in whole seconds, rounded up so that honouring it is enough. */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/** A sliding-window sum of weights (execution milliseconds), cut into slots like the limiter. */
class WeightedWindow {
  private readonly slots: Float64Array;
  private readonly slotMs: number;
  private lastSlot = 0;
  private total = 0;

  constructor(windowMs: number, slots = 100) {
    this.slots = new Float64Array(slots);
    this.slotMs = windowMs / slots;
  }

  private advance(now: number): void {
    const slot = Math.floor(now / this.slotMs);
    if (slot - this.lastSlot >= this.slots.length) {
      this.slots.fill(0);
      this.total = 0;
    } else {
      for (let s = this.lastSlot + 1; s <= slot; s++) {
        const i = s % this.slots.length;
        this.total -= this.slots[i] ?? 0;
        this.slots[i] = 0;
      }
    }
    this.lastSlot = Math.max(this.lastSlot, slot);
  }

  add(now: number, weight: number): void {
    this.advance(now);
    const i = this.lastSlot % this.slots.length;
    this.slots[i] = (this.slots[i] ?? 0) + weight;
    this.total += weight;
  }

  sum(now: number): number {
    this.advance(now);
    return this.total;
  }
}

/** Dataverse's wording for 0x80072322, with the limit and window of the limiter in force. */
export function requestLimitMessage(spec: { readonly limit: number; readonly windowMs: number }): string {
  return `Number of requests exceeded the limit of ${spec.limit} over time window of ${Math.round(spec.windowMs / 1000)} seconds.`;
}

export interface Throttle {
  readonly code: string;
  readonly message: string;
  readonly retryAfterS: number;
}

/** One user's share of one web server: the three service protection limits of §5.3. */
class UserBudget {
  readonly requests: RequestLimiter;
  readonly executionMs: WeightedWindow;
  inFlight = 0;

  constructor(settings: DynamicsMockSettings) {
    this.requests = createLimiter(requestLimitSpec(settings));
    this.executionMs = new WeightedWindow(settings.windowMs);
  }
}

/**
 * Service protection as Dataverse applies it: per user, over a sliding window, three limits.
 * Over the request count, Retry-After is when the limiter admits again; over execution time it
 * is a whole window (the weighted window does not track when enough time has aged out).
 */
export class ServiceProtection {
  private readonly users = new Map<string, UserBudget>();

  constructor(private readonly settings: DynamicsMockSettings) {}

  private budget(user: string): UserBudget {
    let b = this.users.get(user);
    if (!b) {
      b = new UserBudget(this.settings);
      this.users.set(user, b);
    }
    return b;
  }

  /** Admits one request for `user`, or says which limit it broke. */
  admit(user: string, now: number): Throttle | undefined {
    const b = this.budget(user);
    const s = this.settings;
    const windowS = Math.round(s.windowMs / 1000);
    if (b.inFlight >= s.concurrentLimit) {
      return {
        code: SERVICE_PROTECTION_CODES.concurrency,
        message: `Number of concurrent requests exceeded the limit of ${s.concurrentLimit}.`,
        retryAfterS: 1,
      };
    }
    if (b.executionMs.sum(now) >= s.executionTimeLimitMs) {
      return {
        code: SERVICE_PROTECTION_CODES.executionTime,
        message: `Combined execution time of incoming requests exceeded limit of ${s.executionTimeLimitMs} milliseconds over time window of ${windowS} seconds. Decrease number of concurrent requests or reduce the duration of requests and try again later.`,
        retryAfterS: retryAfterSeconds(s.windowMs),
      };
    }
    if (!b.requests.tryTake(now)) {
      return {
        code: SERVICE_PROTECTION_CODES.requests,
        message: requestLimitMessage(b.requests),
        retryAfterS: retryAfterSeconds(b.requests.resetInMs(now)),
      };
    }
    b.inFlight++;
    return undefined;
  }

  /** Called when an admitted request has been answered. */
  release(user: string, now: number, durationMs: number): void {
    const b = this.budget(user);
    b.inFlight = Math.max(0, b.inFlight - 1);
    b.executionMs.add(now, durationMs);
  }

  /**
   * The two advisory headers (names from shared/vendors.md §5.3, unverified): requests left in
   * the limiter after this one, and execution seconds left in the window. Dataverse states
   * neither the limit nor the window, so neither does the mock.
   */
  headers(user: string, now: number): Record<string, string> {
    const b = this.budget(user);
    const remainingMs = Math.max(0, this.settings.executionTimeLimitMs - b.executionMs.sum(now));
    return {
      'x-ms-ratelimit-burst-remaining-xrm-requests': String(b.requests.remaining(now)),
      'x-ms-ratelimit-time-remaining-xrm-requests': (remainingMs / 1000).toFixed(2),
    };
  }
}
