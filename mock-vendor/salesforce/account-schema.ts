import type { MockRecord } from '../records.js';
import { KEY_PREFIXES, sfDateTime } from './contact-schema.js';
import { KEY_PREFIX } from './ids.js';
import {
  checkSObjectWrite,
  defineSObject,
  describeSObject,
  missingRequiredFields,
  type WriteCheck,
} from './sobject-schema.js';

/**
 * The minimal Account the mock org has: enough to be a Contact's parent (Contact.AccountId) and to
 * be read through it in SOQL (SELECT Account.Name FROM Contact). No Account automation, CDC or
 * Outbound Messages.
 */
export const ACCOUNT = defineSObject({
  name: 'Account',
  labelPlural: 'Accounts',
  keyPrefix: KEY_PREFIX.Account,
  fields: [
    { name: 'Id', type: 'id', label: 'Account ID', writable: false },
    { name: 'IsDeleted', type: 'boolean', label: 'Deleted', writable: false },
    { name: 'Name', type: 'string', label: 'Account Name', writable: true, required: true },
    { name: 'Phone', type: 'phone', label: 'Account Phone', writable: true },
    { name: 'Website', type: 'url', label: 'Website', writable: true },
    { name: 'CreatedDate', type: 'datetime', label: 'Created Date', writable: false },
    { name: 'LastModifiedDate', type: 'datetime', label: 'Last Modified Date', writable: false },
    { name: 'SystemModstamp', type: 'datetime', label: 'System Modstamp', writable: false },
  ],
});

/** The value of any Account field for a record (computed fields included). */
export function accountFieldValue(record: MockRecord, id: string, field: string): string | boolean | null {
  switch (field) {
    case 'Id':
      return id;
    case 'IsDeleted':
      return false;
    case 'CreatedDate':
      return sfDateTime(record.createdAt);
    case 'LastModifiedDate':
    case 'SystemModstamp':
      return sfDateTime(record.updatedAt);
    default:
      return record.properties[field] ?? null;
  }
}

export function checkAccountWrite(body: unknown): WriteCheck {
  return checkSObjectWrite(ACCOUNT, body, KEY_PREFIXES);
}

export function missingAccountFields(properties: Readonly<Record<string, string | null>>): string[] {
  return missingRequiredFields(ACCOUNT, properties);
}

/**
 * Account's describe(). SOQL reads Accounts only through a Contact's Account relationship, so
 * the object says it is not queryable (a FROM Account query is INVALID_TYPE, see soql.ts).
 */
export function describeAccount(base: string) {
  return describeSObject(ACCOUNT, base, { create: true, edit: true }, false);
}
