import type { RequestBudget } from '../pipeline/outbound/budget.js';
import { ClientRateLimiter } from '../pipeline/outbound/rate-limit.js';
import { defineFindings, fact, measure } from '../runs/vocabulary.js';
import type { PipelineMetrics } from '../telemetry/metrics.js';
import type { ApiConnection, CrmApi, RateLimitFact } from '../vendors/types.js';
import type { Target } from './types.js';

/** The findings every scenario that drives the vendor API reports from its ApiCounters. */
export const API_FINDINGS = defineFindings({
  'api.requests_count': fact('requests', 'vendor API requests the run sent, retries included'),
  'api.retries_count': measure(
    'retries',
    'retries the outbound client made after a 429, a 5xx or no answer',
    'lower',
    'count',
    'service',
  ),
  'api.rate_limited_count': measure(
    'responses',
    'answers that throttled the run (HTTP 429) although it kept under the documented limit',
    'lower',
    'count',
    'service',
  ),
});

/** What a run's API calls cost, counted as they happen (never per call stored). */
export interface ApiCounters {
  requests: number;
  retries: number;
  rateLimited: number;
}

/** The documented limit of a minute or less that allows the fewest requests per second. */
export function tightestShortLimit(limits: readonly RateLimitFact[]): RateLimitFact | undefined {
  const perSecond = (l: RateLimitFact) => l.requests / l.windowMs;
  return limits.filter((l) => l.windowMs <= 60_000).sort((a, b) => perSecond(a) - perSecond(b))[0];
}

/**
 * The vendor API as the run reaches it: the target's base URL, credentials and settings, the
 * run's abort signal and request budget; `extra` adds or replaces parts of the connection
 * (a limiter, a reporter, another token). No rate limiter unless given: the probe must meet the
 * vendor's own limit.
 */
export function runApi(
  target: Target,
  ctx: { readonly signal: AbortSignal; readonly budget?: RequestBudget },
  extra: Partial<ApiConnection> = {},
): CrmApi {
  return target.vendor.api({
    baseUrl: target.baseUrl,
    token: target.credentials.token,
    webhookSecret: target.credentials.webhookSecret,
    signal: ctx.signal,
    settings: target.settings,
    ...(ctx.budget ? { budget: ctx.budget } : {}),
    ...extra,
  });
}

/**
 * The run's client for the vendor API: the run's budget, metrics per call, and one rate limiter
 * shared by every caller at 90 % of the tightest documented short-window limit, so retries and
 * set-up calls cannot push the run over it.
 */
export function connectApi(
  target: Target,
  ctx: { readonly signal: AbortSignal; readonly budget?: RequestBudget; readonly metrics?: PipelineMetrics },
): { api: CrmApi; counters: ApiCounters } {
  const counters: ApiCounters = { requests: 0, retries: 0, rateLimited: 0 };
  const shortLimit = tightestShortLimit(target.vendor.profile.rateLimits.map((l) => l.value));
  const limiter = shortLimit
    ? new ClientRateLimiter(
        (shortLimit.requests / shortLimit.windowMs) * 1000 * 0.9,
        Math.max(1, Math.floor(shortLimit.requests * 0.1)),
      )
    : undefined;
  const api = runApi(target, ctx, {
    ...(limiter ? { limiter } : {}),
    onCall: (call) => {
      counters.requests++;
      counters.retries += call.retries;
      if (call.status === 429) counters.rateLimited++;
      ctx.metrics?.apiCalls.inc({ operation: call.operation, status: String(call.status) });
      if (call.retries > 0) ctx.metrics?.apiRetries.inc({ operation: call.operation }, call.retries);
    },
  });
  return { api, counters };
}
