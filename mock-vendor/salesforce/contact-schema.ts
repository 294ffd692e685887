import type { MockRecord } from '../records.js';
import { KEY_PREFIX } from './ids.js';
import {
  checkSObjectWrite,
  defineSObject,
  describeSObject,
  type KeyPrefixes,
  missingRequiredFields,
  type WriteCheck,
} from './sobject-schema.js';

export type { WriteCheck } from './sobject-schema.js';

/**
 * The Contact fields the mock org has: the standard ones poc uses, AccountId (the parent Account,
 * walked in SOQL as Account.Name) and Birthdate (a date field, for SOQL date filters), plus the
 * two custom fields an admin adds for the PoC (Poc_Seq__c, and Poc_Ext_Id__c marked External ID +
 * unique).
 */
export const CONTACT = defineSObject({
  name: 'Contact',
  labelPlural: 'Contacts',
  keyPrefix: KEY_PREFIX.Contact,
  fields: [
    { name: 'Id', type: 'id', label: 'Contact ID', writable: false },
    { name: 'IsDeleted', type: 'boolean', label: 'Deleted', writable: false },
    {
      name: 'MasterRecordId',
      type: 'reference',
      label: 'Master Record ID',
      writable: false,
      referenceTo: 'Contact',
      relationshipName: 'MasterRecord',
    },
    {
      name: 'AccountId',
      type: 'reference',
      label: 'Account ID',
      writable: true,
      referenceTo: 'Account',
      relationshipName: 'Account',
    },
    { name: 'FirstName', type: 'string', label: 'First Name', writable: true },
    { name: 'LastName', type: 'string', label: 'Last Name', writable: true, required: true },
    { name: 'Name', type: 'string', label: 'Full Name', writable: false },
    { name: 'Email', type: 'email', label: 'Email', writable: true },
    { name: 'Phone', type: 'phone', label: 'Business Phone', writable: true },
    { name: 'Birthdate', type: 'date', label: 'Birthdate', writable: true },
    { name: 'Poc_Seq__c', type: 'string', label: 'poc sequence', writable: true },
    { name: 'Poc_Ext_Id__c', type: 'string', label: 'poc external id', writable: true, externalId: true },
    { name: 'CreatedDate', type: 'datetime', label: 'Created Date', writable: false },
    { name: 'LastModifiedDate', type: 'datetime', label: 'Last Modified Date', writable: false },
    { name: 'SystemModstamp', type: 'datetime', label: 'System Modstamp', writable: false },
  ],
});

/** The key prefix of each object a reference field may point to. */
export const KEY_PREFIXES: KeyPrefixes = { Contact: KEY_PREFIX.Contact, Account: KEY_PREFIX.Account };

/** Salesforce field names are case-insensitive: the field's proper name, or undefined. */
export function contactField(name: string): string | undefined {
  return CONTACT.field(name)?.name;
}

export function isExternalIdField(name: string): boolean {
  return CONTACT.field(name)?.externalId === true;
}

export const CONTACT_FIELD_NAMES = CONTACT.fieldNames;

/**
 * Salesforce's datetime format: 2026-11-23T18:10:23.000+0000. Datetime fields are stored to the
 * second: the milliseconds of CreatedDate, LastModifiedDate and SystemModstamp always read .000
 * (secondary: https://albasfdc.com/2016/03/28/working-with-datetimes/ and
 * https://frombelvideres4thfloor.blogspot.com/2011/12/last-modified-date-rounding-to-whole.html),
 * so a modified-since query must start at a whole second.
 */
export function sfDateTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('Z', '+0000');
}

/**
 * A deleted Contact in the Recycle Bin: queryAll still returns it, with IsDeleted = true, its
 * SystemModstamp at the deletion (getDeleted's deletedDate "is obtained using the SystemModstamp",
 * https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_getdeleted_getdeletedresult.htm)
 * and, when it lost a merge, MasterRecordId naming the winner.
 */
export interface Tombstone extends MockRecord {
  readonly deletedAt: number;
  readonly masterRecordId: string | undefined;
}

export function isTombstone(record: MockRecord): record is Tombstone {
  return 'deletedAt' in record;
}

/** The value of any Contact field for a record (computed fields included). */
export function fieldValue(record: MockRecord, id: string, field: string): string | boolean | null {
  switch (field) {
    case 'Id':
      return id;
    case 'IsDeleted':
      return isTombstone(record);
    case 'MasterRecordId':
      return isTombstone(record) ? (record.masterRecordId ?? null) : null;
    case 'Name':
      return [record.properties.FirstName, record.properties.LastName].filter(Boolean).join(' ');
    case 'CreatedDate':
      return sfDateTime(record.createdAt);
    // Whether a delete also stamps LastModifiedDate is not documented [unverified]: it keeps the
    // last edit here, and only SystemModstamp moves.
    case 'LastModifiedDate':
      return sfDateTime(record.updatedAt);
    case 'SystemModstamp':
      return sfDateTime(isTombstone(record) ? record.deletedAt : record.updatedAt);
    default:
      return record.properties[field] ?? null;
  }
}

/** Validates a Contact write body (sobject-schema.ts checkSObjectWrite). */
export function checkWrite(body: unknown): WriteCheck {
  return checkSObjectWrite(CONTACT, body, KEY_PREFIXES);
}

/** The fields a create must have. */
export function missingRequired(properties: Readonly<Record<string, string | null>>): string[] {
  return missingRequiredFields(CONTACT, properties);
}

/** Contact's describe(), answered for the calling user's object permissions. */
export function describeContact(
  base: string,
  permissions: { readonly create: boolean; readonly edit: boolean } = { create: true, edit: true },
) {
  return describeSObject(CONTACT, base, permissions, true);
}
