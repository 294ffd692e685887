import { createLimiter, type RequestLimiter, RollingWindowLimiter } from '../rate-limiter.js';
import type { PipedriveMockSettings, TokenCosts } from './settings.js';
import { ceilSeconds, windowResetMs } from './window-reset.js';

export type TokenKind = 'api_token' | 'access_token';

/** What a request is, as far as its token cost and the search limit are concerned. */
export interface RequestClass {
  readonly version: 'v1' | 'v2';
  readonly kind: keyof TokenCosts;
}

export type LimitVerdict =
  | { readonly ok: true; readonly headers: Record<string, string> }
  | {
      readonly ok: false;
      readonly headers: Record<string, string>;
      readonly error: string;
      /** Seconds until the refused request would be admitted, for Retry-After. */
      readonly retryAfterS: number;
    };

const DAY_MS = 86_400_000;

/** A company's daily token budget: each call costs tokens by endpoint; resets at midnight UTC. */
class TokenBudget {
  private day = -1;
  private used = 0;

  constructor(readonly budget: number) {}

  private roll(now: number): void {
    const day = Math.floor(now / DAY_MS);
    if (day !== this.day) {
      this.day = day;
      this.used = 0;
    }
  }

  tryTake(cost: number, now: number): boolean {
    this.roll(now);
    if (this.used + cost > this.budget) return false;
    this.used += cost;
    return true;
  }

  remaining(now: number): number {
    this.roll(now);
    return Math.max(0, this.budget - this.used);
  }
}

/**
 * Pipedrive's limits: a rolling 2 s burst window per token (api_token and OAuth tokens have
 * different sizes; `settings.rateLimit` / `oauthRateLimit` swap in any style), a separate 10 per
 * 2 s window for search endpoints, and a daily token budget per company. Every answer carries the
 * headers, read from the limiter's state; a refused request costs nothing.
 */
export class PipedriveLimits {
  private readonly burst: Record<TokenKind, RequestLimiter>;
  private readonly search: RequestLimiter;
  private readonly budget: TokenBudget;
  /** When each limiter last admitted a request: its window is whole again `windowMs` later. */
  private readonly lastTaken = new Map<RequestLimiter, number>();

  constructor(private readonly settings: PipedriveMockSettings) {
    this.burst = {
      api_token: createLimiter(
        settings.rateLimit ?? { style: 'sliding', limit: settings.burstLimit, windowMs: settings.windowMs },
      ),
      access_token: createLimiter(
        settings.oauthRateLimit ?? {
          style: 'sliding',
          limit: settings.oauthBurstLimit,
          windowMs: settings.windowMs,
        },
      ),
    };
    this.search = new RollingWindowLimiter(settings.searchBurstLimit, settings.windowMs);
    this.budget = new TokenBudget(settings.dailyTokenBudget);
  }

  private take(limiter: RequestLimiter, now: number): boolean {
    if (!limiter.tryTake(now)) return false;
    this.lastTaken.set(limiter, now);
    return true;
  }

  private headers(window: RequestLimiter, now: number): Record<string, string> {
    return {
      'x-ratelimit-limit': String(window.limit),
      'x-ratelimit-remaining': String(Math.max(0, window.remaining(now))),
      // A duration in seconds, as in the documented example (`x-ratelimit-reset: 2`).
      'x-ratelimit-reset': String(ceilSeconds(windowResetMs(window, this.lastTaken.get(window), now))),
      'x-daily-ratelimit-token-remaining': String(this.budget.remaining(now)),
    };
  }

  private refused(window: RequestLimiter, now: number, error: string, retryAfterMs: number): LimitVerdict {
    return {
      ok: false,
      headers: this.headers(window, now),
      error,
      retryAfterS: Math.max(1, ceilSeconds(retryAfterMs)),
    };
  }

  check(kind: TokenKind, request: RequestClass, now: number): LimitVerdict {
    const burst = this.burst[kind];
    const cost = (request.version === 'v2' ? this.settings.v2Costs : this.settings.v1Costs)[request.kind];
    if (this.budget.remaining(now) < cost) {
      // The budget comes back at the start of the next day (UTC in the mock).
      return this.refused(burst, now, 'Daily token budget exceeded', DAY_MS - (now % DAY_MS));
    }
    if (!this.take(burst, now)) return this.refused(burst, now, 'Request over limit', burst.resetInMs(now));
    if (request.kind === 'search' && !this.take(this.search, now)) {
      return this.refused(this.search, now, 'Request over limit', this.search.resetInMs(now));
    }
    this.budget.tryTake(cost, now);
    return { ok: true, headers: this.headers(request.kind === 'search' ? this.search : burst, now) };
  }
}
