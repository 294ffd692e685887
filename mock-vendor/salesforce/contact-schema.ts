import type { MockRecord } from '../records.js';

/** One field of the emulated Contact, as describe() reports it. */
interface FieldSpec {
  readonly name: string;
  readonly type: 'id' | 'reference' | 'string' | 'email' | 'phone' | 'datetime' | 'boolean';
  readonly label: string;
  readonly writable: boolean;
  readonly externalId?: boolean;
  readonly required?: boolean;
}

/**
 * The Contact fields the mock org has: the standard ones poc uses, plus the two custom fields
 * an admin adds for the PoC (Poc_Seq__c, and Poc_Ext_Id__c marked External ID + unique).
 */
const FIELDS: readonly FieldSpec[] = [
  { name: 'Id', type: 'id', label: 'Contact ID', writable: false },
  { name: 'IsDeleted', type: 'boolean', label: 'Deleted', writable: false },
  { name: 'MasterRecordId', type: 'reference', label: 'Master Record ID', writable: false },
  { name: 'FirstName', type: 'string', label: 'First Name', writable: true },
  { name: 'LastName', type: 'string', label: 'Last Name', writable: true, required: true },
  { name: 'Name', type: 'string', label: 'Full Name', writable: false },
  { name: 'Email', type: 'email', label: 'Email', writable: true },
  { name: 'Phone', type: 'phone', label: 'Business Phone', writable: true },
  { name: 'Poc_Seq__c', type: 'string', label: 'poc sequence', writable: true },
  { name: 'Poc_Ext_Id__c', type: 'string', label: 'poc external id', writable: true, externalId: true },
  { name: 'CreatedDate', type: 'datetime', label: 'Created Date', writable: false },
  { name: 'LastModifiedDate', type: 'datetime', label: 'Last Modified Date', writable: false },
  { name: 'SystemModstamp', type: 'datetime', label: 'System Modstamp', writable: false },
];

const BY_LOWER = new Map(FIELDS.map((f) => [f.name.toLowerCase(), f]));

/** Salesforce field names are case-insensitive: the field's proper name, or undefined. */
export function contactField(name: string): string | undefined {
  return BY_LOWER.get(name.toLowerCase())?.name;
}

export function isExternalIdField(name: string): boolean {
  return BY_LOWER.get(name.toLowerCase())?.externalId === true;
}

export const CONTACT_FIELD_NAMES = FIELDS.map((f) => f.name);

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

export type WriteCheck =
  | { readonly ok: true; readonly values: Record<string, string | null> }
  | { readonly ok: false; readonly errorCode: string; readonly message: string; readonly fields: string[] };

/** Validates a write body: known, writable fields only; names normalised; null clears a field. */
export function checkWrite(body: Readonly<Record<string, unknown>>): WriteCheck {
  const values: Record<string, string | null> = {};
  for (const [raw, value] of Object.entries(body)) {
    if (raw === 'attributes') continue;
    const spec = BY_LOWER.get(raw.toLowerCase());
    if (!spec) {
      return {
        ok: false,
        errorCode: 'INVALID_FIELD',
        message: `No such column '${raw}' on sobject of type Contact`,
        fields: [raw],
      };
    }
    if (!spec.writable) {
      return {
        ok: false,
        errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
        message: `Unable to create/update fields: ${spec.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        fields: [spec.name],
      };
    }
    values[spec.name] = value === null || value === undefined ? null : String(value);
  }
  return { ok: true, values };
}

/** The fields a create must have. */
export function missingRequired(properties: Readonly<Record<string, string | null>>): string[] {
  return FIELDS.filter((f) => f.required && !properties[f.name]).map((f) => f.name);
}

/**
 * Enough of describe() for jsforce and for a person reading it. Like Salesforce's, it answers
 * for the calling user: object flags follow that user's permissions.
 */
export function describeContact(
  base: string,
  permissions: { readonly create: boolean; readonly edit: boolean } = { create: true, edit: true },
) {
  return {
    name: 'Contact',
    label: 'Contact',
    labelPlural: 'Contacts',
    keyPrefix: '003',
    custom: false,
    createable: permissions.create,
    updateable: permissions.edit,
    // Delete needs Edit (the mock has no separate Delete permission to take away).
    deletable: permissions.edit,
    queryable: true,
    retrieveable: true,
    searchable: true,
    urls: {
      sobject: `${base}/sobjects/Contact`,
      describe: `${base}/sobjects/Contact/describe`,
      rowTemplate: `${base}/sobjects/Contact/{ID}`,
    },
    fields: FIELDS.map((f) => ({
      name: f.name,
      label: f.label,
      type: f.type,
      length:
        f.type === 'string' || f.type === 'email' ? 255 : f.type === 'id' || f.type === 'reference' ? 18 : 0,
      nillable: (!f.required && f.writable) || f.type === 'reference',
      ...(f.type === 'reference' ? { referenceTo: ['Contact'], relationshipName: 'MasterRecord' } : {}),
      createable: f.writable,
      updateable: f.writable,
      custom: f.name.endsWith('__c'),
      externalId: f.externalId === true,
      unique: f.externalId === true,
      idLookup: f.name === 'Id' || f.name === 'Email' || f.externalId === true,
      caseSensitive: false,
      defaultedOnCreate: !f.writable,
    })),
  };
}
