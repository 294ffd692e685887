import type { ApiRateLimiter } from '../../vendors/types.js';
import { retryAfterMs } from './retry.js';
import type { Wrapper } from './send.js';

/** Without the vendor's word (HubSpot sends no Retry-After), everyone backs off this long. */
const DEFAULT_PAUSE_MS = 1000;

/**
 * Keeps every caller of a run under the vendor's limit: a token from the shared limiter before
 * each attempt, and a 429 pauses all callers, not only the one that got it. Sits inside the
 * retry layer, so retries wait for a token like first attempts do, and outside the budget, so
 * a request is counted only once it may go.
 */
export function paceByLimiter(limiter: ApiRateLimiter, signal?: AbortSignal): Wrapper {
  return (next) => async (call) => {
    await limiter.acquire(signal);
    const answer = await next(call);
    if (answer.status === 429) {
      limiter.pauseFor(retryAfterMs(answer.headers.get('retry-after')) ?? DEFAULT_PAUSE_MS);
    }
    return answer;
  };
}
