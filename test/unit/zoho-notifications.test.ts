import { describe, expect, it } from 'vitest';
import { MalformedDeliveryError, type RawDelivery } from '../../harness/vendors/types.js';
import { zoho } from '../../harness/vendors/zoho/index.js';

const TOKEN = 'TOKEN_FOR_VERIFICATION_OF_1000000068001';
const scheme = zoho.webhooks({ secrets: [TOKEN] });

/** A notification in Zoho's callback shape, two records changed by one update. */
function notification(overrides: Record<string, unknown> = {}) {
  return {
    server_time: 1_718_115_953_625,
    query_params: {},
    module: 'Contacts',
    resource_uri: 'https://www.zohoapis.com/crm/v8/Contacts',
    ids: ['5725767000003000010', '5725767000003000020'],
    affected_fields: [
      { '5725767000003000010': ['Poc_Seq'] },
      { '5725767000003000020': ['Poc_Seq', 'Last_Name'] },
    ],
    affected_values: [
      { record_id: '5725767000003000020', values: { Poc_Seq: '2:1:1', Last_Name: 'Hopper' } },
      { record_id: '5725767000003000010', values: { Poc_Seq: '1:1:1' } },
    ],
    operation: 'update',
    channel_id: '1000000068001',
    token: TOKEN,
    ...overrides,
  };
}

function delivery(body: unknown): RawDelivery {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  return { method: 'POST', url: 'http://127.0.0.1/webhooks/zoho', headers: {}, body: Buffer.from(raw) };
}

describe('Zoho notification parsing', () => {
  it('makes one event per id, with canonical fields from its affected values', () => {
    const events = scheme.parse(Buffer.from(JSON.stringify(notification())));
    expect(events).toEqual([
      {
        key: '1000000068001:1718115953625:update:5725767000003000010',
        objectId: '5725767000003000010',
        type: 'Contacts.update',
        action: 'update',
        occurredAt: 1_718_115_953_625,
        attempt: 0,
        fields: { poc_seq: '1:1:1' },
      },
      {
        key: '1000000068001:1718115953625:update:5725767000003000020',
        objectId: '5725767000003000020',
        type: 'Contacts.update',
        action: 'update',
        occurredAt: 1_718_115_953_625,
        attempt: 0,
        fields: { poc_seq: '2:1:1', lastname: 'Hopper' },
      },
    ]);
  });

  it('keys a later change of the same record apart, and a resent notification the same', () => {
    const first = scheme.parse(Buffer.from(JSON.stringify(notification())));
    const resent = scheme.parse(Buffer.from(JSON.stringify(notification())));
    const later = scheme.parse(Buffer.from(JSON.stringify(notification({ server_time: 1_718_115_953_626 }))));
    expect(resent.map((e) => e.key)).toEqual(first.map((e) => e.key));
    expect(later.map((e) => e.key)).not.toContain(first[0]?.key);
  });

  it('leaves an update without values unapplied, and maps insert and delete', () => {
    const idsOnly = scheme.parse(Buffer.from(JSON.stringify(notification({ affected_values: undefined }))));
    expect(idsOnly.map((e) => e.action)).toEqual([undefined, undefined]);
    const inserted = scheme.parse(Buffer.from(JSON.stringify(notification({ operation: 'insert' }))));
    expect(inserted.map((e) => e.action)).toEqual(['create', 'create']);
    const deleted = scheme.parse(
      Buffer.from(JSON.stringify(notification({ operation: 'delete', affected_values: [] }))),
    );
    expect(deleted.map((e) => [e.action, e.fields])).toEqual([
      ['delete', {}],
      ['delete', {}],
    ]);
  });

  it.each([
    ['not json', 'body is not valid JSON'],
    [[notification()], 'body must be a JSON object'],
    [notification({ server_time: 'now' }), 'server_time'],
    [notification({ operation: 'merge' }), 'operation'],
    [notification({ channel_id: null }), 'channel_id'],
    [notification({ module: '' }), 'module'],
    [notification({ ids: [] }), 'ids must be a non-empty array'],
    [notification({ ids: [{}] }), 'ids[0]'],
    [notification({ affected_values: {} }), 'affected_values must be an array'],
    [notification({ affected_values: [{ values: {} }] }), 'affected_values[0].record_id'],
    [notification({ affected_values: [{ record_id: '1', values: [] }] }), 'affected_values[0].values'],
  ])('names what is wrong in a malformed notification (%#)', (body, message) => {
    const raw = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    expect(() => scheme.parse(raw)).toThrow(MalformedDeliveryError);
    expect(() => scheme.parse(raw)).toThrow(message);
  });
});

describe('Zoho echoed-token verification', () => {
  it('accepts the channel token, and either token during a rotation', () => {
    expect(scheme.verify(delivery(notification()), Date.now())).toEqual({ ok: true });
    const rotating = zoho.webhooks({ secrets: ['the-new-token', TOKEN] });
    expect(rotating.verify(delivery(notification()), 0)).toEqual({ ok: true });
    expect(rotating.verify(delivery(notification({ token: 'the-new-token' })), 0)).toEqual({ ok: true });
  });

  it('tells a missing token from a wrong one', () => {
    expect(scheme.verify(delivery(notification({ token: undefined })), 0)).toEqual({
      ok: false,
      reason: 'missing_signature',
    });
    expect(scheme.verify(delivery(notification({ token: '' })), 0)).toEqual({
      ok: false,
      reason: 'missing_signature',
    });
    expect(scheme.verify(delivery(notification({ token: `${TOKEN}x` })), 0)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(scheme.verify(delivery(notification({ token: TOKEN.slice(1) })), 0)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    // An empty configured secret never verifies anything.
    expect(zoho.webhooks({ secrets: [''] }).verify(delivery(notification({ token: '' })), 0)).toEqual({
      ok: false,
      reason: 'missing_signature',
    });
  });

  it.each([['{"token":'], ['null'], ['[1,2]'], ['"TOKEN"'], ['{"token":42}'], [''], ['\u0000\u00ff']])(
    'never throws on a hostile body: %j',
    (body) => {
      expect(scheme.verify(delivery(body), 0)).toEqual({ ok: false, reason: 'missing_signature' });
    },
  );

  it('adds no headers when signing: Zoho signs nothing', () => {
    expect(scheme.sign({ method: 'POST', url: 'http://x', body: '{}', timestamp: 0 })).toEqual({});
  });
});
