import { pathVariants } from '../helpers/path-variants.js';
import { type Build, type BuildContext, sign, valid } from './delivery.js';
import {
  bodyWithEvents,
  foreignContentTypes,
  INVALID_UTF8,
  insertInValue,
  nestedBody,
  ownContentTypeSpellings,
} from './hostile-bodies.js';

// Hostile deliveries a careful receiver refuses with one exact status: more events than the vendor
// sends, a content type it never sends, a body that is not UTF-8, JSON nested 100,000 deep, and
// another spelling of the delivery path. Each states the status; the fuzzer counts any other.

/** The headers the vendor would send with `body`, proof included wherever it travels. */
function authentic(ctx: BuildContext, body: Buffer, path?: string): Record<string, string> {
  return sign(ctx, body, path === undefined ? {} : { path });
}

/** More events in one delivery than the vendor ever sends: 413, whatever the body's size. */
export const tooManyEvents: Build = (ctx, rng, n) => {
  const max = ctx.target.adapter.profile.webhooks.batchMax.value;
  // Mostly just past the cap; now and then 20,000, where that stays under the body limit (HubSpot
  // about 4.7 MB, Zoho 0.5 MB; Salesforce's SOAP would not).
  const huge = ctx.target.vendor !== 'salesforce' && rng.chance(0.05);
  const count = huge ? 20_000 : max + rng.int(1, 300);
  const body = bodyWithEvents(ctx.target, rng, n, count);
  if (!body) throw new Error(`${ctx.target.vendor} sends one event per delivery: nothing to exceed`);
  return {
    mutation: count === 20_000 ? 'too-many-events:20000' : 'too-many-events',
    path: ctx.path,
    headers: authentic(ctx, body),
    body,
    expect: 'reject',
    status: 413,
  };
};

export const foreignContentType: Build = (ctx, rng, n) => {
  const base = valid(ctx, rng, n);
  const headers: Record<string, string> = { ...base.headers };
  if (rng.chance(0.25)) {
    headers['content-type'] = rng.pick(ownContentTypeSpellings(ctx.target));
    return { mutation: 'content-type:own', path: ctx.path, headers, body: base.body, expect: 'accept' };
  }
  const type = rng.pick(foreignContentTypes(ctx.target));
  if (type === undefined) delete headers['content-type'];
  else headers['content-type'] = type;
  return {
    mutation: type === undefined ? 'content-type:none' : 'content-type:foreign',
    path: ctx.path,
    headers,
    body: base.body,
    expect: 'reject',
    status: 415,
  };
};

/**
 * Invalid UTF-8 inside a value of an authentic delivery (signed again, or still carrying its
 * credential): 400, never stored. With its original signature (which no longer covers it): 401.
 */
export const invalidUtf8: Build = (ctx, rng, n) => {
  const base = valid(ctx, rng, n);
  const body = insertInValue(rng, base.body, rng.pick(INVALID_UTF8), ctx.target.secret);
  if (ctx.target.proof === 'signature' && rng.chance(0.3)) {
    return {
      mutation: 'invalid-utf8:unsigned',
      path: ctx.path,
      headers: base.headers,
      body,
      expect: 'forged',
      status: 401,
    };
  }
  const headers = ctx.target.proof === 'signature' ? authentic(ctx, body) : base.headers;
  return { mutation: 'invalid-utf8', path: ctx.path, headers, body, expect: 'reject', status: 400 };
};

/**
 * JSON nested up to 100,000 deep, authentic: 400 (no crash, no stack overflow). Salesforce's XML
 * nested past its parser's depth limit hides the org id, so the delivery cannot be identified: 401.
 */
export const deepNesting: Build = (ctx, rng) => {
  const depth = rng.pick([1_000, 10_000, 100_000]);
  const body = nestedBody(ctx.target, depth);
  return {
    mutation: `deep-nesting:${depth}`,
    path: ctx.path,
    headers: authentic(ctx, body),
    body,
    expect: ctx.target.vendor === 'salesforce' ? 'forged' : 'reject',
    status: ctx.target.vendor === 'salesforce' ? 401 : 400,
  };
};

const variantsByPath = new Map<string, ReturnType<typeof pathVariants>>();

/**
 * An authentic delivery sent to another spelling of the path, signed for the path or for the
 * spelling itself: 404 either way (harness/pipeline/delivery-guard.ts says why).
 */
export const pathSpelling: Build = (ctx, rng, n) => {
  let variants = variantsByPath.get(ctx.path);
  if (!variants) {
    variants = pathVariants(ctx.path);
    variantsByPath.set(ctx.path, variants);
  }
  const variant = rng.pick(variants);
  const base = valid(ctx, rng, n);
  const selfSigned = rng.chance(0.5);
  return {
    mutation: `path-spelling:${selfSigned ? 'signed-for-it' : 'signed-for-path'}`,
    path: variant.path,
    headers: selfSigned ? authentic(ctx, base.body, variant.path) : base.headers,
    body: base.body,
    expect: 'reject',
    status: 404,
  };
};
