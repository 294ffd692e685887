import type { ApiBudget, ApiCallOutcome, ApiConnection, ApiRateLimiter } from '../../vendors/types.js';
import { fetchOnce, trimSlash } from './fetch-once.js';
import { mapErrors } from './map-errors.js';
import { paceByLimiter } from './pace-by-limiter.js';
import { reportCall } from './report-call.js';
import { DEFAULT_RETRY, type RetryPolicy } from './retry.js';
import { retryTransient } from './retry-transient.js';
import { type OutboundCall, type Send, stack } from './send.js';
import { spendBudget } from './spend-budget.js';
import { traceCall } from './trace-call.js';

export interface HttpClientOptions {
  readonly baseUrl: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly retry?: RetryPolicy;
  readonly fetch?: typeof fetch;
  readonly signal?: AbortSignal;
  readonly onCall?: (call: ApiCallOutcome) => void;
  /** Every attempt, retries included, spends one request of it. */
  readonly budget?: ApiBudget;
  /** Shared by every caller of the run: each attempt waits for a token first. */
  readonly limiter?: ApiRateLimiter;
  /** Deadline of one attempt; 30 s when absent. */
  readonly timeoutMs?: number;
}

/** The run-wide parts of an adapter's client (fetch, abort, reporting, budget, limiter). */
export function connectionOptions(connection: ApiConnection): Omit<HttpClientOptions, 'baseUrl' | 'headers'> {
  return {
    ...(connection.fetch ? { fetch: connection.fetch } : {}),
    ...(connection.signal ? { signal: connection.signal } : {}),
    ...(connection.onCall ? { onCall: connection.onCall } : {}),
    ...(connection.budget ? { budget: connection.budget } : {}),
    ...(connection.limiter ? { limiter: connection.limiter } : {}),
  };
}

export interface JsonResponse {
  readonly status: number;
  readonly body: unknown;
  readonly retries: number;
}

/**
 * A JSON client for a vendor API. Per call: errors ∘ report ∘ trace ∘ retry; per attempt:
 * limiter ∘ budget ∘ fetch. Throws POC_ERR_VENDOR_HTTP on >= 400 and POC_ERR_VENDOR_UNREACHABLE
 * when the retries got no answer.
 */
export function createHttpClient(options: HttpClientOptions) {
  const policy = options.retry ?? DEFAULT_RETRY;
  const send = stack(
    fetchOnce(options),
    mapErrors(policy.maxRetries, options.signal),
    options.onCall && reportCall(options.onCall),
    traceCall(trimSlash(options.baseUrl)),
    retryTransient(policy, options.signal),
    options.limiter && paceByLimiter(options.limiter, options.signal),
    options.budget && spendBudget(options.budget),
  );

  return async function request(
    operation: string,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<JsonResponse> {
    const answer = await send(outboundCall(options, operation, method, path, body));
    const parsed = answer.text.length > 0 ? safeJson(answer.text) : null;
    return { status: answer.status, body: parsed, retries: answer.retries };
  };
}

export type HttpRequest = ReturnType<typeof createHttpClient>;

export interface RawResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

/**
 * One request, no retry, no throw on 4xx/5xx: for probes that need to see the vendor's own
 * over-limit answer. It still spends the budget and reports the call (budget ∘ report ∘ fetch);
 * it neither waits for the limiter nor carries a traceparent.
 */
export function createRawClient(options: HttpClientOptions) {
  const send: Send = stack(
    fetchOnce(options),
    options.budget && spendBudget(options.budget),
    options.onCall && reportCall(options.onCall),
  );
  return async function requestOnce(
    operation: string,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<RawResponse> {
    const answer = await send(outboundCall(options, operation, method, path, body));
    return { status: answer.status, headers: answer.headers, body: answer.text };
  };
}

function outboundCall(
  options: HttpClientOptions,
  operation: string,
  method: string,
  path: string,
  body: unknown,
): OutboundCall {
  return {
    operation,
    method,
    path,
    headers: options.headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
