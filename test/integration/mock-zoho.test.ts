import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecordInput } from '../../harness/vendors/types.js';
import { zohoApi } from '../../harness/vendors/zoho/api.js';
import type { StartedMock } from '../helpers/servers.js';
import { tempDir } from '../helpers/servers.js';
import { waitUntil } from '../helpers/wait.js';
import { startMockZoho, startZohoReceiver } from '../helpers/zoho.js';

const SEQ_SUBSCRIPTION = { objectType: 'contacts', actions: ['update'], fields: ['poc_seq'] } as const;

// The SDK ships no type declarations; a variable specifier keeps tsc from demanding them.
const SDK_PACKAGE = '@zohocrm/nodejs-sdk-8.0';
// biome-ignore lint/suspicious/noExplicitAny: the official SDK is untyped JavaScript.
type Sdk = any;

type ZohoMockHandle = StartedMock & { refreshToken: string };

function authed(mock: ZohoMockHandle, token = mock.token) {
  return { authorization: `Zoho-oauthtoken ${token}`, 'content-type': 'application/json' };
}

async function zohoFetch(mock: ZohoMockHandle, method: string, path: string, body?: unknown, token?: string) {
  const res = await fetch(`${mock.url}${path}`, {
    method,
    headers: authed(mock, token),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: text.length > 0 ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

describe('mock Zoho CRM with the official Node SDK (@zohocrm/nodejs-sdk-8.0)', () => {
  let mock: ZohoMockHandle;
  const dir = tempDir('poc-zoho-sdk-');

  beforeEach(async () => {
    mock = await startMockZoho();
  });
  afterEach(async () => {
    await mock.close();
  });
  afterAll(() => dir.remove());

  it('initialises through a custom Environment, refreshes its token on the mock, upserts and lists', async () => {
    const sdk: Sdk = await import(SDK_PACKAGE);
    // Environment(apiUrl, accountsUrl, fileUploadUrl): no DataCenter subclass is needed.
    const environment = new sdk.Environment(mock.url, `${mock.url}/oauth/v2/token`, mock.url);
    const token = new sdk.OAuthBuilder()
      .clientId('1000.POCMOCKCLIENT')
      .clientSecret('poc-mock-client-secret')
      .refreshToken(mock.refreshToken)
      .build();
    const logger = new sdk.LogBuilder().level(sdk.Levels.OFF).filePath(`${dir.path}/sdk.log`).build();
    await (await new sdk.InitializeBuilder())
      .environment(environment)
      .token(token)
      .store(new sdk.FileStore(`${dir.path}/tokens.txt`))
      .SDKConfig(new sdk.SDKConfigBuilder().autoRefreshFields(false).pickListValidation(false).build())
      .resourcePath(dir.path)
      .logger(logger)
      .initialize();

    const contacts = new sdk.Record.RecordOperations('Contacts');
    const body = new sdk.Record.BodyWrapper();
    const ada = new sdk.Record.Record();
    ada.addKeyValue('Email', 'ada@example.com');
    ada.addKeyValue('First_Name', 'Ada');
    ada.addKeyValue('Last_Name', 'Lovelace');
    body.setData([ada]);
    body.setDuplicateCheckFields(['Email']);
    const upserted = await contacts.upsertRecords(body, new sdk.HeaderMap());
    expect(upserted.getStatusCode()).toBe(200);
    const [result] = upserted.getObject().getData();
    expect(result.getStatus().getValue()).toBe('success');
    expect(result.getCode().getValue()).toBe('SUCCESS');
    const id = String(result.getDetails().get?.('id') ?? result.getDetails().id);
    expect(id).toMatch(/^\d+$/);

    const params = new sdk.ParameterMap();
    await params.add(sdk.Record.GetRecordsParam.FIELDS, 'Email,First_Name,Last_Name');
    const listed = await contacts.getRecords(params, new sdk.HeaderMap());
    expect(listed.getStatusCode()).toBe(200);
    const records = listed.getObject().getData();
    expect(records).toHaveLength(1);
    expect(records[0].getKeyValue('Email')).toBe('ada@example.com');
    expect(String(records[0].getId())).toBe(id);
    expect(listed.getObject().getInfo().getMoreRecords()).toBe(false);

    // The SDK got its access token from the mock's accounts endpoint and filed it with the mock's api_domain.
    const stored = readFileSync(`${dir.path}/tokens.txt`, 'utf8');
    expect(stored).toMatch(/1000\.[0-9a-f]{32}\.[0-9a-f]{32}/);
    expect(stored).toContain(mock.url);

    const notifications = new sdk.Notifications.NotificationsOperations();
    const watch = new sdk.Notifications.BodyWrapper();
    const channel = new sdk.Notifications.Notification();
    channel.setChannelId('1000000068001');
    channel.setEvents(['Contacts.edit']);
    channel.setToken(mock.secret);
    channel.setNotifyUrl('http://127.0.0.1:9/zoho');
    channel.setChannelExpiry(new Date(Date.now() + 3_600_000));
    channel.setReturnAffectedFieldValues(true);
    watch.setWatch([channel]);
    const enabled = await notifications.enableNotifications(watch);
    expect(enabled.getStatusCode()).toBe(200);
    const [entry] = enabled.getObject().getWatch();
    expect(entry.getStatus().getValue()).toBe('success');
    const details = await zohoFetch(mock, 'GET', '/crm/v8/actions/watch');
    expect(details.body.watch).toMatchObject([{ channel_id: '1000000068001', events: ['Contacts.edit'] }]);
  });
});

describe('mock Zoho CRM on the wire', () => {
  let mock: ZohoMockHandle;

  afterEach(async () => {
    await mock.close();
  });

  it('answers a wrong token, a missing header and a missing scope with Zoho’s 401 bodies', async () => {
    mock = await startMockZoho({ settings: { issuedScopes: ['ZohoCRM.modules.contacts.READ'] } });
    const wrong = await zohoFetch(mock, 'GET', '/crm/v8/Contacts?fields=Email', undefined, 'nope');
    expect(wrong).toEqual({
      status: 401,
      body: { code: 'INVALID_TOKEN', details: {}, message: 'invalid oauth token', status: 'error' },
    });
    const missing = await fetch(`${mock.url}/crm/v8/Contacts?fields=Email`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ code: 'AUTHENTICATION_FAILURE', status: 'error' });

    // accounts.zoho.com's refresh grant, as a form; the token it issues can only read contacts.
    const grant = await fetch(`${mock.url}/oauth/v2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: mock.refreshToken,
        client_id: '1000.POCMOCKCLIENT',
        client_secret: 'poc-mock-client-secret',
      }).toString(),
    });
    const issued = (await grant.json()) as Record<string, unknown>;
    expect(issued).toMatchObject({ api_domain: mock.url, token_type: 'Bearer', expires_in: 3600 });
    const readOnly = String(issued.access_token);
    expect((await zohoFetch(mock, 'GET', '/crm/v8/Contacts?fields=Email', undefined, readOnly)).status).toBe(
      204,
    );
    const denied = await zohoFetch(
      mock,
      'POST',
      '/crm/v8/Contacts/upsert',
      { data: [{ Last_Name: 'X' }] },
      readOnly,
    );
    expect(denied).toEqual({
      status: 401,
      body: {
        code: 'OAUTH_SCOPE_MISMATCH',
        details: {},
        message: 'invalid oauth scope to access this URL',
        status: 'error',
      },
    });
    const badGrant = await fetch(
      `${mock.url}/oauth/v2/token?grant_type=refresh_token&refresh_token=nope&client_id=a&client_secret=b`,
      {
        method: 'POST',
      },
    );
    expect(await badGrant.json()).toEqual({ error: 'invalid_code' });
  });

  it('writes contacts with Zoho’s per-record results: insert, upsert by Email, update, get, delete', async () => {
    mock = await startMockZoho();
    const inserted = await zohoFetch(mock, 'POST', '/crm/v8/Contacts', {
      data: [{ Email: 'ada@example.com', Last_Name: 'Lovelace' }, { First_Name: 'NoLastName' }],
    });
    expect(inserted.status).toBe(207);
    const [ok, failed] = inserted.body.data as Record<string, unknown>[];
    expect(ok).toMatchObject({ code: 'SUCCESS', message: 'record added', status: 'success' });
    const details = (ok?.details ?? {}) as { id?: string; Modified_Time?: string };
    const id = details.id ?? '';
    expect(details.Modified_Time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
    expect(failed).toEqual({
      code: 'MANDATORY_NOT_FOUND',
      details: { api_name: 'Last_Name', json_path: '$.data[1].Last_Name' },
      message: 'required field not found',
      status: 'error',
    });

    const upserted = await zohoFetch(mock, 'POST', '/crm/v8/Contacts/upsert', {
      data: [
        { Email: 'ADA@example.com', Phone: '+44 1' },
        { Email: 'grace@example.com', Last_Name: 'Hopper' },
      ],
      duplicate_check_fields: ['Email'],
    });
    expect(upserted.status).toBe(200);
    const [updated, created] = upserted.body.data as Record<string, unknown>[];
    expect(updated).toMatchObject({ action: 'update', duplicate_field: 'Email', details: { id } });
    expect(created).toMatchObject({ action: 'insert', duplicate_field: null, message: 'record added' });

    const put = await zohoFetch(mock, 'PUT', '/crm/v8/Contacts', {
      data: [
        { id, First_Name: 'Ada' },
        { id: '1', Phone: 'x' },
      ],
    });
    expect(put.status).toBe(207);
    expect((put.body.data as Record<string, unknown>[])[1]).toMatchObject({
      code: 'INVALID_DATA',
      status: 'error',
    });
    const got = await zohoFetch(mock, 'GET', `/crm/v8/Contacts/${id}`);
    expect(got.body.data).toMatchObject([
      // Upsert matched case-insensitively and wrote the Email it was given.
      { id, Email: 'ADA@example.com', First_Name: 'Ada', Last_Name: 'Lovelace', Phone: '+44 1' },
    ]);

    const tooMany = await zohoFetch(mock, 'POST', '/crm/v8/Contacts/upsert', {
      data: Array.from({ length: 101 }, (_, i) => ({ Email: `x${i}@example.com`, Last_Name: 'X' })),
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toMatchObject({ code: 'LIMIT_EXCEEDED', status: 'error' });

    const deleted = await zohoFetch(mock, 'DELETE', `/crm/v8/Contacts?ids=${id}`);
    expect(deleted.body.data).toEqual([
      { code: 'SUCCESS', details: { id }, message: 'record deleted', status: 'success' },
    ]);
    expect((await zohoFetch(mock, 'GET', `/crm/v8/Contacts/${id}`)).status).toBe(400);
    const unknown = await zohoFetch(mock, 'GET', '/crm/v8/Nope/1/2/3');
    expect(unknown.body).toMatchObject({ code: 'INVALID_URL_PATTERN', status: 'error' });
  });

  it('pages with page/per_page up to the page limit, then with page_token; If-Modified-Since answers 304', async () => {
    mock = await startMockZoho({ settings: { pageParamRecordLimit: 4 } });
    await zohoFetch(mock, 'POST', '/crm/v8/Contacts', {
      data: Array.from({ length: 7 }, (_, i) => ({ Email: `p${i}@example.com`, Last_Name: `P${i}` })),
    });
    expect((await zohoFetch(mock, 'GET', '/crm/v8/Contacts')).body).toMatchObject({
      code: 'REQUIRED_PARAM_MISSING',
      details: { param: 'fields' },
    });
    const first = await zohoFetch(mock, 'GET', '/crm/v8/Contacts?fields=Email&per_page=2&page=2');
    expect(first.body.data).toMatchObject([{ Email: 'p2@example.com' }, { Email: 'p3@example.com' }]);
    expect(first.body.info).toMatchObject({ per_page: 2, count: 2, page: 2, more_records: true });
    const beyond = await zohoFetch(mock, 'GET', '/crm/v8/Contacts?fields=Email&per_page=2&page=3');
    expect(beyond.body).toMatchObject({ code: 'DISCRETE_PAGINATION_LIMIT_EXCEEDED', status: 'error' });
    const emails: string[] = [];
    let token = (first.body.info as { next_page_token: string }).next_page_token;
    while (token) {
      const page = await zohoFetch(mock, 'GET', `/crm/v8/Contacts?fields=Email&page_token=${token}`);
      emails.push(...(page.body.data as { Email: string }[]).map((r) => r.Email));
      token = (page.body.info as { next_page_token: string | null }).next_page_token ?? '';
    }
    expect(emails).toEqual(['p4@example.com', 'p5@example.com', 'p6@example.com']);

    const since = new Date(Date.now() + 1000).toUTCString();
    const unchanged = await fetch(`${mock.url}/crm/v8/Contacts?fields=Email&per_page=2`, {
      headers: { ...authed(mock), 'if-modified-since': since },
    });
    expect(unchanged.status).toBe(304);
    const before = new Date(Date.now() - 1000).toUTCString();
    const changed = await fetch(`${mock.url}/crm/v8/Contacts?fields=Email&per_page=2`, {
      headers: { ...authed(mock), 'if-modified-since': before },
    });
    expect(changed.status).toBe(200);
  });

  it('turns away calls past the org’s concurrency cap and its credits with 429 TOO_MANY_REQUESTS', async () => {
    mock = await startMockZoho({ settings: { concurrencyCap: 2, responseDelayMs: 300, credits: 4 } });
    const burst = await Promise.all(
      Array.from({ length: 5 }, () =>
        fetch(`${mock.url}/crm/v8/Contacts?fields=Email`, { headers: authed(mock) }),
      ),
    );
    const statuses = burst.map((r) => r.status).sort();
    expect(statuses).toEqual([204, 204, 429, 429, 429]);
    const limited = burst.find((r) => r.status === 429);
    expect(await limited?.json()).toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      status: 'error',
      details: { limit: 2 },
    });
    // Zoho documents no rate-limit headers, and the mock sends none.
    expect([...(limited?.headers.keys() ?? [])].filter((h) => h.includes('ratelimit'))).toEqual([]);
    // Two credits spent above, two left: the fifth call is over the rolling 24 h budget.
    const after = [];
    for (let i = 0; i < 3; i++)
      after.push((await zohoFetch(mock, 'GET', '/crm/v8/Contacts?fields=Email')).status);
    expect(after).toEqual([204, 204, 429]);
  });

  it('enables, lists and disables channels; an expiry beyond the maximum falls back to the default', async () => {
    mock = await startMockZoho({ settings: { channelExpiryMaxMs: 86_400_000 } });
    const far = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const enabled = await zohoFetch(mock, 'POST', '/crm/v8/actions/watch', {
      watch: [
        {
          channel_id: 1000000068001,
          events: ['Contacts.all'],
          notify_url: 'http://127.0.0.1:9/x',
          channel_expiry: far,
          token: 't',
        },
        { channel_id: 'abc', events: ['Contacts.edit'], notify_url: 'http://127.0.0.1:9/x' },
      ],
    });
    expect(enabled.status).toBe(207);
    expect(enabled.body.watch).toMatchObject([
      { code: 'SUCCESS', status: 'success' },
      { code: 'INVALID_DATA', details: { api_name: 'channel_id' }, status: 'error' },
    ]);
    const listed = await zohoFetch(mock, 'GET', '/crm/v8/actions/watch');
    const [channel] = listed.body.watch as { channel_id: string; channel_expiry: string }[];
    expect(channel?.channel_id).toBe('1000000068001');
    const lifetime = Date.parse(channel?.channel_expiry ?? '') - Date.now();
    expect(lifetime).toBeGreaterThan(3_500_000);
    expect(lifetime).toBeLessThanOrEqual(3_600_000);
    const disabled = await zohoFetch(mock, 'DELETE', '/crm/v8/actions/watch?channel_ids=1000000068001');
    expect(disabled.body.watch).toMatchObject([
      { code: 'SUCCESS', details: { channel_id: '1000000068001' } },
    ]);
    expect((await zohoFetch(mock, 'GET', '/crm/v8/actions/watch')).status).toBe(204);
  });

  it('notifies the reference receiver: ids of one operation, at most 100 per notification, with the changed values', async () => {
    expect.hasAssertions();
    mock = await startMockZoho();
    const receiver = await startZohoReceiver([mock.secret]);
    try {
      const pool = Array.from({ length: 150 }, (_, i) => ({
        externalId: `n${i}@example.com`,
        fields: { email: `n${i}@example.com`, lastname: `N${i}` },
      }));
      const firehose = (inputs: readonly RecordInput[]) =>
        fetch(`${mock.url}/__admin/firehose`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ objectType: 'contacts', inputs }),
        });
      // The pool exists before the channel, so creating it notifies nobody.
      await firehose(pool);
      const api = zohoApi({ baseUrl: mock.url, token: mock.token, webhookSecret: mock.secret });
      await api.configureWebhooks(receiver.url, SEQ_SUBSCRIPTION);
      const sizes: number[] = [];
      const seqs = new Map<string, string>();
      receiver.pipeline.events.on('accepted', (events) => {
        sizes.push(events.length);
        for (const e of events) seqs.set(e.fields.poc_seq ?? '', e.objectId);
      });
      const updates = pool.map((p, i) => ({ externalId: p.externalId, fields: { poc_seq: `api-${i}` } }));
      expect(await api.batchUpsert('contacts', updates.slice(0, 100))).toEqual({
        created: 0,
        updated: 100,
        errors: 0,
      });
      await api.batchUpsert('contacts', updates.slice(100));
      // Changes made inside Zoho notify exactly as API writes do.
      await firehose(pool.map((p, i) => ({ externalId: p.externalId, fields: { poc_seq: `ui-${i}` } })));
      await waitUntil(() => seqs.size === 300);
      expect(sizes.sort((a, b) => b - a)).toEqual([100, 100, 50, 50]);
      expect(seqs.get('api-0')).toBe(seqs.get('ui-0'));
      const truth = (await (await fetch(`${mock.url}/__admin/truth`)).json()) as Record<string, number>;
      expect(truth).toMatchObject({ emitted: 4, acknowledged: 4, failedAttempts: 0 });
    } finally {
      await receiver.close();
    }
  });

  it('a notification whose echoed token is wrong gets 401 from the reference receiver', async () => {
    mock = await startMockZoho();
    const receiver = await startZohoReceiver([mock.secret]);
    try {
      const notification = {
        server_time: Date.now(),
        query_params: {},
        module: 'Contacts',
        resource_uri: `${mock.url}/crm/v8/Contacts`,
        ids: ['4876876000000000001'],
        affected_fields: [{ '4876876000000000001': ['Poc_Seq'] }],
        affected_values: [{ record_id: '4876876000000000001', values: { Poc_Seq: '1:1:1' } }],
        operation: 'update',
        channel_id: '1000000068001',
      };
      const post = (body: unknown) =>
        fetch(receiver.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      expect((await post({ ...notification, token: 'not-the-channel-token' })).status).toBe(401);
      expect((await post(notification)).status).toBe(401);
      expect((await post({ ...notification, token: mock.secret })).status).toBe(200);

      // A channel created with the wrong token: every delivery is refused and retried.
      const api = zohoApi({ baseUrl: mock.url, token: mock.token, webhookSecret: 'not-the-channel-token' });
      await fetch(`${mock.url}/__admin/firehose`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          objectType: 'contacts',
          inputs: [{ externalId: 'w@example.com', fields: { lastname: 'W' } }],
        }),
      });
      await api.configureWebhooks(receiver.url, SEQ_SUBSCRIPTION);
      await api.batchUpsert('contacts', [{ externalId: 'w@example.com', fields: { poc_seq: 'x' } }]);
      await waitUntil(async () => {
        const truth = (await (await fetch(`${mock.url}/__admin/truth`)).json()) as Record<string, number>;
        return (truth.failedAttempts ?? 0) > 0;
      });
    } finally {
      await receiver.close();
    }
  });
});

describe('Zoho access checks, probe and injected faults against the mock', () => {
  let mock: ZohoMockHandle;

  afterEach(async () => {
    await mock.close();
  });

  /** A token from the mock's refresh grant, carrying only the `issuedScopes` the mock was given. */
  async function issuedToken(m: ZohoMockHandle): Promise<string> {
    const grant = await fetch(`${m.url}/oauth/v2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: m.refreshToken,
        client_id: '1000.POCMOCKCLIENT',
        client_secret: 'poc-mock-client-secret',
      }).toString(),
    });
    return String(((await grant.json()) as { access_token?: string }).access_token);
  }

  it('checkAccess: every check passes with a full token, and nothing is written', async () => {
    mock = await startMockZoho();
    const api = zohoApi({ baseUrl: mock.url, token: mock.token, webhookSecret: mock.secret });
    const checks = (await api.checkAccess?.()) ?? [];
    expect(checks.map((c) => [c.name, c.ok])).toEqual([
      ['token', true],
      ['contacts read', true],
      ['contacts upsert', true],
      ['notifications', true],
      ['channel token', true],
    ]);
    expect(checks[0]?.detail).toContain('CRM profile Administrator');
    // The write checks are refused for their empty lists: no record, no channel.
    expect((await zohoFetch(mock, 'GET', '/crm/v8/Contacts?fields=Email')).status).toBe(204);
    expect((await zohoFetch(mock, 'GET', '/crm/v8/actions/watch')).status).toBe(204);
    for (const c of checks) expect(c.detail).not.toContain(mock.token);
  });

  it('checkAccess: a wrong token fails the token check, naming the variable, not the value', async () => {
    mock = await startMockZoho();
    const wrong = '1000.wrongtoken.0123456789';
    const checks = (await zohoApi({ baseUrl: mock.url, token: wrong }).checkAccess?.()) ?? [];
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({ name: 'token', ok: false });
    expect(checks[0]?.detail).toContain('INVALID_TOKEN');
    expect(checks[0]?.detail).toContain('POC_ZOHO_ACCESS_TOKEN');
    expect(checks[0]?.detail).not.toContain(wrong);
  });

  it('checkAccess: a token without write and notification scopes names each missing scope', async () => {
    mock = await startMockZoho({ settings: { issuedScopes: ['ZohoCRM.modules.contacts.READ'] } });
    const api = zohoApi({ baseUrl: mock.url, token: await issuedToken(mock), webhookSecret: 'x'.repeat(51) });
    const checks = (await api.checkAccess?.()) ?? [];
    const byName = Object.fromEntries(checks.map((c) => [c.name, c]));
    // No ZohoCRM.users.READ either, but the scope error proves the token itself is valid.
    expect(byName.token).toMatchObject({ ok: true });
    expect(byName['contacts read']).toMatchObject({ ok: true });
    expect(byName['contacts upsert']).toMatchObject({ ok: false });
    expect(byName['contacts upsert']?.detail).toContain('missing scope ZohoCRM.modules.contacts.CREATE');
    expect(byName.notifications).toMatchObject({ ok: false });
    expect(byName.notifications?.detail).toContain('missing scope ZohoCRM.notifications.CREATE');
    expect(byName['channel token']).toMatchObject({ ok: false });
  });

  it('probe: reads through settings.rateLimit and sees Zoho’s 429, with nothing advertised', async () => {
    mock = await startMockZoho({ settings: { rateLimit: { style: 'fixed', limit: 3, windowMs: 60_000 } } });
    const api = zohoApi({ baseUrl: mock.url, token: mock.token });
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await api.probe?.());
    expect(results.map((r) => [r?.status, r?.throttled])).toEqual([
      [204, false],
      [204, false],
      [204, false],
      [429, true],
    ]);
    expect(results.every((r) => Object.keys(r?.advertised ?? {}).length === 0)).toBe(true);
    expect(results[3]?.retryAfterMs).toBeUndefined();
    const body = await zohoFetch(mock, 'GET', '/crm/v8/Contacts?fields=Email');
    expect(body).toMatchObject({ status: 429, body: { code: 'TOO_MANY_REQUESTS', details: { limit: 3 } } });
  });

  it('answers injected outages and 429 storms in Zoho’s error shape', async () => {
    mock = await startMockZoho({ faults: { outages: [{ startMs: 0, durationMs: 60_000 }] } });
    expect(await zohoFetch(mock, 'GET', '/crm/v8/Contacts?fields=Email')).toEqual({
      status: 503,
      body: { code: 'INTERNAL_ERROR', details: {}, message: 'Service Unavailable', status: 'error' },
    });
    await mock.close();
    mock = await startMockZoho({ faults: { rateLimitStorms: [{ startMs: 0, durationMs: 60_000 }] } });
    const storm = await zohoFetch(mock, 'GET', '/crm/v8/Contacts?fields=Email');
    expect(storm).toMatchObject({ status: 429, body: { code: 'TOO_MANY_REQUESTS', status: 'error' } });
  });
});
