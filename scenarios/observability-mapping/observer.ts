import { CORRELATION_FIELD, type EventTrace } from '../../harness/telemetry/trace-spans.js';
import type { VendorEvent } from '../../harness/vendors/types.js';

/** What came back, per change token, from the receiver's traces and the processor. */
export class CorrelationObserver {
  /** token -> the trace its write ran in. */
  readonly writeTrace = new Map<string, string>();
  readonly received = new Set<string>();
  readonly correlated = new Set<string>();
  readonly processed = new Set<string>();
  readonly via = new Map<string, number>();
  /** event identity -> the first token seen with it. */
  private readonly keyOwner = new Map<string, string>();
  collisions = 0;
  unattributed = 0;
  eventsSeen = 0;
  eventsWithId = 0;
  propagated = 0;

  constructor(private readonly prefix: string) {}

  private token(event: VendorEvent): string | undefined {
    const value = event.fields[CORRELATION_FIELD];
    return value?.startsWith(this.prefix) ? value : undefined;
  }

  onTraced = (t: EventTrace): void => {
    const token = this.token(t.event);
    if (token === undefined) {
      if (!t.duplicate) this.unattributed++;
      return;
    }
    const expected = this.writeTrace.get(token);
    if (expected === undefined) return;
    this.eventsSeen++;
    if (t.event.key.length > 0) this.eventsWithId++;
    const owner = this.keyOwner.get(t.event.key);
    if (owner === undefined) this.keyOwner.set(t.event.key, token);
    else if (owner !== token) this.collisions++;
    if (t.propagated?.traceId === expected) this.propagated++;
    if (t.duplicate) return;
    this.received.add(token);
    this.via.set(t.via, (this.via.get(t.via) ?? 0) + 1);
    if (t.writeTraceId === expected) this.correlated.add(token);
  };

  onProcessed = (batch: { applied: readonly VendorEvent[] }): void => {
    for (const e of batch.applied) {
      const token = this.token(e);
      if (token !== undefined) this.processed.add(token);
    }
  };
}
