import type { RawResponse } from '../../pipeline/outbound/http-client.js';
import { retryAfterMs } from '../../pipeline/outbound/retry.js';
import type { AdvertisedLimit, ProbeResult } from '../types.js';
import { numberHeader } from '../wire.js';

/**
 * What the CRM's draft-06 rate-limit headers claim: RateLimit-Limit, RateLimit-Remaining,
 * RateLimit-Reset (delta seconds) and the window from RateLimit-Policy (`100;w=10`).
 */
export function advertisedLimit(headers: Headers): AdvertisedLimit {
  const limit = numberHeader(headers, 'ratelimit-limit');
  const remaining = numberHeader(headers, 'ratelimit-remaining');
  const resetS = numberHeader(headers, 'ratelimit-reset');
  const window = /;\s*w=(\d+)/.exec(headers.get('ratelimit-policy') ?? '')?.[1];
  return {
    ...(limit === undefined ? {} : { limit }),
    ...(remaining === undefined ? {} : { remaining }),
    ...(resetS === undefined ? {} : { resetMs: resetS * 1000 }),
    ...(window === undefined ? {} : { windowMs: Number(window) * 1000 }),
  };
}

/** The CRM throttles with a plain 429 (problem code `rate_limited`) and Retry-After in seconds. */
export function probeResult(res: RawResponse): ProbeResult {
  return {
    status: res.status,
    throttled: res.status === 429,
    retryAfterMs: retryAfterMs(res.headers.get('retry-after')),
    advertised: advertisedLimit(res.headers),
    at: Date.now(),
  };
}
