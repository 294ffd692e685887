import { describe, expect, it } from 'vitest';
import { basicHeader, verifyBasic } from '../../harness/vendors/pipedrive/auth.js';
import { pipedrive } from '../../harness/vendors/pipedrive/index.js';
import type { RawDelivery } from '../../harness/vendors/types.js';

function delivery(authorization?: string | string[]): RawDelivery {
  return {
    method: 'POST',
    url: 'http://127.0.0.1/webhooks/pipedrive',
    headers: authorization === undefined ? {} : { authorization },
    body: Buffer.from('{}'),
  };
}

const OPTIONS = { user: 'poc', secrets: ['s3cret'] };

describe('Pipedrive webhook auth (HTTP Basic, no signature)', () => {
  it('accepts the configured user and password', () => {
    expect(verifyBasic(delivery(basicHeader('poc', 's3cret')), OPTIONS)).toEqual({ ok: true });
  });

  it('names a missing header, a wrong password, a wrong user and a non-Basic scheme', () => {
    expect(verifyBasic(delivery(), OPTIONS)).toEqual({ ok: false, reason: 'missing_signature' });
    expect(verifyBasic(delivery(basicHeader('poc', 'nope')), OPTIONS)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifyBasic(delivery(basicHeader('admin', 's3cret')), OPTIONS)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifyBasic(delivery('Bearer s3cret'), OPTIONS)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses two Authorization headers', () => {
    const twice = [basicHeader('poc', 's3cret'), basicHeader('poc', 's3cret')];
    expect(verifyBasic(delivery(twice), OPTIONS)).toEqual({ ok: false, reason: 'duplicated_signature' });
  });

  it('accepts either password during a rotation, and never an empty one', () => {
    const rotating = { user: 'poc', secrets: ['old-pass', 'new-pass'] };
    expect(verifyBasic(delivery(basicHeader('poc', 'old-pass')), rotating).ok).toBe(true);
    expect(verifyBasic(delivery(basicHeader('poc', 'new-pass')), rotating).ok).toBe(true);
    expect(verifyBasic(delivery(basicHeader('poc', '')), { user: 'poc', secrets: [''] }).ok).toBe(false);
  });

  it('signs with the header its own verify accepts, for the default or a configured user', () => {
    const scheme = pipedrive.webhooks({ secrets: ['s3cret'] });
    const headers = scheme.sign({ method: 'POST', url: 'http://x', body: '{}', timestamp: 0 });
    expect(headers).toEqual({ authorization: `Basic ${Buffer.from('poc:s3cret').toString('base64')}` });
    expect(scheme.verify(delivery(headers.authorization), Date.now())).toEqual({ ok: true });
    const named = pipedrive.webhooks({ secrets: ['s3cret'] }, { user: 'hooks' });
    expect(named.verify(delivery(basicHeader('hooks', 's3cret')), 0).ok).toBe(true);
    expect(named.verify(delivery(basicHeader('poc', 's3cret')), 0).ok).toBe(false);
  });

  it('refuses a valid credential with bytes after its padding (found by the fuzzer)', () => {
    const valid = basicHeader('poc', 's3cret');
    const padded = valid.endsWith('=') ? valid : `${valid}=`;
    expect(verifyBasic(delivery(`${padded}AAAA`), OPTIONS)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyBasic(delivery(valid), OPTIONS)).toEqual({ ok: true });
  });
});
