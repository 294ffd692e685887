import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { PipelineMetrics } from '../telemetry/metrics.js';
import { traceProcessed, tracingOn } from '../telemetry/trace-spans.js';
import type { VendorEvent, WebhookScheme } from '../vendors/types.js';
import { Inbox } from './inbox.js';
import { LocalStore } from './local-store.js';
import { type ProcessedBatch, Processor } from './processor.js';
import { buildReceiver } from './receiver.js';
import { type Db, type Durability, openDb } from './sqlite.js';
import { WalSync } from './wal-sync.js';

export interface PipelineOptions {
  readonly scheme: WebhookScheme;
  readonly metrics: PipelineMetrics;
  /** Folder for pipeline.db (queue, dedupe, local store, dead letters). */
  readonly dir: string;
  readonly vendor: string;
  readonly durability?: Durability;
  readonly publicBaseUrl?: string;
  /** Leave the processor stopped (the bench measures the receiver alone). */
  readonly processor?: boolean;
}

/** What the pipeline tells observers (scenarios measure through these, never through the vendor). */
export interface PipelineEvents {
  accepted: [events: readonly VendorEvent[], receivedAt: number, duplicates: number];
  processed: [batch: ProcessedBatch];
}

/** The reference pipeline: receiver -> verify -> dedupe -> durable queue -> processor -> local store. */
export interface Pipeline {
  readonly app: FastifyInstance;
  readonly db: Db;
  readonly inbox: Inbox;
  readonly processor: Processor;
  /** The local copy of the vendor's records, which recovery and reconcile read and repair. */
  readonly store: LocalStore;
  readonly path: string;
  readonly events: EventEmitter<PipelineEvents>;
  /** Takes the receiver down (every delivery gets a 503) or back up, for outage scenarios. */
  setDown(down: boolean): void;
  /** Deliveries answered 503 because the receiver was down. */
  readonly refusedWhileDown: number;
  listen(port: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

export function createPipeline(options: PipelineOptions): Pipeline {
  const file = join(options.dir, 'pipeline.db');
  const durability = options.durability ?? 'power-loss';
  const db = openDb(file, durability);
  // The inbox commits through a connection of its own that never waits for the disk inside a
  // commit: with power-loss durability it fsyncs off the event loop before any 2xx (inbox.ts).
  const inbox = new Inbox(
    openDb(file, 'process-crash'),
    durability === 'power-loss' ? { sync: (inboxDb) => new WalSync(inboxDb) } : {},
  );
  const store = new LocalStore(db);
  const processor = new Processor(db, store, undefined, () => inbox.acknowledgedUpTo);
  const path = `/webhooks/${options.vendor}`;
  const events = new EventEmitter<PipelineEvents>();
  let down = false;
  let refusedWhileDown = 0;
  processor.onBatch = (batch) => {
    inbox.dequeued(batch.rows);
    const m = options.metrics;
    m.applied.inc(batch.applied.length);
    if (batch.deadLettered > 0) m.deadLetters.inc(batch.deadLettered);
    for (const at of batch.receivedAt)
      m.processingLatency.observe(Math.max(0, batch.processedAt - at) / 1000);
    if (tracingOn) traceProcessed(options.vendor, batch.applied, batch.processedAt, Date.now());
    events.emit('processed', batch);
  };
  inbox.onCommit = () => processor.notify();
  const app = buildReceiver({
    scheme: options.scheme,
    inbox,
    metrics: options.metrics,
    path,
    vendor: options.vendor,
    ...(options.publicBaseUrl ? { publicBaseUrl: options.publicBaseUrl } : {}),
    onAccepted: (accepted, receivedAt, duplicates) =>
      events.emit('accepted', accepted, receivedAt, duplicates),
    isDown: () => {
      if (down) refusedWhileDown++;
      return down;
    },
  });
  const pruneTimer = setInterval(() => {
    try {
      inbox.pruneDedupe(Date.now());
    } catch {
      // A busy or full database: the next minute tries again; dedupe keys only live longer.
    }
  }, 60_000);
  pruneTimer.unref();
  return {
    app,
    db,
    inbox,
    processor,
    store,
    path,
    events,
    setDown(value) {
      down = value;
    },
    get refusedWhileDown() {
      return refusedWhileDown;
    },
    async listen(port, host = '127.0.0.1') {
      const address = await app.listen({ port, host });
      if (options.processor !== false) processor.start();
      return address;
    },
    async close() {
      clearInterval(pruneTimer);
      await app.close();
      await inbox.close();
      await processor.stop();
      db.close();
    },
  };
}
