import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  dynamicsEventKey,
  parseDynamicsDelivery,
  parseWcfDate,
} from '../../harness/vendors/dynamics/events.js';
import { MalformedDeliveryError } from '../../harness/vendors/types.js';

const FIXTURE = readFileSync(new URL('../fixtures/dynamics-update-context.json', import.meta.url));

function withChange(change: (c: Record<string, unknown>) => void): Buffer {
  const c = JSON.parse(FIXTURE.toString('utf8')) as Record<string, unknown>;
  change(c);
  return Buffer.from(JSON.stringify(c));
}

describe('parseDynamicsDelivery', () => {
  it.each([{ a: 1 }, true, ['x'], 42])(
    'rejects a non-string OperationId (%j): it would become the dedupe key',
    (value) => {
      const body = JSON.parse(FIXTURE.toString('utf8')) as Record<string, unknown>;
      body.OperationId = value;
      expect(() => parseDynamicsDelivery(Buffer.from(JSON.stringify(body)))).toThrow(
        /OperationId must be a string/,
      );
    },
  );

  it('turns one RemoteExecutionContext into one canonical event keyed by OperationId', () => {
    const [event, ...rest] = parseDynamicsDelivery(FIXTURE);
    expect(rest).toHaveLength(0);
    expect(event).toEqual({
      key: 'b1a6f3e0-3c0d-4b8e-9a2f-5d6c7e8f9a0b',
      objectId: '7d4f6a1c-2b3e-4f50-8a9b-0c1d2e3f4a5b',
      type: 'contact.Update',
      action: 'update',
      occurredAt: 1_763_900_000_123,
      attempt: 0,
      // Target wins over the post image; system columns are not canonical fields.
      fields: {
        poc_seq: '42:1763900000000:1763900000001',
        phone: '+1 555 0100',
        email: 'ada@example.com',
        firstname: 'Ada',
      },
    });
  });

  it('keys a sync step (empty OperationId) by its request and step', () => {
    const [event] = parseDynamicsDelivery(
      withChange((c) => {
        c.OperationId = '00000000-0000-0000-0000-000000000000';
      }),
    );
    expect(event?.key).toBe('f0e1d2c3-b4a5-4697-8899-aabbccddeeff:3c1b2a4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d');
    expect(
      dynamicsEventKey({
        OperationId: '',
        RequestId: null,
        PrimaryEntityId: 'p',
        OwningExtension: { Id: 's', LogicalName: 'x' },
      }),
    ).toBe('p:s');
  });

  it('maps Delete to a delete with no fields, and an unknown message to no action', () => {
    const [deleted] = parseDynamicsDelivery(
      withChange((c) => {
        c.MessageName = 'Delete';
        c.InputParameters = [{ key: 'Target', value: { Id: 'x', LogicalName: 'contact', Name: null } }];
        c.PostEntityImages = [];
      }),
    );
    expect(deleted).toMatchObject({ action: 'delete', fields: {} });
    const [assigned] = parseDynamicsDelivery(
      withChange((c) => {
        c.MessageName = 'Assign';
      }),
    );
    expect(assigned?.action).toBeUndefined();
  });

  it.each([
    ['not json', Buffer.from('{'), 'body is not valid JSON'],
    ['an array', Buffer.from('[]'), 'body must be one RemoteExecutionContext object'],
    ['no MessageName', withChange((c) => delete c.MessageName), 'MessageName must be a non-empty string'],
    [
      'no PrimaryEntityId',
      withChange((c) => delete c.PrimaryEntityId),
      'PrimaryEntityId must be a non-empty string',
    ],
    [
      'an ISO date',
      withChange((c) => {
        c.OperationCreatedOn = '2026-11-23T10:00:00Z';
      }),
      'OperationCreatedOn must look like /Date(milliseconds)/',
    ],
    ['no InputParameters', withChange((c) => delete c.InputParameters), 'InputParameters must be an array'],
    [
      'no ids',
      withChange((c) => {
        delete c.OperationId;
        delete c.RequestId;
      }),
      'OperationId or RequestId must be a string',
    ],
  ])('refuses %s, naming the field', (_name, body, message) => {
    expect(() => parseDynamicsDelivery(body)).toThrow(new MalformedDeliveryError(message));
  });

  it('reads WCF JSON dates with and without an offset', () => {
    expect(parseWcfDate('/Date(1495810494000)/')).toBe(1_495_810_494_000);
    expect(parseWcfDate('/Date(1495810494000+0100)/')).toBe(1_495_810_494_000);
    expect(parseWcfDate('/Date(abc)/')).toBeUndefined();
  });
});
