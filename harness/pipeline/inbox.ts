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

/** What one group commit did: events and rows newly queued, and each delivery's outcome. */
interface Committed {
  readonly queued: number;
  readonly rows: number;
  readonly results: AppendResult[];
  /** The highest queue row id the group wrote; 0 when it queued nothing. */
  readonly lastId: number;
}

/** The longest a ready group is kept open for deliveries still arriving, in ms. */
const MAX_GROUP_HOLD_MS = 2;

/** How long dedupe keys are kept: longer than any vendor's retry window (HubSpot: 24 h). */
export const DEDUPE_RETENTION_MS = 72 * 3_600_000;

/** Makes committed groups durable: WalSync (wal-sync.ts) in the pipeline. */
export interface CommitSync {
  /** Calls back once every commit made before the call is on disk, or with why it is not. */
  sync(done: (err: Error | null) => void): void;
  close(): void;
}

export interface InboxOptions {
  /**
   * Power-loss durability on a connection opened with synchronous=NORMAL: made once the schema
   * is written; each group is acknowledged only once its sync has called back.
   */
  readonly sync?: (db: Db) => CommitSync;
}

/**
 * The receiver's durable inbox: dedupe on the vendor's event identity and the queue append
 * happen in one SQLite transaction, shared by every delivery waiting when it starts (group
 * commit). A delivery is acknowledged only once that commit is done and, with `sync`, on disk.
 * While one group's WAL sync runs, the deliveries that arrive meanwhile, over as many turns of
 * the event loop as it takes, wait and go into the next group together; a ready group also
 * stays open while turns keep bringing more (at most MAX_GROUP_HOLD_MS). The busier the
 * receiver, the more each commit and each fsync carry.
 */
export class Inbox {
  private waiting: Waiting[] = [];
  private flushScheduled = false;
  /** A group is committed and its sync has not called back yet. */
  private syncing = false;
  /**
   * Set when a WAL sync failed. Its commit is visible but may not be on disk, and after a
   * failed fsync the kernel may have dropped the pages, so no later sync can vouch for it:
   * from then on every delivery is refused (5xx, the vendor retries) until a restart.
   */
  private syncFailure: Error | undefined;
  private readonly commitSync: CommitSync | undefined;
  private whenIdle: (() => void) | undefined;
  /** When the waiting group became ready to commit (performance.now()). */
  private groupOpenedAt = 0;
  private readonly markSeen;
  private readonly enqueue;
  private readonly prune;
  private readonly commit;
  /** Called after each commit with the number of newly queued events. */
  onCommit: ((queued: number) => void) | undefined;
  /**
   * The highest queue row id whose delivery was acknowledged: the processor takes no row past
   * it, so nothing is applied (or traced as processed) before it is durable and its receipt is
   * traced. A group whose commit or sync failed is never acknowledged, so never applied.
   */
  acknowledgedUpTo: number;
  /**
   * Rows waiting in the queue, kept in memory (counted once at start) so a /metrics scrape
   * never scans a large backlog on the receiver's thread.
   */
  depth: number;

  constructor(
    private readonly db: Db,
    options: InboxOptions = {},
  ) {
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
    // Rows left by an earlier process are as durable as they will ever be: all may be taken.
    this.acknowledgedUpTo = db.prepare('SELECT COALESCE(MAX(id), 0) FROM queue').pluck().get() as number;
    this.commit = db.transaction((batch: Waiting[]): Committed => {
      let queued = 0;
      let rows = 0;
      let lastId = 0;
      const results: AppendResult[] = [];
      for (const w of batch) {
        const fresh = this.markFresh(w.events, w.receivedAt);
        if (fresh.length > 0) {
          lastId = Number(this.enqueue.run(w.receivedAt, JSON.stringify(fresh)).lastInsertRowid);
          rows++;
        }
        queued += fresh.length;
        results.push({ fresh, duplicates: w.events.length - fresh.length });
      }
      return { queued, rows, results, lastId };
    });
    // After the schema: the connection has written, so its WAL file exists.
    this.commitSync = options.sync?.(db);
  }

  /**
   * Marks each event seen and returns those seen for the first time, in order. An event that
   * repeats one earlier in the same group, or in this very delivery, is a duplicate like any
   * other: the earlier insert is already in the transaction. Allocates only when there is one.
   */
  private markFresh(events: readonly VendorEvent[], receivedAt: number): readonly VendorEvent[] {
    let fresh: VendorEvent[] | undefined;
    let seen = 0;
    for (const e of events) {
      if (this.markSeen.run(e.key, receivedAt).changes === 1) fresh?.push(e);
      else fresh ??= events.slice(0, seen);
      seen++;
    }
    return fresh ?? events;
  }

  /** Resolves once the events are durable; duplicates are counted, not queued. */
  append(events: readonly VendorEvent[], receivedAt: number): Promise<AppendResult> {
    // Deliveries share a transaction: one that SQLite would refuse must not take the others down.
    const bad = events.find((e) => typeof e.key !== 'string' || e.key.length === 0);
    if (bad)
      return Promise.reject(
        new MalformedDeliveryError('an event has no usable identity (its dedupe key is not a string)'),
      );
    if (this.syncFailure) return Promise.reject(this.syncFailure);
    return new Promise((resolve, reject) => {
      this.waiting.push({ events, receivedAt, resolve, reject });
      // While a sync runs, its callback starts the next group.
      if (!this.flushScheduled && !this.syncing) this.scheduleFlush();
    });
  }

  /** The processor removed `rows` queue rows. */
  dequeued(rows: number): void {
    this.depth = Math.max(0, this.depth - rows);
  }

  pruneDedupe(now: number): number {
    return this.prune.run(now - DEDUPE_RETENTION_MS).changes;
  }

  /** Resolves once nothing is waiting or syncing, then closes the inbox's connection. */
  async close(): Promise<void> {
    while (this.waiting.length > 0 || this.syncing || this.flushScheduled) {
      await new Promise<void>((resolve) => {
        this.whenIdle = resolve;
      });
    }
    this.commitSync?.close();
    this.db.close();
  }

  private scheduleFlush(): void {
    this.flushScheduled = true;
    this.groupOpenedAt = performance.now();
    const size = this.waiting.length;
    setImmediate(() => this.flushOnceSettled(size));
  }

  /**
   * Commits the waiting group once a turn of the event loop brought no more deliveries. While
   * each turn brings more, the receiver is busy: keeping the group open a turn longer (up to
   * MAX_GROUP_HOLD_MS) lets one commit and one fsync carry them all, where committing each
   * turn's few would spend an fsync's CPU on every handful of deliveries.
   */
  private flushOnceSettled(sizeThen: number): void {
    const size = this.waiting.length;
    const held = performance.now() - this.groupOpenedAt;
    if (size > sizeThen && held < MAX_GROUP_HOLD_MS && !this.syncFailure) {
      setImmediate(() => this.flushOnceSettled(size));
      return;
    }
    this.flush();
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.waiting;
    this.waiting = [];
    let committed: Committed;
    try {
      if (this.syncFailure) throw this.syncFailure;
      committed = this.commit(batch);
    } catch (err) {
      // Rolled back: nothing of this group is visible, every delivery in it gets a 5xx.
      for (const w of batch) w.reject(err);
      this.settled();
      return;
    }
    const { results } = committed;
    // Counted at commit, not at acknowledgement: the rows are in the queue from then on.
    this.depth += committed.rows;
    if (!this.commitSync) {
      this.acknowledge(batch, committed);
      this.settled();
      return;
    }
    this.syncing = true;
    this.commitSync.sync((err) => {
      this.syncing = false;
      if (err) {
        this.syncFailure ??= err;
        for (const w of batch) w.reject(err);
      } else {
        this.acknowledge(batch, committed);
      }
      // Everything that arrived during the sync: one transaction, one more sync.
      if (this.waiting.length > 0) this.scheduleFlush();
      else this.settled();
    });
  }

  private acknowledge(batch: readonly Waiting[], committed: Committed): void {
    if (committed.lastId > this.acknowledgedUpTo) this.acknowledgedUpTo = committed.lastId;
    acknowledge(batch, committed.results);
    if (committed.queued > 0) this.onCommit?.(committed.queued);
  }

  private settled(): void {
    if (this.waiting.length > 0 || this.syncing || this.flushScheduled) return;
    const idle = this.whenIdle;
    this.whenIdle = undefined;
    idle?.();
  }
}

/**
 * Resolved before the processor is woken: the receivers' continuations are queued first, so a
 * receipt is always traced before its event is processed (the process span's parent is the
 * receipt's origin) — and, with a WAL sync, the processor hears of rows only once they are durable.
 */
function acknowledge(batch: readonly Waiting[], results: readonly AppendResult[]): void {
  for (const [i, w] of batch.entries()) w.resolve(results[i] ?? { fresh: [], duplicates: 0 });
}
