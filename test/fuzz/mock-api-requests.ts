import { bitFlip, insertBytes, randomUnicode, reserialise, truncate, typeSwap } from './bytes.js';
import { CONTENT_TYPES, garbage } from './delivery.js';
import type { MockApiTarget, RouteTemplate, TemplateContext } from './mock-api-target.js';
import type { Rng } from './prng.js';
import { nearMissString } from './targets.js';

/**
 * Requests for the mock-API fuzzer: a route of the emulation, filled in, then mangled in its path
 * (encodings, slashes, dot segments, case), query, credential, headers and body. Each request says
 * whether it carries the valid credential, so the oracle can tell a 2xx earned from one that is not.
 */

/** `ambiguous`: spelt in a way a real vendor might accept (a lower-case scheme); not judged. */
export type Credential = 'valid' | 'invalid' | 'none' | 'ambiguous';

export interface MockApiRequest {
  readonly method: string;
  /** Path and query, sent byte for byte. */
  readonly path: string;
  readonly headers: Record<string, string | string[]>;
  readonly body: Buffer | undefined;
  readonly credential: Credential;
  /** What was done to it, `+`-joined (`path:encoded-letter+auth:near-miss+body:type-swap`). */
  readonly mutation: string;
  /** The server may rightly close the connection without an answer (an oversize header). */
  readonly mayDrop: boolean;
}

export interface RequestMix {
  /** Share of requests with the valid credential; 0 sends none at all, anywhere. */
  readonly validShare: number;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

const hex = (c: string, lower: boolean) => {
  const h = (c.codePointAt(0) ?? 0).toString(16).padStart(2, '0');
  return `%${lower ? h : h.toUpperCase()}`;
};

/** One letter of the path percent-encoded, in upper- or lower-case hex. */
function encodeLetter(rng: Rng, path: string): string {
  const letters = [...path.matchAll(/[a-z]/gi)];
  if (letters.length === 0) return path;
  const at = rng.pick(letters).index ?? 0;
  return path.slice(0, at) + hex(path[at] ?? 'a', rng.chance(0.5)) + path.slice(at + 1);
}

/** One slash (not the first) replaced by `replacement`. */
function atSlash(rng: Rng, path: string, replacement: string): string {
  const slashes = [...path.matchAll(/\//g)].slice(1);
  if (slashes.length === 0) return `${path}${replacement}`;
  const at = rng.pick(slashes).index ?? 0;
  return path.slice(0, at) + replacement + path.slice(at + 1);
}

function caseChange(rng: Rng, path: string): string {
  const parts = path.split('/');
  const i = rng.int(1, Math.max(1, parts.length - 1));
  parts[i] = rng.chance(0.5) ? (parts[i] ?? '').toUpperCase() : (parts[i] ?? '').toLowerCase();
  return parts.join('/');
}

type PathTrick = (rng: Rng, path: string, others: readonly string[]) => string;

const PATH_TRICKS: Readonly<Record<string, PathTrick>> = {
  'encoded-letter': encodeLetter,
  'encoded-letters': (rng, p) => {
    let out = p;
    for (let n = rng.int(2, 6); n > 0; n--) out = encodeLetter(rng, out);
    return out;
  },
  'every-letter-encoded': (_rng, p) => p.replace(/[a-z]/gi, (c) => hex(c, false)),
  'encoded-slash': (rng, p) => atSlash(rng, p, rng.pick(['%2F', '%2f'])),
  'doubled-slash': (rng, p) => atSlash(rng, p, '//'),
  'leading-doubled-slash': (_rng, p) => `/${p}`,
  'dot-segment': (rng, p) => atSlash(rng, p, '/./'),
  'dot-dot-segment': (rng, p) => atSlash(rng, p, rng.pick(['/x/../', '/%2e%2e/', '/x/%2E%2E/', '/..;/'])),
  'case-change': caseChange,
  'trailing-slash': (_rng, p) => `${p}/`,
  fragment: (_rng, p) => `${p}#frag`,
  semicolon: (_rng, p) => `${p};jsessionid=1`,
  'nul-byte': (rng, p) => atSlash(rng, p, '/%00/'),
  'bad-percent': (rng, p) => `${p}${rng.pick(['%', '%Z', '%ZZ', '%E0%A4%A', '%C0%AF', '%u002f'])}`,
  'double-encoded': (rng, p) => encodeLetter(rng, p).replace('%', '%25'),
  unicode: (_rng, p) => `${p}/%F0%9F%98%80%E2%80%AE`,
  'long-path': (rng, p) => `${p}/${'a'.repeat(rng.int(1000, 8000))}`,
  'through-admin': (_rng, p) => `/__admin/..${p}`,
  'other-route': (rng, _p, others) => rng.pick(others),
};

function fill(rng: Rng, route: RouteTemplate): string {
  return route.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const values = route.params?.[name] ?? ['x'];
    return rng.chance(0.08) ? encodeURIComponent(garbage(rng, rng.int(1, 40))) : rng.pick(values);
  });
}

/** The credential of a request: the valid one, or a way of getting it wrong. */
function credential(
  rng: Rng,
  target: MockApiTarget,
  validShare: number,
): { headers: Record<string, string | string[]>; query: string; credential: Credential; how: string } {
  const near = nearMissString(rng, target.token);
  const query = (token: string) =>
    target.tokenQuery ? `${target.tokenQuery}=${encodeURIComponent(token)}` : '';
  if (rng.chance(validShare)) {
    if (target.tokenQuery && rng.chance(0.1)) {
      return { headers: {}, query: query(target.token), credential: 'valid', how: 'valid-query' };
    }
    return { headers: target.auth(target.token), query: '', credential: 'valid', how: 'valid' };
  }
  const invalid = (headers: Record<string, string | string[]>, how: string, q = '') => ({
    headers,
    query: q,
    credential: 'invalid' as const,
    how,
  });
  const auth = target.auth(near);
  switch (rng.int(0, 8)) {
    case 0:
      return { headers: {}, query: '', credential: 'none', how: 'none' };
    case 1:
      return invalid(auth, 'near-miss');
    case 2:
      return invalid(
        { authorization: `Basic ${Buffer.from(`x:${target.token}`).toString('base64')}` },
        'basic',
      );
    case 3:
      return invalid({ authorization: 'Bearer' }, 'empty-bearer');
    case 4:
      return invalid({ authorization: `Bearer  ${target.token}` }, 'double-space');
    case 5:
      return invalid({ authorization: `Bearer ${target.token}x` }, 'suffix');
    case 6:
      // Node keeps the first Authorization of several (and drops the rest): the near miss.
      return invalid({ authorization: [auth.authorization ?? 'Bearer x', `Bearer ${near}`] }, 'duplicated');
    case 7:
      return target.tokenQuery ? invalid({}, 'near-miss-query', query(near)) : invalid(auth, 'near-miss');
    default:
      return {
        headers: { authorization: `bearer ${near}` },
        query: '',
        credential: 'ambiguous',
        how: 'lower-case',
      };
  }
}

const SAFE_BODY_OPS = { 'type-swap': typeSwap, truncate, reserialise } as const;
const BYTE_BODY_OPS = { 'bit-flip': bitFlip, 'insert-bytes': insertBytes, unicode: randomUnicode } as const;

/** A JSON value wrapped, nested or swollen, as a whole (safe for bodies that carry a URL). */
function reshape(rng: Rng, value: unknown): { value: unknown; how: string } {
  switch (rng.int(0, 4)) {
    case 0:
      return { value: [value], how: 'wrapped-in-array' };
    case 1:
      return { value: { data: value, properties: { nested: value } }, how: 'nested' };
    case 2: {
      const many = Array.from({ length: rng.int(100, 1500) }, () => value);
      return { value: { inputs: many, records: many, contacts: many }, how: 'swollen' };
    }
    case 3:
      return {
        value: rng.pick(['zzz', 42, true, null, [], 'x'.repeat(rng.int(1000, 100_000))]),
        how: 'scalar',
      };
    default:
      return { value, how: 'as-is' };
  }
}

function encodeBody(route: RouteTemplate, value: unknown): Buffer {
  if (!route.form) return Buffer.from(JSON.stringify(value) ?? '');
  const form = new URLSearchParams();
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) form.append(k, typeof v === 'string' ? v : JSON.stringify(v));
  }
  return Buffer.from(form.toString());
}

function body(
  rng: Rng,
  route: RouteTemplate,
  ctx: TemplateContext,
  method: string,
): { body: Buffer | undefined; how: string } {
  if (!route.body && !rng.chance(0.1)) return { body: undefined, how: '' };
  if (method === 'GET' || method === 'HEAD') return { body: undefined, how: '' };
  if (rng.chance(0.05)) return { body: rng.bytes(rng.int(1, 2048)), how: 'body:random-bytes' };
  if (rng.chance(0.03)) return { body: Buffer.alloc(0), how: 'body:empty' };
  const template = route.body?.(rng, ctx) ?? {};
  const shaped = rng.chance(0.2) ? reshape(rng, template) : { value: template, how: '' };
  let bytes = encodeBody(route, shaped.value);
  const ops: string[] = shaped.how ? [`body:${shaped.how}`] : [];
  if (rng.chance(0.4)) {
    const table: Record<string, (r: Rng, b: Buffer) => Buffer> = route.urlBearing
      ? { ...SAFE_BODY_OPS }
      : { ...SAFE_BODY_OPS, ...BYTE_BODY_OPS };
    const name = rng.pick(Object.keys(table));
    bytes = (table[name] as (r: Rng, b: Buffer) => Buffer)(rng, bytes);
    ops.push(`body:${name}`);
  }
  return { body: bytes, how: ops.join('+') };
}

/** Builds request `n` of a run; `others` are every route path of every target, for cross-talk. */
export function buildRequest(
  rng: Rng,
  n: number,
  target: MockApiTarget,
  ctx: Omit<TemplateContext, 'nearMiss'>,
  mix: RequestMix,
  others: readonly string[],
): MockApiRequest {
  const route = rng.pick(target.routes);
  const method = rng.chance(0.05) ? rng.pick(METHODS) : route.method;
  const ops: string[] = [];
  let path = fill(rng, route);
  if (rng.chance(0.5)) {
    const name = rng.pick(Object.keys(PATH_TRICKS));
    path = (PATH_TRICKS[name] as PathTrick)(rng, path, others);
    ops.push(`path:${name}`);
  }
  const cred = credential(rng, target, mix.validShare);
  ops.push(`auth:${cred.how}`);
  const queries = [...(route.queries && rng.chance(0.6) ? [rng.pick(route.queries)] : [])];
  if (rng.chance(0.1)) {
    queries.push(
      rng.pick(['limit=abc', 'limit=-1', 'after=%ZZ', `x=${'y'.repeat(5000)}`, 'a[b]=1', '__proto__=1']),
    );
    ops.push('query:junk');
  }
  if (cred.query) queries.push(cred.query);
  if (queries.length > 0) path = `${path}${path.includes('?') ? '&' : '?'}${queries.join('&')}`;

  const made = body(rng, route, { ...ctx, nearMiss: nearMissString(rng, target.token) }, method);
  if (made.how) ops.push(made.how);
  const headers: Record<string, string | string[]> = { ...cred.headers, 'x-fuzz-id': String(n) };
  if (made.body !== undefined) {
    headers['content-type'] = route.form ? 'application/x-www-form-urlencoded' : 'application/json';
    if (rng.chance(0.12)) {
      const type = rng.pick([...CONTENT_TYPES, 'application/json; charset=utf-8', 'application/xml', '']);
      if (type === '') delete headers['content-type'];
      else headers['content-type'] = type;
      ops.push('header:content-type');
    }
  }
  let mayDrop = false;
  if (rng.chance(0.02)) {
    headers['x-oversize'] = 'x'.repeat(rng.int(17_000, 40_000));
    ops.push('header:oversize');
    mayDrop = true;
  } else if (rng.chance(0.05)) {
    Object.assign(
      headers,
      rng.pick([
        {
          'x-forwarded-for': '10.0.0.1',
          'x-forwarded-host': 'evil.test',
          'x-original-url': '/__admin/truth',
        },
        { 'x-http-method-override': 'DELETE' },
        { 'content-encoding': 'gzip' },
        { accept: 'application/xml' },
      ]),
    );
    ops.push('header:extra');
  }
  return {
    method,
    path,
    headers,
    body: made.body,
    credential: cred.credential,
    mutation: ops.join('+'),
    mayDrop,
  };
}
