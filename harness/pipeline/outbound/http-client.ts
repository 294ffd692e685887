import { isPocError, PocError } from '../../errors.js';
import { endRequestSpan, startRequestSpan, tracingOn } from '../../telemetry/trace-spans.js';
import type { ApiBudget, ApiCallOutcome, ApiConnection, ApiRateLimiter } from '../../vendors/types.js';
import { DEFAULT_RETRY, type RetryPolicy, retryAfterMs, withRetry } from './retry.js';

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

/** A JSON client for a vendor API: retry with full jitter around one fetch, every call reported. */
export function createHttpClient(options: HttpClientOptions) {
  const doFetch = options.fetch ?? fetch;
  const policy = options.retry ?? DEFAULT_RETRY;
  const base = options.baseUrl.replace(/\/$/, '');

  return async function request(
    operation: string,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<JsonResponse> {
    const started = performance.now();
    // Every attempt carries the same traceparent: the vendor saw one logical write.
    const traced = tracingOn ? startRequestSpan(operation, method, base, path) : undefined;
    const init: RequestInit = {
      method,
      headers: {
        accept: 'application/json',
        'content-type': 'application/json',
        ...traced?.headers,
        ...options.headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    };
    let result: Awaited<ReturnType<typeof withRetry<string>>>;
    try {
      result = await withRetry(
        policy,
        async () => {
          await options.limiter?.acquire(options.signal);
          options.budget?.take(operation);
          const res = await doFetch(`${base}${path}`, { ...init, signal: attemptSignal(options) });
          const text = await res.text();
          const retryAfter = res.headers.get('retry-after');
          if (res.status === 429 && options.limiter) {
            // Honour the vendor's own word for everyone; without one, back off one second.
            options.limiter.pauseFor(retryAfterMs(retryAfter) ?? 1000);
          }
          return { value: text, status: res.status, retryAfter };
        },
        options.signal,
      );
    } catch (err) {
      if (traced) endRequestSpan(traced.span, undefined, 0, err);
      if (isPocError(err) || options.signal?.aborted) throw err;
      throw new PocError(
        'POC_ERR_VENDOR_UNREACHABLE',
        `${operation}: ${method} ${path} got no answer after ${policy.maxRetries} retries (${(err as Error).message})`,
        { cause: err },
      );
    }
    if (traced) endRequestSpan(traced.span, result.status, result.retries);
    options.onCall?.({
      operation,
      status: result.status,
      retries: result.retries,
      durationMs: performance.now() - started,
    });
    const parsed = result.value.length > 0 ? safeJson(result.value) : null;
    if (result.status >= 400) {
      throw new PocError(
        'POC_ERR_VENDOR_HTTP',
        `${operation}: ${method} ${path} answered ${result.status} after ${result.retries} retries: ${redact(result.value.slice(0, 300), options.headers)}`,
      );
    }
    return { status: result.status, body: parsed, retries: result.retries };
  };
}

/** Each attempt has its own deadline: a hung connection must not hold a worker for minutes. */
function attemptSignal(options: HttpClientOptions): AbortSignal {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 30_000);
  return options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
}

/**
 * Vendor error bodies go into error messages; token endpoints and sloppy APIs echo credentials.
 * Remove every value we sent as a header (tokens), and anything shaped like a secret field.
 */
function redact(text: string, headers: Readonly<Record<string, string>>): string {
  let out = text;
  for (const value of Object.values(headers)) {
    for (const part of [value, value.replace(/^\S+\s+/, '')]) {
      if (part.length >= 8) out = out.split(part).join('[redacted]');
    }
  }
  return out.replace(
    /("?(?:access_token|refresh_token|token|secret|password|authorization|api_key|apikey)"?\s*[:=]\s*"?)[^",}\s]+/gi,
    '$1[redacted]',
  );
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export type HttpRequest = ReturnType<typeof createHttpClient>;

export interface RawResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

/**
 * One request, no retry, no throw on 4xx/5xx: for probes that need to see the vendor's own
 * over-limit answer. It still spends the budget and reports the call.
 */
export function createRawClient(options: HttpClientOptions) {
  const doFetch = options.fetch ?? fetch;
  const base = options.baseUrl.replace(/\/$/, '');
  return async function requestOnce(
    operation: string,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<RawResponse> {
    options.budget?.take(operation);
    const started = performance.now();
    const res = await doFetch(`${base}${path}`, {
      method,
      headers: { accept: 'application/json', 'content-type': 'application/json', ...options.headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: attemptSignal(options),
    });
    const text = await res.text();
    options.onCall?.({ operation, status: res.status, retries: 0, durationMs: performance.now() - started });
    return { status: res.status, headers: res.headers, body: text };
  };
}
