import { endRequestSpan, startRequestSpan, tracingOn } from '../../telemetry/trace-spans.js';
import type { Wrapper } from './send.js';

/**
 * One crm.api.request span per logical call, and its traceparent on every attempt: the vendor
 * saw one write, however many tries it took. Must sit outside the retry layer. The caller's
 * headers win over the injected ones. Skipped entirely while tracing is off.
 */
export function traceCall(baseUrl: string): Wrapper {
  return (next) => async (call) => {
    if (!tracingOn) return next(call);
    const { span, headers } = startRequestSpan(call.operation, call.method, baseUrl, call.path);
    let answer: Awaited<ReturnType<typeof next>>;
    try {
      answer = await next({ ...call, headers: { ...headers, ...call.headers } });
    } catch (err) {
      endRequestSpan(span, undefined, 0, err);
      throw err;
    }
    endRequestSpan(span, answer.status, answer.retries);
    return answer;
  };
}
