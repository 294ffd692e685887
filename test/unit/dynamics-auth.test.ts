import { describe, expect, it } from 'vitest';
import { dynamics } from '../../harness/vendors/dynamics/index.js';
import type { RawDelivery } from '../../harness/vendors/types.js';

const BODY = Buffer.from('{}');
const URL_ = 'https://receiver.example/hooks/dynamics';

function delivery(headers: RawDelivery['headers'], url = URL_): RawDelivery {
  return { method: 'POST', url, headers, body: BODY };
}

describe('Dataverse static-key verification', () => {
  const scheme = dynamics.webhooks({ secrets: ['old-key', 'new-key'] });

  it('accepts the HttpHeader key, the WebhookKey ?code= and either secret during a rotation', () => {
    expect(scheme.verify(delivery({ 'x-poc-key': 'new-key' }), 0)).toEqual({ ok: true });
    expect(scheme.verify(delivery({ 'x-poc-key': 'old-key' }), 0)).toEqual({ ok: true });
    expect(scheme.verify(delivery({}, `${URL_}?code=new-key`), 0)).toEqual({ ok: true });
  });

  it('says missing, duplicated or bad', () => {
    expect(scheme.verify(delivery({}), 0)).toEqual({ ok: false, reason: 'missing_signature' });
    expect(scheme.verify(delivery({ 'x-poc-key': '' }), 0)).toEqual({
      ok: false,
      reason: 'missing_signature',
    });
    expect(scheme.verify(delivery({ 'x-poc-key': 'wrong' }), 0)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(scheme.verify(delivery({ 'x-poc-key': 'new-key-and-more' }), 0)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(scheme.verify(delivery({ 'x-poc-key': ['new-key', 'old-key'] }), 0)).toEqual({
      ok: false,
      reason: 'duplicated_signature',
    });
    expect(scheme.verify(delivery({}, `${URL_}?code=a&code=b`), 0)).toEqual({
      ok: false,
      reason: 'duplicated_signature',
    });
  });

  it('never verifies with an empty configured secret, and sign() sends the primary key', () => {
    const empty = dynamics.webhooks({ secrets: [''] });
    expect(empty.verify(delivery({ 'x-poc-key': '' }, `${URL_}?code=`), 0).ok).toBe(false);
    expect(scheme.sign({ method: 'POST', url: URL_, body: BODY, timestamp: 0 })).toEqual({
      'x-poc-key': 'old-key',
    });
  });
});
