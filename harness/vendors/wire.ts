import { createHash, timingSafeEqual } from 'node:crypto';
import { MalformedDeliveryError, type RawDelivery } from './types.js';

/**
 * Compares a secret, key or signature in constant time. Hashing both sides first gives equal
 * lengths, so neither the bytes nor the length of the expected value leak through timing.
 */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

export type HeaderRead = { kind: 'missing' } | { kind: 'duplicated' } | { kind: 'one'; value: string };

/** One header's value, telling a missing header from a repeated one (a classic forgery). */
export function readHeader(headers: RawDelivery['headers'], name: string): HeaderRead {
  const value = headers[name];
  if (value === undefined || value === '') return { kind: 'missing' };
  if (Array.isArray(value))
    return value.length === 1 ? { kind: 'one', value: value[0] ?? '' } : { kind: 'duplicated' };
  // Node joins a repeated custom header with ", "; ids, keys and base64/hex signatures never hold one.
  if (value.includes(', ')) return { kind: 'duplicated' };
  return { kind: 'one', value };
}

/** Parses a JSON webhook body; throws MalformedDeliveryError when it is not JSON. */
export function parseJsonBody(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new MalformedDeliveryError('body is not valid JSON');
  }
}

/** Parses a JSON object body; `shape` names what was expected, for the 400's reason. */
export function parseJsonObject(body: Buffer, shape: string): Record<string, unknown> {
  const parsed = parseJsonBody(body);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new MalformedDeliveryError(`body must be ${shape}`);
  }
  return parsed as Record<string, unknown>;
}

/** A numeric response header (rate-limit counters); undefined when absent or not a number. */
export function numberHeader(headers: Headers, name: string): number | undefined {
  const v = headers.get(name);
  return v === null || v === '' || !Number.isFinite(Number(v)) ? undefined : Number(v);
}
