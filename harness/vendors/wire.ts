import { createHash, timingSafeEqual } from 'node:crypto';
import { MalformedDeliveryError, type RawDelivery, TooManyEventsError } from './types.js';

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

/**
 * Bodies up to this size are parsed before their items are counted: JSON.parse of 64 KiB takes
 * well under a millisecond, and a scan first would cost the hot path a second pass.
 */
const COUNT_BEFORE_PARSE_ABOVE = 64 * 1024;

/**
 * Whether a JSON array has more than `max` items at its top level. A byte scan that stops at
 * item max + 1: it never builds the items. False when the body does not start as an array (the
 * parser then says what is wrong); on malformed JSON the answer is meaningless but only refuses.
 */
export function jsonArrayLongerThan(body: Buffer, max: number): boolean {
  const isSpace = (c: number | undefined) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
  let i = 0;
  while (isSpace(body[i])) i++;
  if (body[i] !== 0x5b) return false;
  if (max < 1) {
    // No separator to count: any item at all is one too many.
    let j = i + 1;
    while (isSpace(body[j])) j++;
    return j < body.length && body[j] !== 0x5d;
  }
  let depth = 0;
  let separators = 0;
  for (; i < body.length; i++) {
    const c = body[i];
    if (c === 0x22) {
      // Skip the string: a comma or bracket inside one is text. UTF-8 continuation bytes are all
      // >= 0x80, so they never look like a quote or a backslash.
      for (i++; i < body.length && body[i] !== 0x22; i++) if (body[i] === 0x5c) i++;
    } else if (c === 0x5b || c === 0x7b) depth++;
    else if (c === 0x5d || c === 0x7d) depth--;
    else if (c === 0x2c && depth === 1 && ++separators >= max) return true;
  }
  return false;
}

/**
 * Parses a body that must be a JSON array of at most `max` items (`what` names them, for the
 * 400's reason); throws TooManyEventsError past `max`. A large body is counted before it is
 * parsed, so 20,000 signed events are refused after reading about `max` of them, not after
 * building all of them (JSON.parse of 5 MB holds the receiver's thread for tens of ms).
 */
export function parseJsonArray(body: Buffer, max: number, what: string): unknown[] {
  const tooMany = () =>
    new TooManyEventsError(
      `body holds more than ${max} ${what}; the vendor sends at most ${max} at once`,
      max,
    );
  if (body.length > COUNT_BEFORE_PARSE_ABOVE && jsonArrayLongerThan(body, max)) throw tooMany();
  const parsed = parseJsonBody(body);
  if (!Array.isArray(parsed)) throw new MalformedDeliveryError(`body must be a JSON array of ${what}`);
  if (parsed.length > max) throw tooMany();
  return parsed;
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
