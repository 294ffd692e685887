import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type EventTrace, onEventTraced, tracer } from '../../harness/telemetry/trace-spans.js';
import { shutdownTracing, startTracing } from '../../harness/telemetry/tracing.js';
import { hubspotApi } from '../../harness/vendors/hubspot/api.js';
import { hubspot } from '../../harness/vendors/hubspot/index.js';
import { signV3 } from '../../harness/vendors/hubspot/signature.js';
import { startReceiverFor } from '../helpers/servers.js';
import { waitUntil } from '../helpers/wait.js';

const SECRET = 'trace-context-secret';

/** A vendor API stand-in that records the headers of every upsert it receives. */
async function startRecordingApi() {
  const seen: Record<string, string | string[] | undefined>[] = [];
  const app: FastifyInstance = Fastify({ logger: false });
  app.post('/crm/v3/objects/contacts/batch/upsert', async (req) => {
    seen.push(req.headers);
    return { status: 'COMPLETE', results: [{ id: '1', new: false }] };
  });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return { seen, address, close: () => app.close() };
}

const INPUT = [{ externalId: 'a@poc.example', fields: { poc_seq: 'trace-context-1' } }];

describe('W3C trace context on the wire', () => {
  let api: Awaited<ReturnType<typeof startRecordingApi>>;
  // Each test starts with tracing off and an API that has seen nothing.
  beforeEach(async () => {
    api = await startRecordingApi();
  });
  afterEach(async () => {
    await shutdownTracing();
    await api.close();
  });

  it('sends no traceparent while tracing is off', async () => {
    expect.assertions(2);
    await hubspotApi({ baseUrl: api.address, token: 't' }).batchUpsert('contacts', INPUT);
    expect(api.seen).toHaveLength(1);
    expect(api.seen[0]?.traceparent).toBeUndefined();
  });

  it('sends the traceparent of the write on the API call, in the caller’s trace', async () => {
    expect.assertions(2);
    await startTracing(undefined, true);
    const client = hubspotApi({ baseUrl: api.address, token: 't' });
    const traceId = await tracer.startActiveSpan('test.write', async (span) => {
      await client.batchUpsert('contacts', INPUT);
      span.end();
      return span.spanContext().traceId;
    });
    const header = String(api.seen.at(-1)?.traceparent);
    expect(header).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(header.split('-')[1]).toBe(traceId);
  });

  it('reads the traceparent back when a delivery carries one (a vendor that propagates it)', async () => {
    expect.assertions(3);
    await startTracing(undefined, true);
    const receiver = await startReceiverFor(hubspot, [SECRET]);
    const traced: EventTrace[] = [];
    const off = onEventTraced((t) => traced.push(t));
    try {
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const body = JSON.stringify([
        {
          eventId: 7,
          subscriptionId: 1,
          portalId: 62515,
          appId: 54321,
          occurredAt: Date.now(),
          subscriptionType: 'contact.propertyChange',
          attemptNumber: 0,
          objectId: 1001,
          changeSource: 'API',
          propertyName: 'poc_seq',
          propertyValue: 'not-written-by-this-process',
        },
      ]);
      const timestamp = Date.now();
      const res = await fetch(receiver.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-hubspot-signature-v3': signV3(SECRET, { method: 'POST', url: receiver.url, body, timestamp }),
          'x-hubspot-request-timestamp': String(timestamp),
          traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
        },
        body,
      });
      expect(res.status).toBe(200);
      await waitUntil(() => traced.length > 0);
      expect(traced[0]?.via).toBe('traceparent');
      expect(traced[0]?.propagated?.traceId).toBe(traceId);
    } finally {
      off();
      await receiver.close();
    }
  });
});
