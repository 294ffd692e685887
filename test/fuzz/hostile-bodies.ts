import { encodeOutboundMessage } from '../../harness/vendors/salesforce/outbound-message.js';
import { createRng, type Rng } from './prng.js';
import type { FuzzTarget } from './targets.js';

// The bodies and headers of hostile deliveries (hostile.ts turns them into fuzz mutations; the
// receiver's integration tests send them one by one).

/**
 * Byte sequences that are not UTF-8: a lone continuation byte, 0xFF, an overlong NUL, a UTF-16
 * surrogate written as UTF-8 (CESU-8), a truncated three-byte sequence, a code point past U+10FFFF.
 */
export const INVALID_UTF8: readonly Buffer[] = [
  [0x80],
  [0xff],
  [0xc0, 0x80],
  [0xed, 0xa0, 0x80],
  [0xe2, 0x82],
  [0xf4, 0x90, 0x80, 0x80],
].map((bytes) => Buffer.from(bytes));

/**
 * `body` with `bytes` inserted at the start of one of its text values (a JSON string or an XML
 * element's text), never inside `keep` (the credential a body-credential vendor carries).
 */
export function insertInValue(rng: Rng, body: Buffer, bytes: Buffer, keep: string): Buffer {
  const text = body.toString('latin1');
  const at: number[] = [];
  for (const m of text.matchAll(/":\s*"|>(?=[^<\s])/g)) at.push((m.index ?? 0) + m[0].length);
  const safe = at.filter((i) => !text.startsWith(keep, i));
  const i = safe.length > 0 ? rng.pick(safe) : body.length;
  return Buffer.concat([body.subarray(0, i), bytes, body.subarray(i)]);
}

/** The vendors whose format carries many events, so that a delivery can carry too many. */
export const BATCHING_VENDORS: readonly string[] = ['hubspot', 'zoho', 'salesforce'];

/**
 * A body of the vendor's format carrying `count` events (HubSpot's array, Zoho's ids, Salesforce's
 * notifications); undefined for the vendors whose format holds one event, where a cap is the format.
 */
export function bodyWithEvents(target: FuzzTarget, rng: Rng, n: number, count: number): Buffer | undefined {
  const base = () => target.body(rng, n, target.secret).toString('utf8');
  if (target.vendor === 'hubspot') {
    const event = (JSON.parse(base()) as Record<string, unknown>[])[0] ?? {};
    const events = Array.from({ length: count }, (_, k) => ({ ...event, eventId: n * 100_000 + k }));
    return Buffer.from(JSON.stringify(events));
  }
  if (target.vendor === 'zoho') {
    const notification = JSON.parse(base()) as Record<string, unknown>;
    const ids = Array.from(
      { length: count },
      (_, k) => `48768760${String(n * 100_000 + k).padStart(11, '0')}`,
    );
    return Buffer.from(JSON.stringify({ ...notification, ids, affected_fields: [], affected_values: [] }));
  }
  if (target.vendor === 'salesforce') {
    return Buffer.from(
      encodeOutboundMessage({
        organizationId: target.secret,
        actionId: '04k5g000000FuzzAAA',
        sessionId: undefined,
        enterpriseUrl: 'https://fuzz.my.salesforce.com/services/Soap/c/62.0/00D5g000004Fuzz',
        partnerUrl: 'https://fuzz.my.salesforce.com/services/Soap/u/62.0/00D5g000004Fuzz',
        notifications: Array.from({ length: count }, (_, k) => ({
          id: `04l5g${String(n * 1_000 + k).padStart(13, '0')}`,
          sobjectType: 'Contact',
          fields: { Id: `0035g${String(k).padStart(13, '0')}`, Email: `many${k}@example.com` },
        })),
      }),
    );
  }
  return undefined;
}

const nestedCache = new Map<string, Buffer>();

/**
 * A body nested `depth` deep: arrays in the vendor's JSON (beside Zoho's token, so it gets past the
 * check and reaches the parser), elements in Salesforce's XML (beside the org id).
 */
export function nestedBody(target: FuzzTarget, depth: number): Buffer {
  const key = `${target.vendor}:${depth}`;
  let body = nestedCache.get(key);
  if (!body) {
    const arrays = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    if (target.vendor === 'salesforce') {
      const deep = `${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}`;
      const message = bodyWithEvents(target, createRng(0), 0, 1)?.toString('utf8') ?? '';
      body = Buffer.from(message.replace('<Notification>', `${deep}<Notification>`));
    } else if (target.vendor === 'hubspot') body = Buffer.from(arrays);
    else if (target.vendor === 'zoho')
      body = Buffer.from(`{"token":${JSON.stringify(target.secret)},"x":${arrays}}`);
    else body = Buffer.from(`{"x":${arrays}}`);
    nestedCache.set(key, body);
  }
  return body;
}

/** Content types each vendor never sends; the receiver reads none of their bodies. */
const FOREIGN_TYPES: Readonly<Record<string, readonly (string | undefined)[]>> = {
  json: [
    'text/plain',
    'text/xml; charset=utf-8',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=fuzz',
    'application/octet-stream',
    'application/json; charset=utf-16',
    'application/json;charset=iso-8859-1',
    'application/jsonx',
    'text/json',
    ';;;',
    'x'.repeat(2000),
    undefined,
  ],
  xml: [
    'application/json',
    'text/plain',
    'application/soap+xml',
    'text/xml; charset=utf-16',
    'text/xml; charset="ISO-8859-1"',
    'text/xml-external-parsed-entity',
    undefined,
  ],
};

/** The vendor's own type, spelt the ways HTTP allows: accepted like the plain one. */
const OWN_SPELLINGS = (type: string): readonly string[] => [
  `${type}; charset=utf-8`,
  `${type.toUpperCase()}; Charset="UTF-8"`,
  `${type};charset=utf-8;`,
  ` ${type} `,
];

/** Content types `target` never sends (undefined: no Content-Type at all). */
export function foreignContentTypes(target: FuzzTarget): readonly (string | undefined)[] {
  return FOREIGN_TYPES[target.contentType.startsWith('text/xml') ? 'xml' : 'json'] ?? [];
}

/** `target`'s own content type spelt the other ways HTTP allows. */
export function ownContentTypeSpellings(target: FuzzTarget): readonly string[] {
  return OWN_SPELLINGS(target.contentType.split(';')[0] ?? '');
}
