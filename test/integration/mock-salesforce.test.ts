import jsforce from 'jsforce';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { salesforceApi } from '../../harness/vendors/salesforce/api.js';
import { encodeAck } from '../../harness/vendors/salesforce/outbound-message.js';
import {
  startMockSalesforce,
  startSalesforceReceiver,
  TEST_ORG_ID,
  waitUntil,
} from '../helpers/salesforce.js';
import type { StartedMock } from '../helpers/servers.js';

const SEQ_SUBSCRIPTION = { objectType: 'contacts', actions: ['update'], fields: ['poc_seq'] } as const;

function connect(mock: StartedMock, accessToken = mock.token) {
  return new jsforce.Connection({ instanceUrl: mock.url, accessToken, version: '66.0' });
}

async function truth(mock: StartedMock): Promise<Record<string, number>> {
  return (await (await fetch(`${mock.url}/__admin/truth`)).json()) as Record<string, number>;
}

describe('mock Salesforce on the wire (jsforce)', () => {
  let mock: StartedMock;

  beforeEach(async () => {
    mock = await startMockSalesforce();
  });
  afterEach(async () => {
    await mock.close();
  });

  it('logs in with the OAuth 2.0 password grant and gets instance_url and a session', async () => {
    const conn = new jsforce.Connection({
      oauth2: { loginUrl: mock.url, clientId: 'poc-connected-app', clientSecret: mock.token },
      version: '66.0',
    });
    const user = await conn.login('poc@example.com', mock.token);
    expect(conn.instanceUrl).toBe(mock.url);
    expect(conn.accessToken).toMatch(/^00D5g000004Test!/);
    expect(user.organizationId).toBe(TEST_ORG_ID);
    const versions = (await conn.request('/services/data')) as { version: string }[];
    expect(versions.at(-1)?.version).toBe('66.0');
    await expect(
      new jsforce.Connection({
        oauth2: { loginUrl: mock.url, clientId: 'poc-connected-app', clientSecret: mock.token },
      }).login('poc@example.com', 'wrong'),
    ).rejects.toThrow(/authentication failure/);
  });

  it('serves sObject create, retrieve, update, delete and describe', async () => {
    const conn = connect(mock);
    const created = await conn.sobject('Contact').create({ FirstName: 'Ada', LastName: 'Lovelace' });
    expect(created).toMatchObject({ success: true, errors: [] });
    expect(created.id).toMatch(/^003[0-9A-Za-z]{15}$/);
    const read = await conn.sobject('Contact').retrieve(created.id as string);
    expect(read).toMatchObject({ FirstName: 'Ada', LastName: 'Lovelace', Name: 'Ada Lovelace' });
    expect(read.attributes).toMatchObject({ type: 'Contact' });
    await conn.sobject('Contact').update({ Id: created.id as string, Email: 'ada@example.com' });
    expect((await conn.sobject('Contact').retrieve(created.id as string)).Email).toBe('ada@example.com');
    const describe = await conn.sobject('Contact').describe();
    expect(describe.fields.find((f) => f.name === 'Poc_Ext_Id__c')?.externalId).toBe(true);
    await conn.sobject('Contact').destroy(created.id as string);
    await expect(conn.sobject('Contact').retrieve(created.id as string)).rejects.toMatchObject({
      errorCode: 'NOT_FOUND',
    });
    // Salesforce's error shape: a JSON array with errorCode and fields.
    const bad = await fetch(`${mock.url}/services/data/v66.0/sobjects/Contact`, {
      method: 'POST',
      headers: { authorization: `Bearer ${mock.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ FirstName: 'NoLastName' }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual([
      {
        message: 'Required fields are missing: [LastName]',
        errorCode: 'REQUIRED_FIELD_MISSING',
        fields: ['LastName'],
      },
    ]);
  });

  it('upserts by external id, one record and a collection of up to 200', async () => {
    const conn = connect(mock);
    const first = await conn
      .sobject('Contact')
      .upsert({ Poc_Ext_Id__c: 'grace@example.com', LastName: 'Hopper' }, 'Poc_Ext_Id__c');
    expect(first).toMatchObject({ success: true, created: true });
    const again = await conn
      .sobject('Contact')
      .upsert({ Poc_Ext_Id__c: 'GRACE@example.com', FirstName: 'Grace' }, 'Poc_Ext_Id__c');
    expect(again).toMatchObject({ id: first.id, success: true, created: false });
    const many = await conn.sobject('Contact').upsert(
      [
        { Poc_Ext_Id__c: 'grace@example.com', Phone: '555-0100' },
        { Poc_Ext_Id__c: 'alan@example.com', LastName: 'Turing' },
        { Poc_Ext_Id__c: 'nolast@example.com', FirstName: 'Nobody' },
      ],
      'Poc_Ext_Id__c',
    );
    expect(many.map((r) => [r.success, 'created' in r ? r.created : undefined])).toEqual([
      [true, false],
      [true, true],
      [false, undefined],
    ]);
    expect((many[2] as { errors: { statusCode: string }[] }).errors[0]?.statusCode).toBe(
      'REQUIRED_FIELD_MISSING',
    );
    const tooMany = Array.from({ length: 201 }, (_, i) => ({ Poc_Ext_Id__c: `x${i}@e.io`, LastName: 'X' }));
    await expect(conn.sobject('Contact').upsert(tooMany, 'Poc_Ext_Id__c')).rejects.toMatchObject({
      errorCode: 'EXCEEDED_ID_LIMIT',
    });
    const api = salesforceApi({ baseUrl: mock.url, token: mock.token });
    expect(
      await api.batchUpsert('contacts', [
        { externalId: 'alan@example.com', fields: { firstname: 'Alan' } },
        { externalId: 'kat@example.com', fields: { lastname: 'Johnson', email: 'kat@example.com' } },
      ]),
    ).toEqual({ created: 1, updated: 1, errors: 0 });
    const alan = await conn.sobject('Contact').retrieve(many[1]?.id as string);
    expect(alan).toMatchObject({ FirstName: 'Alan', LastName: 'Turing', Poc_Ext_Id__c: 'alan@example.com' });
  });

  it('queries with SOQL and pages with nextRecordsUrl (batchSize from Sforce-Query-Options)', async () => {
    const conn = connect(mock);
    const records = Array.from({ length: 450 }, (_, i) => ({
      Poc_Ext_Id__c: `q${String(i).padStart(3, '0')}@e.io`,
      LastName: `L${String(i).padStart(3, '0')}`,
    }));
    for (let i = 0; i < records.length; i += 200) {
      await conn.sobject('Contact').upsert(records.slice(i, i + 200), 'Poc_Ext_Id__c');
    }
    const soql =
      'SELECT Id, LastName FROM Contact WHERE SystemModstamp > 2020-01-01T00:00:00Z ORDER BY LastName DESC';
    const first = await conn.query<{ LastName: string }>(soql, {
      headers: { 'Sforce-Query-Options': 'batchSize=200' },
    });
    expect(first).toMatchObject({ totalSize: 450, done: false });
    expect(first.records).toHaveLength(200);
    expect(first.records[0]?.LastName).toBe('L449');
    const second = await conn.queryMore<{ LastName: string }>(first.nextRecordsUrl as string);
    expect(second.records).toHaveLength(200);
    const third = await conn.queryMore<{ LastName: string }>(second.nextRecordsUrl as string);
    expect(third).toMatchObject({ done: true });
    expect(third.records.map((r) => r.LastName).at(-1)).toBe('L000');
    const all = await conn.query(soql, { autoFetch: true, maxFetch: 10_000 });
    expect(all.records).toHaveLength(450);
    const limited = await conn.query("SELECT Id FROM Contact WHERE LastName = 'l007' LIMIT 5");
    expect(limited).toMatchObject({ totalSize: 1, done: true });
    await expect(conn.query('SELECT Nope__c FROM Contact')).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
    });
    await expect(conn.query('SELECT Id FROM Contact WHERE')).rejects.toMatchObject({
      errorCode: 'MALFORMED_QUERY',
    });
  });

  it('answers an unknown or expired session with 401 INVALID_SESSION_ID', async () => {
    expect((await fetch(`${mock.url}/services/data`)).status).toBe(200);
    for (const path of ['/services/data/v66.0/sobjects', '/services/data/not-a-version']) {
      const res = await fetch(`${mock.url}${path}`);
      expect(res.status).toBe(401);
      expect(res.headers.get('sforce-limit-info')).toBeNull();
      await res.arrayBuffer();
    }
    await expect(connect(mock, 'not-a-session').query('SELECT Id FROM Contact')).rejects.toMatchObject({
      errorCode: 'INVALID_SESSION_ID',
    });
    const short = await startMockSalesforce({ settings: { sessionTimeoutMs: 100 } });
    try {
      const conn = new jsforce.Connection({
        oauth2: { loginUrl: short.url, clientId: 'poc-connected-app', clientSecret: short.token },
        version: '66.0',
      });
      await conn.login('poc@example.com', short.token);
      expect((await conn.query('SELECT Id FROM Contact')).totalSize).toBe(0);
      await new Promise((r) => setTimeout(r, 250));
      const res = await fetch(`${short.url}/services/data/v66.0/query?q=SELECT+Id+FROM+Contact`, {
        headers: { authorization: `Bearer ${conn.accessToken}` },
      });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual([
        { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
      ]);
    } finally {
      await short.close();
    }
  });
});

describe('mock Salesforce API allocation', () => {
  it('counts every request in Sforce-Limit-Info and answers 403 REQUEST_LIMIT_EXCEEDED past the allocation', async () => {
    const mock = await startMockSalesforce({ settings: { apiAllocation: 5 } });
    try {
      const usages: string[] = [];
      const statuses: number[] = [];
      let last: Response | undefined;
      for (let i = 0; i < 7; i++) {
        last = await fetch(`${mock.url}/services/data/v66.0/sobjects`, {
          headers: { authorization: `Bearer ${mock.token}` },
        });
        statuses.push(last.status);
        usages.push(last.headers.get('sforce-limit-info') ?? '');
        if (i < 6) await last.arrayBuffer();
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 403, 403]);
      expect(usages).toEqual([
        'api-usage=1/5',
        'api-usage=2/5',
        'api-usage=3/5',
        'api-usage=4/5',
        'api-usage=5/5',
        'api-usage=5/5',
        'api-usage=5/5',
      ]);
      expect(await last?.json()).toEqual([
        { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
      ]);
      // jsforce reads the same header into conn.limitInfo and surfaces the 403 error code.
      const conn = new jsforce.Connection({
        instanceUrl: mock.url,
        accessToken: mock.token,
        version: '66.0',
      });
      await expect(conn.query('SELECT Id FROM Contact')).rejects.toMatchObject({
        errorCode: 'REQUEST_LIMIT_EXCEEDED',
      });
      expect(conn.limitInfo.apiUsage).toEqual({ used: 5, limit: 5 });
    } finally {
      await mock.close();
    }
  });
});

describe('mock Salesforce Outbound Messages', () => {
  it('delivers SOAP messages of at most 100 notifications that the reference receiver acknowledges', async () => {
    const mock = await startMockSalesforce();
    const receiver = await startSalesforceReceiver([TEST_ORG_ID]);
    try {
      const api = salesforceApi({ baseUrl: mock.url, token: mock.token });
      await api.configureWebhooks(receiver.url, SEQ_SUBSCRIPTION);
      const sizes: number[] = [];
      const seqs = new Set<string>();
      receiver.pipeline.events.on('accepted', (events) => {
        sizes.push(events.length);
        for (const e of events) seqs.add(e.fields.poc_seq ?? '');
      });
      for (let b = 0; b < 3; b++) {
        const inputs = Array.from({ length: 200 }, (_, i) => ({
          externalId: `p${b * 200 + i}@x.io`,
          fields: { lastname: 'P', poc_seq: `${b}-${i}` },
        }));
        await api.batchUpsert('contacts', inputs);
      }
      await waitUntil(() => seqs.size === 600);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(100);
      expect(await truth(mock)).toMatchObject({
        emitted: 600,
        acknowledged: 600,
        dropped: 0,
        failedAttempts: 0,
      });
      const m = await (await fetch(`${receiver.address}/metrics`)).text();
      expect(m).not.toMatch(/status="(401|400)"/);
    } finally {
      await receiver.close();
      await mock.close();
    }
  });

  it('keeps retrying while the receiver answers 200 without an Ack, and stops once it acks', async () => {
    const mock = await startMockSalesforce({ timeScale: 2000 });
    const bodies: string[] = [];
    let ack = false;
    const { default: Fastify } = await import('fastify');
    const receiver = Fastify();
    receiver.addContentTypeParser('text/xml', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    receiver.post('/om', async (req, reply) => {
      bodies.push(req.body as string);
      // A plain 200 with a JSON body: Salesforce does not count this as delivered.
      return ack ? reply.type('text/xml').send(encodeAck(true)) : reply.send({ ok: true });
    });
    const url = await receiver.listen({ port: 0, host: '127.0.0.1' });
    try {
      const api = salesforceApi({ baseUrl: mock.url, token: mock.token });
      await api.configureWebhooks(`${url}/om`, SEQ_SUBSCRIPTION);
      await api.batchUpsert('contacts', [{ externalId: 'r@x.io', fields: { lastname: 'R', poc_seq: '1' } }]);
      await waitUntil(() => bodies.length >= 3);
      expect((await truth(mock)).acknowledged).toBe(0);
      // Every retry carries the same notification id: that is the receiver's dedupe key.
      const ids = bodies.map((b) => /<Notification>\s*<Id>([^<]+)<\/Id>/.exec(b)?.[1]);
      expect(new Set(ids).size).toBe(1);
      expect(bodies[0]).toContain(`<OrganizationId>${TEST_ORG_ID}</OrganizationId>`);
      ack = true;
      await waitUntil(async () => (await truth(mock)).acknowledged === 1);
      const settled = bodies.length;
      await new Promise((r) => setTimeout(r, 300));
      expect(bodies.length).toBe(settled);
    } finally {
      await receiver.close();
      await mock.close();
    }
  });

  it('sends the record as it is when the message goes out, not as it was when it changed', async () => {
    const mock = await startMockSalesforce({ timeScale: 2000 });
    const failed: string[] = [];
    const acked: string[] = [];
    const { default: Fastify } = await import('fastify');
    const receiver = Fastify();
    let fail = true;
    receiver.addContentTypeParser('text/xml', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    receiver.post('/om', async (req, reply) => {
      const values = [...(req.body as string).matchAll(/<sf:Poc_Seq__c>([^<]+)</g)].map((m) => m[1] ?? '');
      if (fail) {
        failed.push(...values);
        return reply.code(503).send();
      }
      acked.push(...values);
      return reply.type('text/xml').send(encodeAck(true));
    });
    const url = await receiver.listen({ port: 0, host: '127.0.0.1' });
    try {
      const api = salesforceApi({ baseUrl: mock.url, token: mock.token });
      await api.configureWebhooks(`${url}/om`, SEQ_SUBSCRIPTION);
      await api.batchUpsert('contacts', [
        { externalId: 'l@x.io', fields: { lastname: 'L', poc_seq: 'first' } },
      ]);
      await waitUntil(() => failed.length >= 1);
      await api.batchUpsert('contacts', [{ externalId: 'l@x.io', fields: { poc_seq: 'second' } }]);
      fail = false;
      await waitUntil(async () => (await truth(mock)).acknowledged === 2);
      expect(failed[0]).toBe('first');
      // Both notifications went out after the second change: both carried 'second'.
      expect(acked).toEqual(['second', 'second']);
    } finally {
      await receiver.close();
      await mock.close();
    }
  });

  it('the reference receiver rejects a message from another org with 401', async () => {
    const mock = await startMockSalesforce({
      settings: { organizationId: '00D000000000OthAAA' },
      timeScale: 100_000,
    });
    const receiver = await startSalesforceReceiver([TEST_ORG_ID]);
    try {
      const api = salesforceApi({ baseUrl: mock.url, token: mock.token });
      await api.configureWebhooks(receiver.url, SEQ_SUBSCRIPTION);
      await api.batchUpsert('contacts', [{ externalId: 'o@x.io', fields: { lastname: 'O', poc_seq: '1' } }]);
      await waitUntil(async () =>
        (await fetch(`${receiver.address}/metrics`).then((r) => r.text())).includes('reason="bad_signature"'),
      );
      expect((await truth(mock)).acknowledged).toBe(0);
    } finally {
      await receiver.close();
      await mock.close();
    }
  });
});

describe('salesforceApi for poc doctor and rate-limit-probe', () => {
  it('checkAccess passes with a valid session and never prints the token or the org id', async () => {
    expect.assertions(4);
    const mock = await startMockSalesforce();
    try {
      const checks = await salesforceApi({ baseUrl: mock.url, token: mock.token }).checkAccess?.();
      expect(checks?.map((c) => [c.name, c.ok])).toEqual([
        ['token', true],
        ['contact permissions', true],
        ['contact fields', true],
        ['records api', true],
      ]);
      const printed = JSON.stringify(checks);
      expect(printed).not.toContain(mock.token);
      expect(printed).not.toContain(TEST_ORG_ID);
      expect(printed).toContain('poc@example.com');
    } finally {
      await mock.close();
    }
  });

  it('checkAccess stops at the token check when UserInfo refuses the session', async () => {
    expect.assertions(3);
    const mock = await startMockSalesforce();
    try {
      const checks = await salesforceApi({ baseUrl: mock.url, token: 'not-a-session' }).checkAccess?.();
      expect(checks).toHaveLength(1);
      expect(checks?.[0]).toMatchObject({ name: 'token', ok: false });
      expect(checks?.[0]?.detail).toMatch(/answered 403 .*Bad_OAuth_Token/);
    } finally {
      await mock.close();
    }
  });

  it('checkAccess still passes the token when only UserInfo refuses it and REST accepts it', async () => {
    expect.assertions(2);
    const mock = await startMockSalesforce();
    try {
      // A connected app without the openid scope: the identity service says no, REST says yes.
      const noOpenId: typeof fetch = (input, init) =>
        String(input).endsWith('/services/oauth2/userinfo')
          ? Promise.resolve(new Response('Bad_OAuth_Token', { status: 403 }))
          : fetch(input, init);
      const checks = await salesforceApi({
        baseUrl: mock.url,
        token: mock.token,
        fetch: noOpenId,
      }).checkAccess?.();
      expect(checks?.every((c) => c.ok)).toBe(true);
      expect(checks?.[0]?.detail).toMatch(/REST API accepts the session; UserInfo refused it .*openid/);
    } finally {
      await mock.close();
    }
  });

  it('checkAccess names the Contact permission the integration user lacks, which the API enforces', async () => {
    expect.assertions(3);
    const mock = await startMockSalesforce({
      settings: { contactPermissions: { create: false, edit: true } },
    });
    try {
      const api = salesforceApi({ baseUrl: mock.url, token: mock.token });
      const checks = await api.checkAccess?.();
      expect(checks?.find((c) => !c.ok)).toEqual({
        name: 'contact permissions',
        ok: false,
        detail: "missing Create on Contact: grant it in the integration user's profile or a permission set",
      });
      expect(checks?.filter((c) => !c.ok)).toHaveLength(1);
      // What doctor warns about is what a run would hit: the create is refused per record.
      expect(
        await api.batchUpsert('contacts', [{ externalId: 'n@x.io', fields: { lastname: 'N' } }]),
      ).toEqual({
        created: 0,
        updated: 0,
        errors: 1,
      });
    } finally {
      await mock.close();
    }
  });

  it('probe reads Sforce-Limit-Info from the configured limiter and sees the 403 throttle', async () => {
    expect.assertions(2);
    const mock = await startMockSalesforce({
      settings: { rateLimit: { style: 'fixed', limit: 3, windowMs: 600_000 } },
    });
    try {
      const api = salesforceApi({ baseUrl: mock.url, token: mock.token });
      const seen = [];
      for (let i = 0; i < 4; i++) {
        const { status, throttled, retryAfterMs, advertised } = (await api.probe?.()) ?? {};
        seen.push({ status, throttled, retryAfterMs, advertised });
      }
      expect(seen.map((s) => [s.status, s.throttled, s.advertised?.dailyRemaining])).toEqual([
        [200, false, 2],
        [200, false, 1],
        [200, false, 0],
        [403, true, 0],
      ]);
      // Salesforce states no window, no reset and no Retry-After: only the 24 h allocation.
      expect(seen[3]).toEqual({
        status: 403,
        throttled: true,
        retryAfterMs: undefined,
        advertised: { dailyLimit: 3, dailyRemaining: 0 },
      });
    } finally {
      await mock.close();
    }
  });
});

describe('mock Salesforce API faults', () => {
  it.each([
    [{ outages: [{ startMs: 0, durationMs: 60_000 }] }, 503, 'SERVER_UNAVAILABLE'],
    [{ serverError: 1 }, 500, 'UNKNOWN_EXCEPTION'],
    [{ rateLimitStorms: [{ startMs: 0, durationMs: 60_000 }] }, 403, 'REQUEST_LIMIT_EXCEEDED'],
  ])('answers an injected %j in its own error array (%i %s)', async (faults, status, errorCode) => {
    expect.assertions(2);
    const mock = await startMockSalesforce({ faults });
    try {
      const res = await fetch(`${mock.url}/services/data/v66.0/sobjects`, {
        headers: { authorization: `Bearer ${mock.token}` },
      });
      expect(res.status).toBe(status);
      expect(await res.json()).toEqual([{ message: expect.any(String), errorCode }]);
    } finally {
      await mock.close();
    }
  });
});
