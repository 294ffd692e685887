import {
  type Attributes,
  context,
  defaultTextMapGetter,
  isSpanContextValid,
  type Link,
  propagation,
  ROOT_CONTEXT,
  type Span,
  type SpanContext,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import type { BatchUpsertResult, CrmApi, RecordInput, VendorEvent } from '../vendors/types.js';

/**
 * The pipeline's spans, written against @opentelemetry/api only. Until tracing.ts registers an
 * SDK, `tracingOn` is false and every call site skips these helpers: the receiver's hot path
 * then allocates nothing for tracing (bench/receiver.bench.js).
 *
 * One change, end to end:
 *   crm.api.write (poc) -> crm.api.request (CLIENT, sends traceparent)
 *                       -> crm.vendor.event (PRODUCER: vendor occurredAt .. our receipt)
 *                            -> crm.event.process (CONSUMER: applied to the local store)
 *   crm.webhook.receive (SERVER, one per delivery; links to each write it carried)
 *     -> crm.webhook.verify, crm.inbox.enqueue
 */

export let tracingOn = false;

export function setTracingOn(on: boolean): void {
  tracingOn = on;
}

export const tracer = trace.getTracer('poc', '0.1.0');

/**
 * The canonical record field the scenarios write a per-change token into (webhook-storm's
 * `tag:seq:...`). Vendors echo it in their events: no CRM propagates W3C trace context on
 * webhooks (shared/vendors.md), so this token, read back from the wire, is how a receipt finds
 * the write that caused it.
 */
export const CORRELATION_FIELD = 'poc_seq';

/** Entries kept per map: a storm of 30 s at 1000 events/s stays well inside, memory stays bounded. */
const MAX_ENTRIES = 200_000;

/** Insertion-ordered map that forgets its oldest entries past `MAX_ENTRIES`. */
class BoundedMap<V> extends Map<string, V> {
  override set(key: string, value: V): this {
    super.set(key, value);
    if (this.size > MAX_ENTRIES) {
      const oldest = this.keys().next();
      if (!oldest.done) this.delete(oldest.value);
    }
    return this;
  }
}

/** Correlation token -> the write span that sent it. */
const writes = new BoundedMap<SpanContext>();
/** Event identity -> its crm.vendor.event span, until the processor applies it. */
const pending = new BoundedMap<SpanContext>();

export type CorrelationVia = 'record_field' | 'traceparent' | 'none';

/** What the receiver learnt about one event of a delivery (duplicates included). */
export interface EventTrace {
  readonly event: VendorEvent;
  readonly duplicate: boolean;
  readonly via: CorrelationVia;
  /** The trace of the write that caused it, when correlated. */
  readonly writeTraceId: string | undefined;
  /** The trace context the delivery itself carried (a vendor that propagates it). */
  readonly propagated: SpanContext | undefined;
}

type EventTraceListener = (e: EventTrace) => void;
const listeners = new Set<EventTraceListener>();

/** Hears about every traced event; returns the unsubscribe. */
export function onEventTraced(listener: EventTraceListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Wraps an adapter's batchUpsert in a crm.api.write span that remembers its correlation tokens. */
export function traceWrites(vendor: string, api: CrmApi): CrmApi {
  const upsert = api.batchUpsert;
  return {
    ...api,
    batchUpsert(objectType: string, inputs: readonly RecordInput[]): Promise<BatchUpsertResult> {
      if (!tracingOn) return upsert(objectType, inputs);
      return tracer.startActiveSpan(
        'crm.api.write',
        {
          kind: SpanKind.INTERNAL,
          attributes: {
            'crm.vendor': vendor,
            'crm.object_type': objectType,
            'crm.records_count': inputs.length,
            ...runAttributes,
          },
        },
        async (span) => {
          const sc = span.spanContext();
          for (const input of inputs) {
            const token = input.fields[CORRELATION_FIELD];
            if (token !== undefined) writes.set(token, sc);
          }
          try {
            const result = await upsert(objectType, inputs);
            span.setAttributes({ 'crm.records_failed_count': result.errors });
            return result;
          } catch (err) {
            failed(span, err);
            throw err;
          } finally {
            span.end();
          }
        },
      );
    },
  };
}

/** A CLIENT span for one vendor API call (retries included) and the headers that carry it. */
export function startRequestSpan(
  operation: string,
  method: string,
  baseUrl: string,
  path: string,
): { span: Span; headers: Record<string, string> } {
  const url = new URL(baseUrl);
  // The path only: some vendors take credentials in the query string.
  const span = tracer.startSpan(`crm.api.request ${operation}`, {
    kind: SpanKind.CLIENT,
    attributes: {
      'crm.operation': operation,
      'http.request.method': method,
      'server.address': url.hostname,
      'url.path': `${url.pathname.replace(/\/$/, '')}${path.split('?')[0]}`,
      ...runAttributes,
    },
  });
  const headers: Record<string, string> = {};
  propagation.inject(trace.setSpan(context.active(), span), headers);
  return { span, headers };
}

export function endRequestSpan(span: Span, status: number | undefined, retries: number, err?: unknown): void {
  if (status !== undefined) span.setAttribute('http.response.status_code', status);
  span.setAttribute('crm.retries_count', retries);
  if (err !== undefined) failed(span, err);
  else if (status !== undefined && status >= 400) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}

/** One webhook delivery through the receiver: receipt, verification, queueing. */
export class DeliveryTrace {
  private readonly span: Span;
  private readonly ctx;
  private readonly propagated: SpanContext | undefined;
  private verifySpan: Span | undefined;
  private enqueueSpan: Span | undefined;

  constructor(
    private readonly vendor: string,
    path: string,
    headers: Readonly<Record<string, string | string[] | undefined>>,
  ) {
    // A vendor that propagates trace context makes the receipt part of the write's trace.
    const parent = propagation.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
    const remote = trace.getSpanContext(parent);
    this.propagated = remote && isSpanContextValid(remote) ? remote : undefined;
    this.span = tracer.startSpan(
      'crm.webhook.receive',
      {
        kind: SpanKind.SERVER,
        attributes: {
          'crm.vendor': vendor,
          'http.request.method': 'POST',
          'http.route': path,
          'crm.trace_context_received': this.propagated !== undefined,
          ...runAttributes,
        },
      },
      parent,
    );
    this.ctx = trace.setSpan(parent, this.span);
  }

  verifyStart(): void {
    this.verifySpan = tracer.startSpan(
      'crm.webhook.verify',
      { attributes: { 'crm.vendor': this.vendor } },
      this.ctx,
    );
  }

  verifyEnd(ok: boolean, reason: string | undefined): void {
    const span = this.verifySpan;
    if (!span) return;
    span.setAttribute('crm.verify_ok', ok);
    if (reason !== undefined) span.setAttribute('crm.verify_reason', reason);
    if (!ok) span.setStatus({ code: SpanStatusCode.ERROR, message: 'signature refused' });
    span.end();
  }

  enqueueStart(events: number): void {
    this.enqueueSpan = tracer.startSpan(
      'crm.inbox.enqueue',
      { attributes: { 'crm.vendor': this.vendor, 'crm.events_count': events } },
      this.ctx,
    );
  }

  /** The delivery is durable: one crm.vendor.event span per first-seen event, in its write's trace. */
  enqueued(events: readonly VendorEvent[], fresh: readonly VendorEvent[], receivedAt: number): void {
    this.enqueueSpan?.setAttributes({ 'crm.fresh_count': fresh.length });
    this.enqueueSpan?.end();
    const freshKeys = new Set(fresh.map((e) => e.key));
    const links: Link[] = [];
    for (const event of events) {
      const duplicate = !freshKeys.has(event.key);
      const token = event.fields[CORRELATION_FIELD];
      const written = token === undefined ? undefined : writes.get(token);
      const via: CorrelationVia = written ? 'record_field' : this.propagated ? 'traceparent' : 'none';
      const origin = written ?? this.propagated;
      if (origin && links.length < 128) links.push({ context: origin });
      if (!duplicate) {
        const parent = origin ? trace.setSpanContext(ROOT_CONTEXT, origin) : this.ctx;
        const span = tracer.startSpan(
          'crm.vendor.event',
          {
            kind: SpanKind.PRODUCER,
            // The vendor's own clock: the span covers its queueing and delivery, retries included.
            startTime: Math.min(event.occurredAt, receivedAt),
            attributes: {
              ...eventAttributes(this.vendor, event),
              'crm.correlation': via,
              ...(token === undefined ? {} : { 'crm.correlation_id': token }),
              ...runAttributes,
            },
            links: [{ context: this.span.spanContext() }],
          },
          parent,
        );
        span.end(receivedAt);
        pending.set(event.key, span.spanContext());
      }
      if (listeners.size > 0) {
        const e: EventTrace = {
          event,
          duplicate,
          via,
          writeTraceId: origin?.traceId,
          propagated: this.propagated,
        };
        for (const listener of listeners) listener(e);
      }
    }
    this.span.addLinks(links);
    this.span.setAttributes({ 'crm.events_count': events.length, 'crm.fresh_count': fresh.length });
  }

  end(status: number, reason?: string): void {
    this.enqueueSpan?.end();
    this.span.setAttribute('http.response.status_code', status);
    if (reason !== undefined) this.span.setAttribute('crm.rejected_reason', reason);
    if (status >= 500) this.span.setStatus({ code: SpanStatusCode.ERROR });
    this.span.end();
  }
}

/** The processor applied (or dead-lettered) a batch: one crm.event.process span per event. */
export function traceProcessed(
  vendor: string,
  applied: readonly VendorEvent[],
  startedAt: number,
  endedAt: number,
): void {
  for (const event of applied) {
    const origin = pending.get(event.key);
    pending.delete(event.key);
    const span = tracer.startSpan(
      'crm.event.process',
      {
        kind: SpanKind.CONSUMER,
        startTime: startedAt,
        attributes: { ...eventAttributes(vendor, event), 'crm.outcome': 'applied', ...runAttributes },
      },
      origin ? trace.setSpanContext(ROOT_CONTEXT, origin) : ROOT_CONTEXT,
    );
    span.end(endedAt);
  }
}

let runAttributes: Attributes = {};

/** Adds attributes every span of this process carries from now on (the run id, once known). */
export function setRunAttributes(attributes: Attributes): void {
  runAttributes = { ...runAttributes, ...attributes };
}

function eventAttributes(vendor: string, event: VendorEvent): Attributes {
  return {
    'crm.vendor': vendor,
    'crm.event_id': event.key,
    'crm.event_type': event.type,
    'crm.object_id': event.objectId,
    'crm.event_attempt': event.attempt,
  };
}

/** The error's code or name only: messages can quote vendor answers, which may echo credentials. */
function failed(span: Span, err: unknown): void {
  const e = err as { code?: unknown; name?: unknown } | undefined;
  const kind = typeof e?.code === 'string' ? e.code : typeof e?.name === 'string' ? e.name : 'error';
  span.setStatus({ code: SpanStatusCode.ERROR, message: kind });
}

/** Drops what the maps remember (between runs in one process, and in tests). */
export function resetCorrelation(): void {
  writes.clear();
  pending.clear();
}
