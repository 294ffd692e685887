import { createHash, createHmac, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto';
import type { RawDelivery, SignInput, VerifyResult } from '../types.js';
import { readHeader, sameSecret } from '../wire.js';

export type HubspotSignatureVersion = 'v1' | 'v2' | 'v3';

export const HEADER_V3 = 'x-hubspot-signature-v3';
export const HEADER_LEGACY = 'x-hubspot-signature';
export const HEADER_VERSION = 'x-hubspot-signature-version';
export const HEADER_TIMESTAMP = 'x-hubspot-request-timestamp';

// HubSpot's request-validation page: decode only these escapes in the URI before signing v3.
const V3_DECODES: Record<string, string> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};

function normaliseV3Uri(url: string): string {
  if (!url.includes('%')) return url;
  return url.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (m) => V3_DECODES[m.toUpperCase()] ?? m);
}

/** HubSpot's v3 signature of a request, as the x-hubspot-signature-v3 header carries it. */
export function signV3(secret: string, input: SignInput): string {
  return macV3(secret, input);
}

/** Base64 HMAC-SHA256 of method, URI, body and timestamp, under a string or a prepared key. */
function macV3(key: string | KeyObject, input: SignInput): string {
  const hmac = createHmac('sha256', key);
  hmac.update(`${input.method.toUpperCase()}${normaliseV3Uri(input.url)}`);
  // The body goes in as the bytes received: no copy, no string conversion.
  hmac.update(input.body);
  hmac.update(String(input.timestamp));
  return hmac.digest('base64');
}

// A secret's key object, made once: createHmac with a string converts it to bytes on every call.
// Bounded so a caller cycling through secrets cannot grow it; it holds what the caller holds.
const KEY_CACHE_SIZE = 16;
const keyCache = new Map<string, KeyObject>();

function hmacKey(secret: string): KeyObject {
  let key = keyCache.get(secret);
  if (key === undefined) {
    if (keyCache.size >= KEY_CACHE_SIZE) keyCache.clear();
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    keyCache.set(secret, key);
  }
  return key;
}

/**
 * Compares a given v3 signature with the expected one in constant time. The expected value is
 * always 44 base64 characters, public knowledge, so checking the length first leaks nothing;
 * the given one is compared as UTF-8 bytes, so no other string can pass for it.
 */
function sameSignature(given: string, expected: string): boolean {
  if (given.length !== expected.length) return false;
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'latin1');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function signV2(secret: string, input: SignInput): string {
  return createHash('sha256')
    .update(`${secret}${input.method.toUpperCase()}${input.url}`)
    .update(input.body)
    .digest('hex');
}

export function signV1(secret: string, input: SignInput): string {
  return createHash('sha256').update(secret).update(input.body).digest('hex');
}

export function signHeaders(
  secret: string,
  version: HubspotSignatureVersion,
  input: SignInput,
): Record<string, string> {
  if (version === 'v3') {
    return { [HEADER_V3]: signV3(secret, input), [HEADER_TIMESTAMP]: String(input.timestamp) };
  }
  const signature = version === 'v2' ? signV2(secret, input) : signV1(secret, input);
  return { [HEADER_LEGACY]: signature, [HEADER_VERSION]: version };
}

export interface HubspotVerifyOptions {
  readonly secrets: readonly string[];
  readonly toleranceMs: number;
  /** v1/v2 carry no timestamp, so they cannot reject replays; accept them only when asked. */
  readonly acceptLegacy: boolean;
}

export function verifyHubspot(
  delivery: RawDelivery,
  now: number,
  options: HubspotVerifyOptions,
): VerifyResult {
  const v3 = readHeader(delivery.headers, HEADER_V3);
  if (v3.kind === 'duplicated') return { ok: false, reason: 'duplicated_signature' };
  if (v3.kind === 'one') {
    const ts = readHeader(delivery.headers, HEADER_TIMESTAMP);
    if (ts.kind === 'duplicated') return { ok: false, reason: 'duplicated_signature' };
    if (ts.kind === 'missing' || !/^\d{1,16}$/.test(ts.value))
      return { ok: false, reason: 'missing_timestamp' };
    const timestamp = Number(ts.value);
    if (now - timestamp > options.toleranceMs) return { ok: false, reason: 'stale_timestamp' };
    if (timestamp - now > options.toleranceMs) return { ok: false, reason: 'future_timestamp' };
    const input = { method: delivery.method, url: delivery.url, body: delivery.body, timestamp };
    for (const secret of options.secrets) {
      if (secret.length > 0 && sameSignature(v3.value, macV3(hmacKey(secret), input))) return { ok: true };
    }
    return { ok: false, reason: 'bad_signature' };
  }
  const legacy = readHeader(delivery.headers, HEADER_LEGACY);
  if (legacy.kind === 'missing') return { ok: false, reason: 'missing_signature' };
  if (legacy.kind === 'duplicated') return { ok: false, reason: 'duplicated_signature' };
  const version = readHeader(delivery.headers, HEADER_VERSION);
  const v = version.kind === 'one' ? version.value : 'v1';
  if (!options.acceptLegacy || (v !== 'v1' && v !== 'v2'))
    return { ok: false, reason: 'unsupported_version' };
  const input = { method: delivery.method, url: delivery.url, body: delivery.body, timestamp: 0 };
  for (const secret of options.secrets) {
    const expected = v === 'v2' ? signV2(secret, input) : signV1(secret, input);
    if (secret.length > 0 && sameSecret(legacy.value, expected)) return { ok: true };
  }
  return { ok: false, reason: 'bad_signature' };
}
