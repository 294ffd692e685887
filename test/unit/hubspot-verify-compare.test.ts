import { describe, expect, it } from 'vitest';
import { signV3, verifyHubspot } from '../../harness/vendors/hubspot/signature.js';

// verifyHubspot compares the v3 header with the expected HMAC as 44 base64 bytes, with a key
// object cached per secret: only the exact header passes, and the cache never answers for a
// secret it was not made from.
const URL_ = 'https://www.example.com/webhook_uri';
const now = 1_700_000_000_000;
const body = Buffer.from('[{"eventId":1}]');
const opts = { secrets: ['first-secret'], toleranceMs: 300_000, acceptLegacy: false };

function delivery(signature: string) {
  return {
    method: 'POST',
    url: URL_,
    body,
    headers: { 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': String(now) },
  };
}

const valid = signV3('first-secret', { method: 'POST', url: URL_, body, timestamp: now });

describe('HubSpot v3 signature comparison', () => {
  it('accepts the exact signature and nothing that merely resembles it', () => {
    expect(valid).toHaveLength(44);
    expect(verifyHubspot(delivery(valid), now, opts)).toEqual({ ok: true });
    const flipped = `${valid.slice(0, 10)}${valid[10] === 'A' ? 'B' : 'A'}${valid.slice(11)}`;
    const lookalikes = [
      flipped,
      valid.slice(0, 43),
      `${valid}=`,
      ` ${valid.slice(1)}`,
      valid.replace(/=$/, ''),
      // Same length, one character outside ASCII whose low byte is the original's.
      `${valid.slice(0, 43)}${String.fromCharCode(0x100 + valid.charCodeAt(43))}`,
      Buffer.from(valid, 'base64').toString('hex'),
    ];
    for (const forged of lookalikes) {
      expect(verifyHubspot(delivery(forged), now, opts)).toEqual({ ok: false, reason: 'bad_signature' });
    }
  });

  it('keeps each secret its own key, across more secrets than the cache holds', () => {
    const secrets = Array.from({ length: 40 }, (_, i) => `secret-${i}`);
    for (const [i, secret] of secrets.entries()) {
      const signed = signV3(secret, { method: 'POST', url: URL_, body, timestamp: now });
      expect(verifyHubspot(delivery(signed), now, { ...opts, secrets: [secret] })).toEqual({ ok: true });
      const other = secrets[(i + 1) % secrets.length] ?? '';
      expect(verifyHubspot(delivery(signed), now, { ...opts, secrets: [other] }).ok).toBe(false);
    }
  });
});
