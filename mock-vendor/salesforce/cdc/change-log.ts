import { randomUUID } from 'node:crypto';

/** The CDC channels a Contact change is published on (shared/vendors.md §2.5). */
export const CONTACT_CHANNEL = '/data/ContactChangeEvent';
export const ALL_CHANGES_CHANNEL = '/data/ChangeEvents';

export type ChangeType = 'CREATE' | 'UPDATE' | 'DELETE';

export interface ChangeEventHeader {
  readonly entityName: string;
  readonly recordIds: readonly string[];
  readonly changeType: ChangeType;
  readonly changeOrigin: string;
  readonly transactionKey: string;
  readonly sequenceNumber: number;
  readonly commitTimestamp: number;
  readonly commitNumber: number;
  readonly commitUser: string;
  readonly changedFields: readonly string[];
  readonly diffFields: readonly string[];
  readonly nulledFields: readonly string[];
}

/** One stored change event, as a CometD subscriber receives it under `data`. */
export interface ChangeEvent {
  readonly replayId: number;
  readonly createdAt: number;
  readonly data: {
    readonly schema: string;
    readonly payload: Readonly<Record<string, unknown>> & { readonly ChangeEventHeader: ChangeEventHeader };
    readonly event: { readonly replayId: number; readonly EventUuid: string };
  };
}

export interface ChangeLogOptions {
  /** How long events stay replayable: 72 h at Salesforce. */
  readonly retentionMs: number;
  /** A bound on memory for long storms; Salesforce documents only the time bound. */
  readonly maxEvents: number;
  readonly commitUser: string;
}

/**
 * The org's change event bus for Contact: every committed change gets the next replayId and stays
 * replayable for the retention period. Subscribers hear new events as they are published.
 */
export class ChangeLog {
  private events: ChangeEvent[] = [];
  private head = 0;
  private nextReplayId = 1;
  private commitNumber = 10_000_000;
  private readonly listeners = new Set<(event: ChangeEvent) => void>();

  constructor(private readonly options: ChangeLogOptions) {}

  publish(
    changeType: ChangeType,
    recordId: string,
    fields: Readonly<Record<string, unknown>>,
    changedFields: readonly string[],
    now: number,
  ): ChangeEvent {
    const header: ChangeEventHeader = {
      entityName: 'Contact',
      recordIds: [recordId],
      changeType,
      // Empty unless the writing client names itself (Sforce-Call-Options client=...).
      changeOrigin: '',
      transactionKey: randomUUID(),
      sequenceNumber: 1,
      commitTimestamp: now,
      commitNumber: this.commitNumber++,
      commitUser: this.options.commitUser,
      changedFields,
      diffFields: [],
      nulledFields: changedFields.filter((f) => fields[f] === null),
    };
    const replayId = this.nextReplayId++;
    const event: ChangeEvent = {
      replayId,
      createdAt: now,
      data: {
        schema: 'poc-mock-ContactChangeEvent',
        payload: { ChangeEventHeader: header, ...fields },
        event: { replayId, EventUuid: randomUUID() },
      },
    };
    this.events.push(event);
    this.prune(now);
    for (const listener of this.listeners) listener(event);
    return event;
  }

  /** The retained events after `replayId` (-2: all retained), oldest first. */
  since(replayId: number, now: number): ChangeEvent[] {
    this.prune(now);
    const out: ChangeEvent[] = [];
    for (let i = this.head; i < this.events.length; i++) {
      const e = this.events[i] as ChangeEvent;
      if (replayId === -2 || e.replayId > replayId) out.push(e);
    }
    return out;
  }

  /** Whether a replayId can be resumed from: it is retained, or it is the newest ever issued. */
  isReplayable(replayId: number, now: number): boolean {
    this.prune(now);
    const oldest = this.events[this.head]?.replayId ?? this.nextReplayId;
    return replayId >= oldest - 1 && replayId < this.nextReplayId;
  }

  listen(listener: (event: ChangeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private prune(now: number): void {
    const cutoff = now - this.options.retentionMs;
    while (this.head < this.events.length) {
      const e = this.events[this.head] as ChangeEvent;
      if (e.createdAt >= cutoff && this.events.length - this.head <= this.options.maxEvents) break;
      this.head++;
    }
    if (this.head > 4096 && this.head * 2 > this.events.length) {
      this.events = this.events.slice(this.head);
      this.head = 0;
    }
  }
}
