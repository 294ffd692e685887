import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Signature } from '@hubspot/api-client';
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts/index.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hubspotApi } from '../../harness/vendors/hubspot/api.js';
import { type StartedMock, startMockHubspot, startReceiver } from '../helpers/servers.js';
import { waitUntil } from '../helpers/wait.js';

const SEQ_SUBSCRIPTION = { objectType: 'contacts', actions: ['update'], fields: ['poc_seq'] } as const;

describe('mock HubSpot on the wire', () => {
  let mock: StartedMock;

  beforeEach(async () => {
    mock = await startMockHubspot({ settings: { tenSecondlyLimit: 20 } });
  });
  afterEach(async () => {
    await mock.close();
  });

  it('serves HubSpot’s official Node SDK: create, read, batch upsert by idProperty', async () => {
    const client = new Client({ accessToken: mock.token, basePath: mock.url, numberOfApiCallRetries: 0 });
    const created = await client.crm.contacts.basicApi.create({
      properties: { email: 'ada@example.com', firstname: 'Ada' },
      associations: [],
    });
    expect(created.id).toMatch(/^\d+$/);
    expect(created.properties.email).toBe('ada@example.com');
    const read = await client.crm.contacts.basicApi.getById(created.id);
    expect(read.properties.firstname).toBe('Ada');
    const upserted = await client.crm.contacts.batchApi.upsert({
      inputs: [
        { id: 'ada@example.com', idProperty: 'email', properties: { lastname: 'Lovelace' } },
        { id: 'grace@example.com', idProperty: 'email', properties: { firstname: 'Grace' } },
      ],
    });
    expect(upserted.status).toBe('COMPLETE');
    const byEmail = new Map(upserted.results.map((r) => [r.properties.email, r]));
    expect(byEmail.get('ada@example.com')).toMatchObject({ id: created.id, _new: false });
    expect(byEmail.get('grace@example.com')?._new).toBe(true);
    const page = await client.crm.contacts.basicApi.getPage(1);
    expect(page.results).toHaveLength(1);
    expect(page.paging?.next?.after).toBeDefined();
  });

  it('refuses a call outside the token’s scopes with HubSpot’s 403 MISSING_SCOPES', async () => {
    const narrow = await startMockHubspot({ settings: { scopes: ['crm.objects.contacts.read'] } });
    try {
      const headers = { authorization: `Bearer ${narrow.token}`, 'content-type': 'application/json' };
      expect((await fetch(`${narrow.url}/crm/v3/objects/contacts`, { headers })).status).toBe(200);
      const res = await fetch(`${narrow.url}/crm/v3/objects/contacts`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ properties: { email: 'x@y.z' } }),
      });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({
        category: 'MISSING_SCOPES',
        errors: [{ context: { requiredScopes: ['crm.objects.contacts.write'] } }],
      });
    } finally {
      await narrow.close();
    }
  });

  it('seeds messy contacts from a fixed seed, readable through the API', async () => {
    const seeded = await fetch(`${mock.url}/__admin/seed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ count: 80 }),
    });
    expect(await seeded.json()).toEqual({ seeded: 80 });
    const client = new Client({ accessToken: mock.token, basePath: mock.url, numberOfApiCallRetries: 0 });
    const page = await client.crm.contacts.basicApi.getPage(100);
    expect(page.results).toHaveLength(80);
    const names = page.results.map((r) => `${r.properties.firstname}${r.properties.lastname}`).join('');
    expect([...names].some((ch) => (ch.codePointAt(0) ?? 0) > 127)).toBe(true);
    expect(page.results.some((r) => !/^\+\d+$/.test(r.properties.phone ?? ''))).toBe(true);
  });

  it('serves the SDK’s update and search, with filters and `after` paging', async () => {
    const client = new Client({ accessToken: mock.token, basePath: mock.url, numberOfApiCallRetries: 0 });
    const inputs = Array.from({ length: 30 }, (_, i) => ({
      id: `s${i}@x.io`,
      idProperty: 'email',
      properties: { firstname: i % 2 === 0 ? 'Even' : 'Odd', lifecyclestage: 'lead' },
    }));
    const upserted = await client.crm.contacts.batchApi.upsert({ inputs });
    const first = upserted.results.find((r) => r.properties.email === 's0@x.io');
    const updated = await client.crm.contacts.basicApi.update(first?.id ?? '', {
      properties: { lifecyclestage: 'customer' },
    });
    expect(updated.properties.lifecyclestage).toBe('customer');
    const seen: string[] = [];
    let after: string | undefined;
    do {
      const page = await client.crm.contacts.searchApi.doSearch({
        filterGroups: [
          { filters: [{ propertyName: 'firstname', operator: FilterOperatorEnum.Eq, value: 'Even' }] },
        ],
        sorts: ['email'],
        properties: ['email', 'firstname'],
        limit: 4,
        ...(after ? { after } : {}),
      });
      expect(page.total).toBe(15);
      seen.push(...page.results.map((r) => r.properties.email ?? ''));
      after = page.paging?.next?.after;
    } while (after);
    expect(seen).toHaveLength(15);
    expect(new Set(seen).size).toBe(15);
    expect(seen).toEqual([...seen].sort());
  });

  it('signs deliveries that HubSpot’s own Signature helper accepts (v3)', async () => {
    const captured: { headers: Record<string, string | string[] | undefined>; body: string; url: string }[] =
      [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => {
        body += d.toString();
      });
      req.on('end', () => {
        captured.push({ headers: req.headers, body, url: `http://${req.headers.host}${req.url}` });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const address = server.address() as AddressInfo;
      const api = hubspotApi({ baseUrl: mock.url, token: mock.token });
      await api.configureWebhooks(`http://127.0.0.1:${address.port}/hooks?source=hubspot`, SEQ_SUBSCRIPTION);
      await api.batchUpsert('contacts', [{ externalId: 'sig@x.io', fields: { poc_seq: 'x' } }]);
      await waitUntil(() => captured.length > 0);
      const delivery = captured[0];
      expect(
        Signature.isValid({
          signatureVersion: 'v3',
          signature: String(delivery?.headers['x-hubspot-signature-v3']),
          clientSecret: mock.secret,
          requestBody: delivery?.body ?? '',
          url: delivery?.url ?? '',
          method: 'POST',
          timestamp: Number(delivery?.headers['x-hubspot-request-timestamp']),
        }),
      ).toBe(true);
      expect(
        Signature.isValid({
          signatureVersion: 'v3',
          signature: String(delivery?.headers['x-hubspot-signature-v3']),
          clientSecret: 'another-secret',
          requestBody: delivery?.body ?? '',
          url: delivery?.url ?? '',
          method: 'POST',
          timestamp: Number(delivery?.headers['x-hubspot-request-timestamp']),
        }),
      ).toBe(false);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('limits search on its own (4/s) without the standard rate-limit headers', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await fetch(`${mock.url}/crm/v3/objects/contacts/search`, {
        method: 'POST',
        headers: { authorization: `Bearer ${mock.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ limit: 1 }),
      });
      expect(res.headers.get('x-hubspot-ratelimit-remaining')).toBeNull();
      statuses.push(res.status);
      if (res.status === 429) expect(await res.json()).toMatchObject({ policyName: 'SECONDLY' });
      else await res.arrayBuffer();
    }
    expect(statuses.slice(0, 4)).toEqual([200, 200, 200, 200]);
    expect(statuses.slice(4)).toContain(429);
  });

  it('answers a wrong token with HubSpot’s 401 body', async () => {
    const res = await fetch(`${mock.url}/crm/v3/objects/contacts`, {
      headers: { authorization: 'Bearer nope' },
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION' });
  });

  it('rate-limits with HubSpot’s headers and 429 body past the rolling ten-second limit', async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 25; i++) {
      last = await fetch(`${mock.url}/crm/v3/objects/contacts?limit=1`, {
        headers: { authorization: `Bearer ${mock.token}` },
      });
      statuses.push(last.status);
      if (i === 0) {
        expect(last.headers.get('x-hubspot-ratelimit-max')).toBe('20');
        expect(last.headers.get('x-hubspot-ratelimit-remaining')).toBe('19');
        expect(last.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('10000');
      }
      await last.arrayBuffer();
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(20);
    expect(statuses.slice(20)).toEqual([429, 429, 429, 429, 429]);
    const res = await fetch(`${mock.url}/crm/v3/objects/contacts`, {
      headers: { authorization: `Bearer ${mock.token}` },
    });
    expect(await res.json()).toMatchObject({ errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING' });
  });

  it('delivers signed batches of at most 100 events that the reference receiver verifies', async () => {
    const receiver = await startReceiver([mock.secret]);
    try {
      const api = hubspotApi({ baseUrl: mock.url, token: mock.token });
      await api.configureWebhooks(receiver.url, SEQ_SUBSCRIPTION);
      const sizes: number[] = [];
      receiver.pipeline.events.on('accepted', (events) => sizes.push(events.length));
      for (let b = 0; b < 5; b++) {
        const inputs = Array.from({ length: 100 }, (_, i) => ({
          externalId: `p${b * 100 + i}@x.io`,
          fields: { poc_seq: `${b}-${i}` },
        }));
        await api.batchUpsert('contacts', inputs);
      }
      await waitUntil(() => sizes.reduce((a, b) => a + b, 0) === 500);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(100);
      const truth = (await (await fetch(`${mock.url}/__admin/truth`)).json()) as Record<string, number> & {
        injectedDuplicates: number;
      };
      expect(truth).toMatchObject({ emitted: 500, acknowledged: 500, dropped: 0 });
      const m = await (await fetch(`${receiver.address}/metrics`)).text();
      expect(m).not.toMatch(/status="401"/);
    } finally {
      await receiver.close();
    }
  });
});

describe('mock HubSpot delivery faults', () => {
  it('retries failed deliveries on its schedule with a rising attemptNumber, and injects duplicates', async () => {
    const mock = await startMockHubspot({ faults: { failure: 0.3, duplicate: 0.2 }, timeScale: 5000 });
    const receiver = await startReceiver([mock.secret]);
    try {
      const api = hubspotApi({ baseUrl: mock.url, token: mock.token });
      await api.configureWebhooks(receiver.url, SEQ_SUBSCRIPTION);
      let retried = 0;
      let duplicates = 0;
      let fresh = 0;
      receiver.pipeline.events.on('accepted', (events, _at, dups) => {
        fresh += events.length;
        duplicates += dups;
        retried += events.filter((e) => e.attempt > 0).length;
      });
      // 20 writes give ~20 delivery attempts: at 30 % failures one fails almost surely (1 - 0.7^20),
      // while a batch failing all 11 attempts is far out (20 × 0.3^11).
      for (let b = 0; b < 20; b++) {
        const inputs = Array.from({ length: 25 }, (_, i) => ({
          externalId: `f${b * 25 + i}@x.io`,
          fields: { poc_seq: String(i) },
        }));
        await api.batchUpsert('contacts', inputs);
      }
      await waitUntil(() => fresh === 500, 20_000);
      const truth = (await (await fetch(`${mock.url}/__admin/truth`)).json()) as Record<string, number> & {
        injectedDuplicates: number;
      };
      expect(truth.injectedFailures).toBeGreaterThan(0);
      expect(retried).toBeGreaterThan(0);
      expect(truth.injectedDuplicates).toBeGreaterThan(0);
      await waitUntil(() => duplicates >= truth.injectedDuplicates, 10_000);
      expect(duplicates).toBe(truth.injectedDuplicates);
    } finally {
      await receiver.close();
      await mock.close();
    }
  });
});

describe('mock HubSpot legacy signatures', () => {
  it.each(['v1', 'v2'] as const)(
    'signs with %s when asked; the receiver accepts it only with legacy schemes enabled',
    async (version) => {
      const mock = await startMockHubspot({ settings: { signatureVersion: version } });
      const strict = await startReceiver([mock.secret]);
      const legacy = await startReceiver([mock.secret], { acceptLegacy: true });
      try {
        const api = hubspotApi({ baseUrl: mock.url, token: mock.token });
        let accepted = 0;
        legacy.pipeline.events.on('accepted', (events) => {
          accepted += events.length;
        });
        await api.configureWebhooks(strict.url, SEQ_SUBSCRIPTION);
        await api.batchUpsert('contacts', [{ externalId: 'l1@x.io', fields: { poc_seq: '1' } }]);
        await waitUntil(async () =>
          (await fetch(`${strict.address}/metrics`).then((r) => r.text())).includes(
            'reason="unsupported_version"',
          ),
        );
        await api.configureWebhooks(legacy.url, SEQ_SUBSCRIPTION);
        await api.batchUpsert('contacts', [{ externalId: 'l2@x.io', fields: { poc_seq: '2' } }]);
        // The first event is retried on the vendor's schedule and now reaches the legacy receiver too.
        await waitUntil(() => accepted === 2);
        expect(accepted).toBe(2);
      } finally {
        await strict.close();
        await legacy.close();
        await mock.close();
      }
    },
  );
});
