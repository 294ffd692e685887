import { BODY_MUTATORS } from './bytes.js';
import { type Build, type BuildContext, CONTENT_TYPES, type Delivery, sign, valid } from './delivery.js';
import { deepNesting, foreignContentType, invalidUtf8, pathSpelling, tooManyEvents } from './hostile.js';
import { BATCHING_VENDORS } from './hostile-bodies.js';
import {
  bodyMutation,
  contentType,
  dropHeader,
  duplicateHeader,
  hugeBody,
  nearMissSecret,
  oversizeHeader,
  resigned,
  stripProof,
} from './mutations.js';
import type { Rng } from './prng.js';
import {
  dynamicsQuery,
  legacyDowngrade,
  pipedriveAuth,
  randomSignature,
  salesforceOrg,
  standardHeaders,
  timestampOutside,
  timestampTamper,
  urlTamper,
  zohoToken,
} from './scheme-mutations.js';
import type { FuzzTarget } from './targets.js';

// ---- the mix ----------------------------------------------------------------------------------

// The mix: which mutations a vendor gets, and how often. Weights are relative; huge bodies are
// rare because each is over 5 MiB on the wire.

type Weighted = readonly [weight: number, build: Build];

function mutationsFor(target: FuzzTarget): readonly Weighted[] {
  const common: Weighted[] = [
    ...Object.keys(BODY_MUTATORS).map((op): Weighted => [3, bodyMutation(op)]),
    [0.05, hugeBody],
    [2, dropHeader],
    [2, duplicateHeader],
    [0.5, oversizeHeader],
    [2, contentType],
    [3, nearMissSecret],
    [2, stripProof],
    // Each answered with one exact status. Deep nesting is rare: a 100,000-deep array costs
    // JSON.parse tens of milliseconds.
    [2, foreignContentType],
    [2, invalidUtf8],
    [2, pathSpelling],
    [0.1, deepNesting],
  ];
  if (BATCHING_VENDORS.includes(target.vendor)) common.push([1, tooManyEvents]);
  if (target.proof === 'signature') {
    common.push(
      // Re-signed mutations get past verify: they are how parse() meets hostile bodies.
      ...Object.keys(BODY_MUTATORS).map((op): Weighted => [2, resigned(op)]),
      [4, resigned('type-swap')],
      [3, randomSignature],
      [1.5, timestampOutside(-1)],
      [1.5, timestampOutside(1)],
      [2, timestampTamper],
    );
  }
  if (target.vendor === 'hubspot') common.push([2, urlTamper], [1, legacyDowngrade]);
  if (target.vendor === 'standard') common.push([3, standardHeaders]);
  if (target.vendor === 'dynamics') common.push([2, dynamicsQuery]);
  if (target.vendor === 'pipedrive') common.push([3, pipedriveAuth]);
  if (target.vendor === 'zoho') common.push([3, zohoToken]);
  if (target.vendor === 'salesforce') common.push([3, salesforceOrg]);
  return common;
}

function pickWeighted(rng: Rng, items: readonly Weighted[], total: number): Build {
  let r = rng.next() * total;
  for (const [w, build] of items) {
    r -= w;
    if (r < 0) return build;
  }
  return (items.at(-1) as Weighted)[1];
}

export interface DeliveryMix {
  /** Share of valid deliveries. */
  readonly valid: number;
  /** Share of pure random bytes; the rest are mutations of valid deliveries. */
  readonly random: number;
}

export const DEFAULT_MIX: DeliveryMix = { valid: 0.25, random: 0.1 };

/** Builds delivery `n` of a run: valid, a mutation of a valid one, or random bytes. */
export function deliveryBuilder(ctx: BuildContext, mix: DeliveryMix = DEFAULT_MIX) {
  const weighted = mutationsFor(ctx.target);
  const total = weighted.reduce((s, [w]) => s + w, 0);
  return (rng: Rng, n: number): Delivery => {
    const r = rng.next();
    if (r < mix.valid) {
      const { headers, body } = valid(ctx, rng, n);
      return { kind: 'valid', mutation: 'valid', path: ctx.path, headers, body, expect: 'accept' };
    }
    if (r < mix.valid + mix.random) {
      const body = rng.bytes(rng.int(0, 4_096));
      const headers: Record<string, string> = { 'content-type': rng.pick(CONTENT_TYPES) };
      // Random bytes that carry the credential reach parse(); bare ones must be refused.
      const credentialed = ctx.target.proof !== 'body-credential' && rng.chance(0.5);
      return {
        kind: 'random',
        mutation: credentialed ? 'random-bytes:signed' : 'random-bytes',
        path: ctx.path,
        headers: credentialed ? sign(ctx, body) : headers,
        body,
        expect: credentialed ? 'any' : 'forged',
      };
    }
    return { kind: 'mutation', ...pickWeighted(rng, weighted, total)(ctx, rng, n) };
  };
}
