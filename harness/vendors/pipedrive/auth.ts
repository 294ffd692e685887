import { createHash, timingSafeEqual } from 'node:crypto';
import type { RawDelivery, VerifyResult } from '../types.js';

/**
 * Pipedrive signs nothing: a webhook's only credential is the HTTP Basic user and password set
 * on it (http_auth_user / http_auth_password), sent on every delivery. No timestamp is covered,
 * so a captured delivery can be replayed; dedupe by event key is the only defence.
 */
export function basicHeader(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

export interface BasicVerifyOptions {
  readonly user: string;
  /** Every password that verifies; two during a rotation. */
  readonly secrets: readonly string[];
}

// Both sides hashed to the same length first, so the comparison time says nothing about lengths.
function sameCredentials(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

export function verifyBasic(delivery: RawDelivery, options: BasicVerifyOptions): VerifyResult {
  const header = delivery.headers.authorization;
  if (header === undefined || header === '') return { ok: false, reason: 'missing_signature' };
  if (Array.isArray(header)) {
    if (header.length !== 1) return { ok: false, reason: 'duplicated_signature' };
  }
  const value = (Array.isArray(header) ? header[0] : header) ?? '';
  // Strict base64 (padding only at the end): Node's decoder would silently stop at a stray '='.
  const match = /^Basic\s+((?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?)\s*$/i.exec(value);
  if (!match?.[1]) return { ok: false, reason: 'bad_signature' };
  const given = Buffer.from(match[1], 'base64').toString('utf8');
  let ok = false;
  // Every secret is compared, so the time taken does not tell which one matched.
  for (const secret of options.secrets) {
    if (secret.length > 0 && sameCredentials(given, `${options.user}:${secret}`)) ok = true;
  }
  return ok ? { ok: true } : { ok: false, reason: 'bad_signature' };
}
