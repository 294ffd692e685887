import type { VendorEvent } from '../vendors/types.js';
import type { Db } from './sqlite.js';

export type ApplyOutcome = { readonly applied: true } | { readonly applied: false; readonly reason: string };

/**
 * The local copy of the vendor's records, keyed by the vendor's object id. Property values are
 * last-writer-wins on the vendor's occurredAt, so out-of-order deliveries cannot roll a value back.
 */
export class LocalStore {
  private readonly touch;
  private readonly setProperty;
  private readonly markDeleted;

  constructor(db: Db) {
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
  }

  /** Applies one event inside the caller's transaction; a poison event is reported, not thrown. */
  apply(event: VendorEvent): ApplyOutcome {
    if (event.action === undefined) {
      return {
        applied: false,
        reason: `cannot apply ${event.type}: unsupported type or missing field values`,
      };
    }
    this.touch.run(event.objectId, event.occurredAt);
    for (const [name, value] of Object.entries(event.fields)) {
      this.setProperty.run(event.objectId, name, value, event.occurredAt);
    }
    if (event.action === 'delete') this.markDeleted.run(event.occurredAt, event.objectId, event.occurredAt);
    return { applied: true };
  }
}
