import { BODY_MUTATORS, typeSwap } from './bytes.js';
import { B64, type Build, CONTENT_TYPES, type Expectation, garbage, get, sign, valid } from './delivery.js';
import type { FuzzTarget } from './targets.js';

// Mutations every vendor gets: body tampering, header games, a near-miss secret, no proof at all.

/** Whether a body mutation of this target can still be an authentic delivery. */
function bodyExpectation(target: FuzzTarget, original: Buffer, mutated: Buffer): Expectation {
  if (target.proof === 'signature') return mutated.equals(original) ? 'accept' : 'forged';
  if (target.proof === 'body-credential') return mutated.includes(target.secret) ? 'any' : 'forged';
  return 'any';
}

export function bodyMutation(op: string): Build {
  const mutate = BODY_MUTATORS[op];
  if (!mutate) throw new Error(`unknown body mutator ${op}`);
  return (ctx, rng, n) => {
    const base = valid(ctx, rng, n);
    const body = mutate(rng, base.body);
    return {
      mutation: `body:${op}`,
      path: ctx.path,
      headers: base.headers,
      body,
      expect: bodyExpectation(ctx.target, base.body, body),
    };
  };
}

/** A mutated body signed again with the real secret: it reaches parse(), where crashes hide. */
export function resigned(op: string): Build {
  const mutate = BODY_MUTATORS[op] ?? typeSwap;
  return (ctx, rng, n) => {
    const body = mutate(rng, valid(ctx, rng, n).body);
    return { mutation: `resigned:${op}`, path: ctx.path, headers: sign(ctx, body), body, expect: 'any' };
  };
}

export const hugeBody: Build = (ctx, rng, n) => {
  const base = valid(ctx, rng, n);
  const body = ctx.huge.subarray(0, ctx.bodyLimit + rng.int(1, 65_536));
  return {
    mutation: 'huge-body',
    path: ctx.path,
    headers: base.headers,
    body,
    chunked: rng.chance(0.5),
    expect: 'reject',
  };
};

export const dropHeader: Build = (ctx, rng, n) => {
  const base = valid(ctx, rng, n);
  const names = [...Object.keys(base.headers), 'host'];
  const name = rng.pick(names);
  const headers = { ...base.headers };
  delete headers[name];
  return {
    mutation: `drop-header:${name}`,
    path: ctx.path,
    headers,
    body: base.body,
    noHost: name === 'host',
    expect: ctx.target.proofHeaders.includes(name) ? 'forged' : 'any',
  };
};

export const duplicateHeader: Build = (ctx, rng, n) => {
  const base = valid(ctx, rng, n);
  const name = rng.pick(Object.keys(base.headers));
  const value = get(base.headers, name);
  const same = rng.chance(0.3);
  const other = same ? value : garbage(rng, Math.max(1, value.length), B64);
  const pair = rng.chance(0.5) ? [value, other] : [other, value];
  return {
    mutation: `duplicate-header:${name}${same ? ':same' : ''}`,
    path: ctx.path,
    headers: { ...base.headers, [name]: pair },
    body: base.body,
    // The genuine value is still there: accepting the pair is lenient, not forged. Node keeps
    // only the first of repeated Authorization headers, so no receiver can see that repetition.
    expect: !same && name !== 'authorization' && ctx.target.proofHeaders.includes(name) ? 'reject' : 'any',
  };
};

export const oversizeHeader: Build = (ctx, rng, n) => {
  const base = valid(ctx, rng, n);
  const size = rng.int(4_096, 80_000);
  const proof = ctx.target.proofHeaders.filter((h) => h !== 'host' && base.headers[h] !== undefined);
  if (proof.length > 0 && rng.chance(0.5)) {
    const name = rng.pick(proof);
    return {
      mutation: `oversize-header:${name}`,
      path: ctx.path,
      headers: { ...base.headers, [name]: get(base.headers, name) + 'A'.repeat(size) },
      body: base.body,
      expect: ctx.target.proof === 'signature' ? 'forged' : 'reject',
    };
  }
  return {
    mutation: 'oversize-header:x-fuzz-pad',
    path: ctx.path,
    headers: { ...base.headers, 'x-fuzz-pad': 'p'.repeat(size) },
    body: base.body,
    expect: 'any',
  };
};

export const contentType: Build = (ctx, rng, n) => {
  const base = valid(ctx, rng, n);
  const headers = { ...base.headers };
  if (rng.chance(0.2)) delete headers['content-type'];
  else headers['content-type'] = rng.pick(CONTENT_TYPES);
  // Some of these are the vendor's own type, the others get a 415: foreignContentType in
  // hostile.ts states the status of each; here only "no 5xx" is checked.
  return { mutation: 'content-type', path: ctx.path, headers, body: base.body, expect: 'any' };
};

export const nearMissSecret: Build = (ctx, rng, n) => {
  const base = valid(ctx, rng, n, ctx.target.nearMiss(rng));
  return {
    mutation: 'near-miss-secret',
    path: ctx.path,
    headers: base.headers,
    body: base.body,
    expect: 'forged',
  };
};

/** No proof at all: every proof header dropped, or the body's credential removed. */
export const stripProof: Build = (ctx, rng, n) => {
  const base = valid(ctx, rng, n);
  const headers = { ...base.headers };
  for (const h of ctx.target.proofHeaders) if (h !== 'host') delete headers[h];
  const body =
    ctx.target.proof === 'body-credential'
      ? Buffer.from(base.body.toString('utf8').replaceAll(ctx.target.secret, ''))
      : base.body;
  return { mutation: 'strip-proof', path: ctx.path, headers, body, expect: 'forged' };
};
