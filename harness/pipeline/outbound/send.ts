/**
 * The shape every layer of the outbound client shares, in the spirit of undici's interceptors:
 * one request function (fetch-once.ts) and single-purpose wrappers stacked around it, each a
 * `Wrapper` that takes the next `Send` and returns one. A behaviour is then a layer you can read
 * on its own, and where it sits in the stack says what it applies to (per attempt or per call).
 */

/** One call to the vendor as the layers see it, from the entry point down to the fetch. */
export interface OutboundCall {
  /** The adapter's name for the call (`contacts.batch_upsert`), for reports, spans and errors. */
  readonly operation: string;
  readonly method: string;
  /** Appended to the base URL; may carry a query string. */
  readonly path: string;
  /** Serialised once per call, not once per attempt. */
  readonly body?: string;
  /** Sent on every attempt; the fetch adds accept and content-type under them. */
  readonly headers: Readonly<Record<string, string>>;
}

/** The vendor's answer to one call. */
export interface Exchange {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** Retries spent before this answer: 0 below the retry layer, its count above it. */
  readonly retries: number;
}

export type Send = (call: OutboundCall) => Promise<Exchange>;

export type Wrapper = (next: Send) => Send;

/**
 * `send` with `wrappers` around it, listed outermost first as a call goes down the stack:
 * `stack(fetchOnce, a, b)` is `a(b(fetchOnce))`. `undefined` entries are layers left out.
 */
export function stack(send: Send, ...wrappers: readonly (Wrapper | undefined)[]): Send {
  return wrappers.reduceRight<Send>((next, wrap) => (wrap ? wrap(next) : next), send);
}
