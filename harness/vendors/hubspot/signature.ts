import { createHash, createHmac } from 'node:crypto';
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

export function signV3(secret: string, input: SignInput): string {
  const hmac = createHmac('sha256', secret);
  hmac.update(`${input.method.toUpperCase()}${normaliseV3Uri(input.url)}`);
  hmac.update(input.body);
  hmac.update(String(input.timestamp));
  return hmac.digest('base64');
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
      if (secret.length > 0 && sameSecret(v3.value, signV3(secret, input))) return { ok: true };
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
