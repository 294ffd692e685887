import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePipedriveDelivery } from '../../harness/vendors/pipedrive/events.js';
import { CustomFieldKeys } from '../../harness/vendors/pipedrive/field-keys.js';
import { toPersonBody } from '../../harness/vendors/pipedrive/fields.js';
import { MalformedDeliveryError } from '../../harness/vendors/types.js';

const FIXTURE = new URL('../fixtures/pipedrive/webhook-v2-change-person.json', import.meta.url);
const SEQ_KEY = '5e1e6bd1ac6d1d2e84dd4c1b7c1f3c1a9e0b2d41';

function fixture(): Record<string, unknown> & { meta: Record<string, unknown> } {
  return JSON.parse(readFileSync(FIXTURE, 'utf8'));
}

function body(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

function learned(): CustomFieldKeys {
  const keys = new CustomFieldKeys();
  keys.learn('poc_seq', SEQ_KEY);
  return keys;
}

describe('parsePipedriveDelivery (webhooks v2)', () => {
  it('turns one change.person delivery into one event with canonical fields', () => {
    const [event, ...rest] = parsePipedriveDelivery(body(fixture()), learned());
    expect(rest).toHaveLength(0);
    expect(event).toEqual({
      key: `1000001:person:1042:change:2026-11-23T10:05:00.123Z`,
      objectId: '1042',
      type: 'change.person',
      action: 'update',
      occurredAt: Date.parse('2026-11-23T10:05:00.123Z'),
      attempt: 0,
      fields: {
        email: 'ada@example.com',
        phone: '+3725550100',
        firstname: 'Ada',
        lastname: 'Lovelace',
        poc_seq: '17:1763892000000:1763892000005',
      },
    });
  });

  it('keeps a custom field under its hash key while the key is not known', () => {
    const [event] = parsePipedriveDelivery(body(fixture()), new CustomFieldKeys());
    expect(event?.fields[SEQ_KEY]).toBe('17:1763892000000:1763892000005');
    expect(event?.fields.poc_seq).toBeUndefined();
  });

  it('gives a retry the same key and counts retries from meta.attempt (1-based)', () => {
    const retry = fixture();
    retry.meta.attempt = 3;
    const [first] = parsePipedriveDelivery(body(fixture()), learned());
    const [third] = parsePipedriveDelivery(body(retry), learned());
    expect(third?.key).toBe(first?.key);
    expect(third?.attempt).toBe(2);
    const later = fixture();
    later.meta.timestamp = '2026-11-23T10:05:00.124Z';
    expect(parsePipedriveDelivery(body(later), learned())[0]?.key).not.toBe(first?.key);
  });

  it('parses a delete with no data, and leaves unknown actions unapplied', () => {
    const deleted = fixture();
    deleted.meta.action = 'delete';
    deleted.previous = deleted.data;
    deleted.data = null;
    expect(parsePipedriveDelivery(body(deleted), learned())[0]).toMatchObject({
      action: 'delete',
      fields: {},
    });
    const odd = fixture();
    odd.meta.action = 'merge';
    expect(parsePipedriveDelivery(body(odd), learned())[0]?.action).toBeUndefined();
  });

  it.each([
    ['not JSON', Buffer.from('{'), 'body is not valid JSON'],
    ['an array', body([fixture()]), 'body must be a JSON object'],
    ['no meta', body({ data: {} }), 'meta must be an object'],
    ['no entity_id', body({ ...fixture(), meta: { ...fixture().meta, entity_id: '' } }), 'meta.entity_id'],
    [
      'a bad timestamp',
      body({ ...fixture(), meta: { ...fixture().meta, timestamp: 'soon' } }),
      'meta.timestamp',
    ],
    ['attempt 0', body({ ...fixture(), meta: { ...fixture().meta, attempt: 0 } }), 'meta.attempt'],
    ['a v1 payload', body({ ...fixture(), meta: { ...fixture().meta, version: '1.0' } }), 'version "2.0"'],
    ['data as a string', body({ ...fixture(), data: 'x' }), 'data must be an object or null'],
  ])('rejects %s with a MalformedDeliveryError naming the field', (_name, raw, message) => {
    expect(() => parsePipedriveDelivery(raw, learned())).toThrow(MalformedDeliveryError);
    expect(() => parsePipedriveDelivery(raw, learned())).toThrow(message);
  });
});

describe('toPersonBody (canonical -> Pipedrive)', () => {
  it('maps email, phone, names and poc_seq to emails, phones, name and the hash key', () => {
    expect(
      toPersonBody(
        { email: 'a@b.c', phone: '+1', firstname: 'Ada', lastname: 'Lovelace', poc_seq: '1:2:3' },
        { poc_seq: SEQ_KEY },
      ),
    ).toEqual({
      emails: [{ value: 'a@b.c', primary: true, label: 'work' }],
      phones: [{ value: '+1', primary: true, label: 'work' }],
      name: 'Ada Lovelace',
      custom_fields: { [SEQ_KEY]: '1:2:3' },
    });
  });

  it('completes a lone first name from the current name', () => {
    expect(toPersonBody({ firstname: 'Augusta' }, {}, 'Ada King Lovelace')).toEqual({
      name: 'Augusta King Lovelace',
    });
  });
});
