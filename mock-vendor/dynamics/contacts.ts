import { randomBytes } from 'node:crypto';
import { type MockRecord, RecordStore } from '../records.js';
import type { EntityKey } from './odata.js';

/** The contact columns the mock keeps; anything else in a body is refused like an unknown column. */
export const CONTACT_COLUMNS = ['emailaddress1', 'firstname', 'lastname', 'telephone1', 'poc_seq'] as const;
/** Columns with an alternate key defined (CreateEntityKey): poc's key on emailaddress1. */
export const CONTACT_KEYS = ['emailaddress1'] as const;

/** What a write asked for: PATCH is an upsert unless If-Match / If-None-Match narrow it. */
export type WriteCondition =
  | { readonly kind: 'upsert' }
  | { readonly kind: 'update-only'; readonly etag?: string }
  | { readonly kind: 'create-only' };

export type WriteOutcome =
  | {
      readonly ok: true;
      readonly record: MockRecord;
      readonly created: boolean;
      readonly submitted: string[];
    }
  | { readonly ok: false; readonly status: 404 | 412; readonly reason: 'missing' | 'exists' | 'etag' };

/**
 * The contact table: rows in a RecordStore (numeric ids, indexed by column) exposed under GUIDs,
 * each with a row version for ETags.
 */
export class ContactTable {
  readonly store = new RecordStore(1);
  private readonly guidById = new Map<string, string>();
  private readonly idByGuid = new Map<string, string>();
  private readonly versions = new Map<string, number>();
  private nextVersion = 1_000_000;
  /**
   * Deleted rows with the version of their deletion, for change tracking's $deletedEntity (the
   * deletion's time is in versionTimes). Dataverse lists deleted rows nowhere else.
   */
  readonly tombstones: { readonly id: string; readonly version: number }[] = [];
  /**
   * When each row version was written, by the environment's clock (backdated firehose writes
   * included): change tracking judges a token's age on the newest change it covers.
   */
  private readonly versionTimes = new Map<number, number>();
  // Record GUIDs share a per-environment prefix; the tail is the row's sequence number.
  private readonly prefix =
    `${randomBytes(4).toString('hex')}-${randomBytes(2).toString('hex')}-4${randomBytes(2).toString('hex').slice(1)}-a${randomBytes(2).toString('hex').slice(1)}-`;

  get size(): number {
    return this.store.size;
  }

  guidOf(record: MockRecord): string {
    return this.guidById.get(record.id) ?? '';
  }

  etagOf(record: MockRecord): string {
    return `W/"${this.versions.get(record.id) ?? 0}"`;
  }

  find(key: EntityKey): MockRecord | undefined {
    if (key.kind === 'id') {
      const id = this.idByGuid.get(key.id);
      return id === undefined ? undefined : this.store.get(id);
    }
    const [column, value] = Object.entries(key.values)[0] ?? [];
    return column === undefined || value === undefined ? undefined : this.store.findBy(column, value);
  }

  all(): MockRecord[] {
    return this.store.list(0, Number.MAX_SAFE_INTEGER);
  }

  write(key: EntityKey | undefined, columns: Record<string, string>, condition: WriteCondition, now: number) {
    const existing = key ? this.find(key) : undefined;
    // The alternate key is unique: no write may give a row another row's key value.
    if (this.keyTaken(key?.kind === 'alternate' ? { ...columns, ...key.values } : columns, existing)) {
      return this.refuse(412, 'exists');
    }
    if (existing) {
      if (condition.kind === 'create-only') return this.refuse(412, 'exists');
      if (condition.kind === 'update-only' && condition.etag && condition.etag !== '*') {
        if (condition.etag !== this.etagOf(existing)) return this.refuse(412, 'etag');
      }
      const change = this.store.update(existing, columns, now);
      this.versions.set(existing.id, this.issueVersion(now));
      return this.ok(existing, false, Object.keys(columns), change.changed.length > 0, now);
    }
    if (condition.kind === 'update-only') return this.refuse(404, 'missing');
    // Upsert by alternate key creates the row with the key's values set.
    const values = key?.kind === 'alternate' ? { ...columns, ...key.values } : columns;
    const change = this.store.create(values, now);
    const guid =
      key?.kind === 'id'
        ? key.id
        : `${this.prefix}${Number(change.record.id).toString(16).padStart(12, '0')}`;
    this.guidById.set(change.record.id, guid);
    this.idByGuid.set(guid, change.record.id);
    this.versions.set(change.record.id, this.issueVersion(now));
    return this.ok(change.record, true, Object.keys(values), true, now);
  }

  /** The newest row version: a change token covers every change up to it. */
  get latestVersion(): number {
    return this.nextVersion - 1;
  }

  /** When the change that got `version` happened; undefined for versions no change ever had. */
  timeOfVersion(version: number): number | undefined {
    return this.versionTimes.get(version);
  }

  private issueVersion(now: number): number {
    const version = this.nextVersion++;
    this.versionTimes.set(version, now);
    return version;
  }

  private keyTaken(values: Readonly<Record<string, string>>, self: MockRecord | undefined): boolean {
    return CONTACT_KEYS.some((column) => {
      const value = values[column];
      const holder = value === undefined ? undefined : this.store.findBy(column, value);
      return holder !== undefined && holder !== self;
    });
  }

  delete(record: MockRecord, now: number): void {
    const guid = this.guidById.get(record.id);
    if (guid) this.tombstones.push({ id: guid, version: this.issueVersion(now) });
    this.store.delete(record.id);
    this.guidById.delete(record.id);
    this.versions.delete(record.id);
    if (guid) this.idByGuid.delete(guid);
  }

  /** The row as the Web API shows it: every contact column (null when unset) and system columns. */
  row(record: MockRecord): Record<string, unknown> {
    const row: Record<string, unknown> = { contactid: this.guidOf(record) };
    for (const c of CONTACT_COLUMNS) row[c] = record.properties[c] ?? null;
    row.createdon = isoSeconds(record.createdAt);
    row.modifiedon = isoSeconds(record.updatedAt);
    row.statecode = 0;
    row.versionnumber = this.versions.get(record.id) ?? 0;
    return row;
  }

  private ok(record: MockRecord, created: boolean, submitted: string[], touched: boolean, now: number) {
    // Dataverse stamps modifiedon on every update request, even one that changes nothing.
    if (!touched) record.updatedAt = now;
    return { ok: true, record, created, submitted } as const satisfies WriteOutcome;
  }

  private refuse(status: 404 | 412, reason: 'missing' | 'exists' | 'etag'): WriteOutcome {
    return { ok: false, status, reason };
  }
}

/** Dataverse returns date-times in UTC to the second: 2024-01-01T10:00:00Z. */
export function isoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}
