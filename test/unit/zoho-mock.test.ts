import { describe, expect, it } from 'vitest';
import { parseMultipart, parseUrlEncoded } from '../../mock-vendor/zoho/form-body.js';
import { coalesce } from '../../mock-vendor/zoho/notifications.js';
import { hasScope, requiredScope } from '../../mock-vendor/zoho/scopes.js';

describe('mock Zoho scopes', () => {
  it('derives the scope a request needs from its method and path', () => {
    expect(requiredScope('GET', '/crm/v8/Contacts?fields=Email')).toEqual({
      area: 'modules',
      resource: 'contacts',
      operations: ['READ'],
    });
    expect(requiredScope('POST', '/crm/v8/Contacts/upsert').operations).toEqual(['CREATE', 'UPDATE']);
    expect(requiredScope('DELETE', '/crm/v8/actions/watch?channel_ids=1')).toEqual({
      area: 'notifications',
      operations: ['DELETE'],
    });
    expect(requiredScope('GET', '/crm/v8/settings/fields?module=Contacts')).toMatchObject({
      area: 'settings',
      resource: 'fields',
    });
  });

  it('grants by ALL, by WRITE for changes, by the exact operation, and per module', () => {
    const upsert = requiredScope('POST', '/crm/v8/Contacts/upsert');
    expect(hasScope(['ZohoCRM.modules.ALL'], upsert)).toBe(true);
    expect(hasScope(['ZohoCRM.modules.contacts.WRITE'], upsert)).toBe(true);
    expect(hasScope(['ZohoCRM.modules.contacts.CREATE'], upsert)).toBe(false);
    expect(hasScope(['ZohoCRM.modules.contacts.CREATE', 'ZohoCRM.modules.contacts.UPDATE'], upsert)).toBe(
      true,
    );
    expect(hasScope(['ZohoCRM.modules.deals.ALL'], upsert)).toBe(false);
    expect(hasScope(['ZohoCRM.modules.contacts.WRITE'], requiredScope('GET', '/crm/v8/Contacts'))).toBe(
      false,
    );
    expect(hasScope(['ZohoCRM.notifications.ALL'], upsert)).toBe(false);
  });
});

describe('mock Zoho token request bodies', () => {
  it('reads the multipart form Zoho’s SDK posts and the urlencoded one curl posts', () => {
    const body = Buffer.from(
      [
        '--XyZ',
        'Content-Disposition: form-data; name="grant_type"',
        '',
        'refresh_token',
        '--XyZ',
        'Content-Disposition: form-data; name="refresh_token"',
        '',
        '1000.abc.def',
        '--XyZ--',
        '',
      ].join('\r\n'),
    );
    expect(parseMultipart(body, 'multipart/form-data; boundary=XyZ')).toEqual({
      grant_type: 'refresh_token',
      refresh_token: '1000.abc.def',
    });
    expect(() => parseMultipart(body, 'multipart/form-data')).toThrow('boundary');
    expect(parseUrlEncoded('grant_type=refresh_token&client_id=1000.X')).toEqual({
      grant_type: 'refresh_token',
      client_id: '1000.X',
    });
  });
});

describe('mock Zoho notifications', () => {
  it('names a record written twice in one call once, with every changed field and the last values', () => {
    expect(
      coalesce([
        { id: '1', changed: ['Poc_Seq'], values: { Poc_Seq: 'a' } },
        { id: '2', changed: ['Phone'], values: { Phone: 'p' } },
        { id: '1', changed: ['Poc_Seq', 'Last_Name'], values: { Poc_Seq: 'b', Last_Name: 'L' } },
      ]),
    ).toEqual([
      { id: '1', changed: ['Poc_Seq', 'Last_Name'], values: { Poc_Seq: 'b', Last_Name: 'L' } },
      { id: '2', changed: ['Phone'], values: { Phone: 'p' } },
    ]);
  });
});
