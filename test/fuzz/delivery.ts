import type { WebhookScheme } from '../../harness/vendors/types.js';
import type { Rng } from './prng.js';
import type { FuzzTarget } from './targets.js';

/** One request the fuzzer sends, and what accepting it would mean. */
export interface Delivery {
  readonly kind: 'valid' | 'mutation' | 'random';
  /** What was done to it (`valid`, `body:bit-flip`, `near-miss-secret`...). */
  readonly mutation: string;
  /** Path and query. */
  readonly path: string;
  readonly headers: Record<string, string | string[]>;
  readonly body: Buffer;
  /** Send without Content-Length, in chunks. */
  readonly chunked?: boolean;
  /** Send no Host header. */
  readonly noHost?: boolean;
  readonly expect: Expectation;
  /** The one status a careful receiver answers, where there is one (test/fuzz/hostile.ts). */
  readonly status?: number;
}

/**
 * What the receiver should answer.
 * - `accept`: authentic (valid, or an equivalent spelling the scheme allows): 200.
 * - `forged`: made without the secret, or no longer what the holder signed: a 200 is a forgery.
 * - `reject`: holds the secret but breaks the scheme's rules (duplicated proof header, legacy
 *   signature, credential in the wrong shape): a 200 is lenient, not a forgery.
 * - `any`: no expectation beyond "no 5xx" (body mutations an unsigned scheme cannot see).
 */
export type Expectation = 'accept' | 'forged' | 'reject' | 'any';

export interface BuildContext {
  readonly target: FuzzTarget;
  /** The receiver's own scheme, with the real secret. */
  readonly scheme: WebhookScheme;
  /** Scheme, host and port the receiver listens on, as the vendor would sign it. */
  readonly origin: string;
  readonly path: string;
  readonly bodyLimit: number;
  /** A shared buffer longer than the body limit (huge bodies are slices of it). */
  readonly huge: Buffer;
}

export interface Signed {
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/** The headers the vendor would send with `body` (signed with `secret`, the real one by default). */
export function sign(
  ctx: BuildContext,
  body: Buffer,
  options: { secret?: string; timestamp?: number; path?: string } = {},
): Record<string, string> {
  const { target } = ctx;
  const secret = options.secret ?? target.secret;
  const scheme = secret === target.secret ? ctx.scheme : target.adapter.webhooks({ secrets: [secret] });
  const url = `${ctx.origin}${options.path ?? ctx.path}`;
  return {
    'content-type': target.contentType,
    ...scheme.sign({ method: 'POST', url, body, timestamp: options.timestamp ?? Date.now() }),
  };
}

/** A valid delivery: the example body, signed (or carrying the credential) the vendor's way. */
export function valid(ctx: BuildContext, rng: Rng, n: number, secret = ctx.target.secret): Signed {
  const body = ctx.target.body(rng, n, ctx.target.proof === 'body-credential' ? secret : ctx.target.secret);
  return { body, headers: sign(ctx, body, { secret }) };
}

const PRINTABLE =
  ' !#$%&()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~';
export const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function garbage(rng: Rng, length: number, alphabet = PRINTABLE): string {
  let s = '';
  for (let i = 0; i < length; i++) s += alphabet[rng.int(0, alphabet.length - 1)];
  return s.trim() || 'x';
}

export const CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=fuzz',
  'application/json; charset=utf-16',
  'application/octet-stream',
  'text/xml',
  'application/json',
  ';;;',
  'x'.repeat(2000),
];

export type Build = (ctx: BuildContext, rng: Rng, n: number) => Omit<Delivery, 'kind'>;

export const get = (h: Record<string, string | string[]>, name: string) => {
  const v = h[name];
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
};
