import type { FeedChange, VendorEvent } from '../vendors/types.js';
import type { Db } from './sqlite.js';

export type ApplyOutcome = { readonly applied: true } | { readonly applied: false; readonly reason: string };

/**
 * The store's key for a record. Contacts keep the vendor's id; other object types are kept under
 * `<type>/<id>`, because vendors number them independently (HubSpot's company 1001 is not its
 * contact 1001) and reconcile must tell them apart. No vendor id contains a slash.
 */
export function recordKey(objectType: string | undefined, objectId: string): string {
  return objectType === undefined || objectType === 'contacts' ? objectId : `${objectType}/${objectId}`;
}

/** What applying a vendor state did to the local copy. */
export type StateOutcome = 'created' | 'updated' | 'deleted' | 'unchanged';

/** One field of the local copy, with the vendor time of the change that set it. */
export interface LocalField {
  readonly value: string;
  readonly occurredAt: number;
}

/** The local copy of one record. */
export interface LocalRecord {
  readonly lastOccurredAt: number;
  readonly deletedAt: number | null;
  readonly fields: ReadonlyMap<string, LocalField>;
}

interface RecordRow {
  last_occurred_at: number;
  deleted_at: number | null;
}

interface JoinedRow {
  object_id: string;
  last_occurred_at: number;
  deleted_at: number | null;
  /** JSON: [[name, value, occurred_at], ...] */
  properties: string;
}

interface PropertyRow {
  name: string;
  value: string;
  occurred_at: number;
}

/**
 * The local copy of the vendor's records, keyed by the vendor's object id. Property values are
 * last-writer-wins on the vendor's occurredAt, so out-of-order deliveries cannot roll a value back.
 */
export class LocalStore {
  private readonly touch;
  private readonly setProperty;
  private readonly markDeleted;
  private readonly getRecord;
  private readonly getProperties;
  private readonly insertRecord;
  private readonly setRecordState;
  private readonly getMany;

  constructor(private readonly db: Db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS records (
        object_id TEXT PRIMARY KEY,
        events_applied INTEGER NOT NULL DEFAULT 0,
        last_occurred_at INTEGER NOT NULL,
        deleted_at INTEGER
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS record_properties (
        object_id TEXT NOT NULL,
        name TEXT NOT NULL,
        value TEXT NOT NULL,
        occurred_at INTEGER NOT NULL,
        PRIMARY KEY (object_id, name)
      ) WITHOUT ROWID;
    `);
    this.touch = db.prepare(`
      INSERT INTO records (object_id, events_applied, last_occurred_at) VALUES (?, 1, ?)
      ON CONFLICT (object_id) DO UPDATE SET events_applied = events_applied + 1,
        last_occurred_at = max(last_occurred_at, excluded.last_occurred_at),
        deleted_at = CASE WHEN excluded.last_occurred_at > deleted_at THEN NULL ELSE deleted_at END`);
    this.setProperty = db.prepare(`
      INSERT INTO record_properties (object_id, name, value, occurred_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (object_id, name) DO UPDATE SET value = excluded.value, occurred_at = excluded.occurred_at
      WHERE excluded.occurred_at >= record_properties.occurred_at`);
    // A delete older than the newest change to the record arrived late: it must not win.
    this.markDeleted = db.prepare(
      'UPDATE records SET deleted_at = ? WHERE object_id = ? AND last_occurred_at <= ?',
    );
    this.getRecord = db.prepare<[string], RecordRow>(
      'SELECT last_occurred_at, deleted_at FROM records WHERE object_id = ?',
    );
    this.getProperties = db.prepare<[string], PropertyRow>(
      'SELECT name, value, occurred_at FROM record_properties WHERE object_id = ?',
    );
    // One statement per page of ids (a JSON array): reconcile reads a million records this way.
    // Properties come grouped as one JSON array per record: fewer rows to materialise.
    this.getMany = db.prepare<[string], JoinedRow>(
      `SELECT r.object_id, r.last_occurred_at, r.deleted_at,
              (SELECT json_group_array(json_array(p.name, p.value, p.occurred_at))
                 FROM record_properties p WHERE p.object_id = r.object_id) AS properties
         FROM json_each(?) j JOIN records r ON r.object_id = j.value`,
    );
    this.insertRecord = db.prepare(
      'INSERT INTO records (object_id, events_applied, last_occurred_at, deleted_at) VALUES (?, 0, ?, ?)',
    );
    this.setRecordState = db.prepare(
      'UPDATE records SET last_occurred_at = max(last_occurred_at, ?), deleted_at = ? WHERE object_id = ?',
    );
  }

  /** The local copy of one record, deleted or not; undefined when poc never heard of it. */
  read(objectId: string): LocalRecord | undefined {
    const row = this.getRecord.get(objectId);
    if (!row) return undefined;
    const fields = new Map<string, LocalField>();
    for (const p of this.getProperties.all(objectId)) {
      fields.set(p.name, { value: p.value, occurredAt: p.occurred_at });
    }
    return { lastOccurredAt: row.last_occurred_at, deletedAt: row.deleted_at, fields };
  }

  /** The local copies of many records at once; ids poc never heard of are absent. */
  readMany(objectIds: readonly string[]): Map<string, LocalRecord> {
    const out = new Map<string, LocalRecord>();
    for (const row of this.getMany.all(JSON.stringify(objectIds))) {
      const fields = new Map<string, LocalField>();
      for (const [name, value, occurredAt] of JSON.parse(row.properties) as [string, string, number][]) {
        fields.set(name, { value, occurredAt });
      }
      out.set(row.object_id, { lastOccurredAt: row.last_occurred_at, deletedAt: row.deleted_at, fields });
    }
    return out;
  }

  /**
   * Applies what the vendor says a record is (a snapshot, a backfill page, a change feed) as of
   * `asOf`: the vendor time the state is known to hold. For a page read from the vendor that is
   * when it was read, not the record's modified time, which some vendors round to the second.
   * Last writer wins field by field, as for events, so a newer event is never rolled back. It is
   * not an event: events_applied does not move. Call inside a transaction for speed.
   */
  applyState(change: FeedChange, asOf: number): StateOutcome {
    const row = this.getRecord.get(change.id);
    if (change.deleted) {
      if (!row || row.deleted_at !== null || row.last_occurred_at > asOf) return 'unchanged';
      this.setRecordState.run(asOf, asOf, change.id);
      return 'deleted';
    }
    let created = false;
    if (!row) {
      this.insertRecord.run(change.id, asOf, null);
      created = true;
    } else if (row.deleted_at !== null) {
      // Deleted locally after the vendor's state was taken: the deletion is newer.
      if (row.deleted_at > asOf) return 'unchanged';
      this.setRecordState.run(asOf, null, change.id);
      created = true;
    }
    let changed = false;
    const local = created ? undefined : this.read(change.id);
    for (const [name, value] of Object.entries(change.fields)) {
      const field = local?.fields.get(name);
      if (field && (field.value === value || field.occurredAt > asOf)) continue;
      this.setProperty.run(change.id, name, value, asOf);
      changed = true;
    }
    if (changed && !created) this.setRecordState.run(asOf, null, change.id);
    return created ? 'created' : changed ? 'updated' : 'unchanged';
  }

  /** Runs `fn` in one transaction (a page of states at a time). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /** Applies one event inside the caller's transaction; a poison event is reported, not thrown. */
  apply(event: VendorEvent): ApplyOutcome {
    if (event.action === undefined) {
      return {
        applied: false,
        reason: `cannot apply ${event.type}: unsupported type or missing field values`,
      };
    }
    const key = recordKey(event.objectType, event.objectId);
    this.touch.run(key, event.occurredAt);
    for (const [name, value] of Object.entries(event.fields)) {
      this.setProperty.run(key, name, value, event.occurredAt);
    }
    if (event.action === 'delete') this.markDeleted.run(event.occurredAt, key, event.occurredAt);
    return { applied: true };
  }
}
