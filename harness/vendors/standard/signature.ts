import { createHmac } from 'node:crypto';
import { PocError } from '../../errors.js';
import type { RawDelivery, VerifyFailure } from '../types.js';
import { readHeader, sameSecret } from '../wire.js';

/** The spec's header names, and Svix's branded aliases for the same scheme (its SDK accepts both). */
export const HEADERS = { id: 'webhook-id', timestamp: 'webhook-timestamp', signature: 'webhook-signature' };
export const SVIX_HEADERS = { id: 'svix-id', timestamp: 'svix-timestamp', signature: 'svix-signature' };

export const SECRET_PREFIX = 'whsec_';

/**
 * The HMAC key of a secret: the base64 after `whsec_`; an unprefixed base64 secret is accepted
 * too, as the reference JS library does. Both base64 alphabets decode (poc's mock target makes
 * base64url secrets). The message never quotes the secret.
 */
export function secretKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const key = /^[A-Za-z0-9+/_-]+={0,2}$/.test(encoded) ? Buffer.from(encoded, 'base64') : Buffer.alloc(0);
  if (key.length === 0) {
    throw new PocError(
      'POC_ERR_BAD_OPTION',
      'webhook secret: must be base64 (the part after whsec_ of the endpoint secret), and not empty',
    );
  }
  return key;
}

/** The same key in the form the spec shows to customers: `whsec_` + standard base64. */
export function canonicalSecret(secret: string): string {
  return `${SECRET_PREFIX}${secretKey(secret).toString('base64')}`;
}

/** base64(HMAC-SHA256(key, `${id}.${timestamp}.${body}`)), timestamp in Unix seconds. */
export function signV1(key: Buffer, id: string, timestampS: number, body: string | Buffer): string {
  return createHmac('sha256', key).update(`${id}.${timestampS}.`).update(body).digest('base64');
}

export interface MessageToSign {
  readonly id: string;
  readonly timestampS: number;
  readonly body: string | Buffer;
}

/** The three headers of one attempt; one `v1,` entry per key, space-separated (rotation). */
export function signedHeaders(keys: readonly Buffer[], message: MessageToSign): Record<string, string> {
  return {
    [HEADERS.id]: message.id,
    [HEADERS.timestamp]: String(message.timestampS),
    [HEADERS.signature]: keys
      .map((key) => `v1,${signV1(key, message.id, message.timestampS, message.body)}`)
      .join(' '),
  };
}

export interface StandardVerifyOptions {
  readonly keys: readonly Buffer[];
  readonly toleranceMs: number;
}

export type StandardVerifyResult =
  | { readonly ok: true; readonly id: string }
  | { readonly ok: false; readonly reason: VerifyFailure };

const fail = (reason: VerifyFailure): StandardVerifyResult => ({ ok: false, reason });

/**
 * Verifies one delivery exactly as the spec's reference library does, with poc's reasons: the
 * timestamp must be within the tolerance both ways, and at least one `v1` entry must match one
 * key. Entries of other versions (`v1a` ed25519, unknown) are skipped; if nothing but those is
 * present the answer is `unsupported_version`. A missing `webhook-id` is `missing_signature`:
 * without it there is no signed content to check. Never throws.
 */
export function verifyStandard(
  delivery: RawDelivery,
  now: number,
  options: StandardVerifyOptions,
): StandardVerifyResult {
  const branded = [HEADERS.id, HEADERS.timestamp, HEADERS.signature].some(
    (h) => delivery.headers[h] !== undefined,
  );
  const names = branded ? HEADERS : SVIX_HEADERS;
  const signature = readHeader(delivery.headers, names.signature);
  const id = readHeader(delivery.headers, names.id);
  const timestamp = readHeader(delivery.headers, names.timestamp);
  if ([signature, id, timestamp].some((h) => h.kind === 'duplicated')) return fail('duplicated_signature');
  if (signature.kind !== 'one' || id.kind !== 'one') return fail('missing_signature');
  if (timestamp.kind !== 'one' || !/^\d{1,12}$/.test(timestamp.value)) return fail('missing_timestamp');

  const timestampS = Number(timestamp.value);
  const nowS = Math.floor(now / 1000);
  const toleranceS = options.toleranceMs / 1000;
  if (nowS - timestampS > toleranceS) return fail('stale_timestamp');
  if (timestampS - nowS > toleranceS) return fail('future_timestamp');

  let sawV1 = false;
  const expected = options.keys.map((key) => signV1(key, id.value, timestampS, delivery.body));
  for (const entry of signature.value.split(' ')) {
    const comma = entry.indexOf(',');
    if (comma < 0 || entry.slice(0, comma) !== 'v1') continue;
    sawV1 = true;
    const given = entry.slice(comma + 1);
    if (expected.some((e) => sameSecret(given, e))) return { ok: true, id: id.value };
  }
  return fail(sawV1 ? 'bad_signature' : 'unsupported_version');
}
