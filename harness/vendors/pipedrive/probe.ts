import type { RawResponse } from '../../pipeline/outbound/http-client.js';
import { retryAfterMs } from '../../pipeline/outbound/retry.js';
import type { AdvertisedLimit, ProbeResult } from '../types.js';
import { numberHeader } from '../wire.js';

/** The read the probe repeats: one person from the v2 list, which meets the per-token burst window. */
export const PROBE_PATH = '/api/v2/persons?limit=1';

/**
 * What Pipedrive's headers claim (shared/vendors.md §3.3): x-ratelimit-limit and -remaining for
 * the 2 s burst window, x-ratelimit-reset as a duration in seconds, and the company's daily token
 * budget left (x-daily-ratelimit-token-remaining). No header states the window length or the daily
 * budget's size. The daily figure counts tokens, not requests: each call costs tokens by endpoint.
 */
export function advertisedLimit(headers: Headers): AdvertisedLimit {
  const limit = numberHeader(headers, 'x-ratelimit-limit');
  const remaining = numberHeader(headers, 'x-ratelimit-remaining');
  const resetS = numberHeader(headers, 'x-ratelimit-reset');
  const dailyRemaining = numberHeader(headers, 'x-daily-ratelimit-token-remaining');
  return {
    ...(limit === undefined ? {} : { limit }),
    ...(remaining === undefined ? {} : { remaining }),
    ...(resetS === undefined ? {} : { resetMs: resetS * 1000 }),
    ...(dailyRemaining === undefined ? {} : { dailyRemaining }),
  };
}

/** Pipedrive throttles with 429 (burst window or daily budget), Retry-After in seconds. */
export function probeResult(res: RawResponse): ProbeResult {
  return {
    status: res.status,
    throttled: res.status === 429,
    retryAfterMs: retryAfterMs(res.headers.get('retry-after')),
    advertised: advertisedLimit(res.headers),
    at: Date.now(),
  };
}
