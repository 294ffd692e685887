import type { VendorEvent } from '../vendors/types.js';
import type { LocalStore } from './local-store.js';
import type { Db } from './sqlite.js';

export interface ProcessedBatch {
  readonly applied: readonly VendorEvent[];
  readonly deadLettered: number;
  readonly receivedAt: readonly number[];
  readonly processedAt: number;
  /** Queue rows this step removed. */
  readonly rows: number;
}

const MAX_EVENTS_PER_STEP = 2000;

interface QueueRow {
  id: number;
  received_at: number;
  events: string;
}

/**
 * Drains the durable queue into the local store. Each queue row is applied and deleted in one
 * transaction, so an event is applied exactly once even if the process dies mid-batch. Events
 * the store cannot apply go to the dead-letter table with the reason.
 */
export class Processor {
  private readonly take;
  private readonly remove;
  private readonly deadLetter;
  private readonly step;
  private running = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  onBatch: ((batch: ProcessedBatch) => void) | undefined;
  /** Told about failures the loop survived (a failed step, a throwing observer). */
  onError: ((err: unknown) => void) | undefined;

  constructor(
    db: Db,
    private readonly store: LocalStore,
    private readonly batchRows = 200,
    /** The highest queue row it may take: the inbox's acknowledged rows (inbox.ts). All when absent. */
    private readonly takeUpTo: () => number = () => Number.MAX_SAFE_INTEGER,
  ) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS dead_letter (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        event_key TEXT NOT NULL,
        reason TEXT NOT NULL,
        event TEXT NOT NULL,
        dead_at INTEGER NOT NULL
      );
    `);
    this.take = db.prepare('SELECT id, received_at, events FROM queue WHERE id <= ? ORDER BY id LIMIT ?');
    this.remove = db.prepare('DELETE FROM queue WHERE id = ?');
    this.deadLetter = db.prepare(
      'INSERT INTO dead_letter (event_key, reason, event, dead_at) VALUES (?, ?, ?, ?)',
    );
    this.step = db.transaction((now: number): ProcessedBatch | undefined => {
      const rows = this.take.all(this.takeUpTo(), this.batchRows) as QueueRow[];
      if (rows.length === 0) return undefined;
      const applied: VendorEvent[] = [];
      const receivedAt: number[] = [];
      let deadLettered = 0;
      let removed = 0;
      for (const row of rows) {
        // Bounded in events, not rows: a row can hold a 100-event delivery, and one long
        // synchronous transaction would stall the receiver sharing this thread.
        if (applied.length + deadLettered >= MAX_EVENTS_PER_STEP) break;
        let events: VendorEvent[];
        try {
          events = JSON.parse(row.events) as VendorEvent[];
        } catch {
          this.deadLetter.run(`queue:${row.id}`, 'queue row is not valid JSON', row.events, now);
          deadLettered++;
          this.remove.run(row.id);
          continue;
        }
        for (const event of events) {
          const outcome = this.store.apply(event);
          if (outcome.applied) {
            applied.push(event);
            receivedAt.push(row.received_at);
          } else {
            this.deadLetter.run(event.key, outcome.reason, JSON.stringify(event), now);
            deadLettered++;
          }
        }
        this.remove.run(row.id);
        removed++;
      }
      return { applied, deadLettered, receivedAt, processedAt: now, rows: removed };
    });
  }

  /** Runs one batch now; undefined when the queue is empty. */
  drainOnce(): ProcessedBatch | undefined {
    const batch = this.step(Date.now());
    if (batch) {
      try {
        this.onBatch?.(batch);
      } catch (err) {
        // The batch is committed; an observer's failure must not stop processing.
        this.onError?.(err);
      }
    }
    return batch;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      let failures = 0;
      while (this.running) {
        let batch: ProcessedBatch | undefined;
        try {
          batch = this.drainOnce();
          failures = 0;
        } catch (err) {
          // SQLite busy, disk full, I/O error: nothing was applied (the transaction rolled
          // back), so back off and try the same rows again rather than crash the receiver.
          failures++;
          this.onError?.(err);
          await this.idle(Math.min(30_000, 100 * 2 ** Math.min(failures, 8)));
          continue;
        }
        if (batch) {
          // Yield so the receiver keeps answering while a backlog drains.
          await new Promise((r) => setImmediate(r));
          continue;
        }
        await this.idle(50);
      }
    })();
  }

  private async idle(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wake = undefined;
  }

  /** Tells an idle processor that new rows were committed. */
  notify(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }
}
