import type { RawResponse } from '../../pipeline/outbound/http-client.js';
import { retryAfterMs } from '../../pipeline/outbound/retry.js';
import type { AdvertisedLimit, ProbeResult } from '../types.js';

/**
 * `Sforce-Limit-Info: api-usage=10018/100000` (shared/vendors.md §2.3), sometimes followed by
 * `; api-bursts=1/750` or an old `per-app-api-usage=...`: only api-usage is the org allocation.
 * The allocation rolls over 24 h and no header states a shorter window, so it is advertised as a
 * daily quota: a burst of seconds must never be compared with it.
 */
export function advertisedLimit(headers: Headers): AdvertisedLimit {
  const usage = /(?:^|[;,\s])api-usage=(\d+)\/(\d+)/.exec(headers.get('sforce-limit-info') ?? '');
  if (!usage) return {};
  const used = Number(usage[1]);
  const limit = Number(usage[2]);
  return { dailyLimit: limit, dailyRemaining: Math.max(0, limit - used) };
}

/** True when the body is Salesforce's error array and one entry carries `errorCode`. */
export function hasErrorCode(body: string, errorCode: string): boolean {
  try {
    const parsed: unknown = JSON.parse(body);
    return (
      Array.isArray(parsed) && parsed.some((e) => (e as { errorCode?: unknown })?.errorCode === errorCode)
    );
  } catch {
    return false;
  }
}

/**
 * The REST API throttles with HTTP 403 and errorCode REQUEST_LIMIT_EXCEEDED, never 429 and with
 * no Retry-After; a 403 without that code is a permission problem, not a throttle. A 429 (which
 * Connect REST documents for its own hourly limits) is counted too, so that it is never taken
 * for an admitted request.
 */
export function probeResult(res: RawResponse): ProbeResult {
  return {
    status: res.status,
    throttled: res.status === 429 || (res.status === 403 && hasErrorCode(res.body, 'REQUEST_LIMIT_EXCEEDED')),
    // Salesforce sends none; read it anyway so a proxy or a change on its side shows up.
    retryAfterMs: retryAfterMs(res.headers.get('retry-after')),
    advertised: advertisedLimit(res.headers),
    at: Date.now(),
  };
}
