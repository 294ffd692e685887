import { MalformedDeliveryError, type VendorEvent } from '../vendors/types.js';
import type { Db } from './sqlite.js';

export interface AppendResult {
  /** The events seen for the first time, now durable. */
  readonly fresh: readonly VendorEvent[];
  readonly duplicates: number;
}

interface Waiting {
  readonly events: readonly VendorEvent[];
  readonly receivedAt: number;
  readonly resolve: (r: AppendResult) => void;
  readonly reject: (e: unknown) => void;
}

/** How long dedupe keys are kept: longer than any vendor's retry window (HubSpot: 24 h). */
export const DEDUPE_RETENTION_MS = 72 * 3_600_000;

/**
 * The receiver's durable inbox: dedupe on the vendor's event identity and the queue append
 * happen in one SQLite transaction, shared by every delivery that arrived in the same turn of
 * the event loop (group commit). A delivery is acknowledged only once that commit is done.
 */
export class Inbox {
  private waiting: Waiting[] = [];
  private flushScheduled = false;
  private readonly markSeen;
  private readonly enqueue;
  private readonly prune;
  private readonly commit;
  /** Called after each commit with the number of newly queued events. */
  onCommit: ((queued: number) => void) | undefined;
  /**
   * Rows waiting in the queue, kept in memory (counted once at start) so a /metrics scrape
   * never scans a large backlog on the receiver's thread.
   */
  depth: number;

  constructor(db: Db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS dedupe (key TEXT PRIMARY KEY, seen_at INTEGER NOT NULL) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS dedupe_seen_at ON dedupe (seen_at);
      CREATE TABLE IF NOT EXISTS queue (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        received_at INTEGER NOT NULL,
        events TEXT NOT NULL
      );
    `);
    this.markSeen = db.prepare('INSERT OR IGNORE INTO dedupe (key, seen_at) VALUES (?, ?)');
    this.enqueue = db.prepare('INSERT INTO queue (received_at, events) VALUES (?, ?)');
    this.prune = db.prepare('DELETE FROM dedupe WHERE seen_at < ?');
    this.depth = db.prepare('SELECT COUNT(*) AS n FROM queue').pluck().get() as number;
    this.commit = db.transaction((batch: Waiting[]) => {
      let queued = 0;
      let rows = 0;
      const results: AppendResult[] = [];
      for (const w of batch) {
        const fresh: VendorEvent[] = [];
        for (const e of w.events) {
          if (this.markSeen.run(e.key, w.receivedAt).changes === 1) fresh.push(e);
        }
        if (fresh.length > 0) {
          this.enqueue.run(w.receivedAt, JSON.stringify(fresh));
          rows++;
        }
        queued += fresh.length;
        results.push({ fresh, duplicates: w.events.length - fresh.length });
      }
      return { queued, rows, results };
    });
  }

  /** Resolves once the events are durable; duplicates are counted, not queued. */
  append(events: readonly VendorEvent[], receivedAt: number): Promise<AppendResult> {
    // Deliveries share a transaction: one that SQLite would refuse must not take the others down.
    const bad = events.find((e) => typeof e.key !== 'string' || e.key.length === 0);
    if (bad)
      return Promise.reject(
        new MalformedDeliveryError('an event has no usable identity (its dedupe key is not a string)'),
      );
    return new Promise((resolve, reject) => {
      this.waiting.push({ events, receivedAt, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** The processor removed `rows` queue rows. */
  dequeued(rows: number): void {
    this.depth = Math.max(0, this.depth - rows);
  }

  pruneDedupe(now: number): number {
    return this.prune.run(now - DEDUPE_RETENTION_MS).changes;
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.waiting;
    this.waiting = [];
    try {
      const { queued, rows, results } = this.commit(batch);
      this.depth += rows;
      for (const [i, w] of batch.entries()) w.resolve(results[i] ?? { fresh: [], duplicates: 0 });
      if (queued > 0) this.onCommit?.(queued);
    } catch (err) {
      for (const w of batch) w.reject(err);
    }
  }
}
