import { isPocError, PocError } from '../../errors.js';
import { redactText } from '../../log.js';
import type { Wrapper } from './send.js';

/** Enough of a vendor's error body to see what it objected to. */
const EXCERPT_CHARS = 300;

/**
 * The outermost layer: what the callers of a JSON client get as errors. No answer after the
 * retries is POC_ERR_VENDOR_UNREACHABLE; an answer >= 400 is POC_ERR_VENDOR_HTTP with a
 * redacted excerpt of its body (vendors echo credentials); an abort and our own errors (a spent
 * budget) pass through as they are.
 */
export function mapErrors(maxRetries: number, signal?: AbortSignal): Wrapper {
  return (next) => async (call) => {
    let answer: Awaited<ReturnType<typeof next>>;
    try {
      answer = await next(call);
    } catch (err) {
      if (isPocError(err) || signal?.aborted) throw err;
      throw new PocError(
        'POC_ERR_VENDOR_UNREACHABLE',
        `${call.operation}: ${call.method} ${call.path} got no answer after ${maxRetries} retries (${(err as Error).message})`,
        { cause: err },
      );
    }
    if (answer.status >= 400) {
      // Redacted before it is cut, so a secret straddling the cut cannot show its first half.
      // The headers here are the caller's own: tracing adds its traceparent further down.
      const excerpt = redactText(answer.text, Object.values(call.headers)).slice(0, EXCERPT_CHARS);
      throw new PocError(
        'POC_ERR_VENDOR_HTTP',
        `${call.operation}: ${call.method} ${call.path} answered ${answer.status} after ${answer.retries} retries: ${excerpt}`,
      );
    }
    return answer;
  };
}
