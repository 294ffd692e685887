import type { ApiCallOutcome } from '../../vendors/types.js';
import type { Wrapper } from './send.js';

/**
 * Tells the run about every call that got an answer (any status): operation, status, retries
 * and the time it took, retries and limiter waits included. Sits outside the retry layer (one
 * report per call) and inside the error layer, so a 4xx is reported before it becomes an error.
 */
export function reportCall(onCall: (call: ApiCallOutcome) => void): Wrapper {
  return (next) => async (call) => {
    const started = performance.now();
    const answer = await next(call);
    onCall({
      operation: call.operation,
      status: answer.status,
      retries: answer.retries,
      durationMs: performance.now() - started,
    });
    return answer;
  };
}
