import { STANDARD_FIELDS } from '../../harness/vendors/standard/fields.js';
import { type MockRecord, type PropertyChange, RecordStore } from '../records.js';
import type { FieldError } from './errors.js';

/** Custom fields are kept flat in the store under this prefix. */
const CUSTOM = 'custom_fields.';
const OWN_FIELDS = new Set(['external_id', ...Object.values(STANDARD_FIELDS)]);

/** A contact as the API and the webhooks show it. */
export interface ContactJson {
  id: string;
  external_id: string | null;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  phone: string | null;
  custom_fields: Record<string, string>;
  created_at: string;
  updated_at: string;
}

export function toContactJson(record: MockRecord): ContactJson {
  const p = record.properties;
  const custom: Record<string, string> = {};
  for (const [key, value] of Object.entries(p)) {
    if (key.startsWith(CUSTOM)) custom[key.slice(CUSTOM.length)] = value;
  }
  return {
    id: record.id,
    external_id: p.external_id ?? null,
    email: p.email ?? null,
    first_name: p.first_name ?? null,
    last_name: p.last_name ?? null,
    phone: p.phone ?? null,
    custom_fields: custom,
    created_at: new Date(record.createdAt).toISOString(),
    updated_at: new Date(record.updatedAt).toISOString(),
  };
}

export type ContactWriteResult =
  | { readonly ok: true; readonly properties: Record<string, string> }
  | { readonly ok: false; readonly errors: FieldError[] };

/**
 * Reads a contact write (`{external_id?, email?, first_name?, last_name?, phone?, custom_fields?}`)
 * into flat store properties; unknown fields and non-string values are errors, named by path.
 */
export function readContactWrite(body: unknown, path: string): ContactWriteResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, errors: [{ field: path || '(body)', message: 'must be an object' }] };
  }
  const errors: FieldError[] = [];
  const properties: Record<string, string> = {};
  const at = (name: string) => (path ? `${path}.${name}` : name);
  for (const [name, value] of Object.entries(body)) {
    if (name === 'custom_fields') {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        errors.push({ field: at(name), message: 'must be an object of strings' });
        continue;
      }
      for (const [custom, v] of Object.entries(value)) {
        if (typeof v === 'string') properties[`${CUSTOM}${custom}`] = v;
        else errors.push({ field: at(`${name}.${custom}`), message: 'must be a string' });
      }
    } else if (!OWN_FIELDS.has(name)) {
      errors.push({ field: at(name), message: 'unknown field; put custom values under custom_fields' });
    } else if (typeof value !== 'string') {
      errors.push({ field: at(name), message: 'must be a string' });
    } else {
      properties[name] = value;
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, properties };
}

/** The CRM's contacts over the shared RecordStore; external ids match case-insensitively. */
export class ContactBook {
  readonly store = new RecordStore(1001);

  upsertByExternalId(externalId: string, properties: Record<string, string>, now: number): PropertyChange {
    const existing = this.store.findBy('external_id', externalId);
    return existing
      ? this.store.update(existing, properties, now)
      : this.store.create({ ...properties, external_id: externalId }, now);
  }

  /** One page in id order; the cursor is the last id seen, opaque to clients. */
  page(limit: number, cursor: string | undefined, updatedSince: number | undefined) {
    let after = cursor === undefined ? 0 : Number(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Number.isSafeInteger(after)) after = 0;
    const data: MockRecord[] = [];
    let more = false;
    while (!more) {
      const chunk = this.store.list(after, 500);
      if (chunk.length === 0) break;
      for (const record of chunk) {
        after = Number(record.id);
        if (updatedSince !== undefined && record.updatedAt < updatedSince) continue;
        if (data.length === limit) {
          more = true;
          break;
        }
        data.push(record);
      }
    }
    const last = data.at(-1);
    return {
      data: data.map(toContactJson),
      next_cursor: more && last ? Buffer.from(last.id).toString('base64url') : null,
    };
  }
}

export function isValidCursor(cursor: string): boolean {
  return /^[A-Za-z0-9_-]{1,20}$/.test(cursor) && /^\d+$/.test(Buffer.from(cursor, 'base64url').toString());
}
