import { isUtf8 } from 'node:buffer';
import Fastify, { type FastifyInstance } from 'fastify';
import type { PipelineMetrics } from '../telemetry/metrics.js';
import { DeliveryTrace, tracingOn } from '../telemetry/trace-spans.js';
import {
  MalformedDeliveryError,
  TooManyEventsError,
  type VendorEvent,
  type WebhookScheme,
} from '../vendors/types.js';
import { guardDelivery, notFound } from './delivery-guard.js';
import type { Inbox } from './inbox.js';
import { refusalForError, refuse } from './refusal.js';

export interface ReceiverOptions {
  readonly scheme: WebhookScheme;
  readonly inbox: Inbox;
  readonly metrics: PipelineMetrics;
  readonly path: string;
  /** The vendor id, for span attributes. */
  readonly vendor?: string;
  /** The public base URL the vendor posts to (scheme + host); the Host header otherwise. */
  readonly publicBaseUrl?: string;
  readonly bodyLimit?: number;
  /** Called once a delivery is durable, with its first-seen events and its duplicate count. */
  readonly onAccepted?: (events: readonly VendorEvent[], receivedAt: number, duplicates: number) => void;
  /** While true the receiver answers 503 to every delivery, as a load balancer does for a down service. */
  readonly isDown?: () => boolean;
}

/**
 * The reference webhook receiver: verify the signature over the raw bytes, parse, dedupe and
 * enqueue durably, then answer 200. Every refusal is counted (status and reason) and answered
 * `{error, reason}`: 404 for another spelling of the path, 415 for a content type the vendor never
 * sends, 413 for a body over the limit or more events than the vendor puts in one delivery, 401
 * for a failed signature, 400 for a body that is not UTF-8 or not well formed, 503 when the queue
 * cannot commit (the vendor retries). Never throws to Fastify.
 */
export function buildReceiver(options: ReceiverOptions): FastifyInstance {
  const bodyLimit = options.bodyLimit ?? 5 * 1024 * 1024;
  const app = Fastify({ logger: false, bodyLimit });
  // Signatures are computed over the exact bytes sent: keep them, never re-serialise parsed JSON.
  app.removeAllContentTypeParsers();
  const keepBytes = (_req: unknown, body: Buffer, done: (err: null, body: Buffer) => void) =>
    done(null, body);
  // Registered by name as well as '*': Fastify caches a named parser per content type, while the
  // catch-all parses the content-type header afresh on every request.
  for (const type of options.scheme.contentTypes)
    app.addContentTypeParser(type, { parseAs: 'buffer' }, keepBytes);
  app.addContentTypeParser('*', { parseAs: 'buffer' }, keepBytes);
  const { metrics, scheme, inbox } = options;
  const vendor = options.vendor ?? options.path.split('/').pop() ?? '';
  const retries = metrics.retries;
  // Bound once: label lookup per request is measurable on the hot path (bench/receiver.bench.js).
  const accepted200 = metrics.requests.labels({ status: '200', reason: '' });
  app.setErrorHandler((err, req, reply) => {
    const refusal = refusalForError(err, bodyLimit);
    if (req.routeOptions.url === options.path) return refuse(reply, metrics, refusal);
    return reply
      .code(refusal.status)
      .send({ error: refusal.error, reason: refusal.detail ?? refusal.reason });
  });

  const noRoute = notFound(options.path, 'no_route');
  app.setNotFoundHandler((_req, reply) => refuse(reply, metrics, noRoute));

  const onRequest = guardDelivery({
    path: options.path,
    contentTypes: scheme.contentTypes,
    vendor,
    bodyLimit,
    metrics,
  });

  app.post(options.path, { onRequest }, async (req, reply) => {
    if (options.isDown?.()) {
      metrics.requests.inc({ status: '503', reason: 'down' });
      return reply.code(503).header('retry-after', '60').send({ error: 'receiver down, retry later' });
    }
    const receivedAt = Date.now();
    const traced = tracingOn ? new DeliveryTrace(vendor, options.path, req.headers) : undefined;
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const base = options.publicBaseUrl ?? `${req.protocol}://${req.headers.host ?? req.hostname}`;
    traced?.verifyStart();
    const verdict = scheme.verify(
      { method: req.method, url: `${base}${req.url}`, headers: req.headers, body },
      receivedAt,
    );
    traced?.verifyEnd(verdict.ok, verdict.ok ? undefined : verdict.reason);
    if (!verdict.ok) {
      traced?.end(401, verdict.reason);
      return refuse(reply, metrics, { status: 401, reason: verdict.reason, error: 'invalid signature' });
    }
    // After verification, so a sender without the secret learns nothing more than its 401; before
    // parsing, which would read each invalid sequence as U+FFFD and store text nobody sent.
    if (!isUtf8(body)) {
      traced?.end(400, 'invalid_utf8');
      return refuse(reply, metrics, {
        status: 400,
        reason: 'invalid_utf8',
        error: 'malformed delivery',
        detail: 'the body is not valid UTF-8',
      });
    }
    let events: VendorEvent[];
    try {
      events = scheme.parse(body);
    } catch (err) {
      if (err instanceof TooManyEventsError) {
        traced?.end(413, 'too_many_events');
        return refuse(reply, metrics, {
          status: 413,
          reason: 'too_many_events',
          error: 'too many events',
          detail: err.message,
        });
      }
      traced?.end(400, 'malformed');
      return refuse(reply, metrics, {
        status: 400,
        reason: 'malformed',
        error: 'malformed delivery',
        detail: err instanceof MalformedDeliveryError ? err.message : 'unparseable body',
      });
    }
    let fresh: readonly VendorEvent[];
    let duplicates: number;
    traced?.enqueueStart(events.length);
    try {
      ({ fresh, duplicates } = await inbox.append(events, receivedAt));
    } catch (err) {
      traced?.end(err instanceof MalformedDeliveryError ? 400 : 503, 'queue');
      if (err instanceof MalformedDeliveryError) {
        return refuse(reply, metrics, {
          status: 400,
          reason: 'malformed',
          error: 'malformed delivery',
          detail: err.message,
        });
      }
      metrics.requests.inc({ status: '503', reason: 'queue_unavailable' });
      return reply.code(503).send({ error: 'queue unavailable, retry later' });
    }
    traced?.enqueued(events, fresh, receivedAt);
    accepted200.inc();
    metrics.events.inc(fresh.length);
    if (duplicates > 0) metrics.duplicates.inc(duplicates);
    let retried = 0;
    for (const e of events) {
      if (e.attempt > 0) retried++;
      metrics.deliveryLatency.observe(Math.max(0, receivedAt - e.occurredAt) / 1000);
    }
    if (retried > 0) retries.inc(retried);
    try {
      options.onAccepted?.(fresh, receivedAt, duplicates);
    } catch {
      // The delivery is durable: an observer's failure must not turn it into a 500 and a retry.
    }
    traced?.end(200);
    const ack = scheme.acknowledge?.();
    if (ack) return reply.code(200).type(ack.contentType).send(ack.body);
    return reply.code(200).send({ accepted: fresh.length, duplicates });
  });

  app.get('/metrics', async (_req, reply) => {
    metrics.queueDepth.set(inbox.depth);
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.get('/healthz', async () => ({ ok: true }));
  return app;
}
