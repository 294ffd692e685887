import type { Rng } from './prng.js';

/**
 * What the mock-API fuzzer needs to know about one emulation: the routes it serves (as templates
 * the fuzzer fills and mangles), how its credential travels, which routes answer 2xx without one
 * by design, and how to read back its state to prove nothing was written.
 */

/** Values the templates draw from; `sink` is the only URL a body ever carries (see `urlBearing`). */
export interface TemplateContext {
  readonly sink: string;
  /** A credential that must not work: a near miss of the real one. */
  readonly nearMiss: string;
}

export interface RouteTemplate {
  readonly method: string;
  /** A path with `{name}` holes, filled from `params`. */
  readonly path: string;
  readonly params?: Readonly<Record<string, readonly string[]>>;
  /** Query strings to append (one drawn, or none). */
  readonly queries?: readonly string[];
  readonly body?: (rng: Rng, ctx: TemplateContext) => unknown;
  /**
   * The body carries a URL the mock will deliver to. Such bodies are only mangled as a whole
   * (types swapped, cut short), never byte by byte: a flipped byte in `127.0.0.1` could name a
   * host on the internet, and the mock would send webhooks to it.
   */
  readonly urlBearing?: boolean;
  /** Sent as application/x-www-form-urlencoded instead of JSON. */
  readonly form?: boolean;
}

export interface MockApiTarget {
  readonly vendor: string;
  readonly token: string;
  readonly secret: string;
  /** Ground truth for the fuzz: limits high enough that requests reach the handlers. */
  readonly settings: Readonly<Record<string, unknown>>;
  /** Header names and values that carry the valid credential. */
  auth(token: string): Record<string, string>;
  /** A query parameter that carries the credential too (HubSpot's legacy hapikey). */
  readonly tokenQuery?: string;
  readonly routes: readonly RouteTemplate[];
  /**
   * Whether a 2xx without a valid credential is by design on this route pattern (the router's,
   * e.g. `/services/data`), given the answer's body.
   */
  publicAnswer(route: string, body: string): boolean;
  /** The sink's answer to a webhook delivery (an Outbound Message needs a SOAP Ack). */
  readonly sinkReply?: string;
  /** Reads, with the valid token, what the fuzz could have written: records and webhook targets. */
  state(origin: string, token: string): Promise<unknown>;
}

/** One of `items`, drawn by `rng`. */
export const pick = <T>(rng: Rng, items: readonly T[]) => rng.pick(items);

/** GET with the given headers; throws unless the answer is 200. */
export async function getJson(
  origin: string,
  path: string,
  headers: Record<string, string>,
): Promise<unknown> {
  const res = await fetch(`${origin}${path}`, { headers });
  if (res.status !== 200) throw new Error(`state: GET ${path} answered ${res.status}: ${await res.text()}`);
  return res.json();
}
