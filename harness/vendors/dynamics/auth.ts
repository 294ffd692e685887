import type { RawDelivery, VerifyResult } from '../types.js';
import { sameSecret } from '../wire.js';
import { WEBHOOK_KEY_HEADER } from './fields.js';

/**
 * Dataverse webhooks carry no signature: the service endpoint sends a static key, either as a
 * header (HttpHeader auth) or as `?code=` (WebhookKey auth). Checking it is all a receiver can do,
 * which also means a captured delivery can be replayed at will (nothing to hold a timestamp to).
 */
type KeyRead = { kind: 'missing' } | { kind: 'duplicated' } | { kind: 'one'; value: string };

function readKey(delivery: RawDelivery): KeyRead {
  const header = delivery.headers[WEBHOOK_KEY_HEADER];
  if (Array.isArray(header)) {
    return header.length === 1 ? { kind: 'one', value: header[0] ?? '' } : { kind: 'duplicated' };
  }
  if (header !== undefined && header !== '') {
    // Node joins a repeated custom header with ", "; poc's keys are base64url and never contain one.
    return header.includes(', ') ? { kind: 'duplicated' } : { kind: 'one', value: header };
  }
  let codes: string[];
  try {
    codes = new URL(delivery.url).searchParams.getAll('code');
  } catch {
    return { kind: 'missing' };
  }
  if (codes.length > 1) return { kind: 'duplicated' };
  const code = codes[0];
  return code ? { kind: 'one', value: code } : { kind: 'missing' };
}

export function verifyDynamicsKey(delivery: RawDelivery, secrets: readonly string[]): VerifyResult {
  const key = readKey(delivery);
  if (key.kind === 'missing') return { ok: false, reason: 'missing_signature' };
  if (key.kind === 'duplicated') return { ok: false, reason: 'duplicated_signature' };
  // Every secret is compared (no early exit on a match) so timing does not tell which one matched.
  let ok = false;
  for (const secret of secrets) if (secret.length > 0 && sameSecret(key.value, secret)) ok = true;
  return ok ? { ok: true } : { ok: false, reason: 'bad_signature' };
}

/** The headers a Dataverse HttpHeader endpoint sends: the static key, whatever the body. */
export function dynamicsKeyHeaders(secret: string): Record<string, string> {
  return { [WEBHOOK_KEY_HEADER]: secret };
}
