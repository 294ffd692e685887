import { afterEach, describe, expect, it } from 'vitest';
import { dynamicsApi } from '../../harness/vendors/dynamics/api.js';
import { startMockDynamics } from '../helpers/dynamics.js';
import { pathVariants } from '../helpers/path-variants.js';
import { startMockPipedrive } from '../helpers/pipedrive.js';
import { bodyOf, captureRequests, type RawAnswer, rawRequest } from '../helpers/raw-http.js';
import type { StartedMock } from '../helpers/servers.js';
import { waitUntil } from '../helpers/wait.js';
import { startMockZoho } from '../helpers/zoho.js';

// The Pipedrive, Zoho and Dataverse mocks authenticate, scope-check and rate-limit the route the
// router matched (mock-auth-paths.test.ts does the same for HubSpot, Salesforce and Standard).
// Every spelling of every write below is sent without a valid credential: each must get the
// vendor's own 401 (or its own 404 where it routes nowhere), and what the valid credential reads
// back afterwards must show that nothing was written and the webhook target did not move. The same
// kind of spelling with the credential then reaches the handler, so the refusals are the gate's.

interface Write {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
}

/** What a vendor's set-up left behind that the writes may name (a webhook endpoint's id). */
type Ids = Readonly<Record<string, string>>;

interface VendorCase {
  readonly vendor: string;
  start(): Promise<StartedMock>;
  auth(token: string): Record<string, string>;
  /** With the credential: the webhook target (and a subscription) pointing at `url`. */
  setup(mock: StartedMock, url: string): Promise<Ids>;
  /** Writes of records and of the webhook target, the target moved to `evil`. */
  writes(evil: string, ids: Ids): Write[];
  /** Whether a refusal is the vendor's own: its 401, or its 404 for a path it does not route. */
  isOwnRefusal(answer: RawAnswer): boolean;
  /** With the credential: no record exists and the target is still `url`. */
  nothingWritten(mock: StartedMock, url: string): Promise<void>;
  /** A record write the test sends with the credential on a percent-encoded path. */
  readonly routedWrite: Write;
}

async function send(mock: StartedMock, w: Write, headers: Record<string, string> = {}) {
  return rawRequest(mock.url, w.method, w.path, { headers, body: JSON.stringify(w.body) });
}

/** A read with the credential; `status` is what it must answer. */
async function read(mock: StartedMock, path: string, auth: Record<string, string>, status = 200) {
  const answer = await rawRequest(mock.url, 'GET', path, { headers: auth });
  expect(answer.status, `GET ${path}: ${answer.text.slice(0, 200)}`).toBe(status);
  return bodyOf(answer) as Record<string, unknown>;
}

const DATAVERSE = '/api/data/v9.2';
const CHANNEL = '1000000068001';

const PIPEDRIVE: VendorCase = {
  vendor: 'pipedrive',
  start: () => startMockPipedrive(),
  auth: (token) => ({ 'x-api-token': token }),
  async setup(mock, url) {
    const answer = await send(
      mock,
      {
        method: 'POST',
        path: '/v1/webhooks',
        body: { subscription_url: url, event_action: '*', event_object: 'person' },
      },
      this.auth(mock.token),
    );
    expect(answer.status, answer.text).toBe(201);
    return { webhook: String((bodyOf(answer) as { data: { id: number } }).data.id) };
  },
  writes: (evil, ids) => [
    {
      method: 'POST',
      path: '/api/v2/persons',
      body: { name: 'Intruder', emails: [{ value: 'intruder@evil.test', primary: true }] },
    },
    { method: 'PATCH', path: '/api/v2/persons/1', body: { name: 'Intruder' } },
    {
      method: 'POST',
      path: '/v1/webhooks',
      body: { subscription_url: evil, event_action: '*', event_object: 'person' },
    },
    { method: 'DELETE', path: `/v1/webhooks/${ids.webhook}`, body: {} },
    { method: 'POST', path: '/v1/personFields', body: { name: 'Intruder', field_type: 'varchar' } },
  ],
  isOwnRefusal(answer) {
    const body = bodyOf(answer) as Record<string, unknown> | null;
    const shape =
      body?.success === false && typeof body.error === 'string' && typeof body.error_info === 'string';
    return shape && (answer.status !== 401 || body.errorCode === 401);
  },
  async nothingWritten(mock, url) {
    const auth = this.auth(mock.token);
    expect((await read(mock, '/api/v2/persons', auth)).data).toEqual([]);
    const hooks = (await read(mock, '/v1/webhooks', auth)).data as { subscription_url: string }[];
    expect(hooks.map((h) => h.subscription_url)).toEqual([url]);
    const fields = (await read(mock, '/v1/personFields', auth)).data as { name: string }[];
    expect(fields.map((f) => f.name)).not.toContain('Intruder');
  },
  routedWrite: {
    method: 'POST',
    path: '/%61pi/v2/persons',
    body: { name: 'Ada', emails: [{ value: 'ada@example.com', primary: true }] },
  },
};

const ZOHO: VendorCase = {
  vendor: 'zoho',
  start: () => startMockZoho(),
  auth: (token) => ({ authorization: `Zoho-oauthtoken ${token}` }),
  async setup(mock, url) {
    const answer = await send(
      mock,
      {
        method: 'POST',
        path: '/crm/v8/actions/watch',
        body: { watch: [{ channel_id: CHANNEL, events: ['Contacts.all'], notify_url: url }] },
      },
      this.auth(mock.token),
    );
    expect(answer.status, answer.text).toBe(200);
    return {};
  },
  writes: (evil) => [
    {
      method: 'POST',
      path: '/crm/v8/Contacts',
      body: { data: [{ Last_Name: 'Intruder', Email: 'intruder@evil.test' }] },
    },
    {
      method: 'POST',
      path: '/crm/v8/Contacts/upsert',
      body: { data: [{ Last_Name: 'Intruder', Email: 'intruder@evil.test' }] },
    },
    {
      method: 'PUT',
      path: '/crm/v8/actions/watch',
      body: { watch: [{ channel_id: CHANNEL, events: ['Contacts.all'], notify_url: evil }] },
    },
    {
      method: 'PATCH',
      path: '/crm/v8/actions/watch',
      body: { watch: [{ channel_id: CHANNEL, notify_url: evil }] },
    },
  ],
  isOwnRefusal(answer) {
    const codes =
      answer.status === 401 ? ['AUTHENTICATION_FAILURE', 'INVALID_TOKEN'] : ['INVALID_URL_PATTERN'];
    const body = bodyOf(answer) as Record<string, unknown> | null;
    return (
      body?.status === 'error' &&
      codes.includes(String(body.code)) &&
      typeof body.message === 'string' &&
      typeof body.details === 'object'
    );
  },
  async nothingWritten(mock, url) {
    const auth = this.auth(mock.token);
    // Zoho answers a list with nothing in it 204 No Content.
    await read(mock, '/crm/v8/Contacts?fields=Last_Name', auth, 204);
    const watch = (await read(mock, '/crm/v8/actions/watch', auth)).watch as { notify_url: string }[];
    expect(watch.map((w) => w.notify_url)).toEqual([url]);
  },
  routedWrite: {
    method: 'POST',
    path: '/%63rm/v8/Contacts',
    body: { data: [{ Last_Name: 'Ada', Email: 'ada@example.com' }] },
  },
};

const DYNAMICS: VendorCase = {
  vendor: 'dynamics',
  start: () => startMockDynamics(),
  auth: (token) => ({ authorization: `Bearer ${token}` }),
  async setup(mock, url) {
    const api = dynamicsApi({ baseUrl: mock.url, token: mock.token, webhookSecret: mock.secret });
    await api.configureWebhooks(url, { objectType: 'contacts', actions: ['create'], fields: [] });
    const endpoints = (await read(mock, `${DATAVERSE}/serviceendpoints`, this.auth(mock.token))).value as {
      serviceendpointid: string;
    }[];
    return { endpoint: endpoints[0]?.serviceendpointid ?? '' };
  },
  writes: (evil, ids) => [
    {
      method: 'POST',
      path: `${DATAVERSE}/contacts`,
      body: { firstname: 'Intruder', emailaddress1: 'intruder@evil.test' },
    },
    {
      method: 'PATCH',
      path: `${DATAVERSE}/contacts(emailaddress1='intruder@evil.test')`,
      body: { firstname: 'Intruder' },
    },
    { method: 'PATCH', path: `${DATAVERSE}/serviceendpoints(${ids.endpoint})`, body: { url: evil } },
    {
      method: 'POST',
      path: `${DATAVERSE}/serviceendpoints`,
      body: { name: 'evil', url: evil, contract: 8, authtype: 5, authvalue: 'x' },
    },
  ],
  isOwnRefusal(answer) {
    const body = bodyOf(answer) as { error?: { code?: unknown; message?: unknown } } | null;
    const shape = typeof body?.error?.code === 'string' && typeof body.error.message === 'string';
    return shape && (answer.status !== 401 || /^Bearer /.test(String(answer.headers['www-authenticate'])));
  },
  async nothingWritten(mock, url) {
    const auth = this.auth(mock.token);
    expect((await read(mock, `${DATAVERSE}/contacts`, auth)).value).toEqual([]);
    const endpoints = (await read(mock, `${DATAVERSE}/serviceendpoints`, auth)).value as { url: string }[];
    expect(endpoints.map((e) => e.url)).toEqual([url]);
  },
  routedWrite: {
    method: 'POST',
    path: '/%61pi/data/v9.2/contacts',
    body: { firstname: 'Ada', emailaddress1: 'ada@example.com' },
  },
};

describe.each([PIPEDRIVE, ZOHO, DYNAMICS])('$vendor mock: no spelling of a path gets past its auth', (c) => {
  const closing: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closing.splice(0).reverse()) await close();
  });

  it('answers every spelling of every write without a valid credential with its own 401 or 404, and writes nothing', async () => {
    const mock = await c.start();
    closing.push(() => mock.close());
    const legit = await captureRequests();
    closing.push(legit.close);
    const evil = await captureRequests();
    closing.push(evil.close);
    const ids = await c.setup(mock, legit.url);

    const admitted: string[] = [];
    const misshapen: string[] = [];
    let sent = 0;
    for (const write of c.writes(evil.url, ids)) {
      for (const { trick, path } of [
        { trick: 'as written', path: write.path },
        ...pathVariants(write.path),
      ]) {
        for (const headers of [{}, c.auth('wrong-token')]) {
          const answer = await send(mock, { ...write, path }, headers);
          sent++;
          const what = `${write.method} ${path} (${trick}) -> ${answer.status} ${answer.text.slice(0, 160)}`;
          if (answer.status !== 401 && answer.status !== 404) admitted.push(what);
          else if (!c.isOwnRefusal(answer)) misshapen.push(what);
        }
      }
    }
    expect(sent).toBeGreaterThan(200);
    expect(admitted).toEqual([]);
    expect(misshapen).toEqual([]);

    const truth = (await (await fetch(`${mock.url}/__admin/truth`)).json()) as { emitted: number };
    expect(truth.emitted).toBe(0);
    await c.nothingWritten(mock, legit.url);

    // With the credential the same kind of spelling is served: the router decodes it, the gate lets it by.
    const routed = await send(mock, c.routedWrite, c.auth(mock.token));
    expect(routed.status, routed.text).toBeGreaterThanOrEqual(200);
    expect(routed.status, routed.text).toBeLessThan(300);
    await waitUntil(() => legit.received.length > 0, 10_000, 'a delivery to the configured target');
    expect(evil.received).toEqual([]);
  });
});

interface LimitCase {
  readonly vendor: string;
  /** The mock with room for three API requests. */
  start(): Promise<StartedMock>;
  auth(token: string): Record<string, string>;
  /** Four spellings of reads the router serves alike. */
  readonly paths: readonly string[];
  /** The vendor's over-limit answer. */
  readonly limited: { readonly status: number; readonly body: unknown };
}

const THREE_AN_HOUR = { style: 'fixed', limit: 3, windowMs: 3_600_000 } as const;

const LIMIT_CASES: readonly LimitCase[] = [
  {
    vendor: 'pipedrive',
    start: () => startMockPipedrive({ settings: { rateLimit: THREE_AN_HOUR } }),
    auth: PIPEDRIVE.auth,
    paths: ['/%61pi/v2/persons', '/api/%762/persons', '/api/v2/%70ersons', '/%76%31/webhooks'],
    limited: { status: 429, body: { success: false, errorCode: 429 } },
  },
  {
    vendor: 'zoho',
    start: () => startMockZoho({ settings: { rateLimit: THREE_AN_HOUR } }),
    auth: ZOHO.auth,
    paths: ['/%63rm/v8/users', '/crm/%768/org', '/crm/v8/%75sers', '/crm/v8/%6Frg'],
    limited: { status: 429, body: { code: 'TOO_MANY_REQUESTS', status: 'error' } },
  },
  {
    vendor: 'dynamics',
    start: () => startMockDynamics({ settings: { requestsLimit: 3 } }),
    auth: DYNAMICS.auth,
    paths: [
      '/%61pi/data/v9.2/WhoAmI',
      '/api/%64ata/v9.2/WhoAmI',
      '/api/data/%769.2/WhoAmI',
      '/api/data/v9%2E2/%57hoAmI',
    ],
    limited: { status: 429, body: { error: { code: '0x80072322' } } },
  },
];

describe.each(LIMIT_CASES)('$vendor mock: limits count every spelling of a route', (c) => {
  it('answers the fourth of four differently spelled reads with its over-limit answer', async () => {
    const mock = await c.start();
    try {
      const statuses: number[] = [];
      let last: RawAnswer | undefined;
      for (const path of c.paths) {
        last = await rawRequest(mock.url, 'GET', path, { headers: c.auth(mock.token) });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([200, 200, 200, c.limited.status]);
      expect(bodyOf(last as RawAnswer)).toMatchObject(c.limited.body as object);
    } finally {
      await mock.close();
    }
  });
});

describe('pipedrive mock: the search limit follows the route, not its spelling', () => {
  it('counts a percent-encoded search against the search limit', async () => {
    const mock = await startMockPipedrive({ settings: { searchBurstLimit: 1 } });
    try {
      const auth = PIPEDRIVE.auth(mock.token);
      const first = await rawRequest(mock.url, 'GET', '/api/v2/persons/search?term=ab', { headers: auth });
      expect(first.status).toBe(200);
      const second = await rawRequest(mock.url, 'GET', '/%61pi/v2/persons/search?term=ab', { headers: auth });
      expect(second.status).toBe(429);
      expect(bodyOf(second)).toMatchObject({ success: false, errorCode: 429 });
    } finally {
      await mock.close();
    }
  });
});

/** An access token from the mock's accounts endpoint, with the scopes the mock was told to issue. */
async function zohoToken(mock: StartedMock & { refreshToken: string }): Promise<string> {
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
  return String(((await grant.json()) as { access_token?: unknown }).access_token);
}

describe('zoho mock: scopes follow the route, not its spelling', () => {
  it('refuses a watch to a token without a notifications scope, however the path is spelled', async () => {
    const mock = await startMockZoho({ settings: { issuedScopes: ['ZohoCRM.modules.ALL'] } });
    try {
      const token = await zohoToken(mock);
      const answers: RawAnswer[] = [];
      for (const path of ['/crm/v8/actions/watch', '/crm/v8/%61ctions/watch', '/crm/v8/actions/%77atch']) {
        answers.push(
          await rawRequest(mock.url, 'POST', path, {
            headers: ZOHO.auth(token),
            body: JSON.stringify({
              watch: [{ channel_id: CHANNEL, events: ['Contacts.all'], notify_url: 'http://127.0.0.1:9/x' }],
            }),
          }),
        );
      }
      expect(answers.map((a) => a.status)).toEqual([401, 401, 401]);
      for (const a of answers) expect(bodyOf(a)).toMatchObject({ code: 'OAUTH_SCOPE_MISMATCH' });
      expect(bodyOf(await rawRequest(mock.url, 'GET', '/__admin/truth'))).toMatchObject({ emitted: 0 });
      const watch = await rawRequest(mock.url, 'GET', '/crm/v8/actions/watch', {
        headers: ZOHO.auth(mock.token),
      });
      expect(watch.status).toBe(204);
    } finally {
      await mock.close();
    }
  });

  it('asks an encoded upsert for both CREATE and UPDATE, and reads the module from the matched route', async () => {
    const mock = await startMockZoho({
      settings: { issuedScopes: ['ZohoCRM.modules.contacts.CREATE', 'ZohoCRM.modules.contacts.READ'] },
    });
    try {
      const token = await zohoToken(mock);
      const body = JSON.stringify({ data: [{ Last_Name: 'Ada', Email: 'ada@example.com' }] });
      for (const path of [
        '/crm/v8/Contacts/upsert',
        '/crm/v8/Contacts/%75psert',
        '/crm/v8/%43ontacts/upsert',
      ]) {
        const upsert = await rawRequest(mock.url, 'POST', path, { headers: ZOHO.auth(token), body });
        expect(upsert.status, path).toBe(401);
        expect(bodyOf(upsert)).toMatchObject({ code: 'OAUTH_SCOPE_MISMATCH' });
      }
      // The module's own scope admits an insert however its name is spelled in the path.
      const insert = await rawRequest(mock.url, 'POST', '/crm/v8/%43ontacts', {
        headers: ZOHO.auth(token),
        body,
      });
      expect(insert.status, insert.text).toBe(201);
    } finally {
      await mock.close();
    }
  });
});

describe('dynamics mock: security roles follow the route, not its spelling', () => {
  it('refuses an encoded create to a user whose roles lack prvCreateContact, and creates nothing', async () => {
    const mock = await startMockDynamics({ settings: { privileges: ['prvReadContact'] } });
    try {
      const auth = DYNAMICS.auth(mock.token);
      const body = JSON.stringify({ firstname: 'Ada', emailaddress1: 'ada@example.com' });
      for (const path of [
        '/api/data/v9.2/%63ontacts',
        '/%61pi/data/v9.2/contacts',
        '/api/data/v9%2e2/contacts',
      ]) {
        const answer = await rawRequest(mock.url, 'POST', path, { headers: auth, body });
        expect(answer.status, `${path}: ${answer.text}`).toBe(403);
        expect((bodyOf(answer) as { error: { message: string } }).error.message).toMatch(
          /is missing prvCreateContact privilege/,
        );
      }
      expect((await read(mock, `${DATAVERSE}/contacts`, auth)).value).toEqual([]);
    } finally {
      await mock.close();
    }
  });
});
