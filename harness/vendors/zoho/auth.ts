import type { RawDelivery, VerifyResult } from '../types.js';
import { sameSecret } from '../wire.js';

/**
 * Zoho signs nothing: the `token` given when the channel was enabled is echoed inside every
 * notification body, so checking it means reading the body. Hostile bodies must not throw here.
 */
export function readEchoedToken(body: Buffer): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const token = (parsed as Record<string, unknown>).token;
  return typeof token === 'string' && token.length > 0 ? token : undefined;
}

export function verifyZohoToken(delivery: RawDelivery, secrets: readonly string[]): VerifyResult {
  const token = readEchoedToken(delivery.body);
  if (token === undefined) return { ok: false, reason: 'missing_signature' };
  let ok = false;
  // Every secret is compared, so the time taken does not tell which one matched.
  for (const secret of secrets) if (secret.length > 0 && sameSecret(token, secret)) ok = true;
  return ok ? { ok: true } : { ok: false, reason: 'bad_signature' };
}
