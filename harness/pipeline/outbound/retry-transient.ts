import { type RetryPolicy, withRetry } from './retry.js';
import type { Exchange, Wrapper } from './send.js';

/**
 * Turns one call into up to 1 + maxRetries attempts with retry.ts's policy (429 and 5xx and
 * transport errors retried, Retry-After first, else equal-jitter backoff) and records how many
 * it took. Everything per attempt (limiter, budget, fetch) sits inside it; everything per call
 * (tracing, reporting, error mapping) outside. The last answer is returned whatever its status.
 */
export function retryTransient(policy: RetryPolicy, signal?: AbortSignal): Wrapper {
  return (next) => async (call) => {
    const result = await withRetry<Exchange>(
      policy,
      async () => {
        const answer = await next(call);
        return { value: answer, status: answer.status, retryAfter: answer.headers.get('retry-after') };
      },
      signal,
    );
    return { ...result.value, retries: result.retries };
  };
}
