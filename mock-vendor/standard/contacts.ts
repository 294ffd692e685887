import { STANDARD_FIELDS } from '../../harness/vendors/standard/fields.js';
import { type MockRecord, type PropertyChange, RecordStore } from '../records.js';
import type { FieldError } from './errors.js';
import { encodeCursor, keysetPage, type SortKey } from './listing.js';

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

/** A deleted contact as GET /v1/contacts/deleted lists it. */
export interface Tombstone {
  readonly id: string;
  readonly externalId: string | null;
  readonly deletedAt: number;
}

export function toTombstoneJson(t: Tombstone) {
  return { id: t.id, external_id: t.externalId, deleted_at: new Date(t.deletedAt).toISOString() };
}

interface Page<T> {
  readonly data: T[];
  readonly next_cursor: string | null;
}

/**
 * The CRM's contacts over the shared RecordStore, and the tombstones of deleted ones; external
 * ids match case-insensitively.
 */
export class ContactBook {
  readonly store = new RecordStore(1001);
  private tombstones: Tombstone[] = [];

  constructor(private readonly tombstoneRetentionMs: number) {}

  upsertByExternalId(externalId: string, properties: Record<string, string>, now: number): PropertyChange {
    const existing = this.store.findBy('external_id', externalId);
    return existing
      ? this.store.update(existing, properties, now)
      : this.store.create({ ...properties, external_id: externalId }, now);
  }

  /** Removes a contact and keeps its tombstone, deleted at `now` by the CRM's clock. */
  delete(id: string, now: number): MockRecord | undefined {
    const removed = this.store.delete(id);
    if (removed) {
      this.tombstones.push({
        id: removed.id,
        externalId: removed.properties.external_id ?? null,
        deletedAt: now,
      });
    }
    return removed;
  }

  /** Every live contact in id order. */
  page(limit: number, after: SortKey | undefined): Page<ContactJson> {
    // The store is already in id order: no sort, so a snapshot of many pages stays cheap.
    const rows = this.store.list(after?.[0] ?? 0, limit + 1);
    const data = rows.slice(0, limit);
    const last = data.at(-1);
    return {
      data: data.map(toContactJson),
      next_cursor: rows.length > limit && last ? encodeCursor('all', [Number(last.id)]) : null,
    };
  }

  /** Contacts with updated_at >= since, oldest change first, ties by id. */
  modifiedSince(since: number, limit: number, after: SortKey | undefined): Page<ContactJson> {
    const matching = [...this.store.all()].filter((r) => r.updatedAt >= since);
    const page = keysetPage('modified', matching, (r) => [r.updatedAt, Number(r.id)], after, limit);
    return { data: page.items.map(toContactJson), next_cursor: page.nextCursor };
  }

  /** Retained tombstones with deleted_at >= since, oldest deletion first, ties by id. */
  deletedSince(
    since: number,
    limit: number,
    after: SortKey | undefined,
  ): Page<ReturnType<typeof toTombstoneJson>> {
    // Retention is judged by the CRM's clock against deleted_at, which a backdated delete sets
    // in the past: a history older than the retention is already gone.
    const horizon = Date.now() - this.tombstoneRetentionMs;
    this.tombstones = this.tombstones.filter((t) => t.deletedAt >= horizon);
    const matching = this.tombstones.filter((t) => t.deletedAt >= since);
    const page = keysetPage('deleted', matching, (t) => [t.deletedAt, Number(t.id)], after, limit);
    return { data: page.items.map(toTombstoneJson), next_cursor: page.nextCursor };
  }
}
