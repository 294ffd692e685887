import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamicsWebApi } from 'dynamics-web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dynamicsApi } from '../../harness/vendors/dynamics/api.js';
import type { VendorEvent } from '../../harness/vendors/types.js';
import { allMockPrivileges } from '../../mock-vendor/dynamics/privileges.js';
import { startDynamicsReceiver, startMockDynamics } from '../helpers/dynamics.js';
import type { StartedMock } from '../helpers/servers.js';
import { waitUntil } from '../helpers/wait.js';

const SEQ_SUBSCRIPTION = { objectType: 'contacts', actions: ['update'], fields: ['poc_seq'] } as const;
const API = '/api/data/v9.2';

/** The client-credentials grant against the mock's Entra-like token endpoint. */
async function clientCredentialsToken(mock: StartedMock): Promise<string> {
  const res = await fetch(`${mock.url}/common/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: '00000000-0000-0000-0000-00000000c11e',
      client_secret: mock.token,
      scope: 'https://pocmock.crm.dynamics.com/.default',
    }),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { token_type: string; expires_in: number; access_token: string };
  expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3599 });
  return body.access_token;
}

interface Truth {
  emitted: number;
  acknowledged: number;
  dropped: number;
  injectedFailures: number;
  injectedDuplicates: number;
  retriesScheduled: number;
  rateLimited: number;
}

async function truth(mock: StartedMock): Promise<Truth> {
  return (await (await fetch(`${mock.url}/__admin/truth`)).json()) as Truth;
}

describe('mock Dataverse on the wire', () => {
  let mock: StartedMock;

  beforeEach(async () => {
    mock = await startMockDynamics();
  });
  afterEach(async () => {
    await mock.close();
  });

  it('serves the dynamics-web-api client: token flow, create, retrieve, update, upsert by key, paging', async () => {
    const client = new DynamicsWebApi({
      serverUrl: mock.url,
      dataApi: { version: '9.2' },
      onTokenRefresh: () => clientCredentialsToken(mock),
    });
    const id = await client.create<Record<string, string>, string>({
      collection: 'contacts',
      data: { emailaddress1: 'ada@example.com', firstname: 'Ada' },
    });
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const read = await client.retrieve({
      collection: 'contacts',
      key: id,
      select: ['firstname', 'lastname'],
    });
    expect(read).toMatchObject({ contactid: id, firstname: 'Ada', lastname: null });
    expect(read).not.toHaveProperty('emailaddress1');
    // update() sends If-Match: * so it can never create.
    expect(await client.update({ collection: 'contacts', key: id, data: { lastname: 'Lovelace' } })).toBe(
      true,
    );
    const missing = await client.upsert({
      collection: 'contacts',
      key: "emailaddress1='nobody@example.com'",
      data: { firstname: 'No' },
      ifmatch: '*',
    });
    expect(missing).toBeNull();
    // A plain PATCH by alternate key is an upsert: it creates, then updates the same row.
    await client.upsert({
      collection: 'contacts',
      key: "emailaddress1='grace@example.com'",
      data: { firstname: 'Grace' },
    });
    await client.upsert({
      collection: 'contacts',
      key: "emailaddress1='grace@example.com'",
      data: { lastname: 'Hopper' },
    });
    const grace = await client.retrieve({ collection: 'contacts', key: "emailaddress1='grace@example.com'" });
    expect(grace).toMatchObject({ firstname: 'Grace', lastname: 'Hopper' });
    const createOnly = await client.upsert({
      collection: 'contacts',
      key: "emailaddress1='grace@example.com'",
      data: { firstname: 'Again' },
      ifnonematch: '*',
    });
    expect(createOnly).toBeNull();
    await client.create<Record<string, string>, string>({
      collection: 'contacts',
      data: { emailaddress1: 'alan@example.com', firstname: 'Alan' },
    });

    const first = await client.retrieveMultiple({
      collection: 'contacts',
      select: ['emailaddress1'],
      orderBy: ['emailaddress1 asc'],
      maxPageSize: 2,
    });
    expect(first.value.map((r) => r.emailaddress1)).toEqual(['ada@example.com', 'alan@example.com']);
    expect(first.oDataNextLink).toContain('$skiptoken=');
    const second = await client.retrieveMultiple(
      { collection: 'contacts', select: ['emailaddress1'], orderBy: ['emailaddress1 asc'], maxPageSize: 2 },
      first.oDataNextLink,
    );
    expect(second.value.map((r) => r.emailaddress1)).toEqual(['grace@example.com']);
    expect(second.oDataNextLink).toBeUndefined();
    const all = await client.retrieveAll({ collection: 'contacts', select: ['firstname'], maxPageSize: 1 });
    expect(all.value).toHaveLength(3);
  });

  it('tracks changes: a delta link returns the rows changed since and the deleted ones', async () => {
    const client = new DynamicsWebApi({ serverUrl: mock.url, onTokenRefresh: async () => mock.token });
    const create = (email: string) =>
      client.create<Record<string, string>, string>({
        collection: 'contacts',
        data: { emailaddress1: email },
      });
    const [a, b] = [await create('a@x.io'), await create('b@x.io'), await create('c@x.io')];
    const initial = await client.retrieveMultiple({
      collection: 'contacts',
      select: ['emailaddress1'],
      trackChanges: true,
    });
    expect(initial.value).toHaveLength(3);
    expect(initial.oDataDeltaLink).toMatch(/\$deltatoken=\d+!/);
    await client.update({ collection: 'contacts', key: a, data: { firstname: 'Changed' } });
    await client.deleteRecord({ collection: 'contacts', key: b });
    const delta = await client.retrieveMultiple({ collection: 'contacts' }, initial.oDataDeltaLink);
    expect(delta.value).toEqual([
      expect.objectContaining({ contactid: a, emailaddress1: 'a@x.io' }),
      expect.objectContaining({ id: b, reason: 'deleted' }),
    ]);
    const nothing = await client.retrieveMultiple({ collection: 'contacts' }, delta.oDataDeltaLink);
    expect(nothing.value).toEqual([]);
  });

  it('filters by modifiedon gt and answers 404 / 412 in the OData error shape', async () => {
    const h = { authorization: `Bearer ${mock.token}`, 'content-type': 'application/json' };
    const created = await fetch(`${mock.url}${API}/contacts`, {
      method: 'POST',
      headers: h,
      body: JSON.stringify({ emailaddress1: 'old@example.com' }),
    });
    expect(created.status).toBe(204);
    expect(created.headers.get('odata-entityid')).toMatch(/\/api\/data\/v9\.2\/contacts\([0-9a-f-]{36}\)$/);
    await new Promise((r) => setTimeout(r, 1100));
    const since = new Date().toISOString().slice(0, 19);
    await new Promise((r) => setTimeout(r, 1100));
    await fetch(`${mock.url}${API}/contacts(emailaddress1='new@example.com')`, {
      method: 'PATCH',
      headers: h,
      body: JSON.stringify({ firstname: 'New' }),
    });
    const list = await fetch(
      `${mock.url}${API}/contacts?$select=emailaddress1&$filter=modifiedon gt ${since}Z`,
      {
        headers: h,
      },
    );
    const body = (await list.json()) as { '@odata.context': string; value: { emailaddress1: string }[] };
    expect(body.value.map((r) => r.emailaddress1)).toEqual(['new@example.com']);
    expect(body['@odata.context']).toMatch(/\$metadata#contacts\(emailaddress1\)$/);
    const counted = await fetch(`${mock.url}${API}/contacts?$select=contactid&$count=true`, { headers: h });
    expect(await counted.json()).toMatchObject({ '@odata.count': 2 });
    const expand = await fetch(`${mock.url}${API}/contacts?$expand=parentcustomerid_account`, { headers: h });
    expect(expand.status).toBe(400);

    const notFound = await fetch(`${mock.url}${API}/contacts(emailaddress1='none@example.com')`, {
      method: 'PATCH',
      headers: { ...h, 'if-match': '*' },
      body: JSON.stringify({ firstname: 'X' }),
    });
    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toMatchObject({ error: { code: '0x80040217' } });
    const stale = await fetch(`${mock.url}${API}/contacts(emailaddress1='new@example.com')`, {
      method: 'PATCH',
      headers: { ...h, 'if-match': 'W/"1"' },
      body: JSON.stringify({ firstname: 'Y' }),
    });
    expect(stale.status).toBe(412);
    const duplicate = await fetch(`${mock.url}${API}/contacts`, {
      method: 'POST',
      headers: h,
      body: JSON.stringify({ emailaddress1: 'OLD@example.com' }),
    });
    expect(duplicate.status).toBe(412);
    expect(await duplicate.json()).toMatchObject({ error: { code: '0x80040237' } });
    const badColumn = await fetch(`${mock.url}${API}/contacts`, {
      method: 'POST',
      headers: h,
      body: JSON.stringify({ fullname: 'x' }),
    });
    expect(badColumn.status).toBe(400);
    expect(await badColumn.json()).toMatchObject({
      error: { message: "Invalid property 'fullname' was found in entity 'Microsoft.Dynamics.CRM.contact'." },
    });
    const unknown = await fetch(`${mock.url}${API}/leads`, { headers: h });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({
      error: { message: "Resource not found for the segment 'leads'." },
    });
  });

  it('answers a wrong token with 401, WWW-Authenticate and an OData error; the client sees 401', async () => {
    const res = await fetch(`${mock.url}${API}/contacts`, { headers: { authorization: 'Bearer nope' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(
      /^Bearer authorization_uri=https:\/\/login\.microsoftonline\.com\//,
    );
    expect(await res.json()).toMatchObject({ error: { code: '0x80040220' } });
    const client = new DynamicsWebApi({ serverUrl: mock.url, onTokenRefresh: async () => 'wrong-token' });
    await expect(client.retrieveMultiple({ collection: 'contacts' })).rejects.toMatchObject({ status: 401 });
    const badSecret = await fetch(`${mock.url}/common/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: 'x',
        client_secret: 'no',
        scope: 'x/.default',
      }),
    });
    expect(badSecret.status).toBe(401);
    expect(await badSecret.json()).toMatchObject({ error: 'invalid_client', error_codes: [7000215] });
  });
});

describe('mock Dataverse service protection', () => {
  it('answers 429 with Retry-After and 0x80072322 past the window limit, and admits again after it', async () => {
    const mock = await startMockDynamics({ settings: { requestsLimit: 5, windowMs: 2000 } });
    try {
      const get = () =>
        fetch(`${mock.url}${API}/contacts?$top=1`, { headers: { authorization: `Bearer ${mock.token}` } });
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) {
        const res = await get();
        statuses.push(res.status);
        if (i === 0) expect(res.headers.get('x-ms-ratelimit-burst-remaining-xrm-requests')).toBe('4');
        if (i === 6) {
          expect(res.headers.get('retry-after')).toBe('2');
          expect(await res.json()).toEqual({
            error: {
              code: '0x80072322',
              message: 'Number of requests exceeded the limit of 5 over time window of 2 seconds.',
            },
          });
        } else await res.arrayBuffer();
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
      await new Promise((r) => setTimeout(r, 2000 + 50));
      expect((await get()).status).toBe(200);
      expect((await truth(mock)).rateLimited).toBe(2);
    } finally {
      await mock.close();
    }
  });
});

describe('dynamics adapter access checks and probe against the mock', () => {
  it('passes every doctor check, and the probe reads the burst header then sees the 429', async () => {
    // Four checks (WhoAmI, RetrieveUserPrivileges, contacts, sdkmessages) and one probe fill it.
    const mock = await startMockDynamics({ settings: { requestsLimit: 5, windowMs: 60_000 } });
    try {
      const api = dynamicsApi({ baseUrl: mock.url, token: mock.token });
      const checks = (await api.checkAccess?.()) ?? [];
      expect(checks.map((c) => [c.name, c.ok])).toEqual([
        ['token', true],
        ['privileges', true],
        ['contacts', true],
        ['webhook registration', true],
      ]);
      const first = await api.probe?.();
      expect(first).toMatchObject({ status: 200, throttled: false, advertised: { remaining: 0 } });
      const second = await api.probe?.();
      // Retry-After is when the oldest request leaves the window, in whole seconds rounded up.
      expect(second).toMatchObject({ status: 429, throttled: true, retryAfterMs: 60_000, advertised: {} });
      const denied = await dynamicsApi({ baseUrl: mock.url, token: 'expired' }).checkAccess?.();
      expect(denied).toEqual([{ name: 'token', ok: false, detail: expect.stringContaining('answered 401') }]);
    } finally {
      await mock.close();
    }
  });
});

describe('dynamics doctor checks against a user whose security roles fall short', () => {
  it('names each missing privilege, and the 403 PrivilegeDenied of the table it guards', async () => {
    const held = allMockPrivileges().filter(
      (p) => p !== 'prvReadContact' && p !== 'prvCreateSdkMessageProcessingStep',
    );
    const mock = await startMockDynamics({ settings: { privileges: held } });
    try {
      const api = dynamicsApi({ baseUrl: mock.url, token: mock.token });
      const checks = (await api.checkAccess?.()) ?? [];
      expect(checks.map((c) => [c.name, c.ok])).toEqual([
        ['token', true],
        ['privileges', false],
        ['contacts', false],
        ['webhook registration', true],
      ]);
      const privileges = checks.find((c) => c.name === 'privileges')?.detail ?? '';
      expect(privileges).toContain('prvReadContact');
      expect(privileges).toContain('prvCreateSdkMessageProcessingStep');
      expect(privileges).not.toContain('prvWriteContact');
      expect(checks.find((c) => c.name === 'contacts')?.detail).toContain('missing prvReadContact');
      // Dataverse's own answer to the refused read.
      const res = await fetch(`${mock.url}${API}/contacts?$top=1`, {
        headers: { authorization: `Bearer ${mock.token}` },
      });
      expect(res.status).toBe(403);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('0x80040220');
      expect(body.error.message).toMatch(/is missing prvReadContact privilege \(Id=[0-9a-f-]{36}\) on OTC=2/);
      // No secret in any detail.
      expect(JSON.stringify(checks)).not.toContain(mock.token);
    } finally {
      await mock.close();
    }
  });
});

describe('mock Dataverse webhooks', () => {
  it('posts one RemoteExecutionContext per change with the static key; the receiver accepts them', async () => {
    const mock = await startMockDynamics();
    const receiver = await startDynamicsReceiver([mock.secret]);
    try {
      const emails = Array.from({ length: 10 }, (_, i) => `w${i}@x.io`);
      await fetch(`${mock.url}/__admin/firehose`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          objectType: 'contacts',
          inputs: emails.map((email) => ({ externalId: email, fields: { email, firstname: 'W' } })),
        }),
      });
      const api = dynamicsApi({ baseUrl: mock.url, token: mock.token, webhookSecret: mock.secret });
      await api.configureWebhooks(receiver.url, SEQ_SUBSCRIPTION);
      // Configuring again re-points the same endpoint and step: still one delivery per change.
      await api.configureWebhooks(receiver.url, SEQ_SUBSCRIPTION);
      const events: VendorEvent[] = [];
      const sizes: number[] = [];
      receiver.pipeline.events.on('accepted', (batch) => {
        sizes.push(batch.length);
        events.push(...batch);
      });
      for (const [i, email] of emails.entries()) {
        const result = await api.batchUpsert('contacts', [
          { externalId: email, fields: { poc_seq: String(i) } },
        ]);
        expect(result).toEqual({ created: 0, updated: 1, errors: 0 });
      }
      // Not a filtering attribute: no step fires.
      await api.batchUpsert('contacts', [{ externalId: 'w0@x.io', fields: { lastname: 'Quiet' } }]);
      await waitUntil(() => events.length === 10);
      expect(Math.max(...sizes)).toBe(1);
      expect(events.map((e) => e.fields.poc_seq).sort()).toEqual(emails.map((_, i) => String(i)).sort());
      expect(events[0]).toMatchObject({ type: 'contact.Update', action: 'update', attempt: 0 });
      expect(await truth(mock)).toMatchObject({ emitted: 10, acknowledged: 10, dropped: 0 });
    } finally {
      await receiver.close();
      await mock.close();
    }
  });

  it('puts the key and the x-ms-dynamics-* headers on the wire; WebhookKey endpoints send ?code=', async () => {
    const mock = await startMockDynamics();
    const seen: { url: string; headers: IncomingHttpHeaders; body: Record<string, unknown> }[] = [];
    const capture = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => {
        body += d.toString();
      });
      req.on('end', () => {
        seen.push({
          url: req.url ?? '',
          headers: req.headers,
          body: JSON.parse(body) as Record<string, unknown>,
        });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => capture.listen(0, '127.0.0.1', r));
    const target = `http://127.0.0.1:${(capture.address() as AddressInfo).port}/hook`;
    try {
      await fetch(`${mock.url}/__admin/firehose`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          objectType: 'contacts',
          inputs: [{ externalId: 'h@x.io', fields: { email: 'h@x.io' } }],
        }),
      });
      const api = dynamicsApi({ baseUrl: mock.url, token: mock.token, webhookSecret: mock.secret });
      await api.configureWebhooks(target, SEQ_SUBSCRIPTION);
      await api.batchUpsert('contacts', [{ externalId: 'h@x.io', fields: { poc_seq: '7', lastname: 'H' } }]);
      await waitUntil(() => seen.length === 1);
      const [first] = seen;
      expect(first?.headers).toMatchObject({
        'x-poc-key': mock.secret,
        'x-ms-dynamics-entity-name': 'contact',
        'x-ms-dynamics-request-name': 'Update',
        'x-ms-dynamics-organization': 'pocmock.crm.dynamics.com',
        'x-ms-correlation-request-id': first?.body.CorrelationId,
        'x-request-id': first?.body.RequestId,
      });
      expect(first?.body).toMatchObject({
        MessageName: 'Update',
        PrimaryEntityName: 'contact',
        Stage: 40,
        Mode: 1,
      });
      const inputs = first?.body.InputParameters as
        | { key: string; value: { Attributes: unknown[] } }[]
        | undefined;
      const target0 = inputs?.[0];
      expect(target0?.key).toBe('Target');
      expect(target0?.value.Attributes).toEqual(
        expect.arrayContaining([
          { key: 'poc_seq', value: '7' },
          { key: 'lastname', value: 'H' },
        ]),
      );

      // A second endpoint with WebhookKey auth, registered as the Plug-in Registration Tool would.
      const h = {
        authorization: `Bearer ${mock.token}`,
        'content-type': 'application/json',
        prefer: 'return=representation',
      };
      const endpoint = await fetch(`${mock.url}${API}/serviceendpoints`, {
        method: 'POST',
        headers: h,
        body: JSON.stringify({ name: 'coded', url: target, contract: 8, authtype: 4, authvalue: 'the-code' }),
      });
      expect(endpoint.status).toBe(201);
      const { serviceendpointid } = (await endpoint.json()) as { serviceendpointid: string };
      const lookup = async (path: string) =>
        (
          (await (await fetch(`${mock.url}${API}/${path}`, { headers: h })).json()) as {
            value: Record<string, string>[];
          }
        ).value[0] ?? {};
      const message = await lookup("sdkmessages?$filter=name eq 'Update'");
      const filter = await lookup(`sdkmessagefilters?$filter=_sdkmessageid_value eq ${message.sdkmessageid}`);
      const step = await fetch(`${mock.url}${API}/sdkmessageprocessingsteps`, {
        method: 'POST',
        headers: h,
        body: JSON.stringify({
          name: 'coded step',
          mode: 1,
          stage: 40,
          filteringattributes: 'firstname',
          'eventhandler_serviceendpoint@odata.bind': `/serviceendpoints(${serviceendpointid})`,
          'sdkmessageid@odata.bind': `/sdkmessages(${message.sdkmessageid})`,
          'sdkmessagefilterid@odata.bind': `/sdkmessagefilters(${filter.sdkmessagefilterid})`,
        }),
      });
      expect(step.status).toBe(201);
      await api.batchUpsert('contacts', [{ externalId: 'h@x.io', fields: { firstname: 'Hilda' } }]);
      await waitUntil(() => seen.length === 2);
      expect(seen[1]?.url).toBe('/hook?code=the-code');
      expect(seen[1]?.headers['x-poc-key']).toBeUndefined();
      const sync = await fetch(`${mock.url}${API}/sdkmessageprocessingsteps`, {
        method: 'POST',
        headers: h,
        body: JSON.stringify({ mode: 0, stage: 40 }),
      });
      expect(sync.status).toBe(400);
    } finally {
      capture.close();
      await mock.close();
    }
  });

  it('sends the wrong key when registered with one, and the receiver answers 401 bad_signature', async () => {
    const mock = await startMockDynamics({ timeScale: 100_000 });
    const receiver = await startDynamicsReceiver([mock.secret]);
    try {
      const api = dynamicsApi({ baseUrl: mock.url, token: mock.token, webhookSecret: 'not-the-key' });
      // The first upsert creates the row (a Create, not subscribed); the second is the Update.
      await api.batchUpsert('contacts', [{ externalId: 'k@x.io', fields: { firstname: 'K' } }]);
      await api.configureWebhooks(receiver.url, SEQ_SUBSCRIPTION);
      await api.batchUpsert('contacts', [{ externalId: 'k@x.io', fields: { poc_seq: '1' } }]);
      await waitUntil(async () =>
        (await fetch(`${receiver.address}/metrics`).then((r) => r.text())).includes('reason="bad_signature"'),
      );
      expect((await truth(mock)).acknowledged).toBe(0);
    } finally {
      await receiver.close();
      await mock.close();
    }
  });

  it('retries failed deliveries and injects duplicates; OperationId dedupes every copy', async () => {
    // 15 % failures: with five retries an event is lost with p = 0.15^6, about 1e-5.
    const mock = await startMockDynamics({ faults: { failure: 0.15, duplicate: 0.2 }, timeScale: 20_000 });
    const receiver = await startDynamicsReceiver([mock.secret]);
    try {
      const api = dynamicsApi({ baseUrl: mock.url, token: mock.token, webhookSecret: mock.secret });
      await api.configureWebhooks(receiver.url, SEQ_SUBSCRIPTION);
      let fresh = 0;
      let duplicates = 0;
      receiver.pipeline.events.on('accepted', (batch, _at, dups) => {
        fresh += batch.length;
        duplicates += dups;
      });
      const inputs = Array.from({ length: 200 }, (_, i) => ({
        externalId: `r${i}@x.io`,
        fields: { poc_seq: String(i) },
      }));
      await fetch(`${mock.url}/__admin/firehose`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ objectType: 'contacts', inputs }),
      });
      // The firehose creates the rows: Create is not subscribed, so only the next writes count.
      expect((await truth(mock)).emitted).toBe(0);
      await fetch(`${mock.url}/__admin/firehose`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          objectType: 'contacts',
          inputs: inputs.map((i) => ({ ...i, fields: { poc_seq: `${i.fields.poc_seq}b` } })),
        }),
      });
      await waitUntil(() => fresh === 200, 20_000);
      const t = await truth(mock);
      expect(t.injectedFailures).toBeGreaterThan(0);
      expect(t.retriesScheduled).toBeGreaterThan(0);
      expect(t.injectedDuplicates).toBeGreaterThan(0);
      await waitUntil(() => duplicates >= t.injectedDuplicates, 10_000);
      expect(duplicates).toBe(t.injectedDuplicates);
    } finally {
      await receiver.close();
      await mock.close();
    }
  });
});
