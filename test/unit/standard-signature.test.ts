import { describe, expect, it } from 'vitest';
import { parseStandardMessage } from '../../harness/vendors/standard/events.js';
import { standard } from '../../harness/vendors/standard/index.js';
import {
  canonicalSecret,
  secretKey,
  signV1,
  verifyStandard,
} from '../../harness/vendors/standard/signature.js';
import { MalformedDeliveryError } from '../../harness/vendors/types.js';

// The official test vector: standard-webhooks libraries/javascript/src/webhook.test.ts
// ("sign function works"), recomputed in shared/vendors.md §8.
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const MSG_ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const TS = 1614265330;
const PAYLOAD = '{"test": 2432232314}';
const EXPECTED = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';

const NOW = TS * 1000;
const opts = { keys: [secretKey(SECRET)], toleranceMs: 300_000 };

function delivery(headers: Record<string, string | string[]>, body = PAYLOAD) {
  return { method: 'POST', url: 'http://127.0.0.1/webhooks/standard', headers, body: Buffer.from(body) };
}

const valid = { 'webhook-id': MSG_ID, 'webhook-timestamp': String(TS), 'webhook-signature': EXPECTED };

describe('Standard Webhooks signatures', () => {
  it('matches the spec’s official test vector, with and without the whsec_ prefix', () => {
    expect(`v1,${signV1(secretKey(SECRET), MSG_ID, TS, PAYLOAD)}`).toBe(EXPECTED);
    const unprefixed = SECRET.slice('whsec_'.length);
    expect(`v1,${signV1(secretKey(unprefixed), MSG_ID, TS, PAYLOAD)}`).toBe(EXPECTED);
    expect(canonicalSecret(unprefixed)).toBe(SECRET);
    expect(verifyStandard(delivery(valid), NOW, opts)).toEqual({ ok: true, id: MSG_ID });
  });

  it('names what is missing, as the reference library’s negative tests do', () => {
    const without = (name: string) => Object.fromEntries(Object.entries(valid).filter(([k]) => k !== name));
    expect(verifyStandard(delivery(without('webhook-id')), NOW, opts)).toEqual({
      ok: false,
      reason: 'missing_signature',
    });
    expect(verifyStandard(delivery(without('webhook-signature')), NOW, opts)).toEqual({
      ok: false,
      reason: 'missing_signature',
    });
    expect(verifyStandard(delivery(without('webhook-timestamp')), NOW, opts)).toEqual({
      ok: false,
      reason: 'missing_timestamp',
    });
    expect(verifyStandard(delivery({ ...valid, 'webhook-timestamp': 'hello' }), NOW, opts)).toEqual({
      ok: false,
      reason: 'missing_timestamp',
    });
  });

  it.each([
    ['an invalid signature', 'v1,dawfeoifkpqwoekfpqoekf'],
    ['a truncated signature', EXPECTED.slice(0, -4)],
    ['an empty v1 entry', 'v1,'],
    ['a signature over another body', `v1,${signV1(secretKey(SECRET), MSG_ID, TS, '{"test": 1}')}`],
    [
      'a signature by another key',
      `v1,${signV1(Buffer.from('another key of 24 bytes!'), MSG_ID, TS, PAYLOAD)}`,
    ],
  ])('rejects %s as bad_signature', (_name, signature) => {
    expect(verifyStandard(delivery({ ...valid, 'webhook-signature': signature }), NOW, opts)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('rejects timestamps more than 300 s away in either direction, and accepts the edges', () => {
    const at = (ts: number) => ({
      ...valid,
      'webhook-timestamp': String(ts),
      'webhook-signature': `v1,${signV1(secretKey(SECRET), MSG_ID, ts, PAYLOAD)}`,
    });
    expect(verifyStandard(delivery(at(TS - 301)), NOW, opts)).toEqual({
      ok: false,
      reason: 'stale_timestamp',
    });
    expect(verifyStandard(delivery(at(TS + 301)), NOW, opts)).toEqual({
      ok: false,
      reason: 'future_timestamp',
    });
    expect(verifyStandard(delivery(at(TS - 300)), NOW, opts).ok).toBe(true);
    expect(verifyStandard(delivery(at(TS + 300)), NOW, opts).ok).toBe(true);
  });

  it('accepts a rotation header when one v1 entry is valid, and skips other versions', () => {
    const stale = `v1,${signV1(Buffer.from('the previous key, 24 byte'), MSG_ID, TS, PAYLOAD)}`;
    const ed25519 =
      'v1a,hnO3f9T8Ytu9HwrXslvumlUpqtNVqkhqw/enGzPCXe5BdqzCInXqYXFymVJaA7AZdpXwVLPo3mNl8EM+m7TBAg==';
    const signature = `${stale} ${ed25519} v2,whatever ${EXPECTED}`;
    expect(verifyStandard(delivery({ ...valid, 'webhook-signature': signature }), NOW, opts).ok).toBe(true);
    expect(verifyStandard(delivery({ ...valid, 'webhook-signature': ed25519 }), NOW, opts)).toEqual({
      ok: false,
      reason: 'unsupported_version',
    });
    expect(
      verifyStandard(delivery({ ...valid, 'webhook-signature': `${stale} ${ed25519}` }), NOW, opts),
    ).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('verifies with any of several secrets (the receiver’s side of a rotation)', () => {
    const rotated = {
      keys: [secretKey('whsec_bmV3IGtleSBvZiB0d2VudHktZm91ciBieXRlcw=='), secretKey(SECRET)],
      toleranceMs: 300_000,
    };
    expect(verifyStandard(delivery(valid), NOW, rotated).ok).toBe(true);
  });

  it('accepts Svix’s branded header names for the same scheme', () => {
    const svix = { 'svix-id': MSG_ID, 'svix-timestamp': String(TS), 'svix-signature': EXPECTED };
    expect(verifyStandard(delivery(svix), NOW, opts)).toEqual({ ok: true, id: MSG_ID });
  });

  it('rejects a repeated signature header', () => {
    expect(
      verifyStandard(delivery({ ...valid, 'webhook-signature': [EXPECTED, EXPECTED] }), NOW, opts),
    ).toEqual({
      ok: false,
      reason: 'duplicated_signature',
    });
    expect(
      verifyStandard(delivery({ ...valid, 'webhook-signature': `${EXPECTED}, ${EXPECTED}` }), NOW, opts),
    ).toEqual({ ok: false, reason: 'duplicated_signature' });
  });

  it('refuses a secret that is not base64, without quoting it', () => {
    expect(() => secretKey('whsec_not base64!')).toThrow(/must be base64/);
    expect(() => secretKey('whsec_not base64!')).not.toThrow(/not base64!/);
  });
});

describe('Standard Webhooks messages', () => {
  const body = JSON.stringify({
    type: 'contact.updated',
    timestamp: '2026-11-23T18:00:00.000Z',
    data: {
      id: '1001',
      external_id: 'ada@example.com',
      email: 'ada@example.com',
      first_name: 'Ada',
      last_name: 'Lovelace',
      phone: null,
      custom_fields: { poc_seq: '7:1:2' },
    },
  });

  it('keys the event by webhook-id once the adapter has verified the delivery', () => {
    const scheme = standard.webhooks({ secrets: [SECRET] });
    const now = Date.now();
    const headers = scheme.sign({ method: 'POST', url: 'http://x/y', body, timestamp: now });
    const raw = delivery(headers, body);
    expect(scheme.verify(raw, now)).toMatchObject({ ok: true });
    const [event] = scheme.parse(raw.body);
    expect(event).toEqual({
      key: headers['webhook-id'],
      objectId: '1001',
      type: 'contact.updated',
      action: 'update',
      occurredAt: Date.parse('2026-11-23T18:00:00.000Z'),
      attempt: 0,
      fields: { email: 'ada@example.com', firstname: 'Ada', lastname: 'Lovelace', poc_seq: '7:1:2' },
    });
    expect(headers['webhook-timestamp']).toBe(String(Math.floor(now / 1000)));
  });

  it('falls back to a body hash as the key when parsed without its headers', () => {
    const [a] = parseStandardMessage(Buffer.from(body));
    const [b] = parseStandardMessage(Buffer.from(body));
    expect(a?.key).toMatch(/^sha256:/);
    expect(a?.key).toBe(b?.key);
  });

  it.each([
    ['not json', /not valid JSON/],
    ['[]', /JSON object/],
    ['{"timestamp":"2026-01-01T00:00:00Z","data":{"id":"1"}}', /type/],
    ['{"type":"contact.updated","timestamp":"yesterday","data":{"id":"1"}}', /timestamp/],
    ['{"type":"contact.updated","timestamp":"2026-01-01T00:00:00Z"}', /data must be an object/],
    ['{"type":"contact.updated","timestamp":"2026-01-01T00:00:00Z","data":{}}', /data\.id/],
  ])('names the field of a malformed message: %s', (raw, message) => {
    expect(() => parseStandardMessage(Buffer.from(raw))).toThrow(MalformedDeliveryError);
    expect(() => parseStandardMessage(Buffer.from(raw))).toThrow(message);
  });
});
