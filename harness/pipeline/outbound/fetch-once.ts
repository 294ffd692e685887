import type { Exchange, OutboundCall, Send } from './send.js';

export interface FetchOnceOptions {
  readonly baseUrl: string;
  readonly fetch?: typeof fetch;
  /** The run's abort: ends the attempt at once. */
  readonly signal?: AbortSignal;
  /** Deadline of one attempt; 30 s when absent. */
  readonly timeoutMs?: number;
}

/**
 * The bottom of every outbound stack: one fetch attempt, read to the end. It never retries or
 * throws on a status; transport errors, the deadline and the abort reject as fetch rejects.
 */
export function fetchOnce(options: FetchOnceOptions): Send {
  const doFetch = options.fetch ?? fetch;
  const base = trimSlash(options.baseUrl);
  return async (call: OutboundCall): Promise<Exchange> => {
    const res = await doFetch(`${base}${call.path}`, {
      method: call.method,
      headers: { accept: 'application/json', 'content-type': 'application/json', ...call.headers },
      ...(call.body === undefined ? {} : { body: call.body }),
      signal: attemptSignal(options),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, retries: 0 };
  };
}

/** The base URL without its trailing slash: paths start with one. */
export function trimSlash(baseUrl: string): string {
  return baseUrl.replace(/\/$/, '');
}

/** Each attempt has its own deadline: a hung connection must not hold a worker for minutes. */
function attemptSignal(options: FetchOnceOptions): AbortSignal {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 30_000);
  return options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
}
