import { describe, expect, it } from 'vitest';
import { signV1, signV2, signV3, verifyHubspot } from '../../harness/vendors/hubspot/signature.js';

// Test vectors from HubSpot's Node SDK tests (shared/vendors.md §1.5).
const SECRET = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
const URL_ = 'https://www.example.com/webhook_uri';

describe('HubSpot signatures', () => {
  it('v3 matches the SDK vectors', () => {
    const body = "{'example_field':'example_value'}";
    expect(signV3(SECRET, { method: 'POST', url: URL_, body, timestamp: 1693657560000 })).toBe(
      'K36dawei4A+QBNolUOqo7s91KQDWQ5MXZ/QufNYuk/Y=',
    );
    expect(signV3(SECRET, { method: 'POST', url: URL_, body, timestamp: 1700000300000 })).toBe(
      'RnbPH7+UMKVkbV32P8bz450N4M56aPmcru1+D3kSDtw=',
    );
  });

  it('v2 and v1 match the SDK vectors', () => {
    const body = '{"example_field":"example_value"}';
    expect(signV2(SECRET, { method: 'POST', url: URL_, body, timestamp: 0 })).toBe(
      '9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900',
    );
    expect(signV1(SECRET, { method: 'POST', url: URL_, body, timestamp: 0 })).toBe(
      '54b2530692e3a3982727206aeee670ed1d85319cad55d4ddbafcf41725ebf2b3',
    );
  });

  const now = 1_700_000_000_000;
  const body = Buffer.from('[{"eventId":1}]');
  const signed = (secret: string, ts = now, b: Buffer = body) => ({
    method: 'POST',
    url: URL_,
    body: b,
    headers: {
      'x-hubspot-signature-v3': signV3(secret, { method: 'POST', url: URL_, body: b, timestamp: ts }),
      'x-hubspot-request-timestamp': String(ts),
    },
  });
  const opts = { secrets: [SECRET], toleranceMs: 300_000, acceptLegacy: false };

  it('accepts a valid delivery and rejects each forgery with its reason', () => {
    expect(verifyHubspot(signed(SECRET), now, opts)).toEqual({ ok: true });
    expect(verifyHubspot({ ...signed(SECRET), body: Buffer.from('[{"eventId":2}]') }, now, opts)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifyHubspot(signed('wrong-secret'), now, opts)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyHubspot(signed(SECRET, now - 300_001), now, opts)).toEqual({
      ok: false,
      reason: 'stale_timestamp',
    });
    expect(verifyHubspot(signed(SECRET, now + 300_001), now, opts)).toEqual({
      ok: false,
      reason: 'future_timestamp',
    });
    expect(verifyHubspot({ ...signed(SECRET), headers: {} }, now, opts)).toEqual({
      ok: false,
      reason: 'missing_signature',
    });
    const dup = signed(SECRET);
    expect(
      verifyHubspot(
        {
          ...dup,
          headers: { ...dup.headers, 'x-hubspot-signature-v3': [dup.headers['x-hubspot-signature-v3'], 'x'] },
        },
        now,
        opts,
      ),
    ).toEqual({ ok: false, reason: 'duplicated_signature' });
    expect(verifyHubspot(signed(SECRET), now, { ...opts, secrets: [''] })).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('verifies with either secret during a rotation', () => {
    const rotating = { ...opts, secrets: ['new-secret', SECRET] };
    expect(verifyHubspot(signed(SECRET), now, rotating)).toEqual({ ok: true });
    expect(verifyHubspot(signed('new-secret'), now, rotating)).toEqual({ ok: true });
    expect(verifyHubspot(signed(SECRET), now, { ...opts, secrets: ['new-secret'] }).ok).toBe(false);
  });

  it('refuses v1 deliveries unless legacy signatures are accepted (they cannot stop replays)', () => {
    const legacy = {
      method: 'POST',
      url: URL_,
      body,
      headers: {
        'x-hubspot-signature': signV1(SECRET, { method: 'POST', url: URL_, body, timestamp: 0 }),
        'x-hubspot-signature-version': 'v1',
      },
    };
    expect(verifyHubspot(legacy, now, opts)).toEqual({ ok: false, reason: 'unsupported_version' });
    expect(verifyHubspot(legacy, now, { ...opts, acceptLegacy: true })).toEqual({ ok: true });
  });
});
