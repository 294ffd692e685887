import Fastify, { type FastifyInstance } from 'fastify';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { standardApi } from '../../harness/vendors/standard/api.js';
import { standard } from '../../harness/vendors/standard/index.js';
import { signV1 } from '../../harness/vendors/standard/signature.js';
import type { StartedMock } from '../helpers/servers.js';
import { startMockStandard, startStandardReceiver, waitUntil } from '../helpers/standard.js';

const SEQ_SUBSCRIPTION = { objectType: 'contacts', actions: ['update'], fields: ['poc_seq'] } as const;

interface Captured {
  headers: Record<string, string>;
  body: string;
  status: number;
}

/** A bare endpoint that records every request and answers what `respond` says (200 by default). */
async function startCapture(respond: (req: Captured, index: number) => number = () => 200) {
  const app: FastifyInstance = Fastify({ logger: false });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  const seen: Captured[] = [];
  app.post('/hook', async (req, reply) => {
    const captured: Captured = {
      headers: req.headers as Record<string, string>,
      body: (req.body as Buffer).toString('utf8'),
      status: 0,
    };
    captured.status = respond(captured, seen.length);
    seen.push(captured);
    return reply.code(captured.status).send();
  });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return { seen, url: `${address}/hook`, close: () => app.close() };
}

async function truthOf(mock: StartedMock) {
  return (await (await fetch(`${mock.url}/__admin/truth`)).json()) as Record<string, number>;
}

describe('mock Standard Webhooks CRM: deliveries', () => {
  let mock: StartedMock;
  beforeEach(async () => {
    mock = await startMockStandard();
  });
  afterEach(async () => {
    await mock.close();
  });

  it('signs each message so that the official standardwebhooks library verifies it', async () => {
    expect.assertions(7);
    const capture = await startCapture();
    try {
      await standardApi({
        baseUrl: mock.url,
        token: mock.token,
        webhookSecret: mock.secret,
      }).configureWebhooks(capture.url, { ...SEQ_SUBSCRIPTION, actions: ['create', 'update'] });
      await fetch(`${mock.url}/__admin/firehose`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ inputs: [{ externalId: 'ada@example.com', fields: { poc_seq: '1' } }] }),
      });
      await waitUntil(() => capture.seen.length === 1);
      const [request] = capture.seen;
      expect(request?.headers['webhook-id']).toMatch(/^msg_[0-9a-f]{32}$/);
      expect(request?.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
      const payload = new Webhook(mock.secret).verify(request?.body ?? '', request?.headers ?? {}) as {
        type: string;
        data: { external_id: string; custom_fields: Record<string, string> };
      };
      expect(payload.type).toBe('contact.created');
      expect(payload.data.external_id).toBe('ada@example.com');
      expect(payload.data.custom_fields.poc_seq).toBe('1');
      // poc's own sign() (used by the bench and the signature-check scenario) verifies there too.
      const body = '{"type":"contact.updated","timestamp":"2026-11-23T00:00:00Z","data":{"id":"1"}}';
      const headers = standard.webhooks({ secrets: [mock.secret] }).sign({
        method: 'POST',
        url: capture.url,
        body,
        timestamp: Date.now(),
      });
      expect(new Webhook(mock.secret).verify(body, headers)).toMatchObject({ type: 'contact.updated' });
      expect(() => new Webhook(mock.secret).verify(`${body} `, headers)).toThrow(/No matching signature/);
    } finally {
      await capture.close();
    }
  });

  it('keeps webhook-id and the body across retries, with a fresh timestamp and signature', async () => {
    // The first attempt of every message fails; the retry (5 s / timeScale 1000) succeeds.
    const firstSeen = new Set<string>();
    const capture = await startCapture((req) => {
      const id = req.headers['webhook-id'] ?? '';
      if (firstSeen.has(id)) return 200;
      firstSeen.add(id);
      return 503;
    });
    try {
      const api = standardApi({ baseUrl: mock.url, token: mock.token, webhookSecret: mock.secret });
      await api.configureWebhooks(capture.url, SEQ_SUBSCRIPTION);
      await fetch(`${mock.url}/__admin/firehose`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ inputs: [{ externalId: 'r@x.io', fields: { poc_seq: '0' } }] }),
      });
      await api.batchUpsert('contacts', [{ externalId: 'r@x.io', fields: { poc_seq: '1' } }]);
      await waitUntil(() => capture.seen.length === 2);
      const [first, retry] = capture.seen;
      expect(first?.status).toBe(503);
      expect(retry?.status).toBe(200);
      expect(retry?.headers['webhook-id']).toBe(first?.headers['webhook-id']);
      expect(retry?.body).toBe(first?.body);
      expect(Number(retry?.headers['webhook-timestamp'])).toBeGreaterThanOrEqual(
        Number(first?.headers['webhook-timestamp']),
      );
      expect(new Webhook(mock.secret).verify(retry?.body ?? '', retry?.headers ?? {})).toMatchObject({
        type: 'contact.updated',
      });
      expect(await truthOf(mock)).toMatchObject({ emitted: 1, acknowledged: 1, failedAttempts: 1 });
    } finally {
      await capture.close();
    }
  });

  it('delivers one message per POST that the reference receiver verifies, dedupes and applies', async () => {
    const receiver = await startStandardReceiver([mock.secret]);
    try {
      const api = standardApi({ baseUrl: mock.url, token: mock.token, webhookSecret: mock.secret });
      await api.configureWebhooks(receiver.url, SEQ_SUBSCRIPTION);
      const sizes: number[] = [];
      const seqs = new Set<string>();
      receiver.pipeline.events.on('accepted', (events) => {
        sizes.push(events.length);
        for (const e of events) if (e.fields.poc_seq) seqs.add(e.fields.poc_seq);
      });
      // Created before: the updates below are what the endpoint is subscribed to.
      await api.batchUpsert(
        'contacts',
        Array.from({ length: 100 }, (_, i) => ({ externalId: `p${i}@x.io`, fields: { firstname: `P${i}` } })),
      );
      const result = await api.batchUpsert(
        'contacts',
        Array.from({ length: 100 }, (_, i) => ({ externalId: `P${i}@X.io`, fields: { poc_seq: `s${i}` } })),
      );
      expect(result).toEqual({ created: 0, updated: 100, errors: 0 });
      await waitUntil(() => seqs.size === 100);
      expect(Math.max(...sizes)).toBe(1);
      // The first batch created contacts (no contact.created subscription) and set no poc_seq.
      expect(sizes.length).toBe(100);
      expect(await truthOf(mock)).toMatchObject({ emitted: 100, acknowledged: 100, dropped: 0 });
      const metrics = await (await fetch(`${receiver.address}/metrics`)).text();
      expect(metrics).not.toMatch(/status="401"/);
    } finally {
      await receiver.close();
    }
  });

  it('rotates an endpoint secret with zero downtime: both keys sign during the overlap', async () => {
    const capture = await startCapture();
    try {
      const api = standardApi({ baseUrl: mock.url, token: mock.token, webhookSecret: mock.secret });
      await api.configureWebhooks(capture.url, { ...SEQ_SUBSCRIPTION, actions: ['create'] });
      const auth = { authorization: `Bearer ${mock.token}`, 'content-type': 'application/json' };
      const listed = (await (await fetch(`${mock.url}/v1/webhook-endpoints`, { headers: auth })).json()) as {
        data: { id: string }[];
      };
      const next = `whsec_${Buffer.from('the next secret, 24 byte').toString('base64')}`;
      const rotated = await fetch(`${mock.url}/v1/webhook-endpoints/${listed.data[0]?.id}/secret/rotate`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ secret: next }),
      });
      expect(((await rotated.json()) as { secret: string }).secret).toBe(next);
      await api.batchUpsert('contacts', [{ externalId: 'rot@x.io', fields: { poc_seq: '1' } }]);
      await waitUntil(() => capture.seen.length === 1);
      const [request] = capture.seen;
      expect(request?.headers['webhook-signature']?.split(' ')).toHaveLength(2);
      // A receiver still on the old secret and one already on the new secret both verify it.
      for (const secret of [mock.secret, next]) {
        expect(new Webhook(secret).verify(request?.body ?? '', request?.headers ?? {})).toMatchObject({
          type: 'contact.created',
        });
      }
    } finally {
      await capture.close();
    }
  });

  it('disables an endpoint that answers 410 Gone and holds its messages until it is re-enabled', async () => {
    let gone = true;
    const capture = await startCapture(() => (gone ? 410 : 200));
    try {
      const api = standardApi({ baseUrl: mock.url, token: mock.token, webhookSecret: mock.secret });
      await api.configureWebhooks(capture.url, SEQ_SUBSCRIPTION);
      const auth = { authorization: `Bearer ${mock.token}`, 'content-type': 'application/json' };
      await api.batchUpsert('contacts', [{ externalId: 'g@x.io', fields: { poc_seq: '0' } }]);
      await api.batchUpsert('contacts', [{ externalId: 'g@x.io', fields: { poc_seq: '1' } }]);
      await waitUntil(() => capture.seen.length === 1);
      const listed = (await (await fetch(`${mock.url}/v1/webhook-endpoints`, { headers: auth })).json()) as {
        data: { id: string; disabled: boolean; disabled_reason?: string }[];
      };
      const endpoint = listed.data[0];
      expect(endpoint).toMatchObject({ disabled: true, disabled_reason: 'gone' });
      // Well past the first retries (5 s and 5 min, compressed 1000 times): nothing more was sent.
      await new Promise((r) => setTimeout(r, 400));
      expect(capture.seen).toHaveLength(1);
      expect((await truthOf(mock)).pending).toBe(1);
      // A disabled endpoint gets no new messages either.
      await api.batchUpsert('contacts', [{ externalId: 'g@x.io', fields: { poc_seq: '2' } }]);
      gone = false;
      const patched = await fetch(`${mock.url}/v1/webhook-endpoints/${endpoint?.id}`, {
        method: 'PATCH',
        headers: auth,
        body: JSON.stringify({ disabled: false }),
      });
      expect(await patched.json()).toMatchObject({ disabled: false });
      await api.batchUpsert('contacts', [{ externalId: 'g@x.io', fields: { poc_seq: '3' } }]);
      await waitUntil(() => capture.seen.filter((c) => c.status === 200).length === 2);
      const delivered = capture.seen
        .filter((c) => c.status === 200)
        .map(
          (c) => (JSON.parse(c.body) as { data: { custom_fields: { poc_seq: string } } }).data.custom_fields,
        );
      expect(delivered.map((f) => f.poc_seq).sort()).toEqual(['1', '3']);
    } finally {
      await capture.close();
    }
  });
});

describe('the reference receiver and the official standardwebhooks library', () => {
  const secret = `whsec_${Buffer.from('a receiver secret of 32 bytes!!!').toString('base64')}`;
  const body = JSON.stringify({
    type: 'contact.updated',
    timestamp: new Date().toISOString(),
    data: { id: '42', email: 'lib@example.com', custom_fields: { poc_seq: '9:9:9' } },
  });

  it('accepts a message the library signed, keyed by its webhook-id', async () => {
    const receiver = await startStandardReceiver([secret]);
    try {
      const keys: string[] = [];
      receiver.pipeline.events.on('accepted', (events) => keys.push(...events.map((e) => e.key)));
      const id = 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W';
      const now = new Date();
      const headers = {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': new Webhook(secret).sign(id, now, body),
      };
      const first = await fetch(receiver.url, { method: 'POST', headers, body });
      expect(first.status).toBe(200);
      expect(await first.json()).toEqual({ accepted: 1, duplicates: 0 });
      const again = await fetch(receiver.url, { method: 'POST', headers, body });
      expect(await again.json()).toEqual({ accepted: 0, duplicates: 1 });
      expect(keys).toEqual([id]);
    } finally {
      await receiver.close();
    }
  });

  it('accepts a rotation header with one stale-key and one valid signature, and only then', async () => {
    const receiver = await startStandardReceiver([secret]);
    try {
      const id = 'msg_rotation';
      const now = new Date();
      const ts = String(Math.floor(now.getTime() / 1000));
      const staleKey = Buffer.from('the key before rotation!');
      const staleEntry = `v1,${signV1(staleKey, id, Number(ts), body)}`;
      const post = (signature: string) =>
        fetch(receiver.url, {
          method: 'POST',
          headers: {
            // What a Standard Webhooks sender sends; another content type is refused 415 first.
            'content-type': 'application/json',
            'webhook-id': id,
            'webhook-timestamp': ts,
            'webhook-signature': signature,
          },
          body,
        });
      const onlyStale = await post(staleEntry);
      expect(onlyStale.status).toBe(401);
      expect(await onlyStale.json()).toMatchObject({ reason: 'bad_signature' });
      const rotated = await post(`${staleEntry} ${new Webhook(secret).sign(id, now, body)}`);
      expect(rotated.status).toBe(200);
    } finally {
      await receiver.close();
    }
  });
});

describe('mock Standard Webhooks CRM: API', () => {
  let mock: StartedMock;
  const auth = () => ({ authorization: `Bearer ${mock.token}`, 'content-type': 'application/json' });
  beforeEach(async () => {
    mock = await startMockStandard({
      settings: { rateLimit: { style: 'fixed', limit: 5, windowMs: 10_000 } },
    });
  });
  afterEach(async () => {
    await mock.close();
  });

  it('counts RateLimit-Remaining down and answers 429 + Retry-After past the limit', async () => {
    const seen: {
      status: number;
      remaining: string | null;
      reset: string | null;
      retryAfter: string | null;
    }[] = [];
    // Windows are aligned on multiples of 10 s: start well inside one so it cannot roll over.
    const msLeft = 10_000 - (Date.now() % 10_000);
    if (msLeft < 2000) await new Promise((r) => setTimeout(r, msLeft + 50));
    for (let i = 0; i < 7; i++) {
      const res = await fetch(`${mock.url}/v1/contacts?limit=1`, { headers: auth() });
      seen.push({
        status: res.status,
        remaining: res.headers.get('ratelimit-remaining'),
        reset: res.headers.get('ratelimit-reset'),
        retryAfter: res.headers.get('retry-after'),
      });
      if (i === 0) {
        expect(res.headers.get('ratelimit-limit')).toBe('5');
        expect(res.headers.get('ratelimit-policy')).toBe('5;w=10');
      }
      if (i === 6) {
        expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(await res.json()).toMatchObject({
          status: 429,
          code: 'rate_limited',
          title: 'Too Many Requests',
        });
      } else await res.arrayBuffer();
    }
    expect(seen.map((s) => s.status)).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(seen.map((s) => s.remaining)).toEqual(['4', '3', '2', '1', '0', '0', '0']);
    for (const s of seen.slice(5)) {
      expect(Number(s.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(s.retryAfter)).toBeLessThanOrEqual(10);
    }
  });

  it('tells rate-limit-probe what the headers claim and when it is throttled', async () => {
    const msLeft = 10_000 - (Date.now() % 10_000);
    if (msLeft < 2000) await new Promise((r) => setTimeout(r, msLeft + 50));
    const api = standardApi({ baseUrl: mock.url, token: mock.token });
    const first = await api.probe?.();
    expect(first).toMatchObject({
      status: 200,
      throttled: false,
      retryAfterMs: undefined,
      advertised: { limit: 5, remaining: 4, windowMs: 10_000 },
    });
    expect(first?.advertised.resetMs).toBeGreaterThan(0);
    for (let i = 0; i < 4; i++) await api.probe?.();
    const over = await api.probe?.();
    expect(over).toMatchObject({ status: 429, throttled: true, advertised: { remaining: 0 } });
    expect(over?.retryAfterMs).toBeGreaterThanOrEqual(1000);
  });

  it('checks access for poc doctor without revealing the secret', async () => {
    const checks = await standardApi({
      baseUrl: mock.url,
      token: mock.token,
      webhookSecret: mock.secret,
    }).checkAccess?.();
    expect(checks?.map((c) => [c.name, c.ok])).toEqual([
      ['contacts api', true],
      ['webhook endpoints api', true],
      ['webhook secret', true],
    ]);
    expect(JSON.stringify(checks)).not.toContain(mock.secret.slice(6));
    const denied = await standardApi({ baseUrl: mock.url, token: 'wrong' }).checkAccess?.();
    expect(denied?.every((c) => !c.ok)).toBe(true);
    expect(denied?.[0]?.detail).toMatch(/401/);
  });

  it('answers injected API faults in its own problem-details shape', async () => {
    await fetch(`${mock.url}/__admin/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ spec: ['429-storm=30s@0s'] }),
    });
    const res = await fetch(`${mock.url}/v1/contacts`, { headers: auth() });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({ status: 429, code: 'rate_limited' });
  });

  it('answers a wrong token with 401 problem details and a Bearer challenge', async () => {
    const res = await fetch(`${mock.url}/v1/contacts`, { headers: { authorization: 'Bearer nope' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(await res.json()).toMatchObject({ type: 'about:blank', status: 401, code: 'unauthorized' });
  });

  it('validates writes and names the fields, all or nothing', async () => {
    const tooMany = await fetch(`${mock.url}/v1/contacts/batch-upsert`, {
      method: 'POST',
      headers: auth(),
      body: JSON.stringify({ contacts: Array.from({ length: 101 }, (_, i) => ({ external_id: `e${i}` })) }),
    });
    expect(tooMany.status).toBe(400);
    expect(await tooMany.json()).toMatchObject({ code: 'batch_too_large' });
    const invalid = await fetch(`${mock.url}/v1/contacts/batch-upsert`, {
      method: 'POST',
      headers: auth(),
      body: JSON.stringify({ contacts: [{ external_id: 'ok' }, { email: 'no-id@x.io', nickname: 'x' }] }),
    });
    expect(invalid.status).toBe(422);
    const problem = (await invalid.json()) as { errors: { field: string }[] };
    expect(problem.errors.map((e) => e.field).sort()).toEqual([
      'contacts[1].external_id',
      'contacts[1].nickname',
    ]);
    const list = (await (await fetch(`${mock.url}/v1/contacts`, { headers: auth() })).json()) as { data: [] };
    expect(list.data).toHaveLength(0);
  });

  it('pages contacts with next_cursor and filters by updated_since', async () => {
    const created = await fetch(`${mock.url}/v1/contacts`, {
      method: 'POST',
      headers: auth(),
      body: JSON.stringify({ external_id: 'c0', email: 'c0@x.io', first_name: 'C' }),
    });
    expect(created.status).toBe(201);
    await fetch(`${mock.url}/v1/contacts/batch-upsert`, {
      method: 'POST',
      headers: auth(),
      body: JSON.stringify({ contacts: [{ external_id: 'c1' }, { external_id: 'c2' }] }),
    });
    const page1 = (await (await fetch(`${mock.url}/v1/contacts?limit=2`, { headers: auth() })).json()) as {
      data: { external_id: string; updated_at: string }[];
      next_cursor: string | null;
    };
    expect(page1.data.map((c) => c.external_id)).toEqual(['c0', 'c1']);
    expect(page1.next_cursor).not.toBeNull();
    const page2 = (await (
      await fetch(`${mock.url}/v1/contacts?limit=2&cursor=${page1.next_cursor}`, { headers: auth() })
    ).json()) as { data: { external_id: string }[]; next_cursor: string | null };
    expect(page2).toEqual({ data: [expect.objectContaining({ external_id: 'c2' })], next_cursor: null });
    const future = new Date(Date.now() + 60_000).toISOString();
    const none = (await (
      await fetch(`${mock.url}/v1/contacts?updated_since=${encodeURIComponent(future)}`, { headers: auth() })
    ).json()) as { data: unknown[] };
    expect(none.data).toHaveLength(0);
  });

  it('creates a webhook endpoint with the client’s secret or the account’s, never echoing it again', async () => {
    const own = `whsec_${Buffer.from('a client secret, 24 bytes').toString('base64')}`;
    const res = await fetch(`${mock.url}/v1/webhook-endpoints`, {
      method: 'POST',
      headers: auth(),
      body: JSON.stringify({ url: 'http://127.0.0.1:1/hook', events: ['contact.updated'], secret: own }),
    });
    expect(res.status).toBe(201);
    const endpoint = (await res.json()) as { id: string; secret: string };
    expect(endpoint.secret).toBe(own);
    const plain = await fetch(`${mock.url}/v1/webhook-endpoints`, {
      method: 'POST',
      headers: auth(),
      body: JSON.stringify({ url: 'http://127.0.0.1:2/hook', events: ['contact.created'] }),
    });
    expect(((await plain.json()) as { secret: string }).secret).toBe(mock.secret);
    const read = await (
      await fetch(`${mock.url}/v1/webhook-endpoints/${endpoint.id}`, { headers: auth() })
    ).json();
    expect(read).not.toHaveProperty('secret');
    const bad = await fetch(`${mock.url}/v1/webhook-endpoints`, {
      method: 'POST',
      headers: auth(),
      body: JSON.stringify({ url: 'ftp://x', events: ['contact.merged'], secret: 'whsec_c2hvcnQ=' }),
    });
    expect(bad.status).toBe(422);
    const problem = (await bad.json()) as { errors: { field: string }[] };
    expect(problem.errors.map((e) => e.field)).toEqual(['url', 'events', 'secret']);
  });
});

describe('mock Standard Webhooks CRM: delivery faults', () => {
  it('retries failed attempts and injects duplicates under the same webhook-id, which the receiver dedupes', async () => {
    const mock = await startMockStandard({ faults: { failure: 0.2, duplicate: 0.2 }, timeScale: 20_000 });
    // At this scale the whole 75 h schedule takes under 14 s, so even an unlucky message arrives.
    const receiver = await startStandardReceiver([mock.secret]);
    try {
      const api = standardApi({ baseUrl: mock.url, token: mock.token, webhookSecret: mock.secret });
      await api.configureWebhooks(receiver.url, { ...SEQ_SUBSCRIPTION, actions: ['create'] });
      let fresh = 0;
      let duplicates = 0;
      receiver.pipeline.events.on('accepted', (events, _at, dups) => {
        fresh += events.length;
        duplicates += dups;
      });
      for (let b = 0; b < 4; b++) {
        await api.batchUpsert(
          'contacts',
          Array.from({ length: 50 }, (_, i) => ({
            externalId: `f${b * 50 + i}@x.io`,
            fields: { poc_seq: `${i}` },
          })),
        );
      }
      await waitUntil(() => fresh === 200, 20_000);
      const truth = await truthOf(mock);
      expect(truth.injectedFailures).toBeGreaterThan(0);
      expect(truth.retriesScheduled).toBeGreaterThan(0);
      const injected = truth.injectedDuplicates ?? Number.NaN;
      expect(injected).toBeGreaterThan(0);
      await waitUntil(() => duplicates >= injected, 10_000);
      // Each duplicate reached the receiver with its original webhook-id and was recognised as such.
      expect(duplicates).toBe(injected);
      expect(fresh).toBe(200);
    } finally {
      await receiver.close();
      await mock.close();
    }
  });
});
