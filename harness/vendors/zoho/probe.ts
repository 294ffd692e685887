import type { RawResponse } from '../../pipeline/outbound/http-client.js';
import { retryAfterMs } from '../../pipeline/outbound/retry.js';
import type { ProbeResult } from '../types.js';

/** The cheapest authenticated read a limit test would hammer: one contact, one field, 1 credit. */
export const ZOHO_PROBE_PATH = '/crm/v8/Contacts?fields=Email&per_page=1';

/**
 * Zoho turns a call away with 429 TOO_MANY_REQUESTS, for its concurrency cap and its credit
 * budget alike (shared/vendors.md §4.3). It documents no rate-limit headers, so nothing is
 * advertised; Retry-After is not documented either, but is read if an org ever sends it.
 */
export function zohoProbeResult(res: RawResponse): ProbeResult {
  return {
    status: res.status,
    throttled: res.status === 429,
    retryAfterMs: retryAfterMs(res.headers.get('retry-after')),
    advertised: {},
    at: Date.now(),
  };
}
