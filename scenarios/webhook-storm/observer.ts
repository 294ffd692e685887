import { LatencyHistogram } from '../../harness/telemetry/histogram.js';
import { SeqSet } from '../../harness/telemetry/seq-set.js';
import type { VendorEvent } from '../../harness/vendors/types.js';
import { decodeSeq, SEQ_FIELD } from './sequence.js';

/** Measures what the pipeline saw, from the pipeline's own events; memory bounded by the pool, not by events. */
export class StormObserver {
  readonly written = new SeqSet();
  readonly received = new SeqSet();
  readonly applied = new SeqSet();
  readonly latency = new LatencyHistogram();
  readonly rawLatency = new LatencyHistogram();
  readonly applyLatency = new LatencyHistogram();
  duplicatesReceived = 0;
  duplicatesApplied = 0;
  outOfOrder = 0;
  vendorRetried = 0;
  deadLetters = 0;
  foreign = 0;
  /** Newest vendor occurredAt seen per record: bounded by the pool, not by events. */
  private readonly newestByObject = new Map<string, number>();

  constructor(
    private readonly tag: string,
    private readonly issued: () => number,
  ) {}

  onAccepted = (events: readonly VendorEvent[], receivedAt: number, duplicates: number): void => {
    this.duplicatesReceived += duplicates;
    for (const e of events) {
      const decoded = decodeSeq(this.tag, e.fields[SEQ_FIELD], this.issued());
      if (!decoded) {
        this.foreign++;
        continue;
      }
      const [seq, intendedAt, sentAt] = decoded;
      this.received.add(seq);
      if (e.attempt > 0) this.vendorRetried++;
      this.latency.record(receivedAt - intendedAt);
      this.rawLatency.record(receivedAt - sentAt);
      // Out of order by the vendor's own clock: a change delivered after a later change to the
      // same record. (Our writes racing each other do not count: the vendor ordered them.)
      const newest = this.newestByObject.get(e.objectId) ?? Number.NEGATIVE_INFINITY;
      if (e.occurredAt < newest) this.outOfOrder++;
      else this.newestByObject.set(e.objectId, e.occurredAt);
    }
  };

  onProcessed = (batch: {
    applied: readonly VendorEvent[];
    deadLettered: number;
    processedAt: number;
  }): void => {
    this.deadLetters += batch.deadLettered;
    for (const e of batch.applied) {
      const decoded = decodeSeq(this.tag, e.fields[SEQ_FIELD], this.issued());
      if (!decoded) continue;
      if (!this.applied.add(decoded[0])) this.duplicatesApplied++;
      this.applyLatency.record(batch.processedAt - decoded[1]);
    }
  };
}
