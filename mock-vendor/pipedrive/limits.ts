import type { PipedriveMockSettings, TokenCosts } from '../profiles/pipedrive.js';
import { RollingWindowLimiter } from '../rate-limiter.js';

export type TokenKind = 'api_token' | 'access_token';

/** What a request is, as far as its token cost and the search limit are concerned. */
export interface RequestClass {
  readonly version: 'v1' | 'v2';
  readonly kind: keyof TokenCosts;
}

export type LimitVerdict =
  | { readonly ok: true; readonly headers: Record<string, string> }
  | { readonly ok: false; readonly headers: Record<string, string>; readonly error: string };

/** A company's daily token budget: each call costs tokens by endpoint; resets at midnight UTC. */
class TokenBudget {
  private day = -1;
  private used = 0;

  constructor(readonly budget: number) {}

  private roll(now: number): void {
    const day = Math.floor(now / 86_400_000);
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
 * different sizes), a separate 10 per 2 s window for search endpoints, and a daily token budget
 * per company. Every answer carries the headers; a refused request costs nothing.
 */
export class PipedriveLimits {
  private readonly burst: Record<TokenKind, RollingWindowLimiter>;
  private readonly search: RollingWindowLimiter;
  private readonly budget: TokenBudget;

  constructor(private readonly settings: PipedriveMockSettings) {
    this.burst = {
      api_token: new RollingWindowLimiter(settings.burstLimit, settings.windowMs),
      access_token: new RollingWindowLimiter(settings.oauthBurstLimit, settings.windowMs),
    };
    this.search = new RollingWindowLimiter(settings.searchBurstLimit, settings.windowMs);
    this.budget = new TokenBudget(settings.dailyTokenBudget);
  }

  private headers(window: RollingWindowLimiter, now: number): Record<string, string> {
    return {
      'x-ratelimit-limit': String(window.limit),
      'x-ratelimit-remaining': String(window.remaining(now)),
      // A duration in seconds, as in the documented example (`x-ratelimit-reset: 2`).
      'x-ratelimit-reset': String(Math.ceil(window.windowMs / 1000)),
      'x-daily-ratelimit-token-remaining': String(this.budget.remaining(now)),
    };
  }

  check(kind: TokenKind, request: RequestClass, now: number): LimitVerdict {
    const burst = this.burst[kind];
    const cost = (request.version === 'v2' ? this.settings.v2Costs : this.settings.v1Costs)[request.kind];
    if (this.budget.remaining(now) < cost) {
      return { ok: false, headers: this.headers(burst, now), error: 'Daily token budget exceeded' };
    }
    if (!burst.tryTake(now))
      return { ok: false, headers: this.headers(burst, now), error: 'Request over limit' };
    if (request.kind === 'search' && !this.search.tryTake(now)) {
      return { ok: false, headers: this.headers(this.search, now), error: 'Request over limit' };
    }
    this.budget.tryTake(cost, now);
    return { ok: true, headers: this.headers(request.kind === 'search' ? this.search : burst, now) };
  }
}
