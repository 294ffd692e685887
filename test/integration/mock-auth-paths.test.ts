import { afterEach, describe, expect, it } from 'vitest';
import { encodeAck } from '../../harness/vendors/salesforce/outbound-message.js';
import { SALESFORCE_API_VERSION } from '../../harness/vendors/salesforce/profile.js';
import { pathVariants } from '../helpers/path-variants.js';
import { bodyOf, captureRequests, type RawAnswer, rawRequest } from '../helpers/raw-http.js';
import { startMockSalesforce } from '../helpers/salesforce.js';
import { type StartedMock, startMockHubspot } from '../helpers/servers.js';
import { startMockStandard } from '../helpers/standard.js';
import { waitUntil } from '../helpers/wait.js';

// The mocks authenticate, scope-check and rate-limit the route the router matched. A check that
// read the raw URL while the router decoded it let `/%63rm/...` write records with no token. Every
// spelling of every write below is sent without a token: each must get the vendor's own 401 (or
// its own 404 where it routes nowhere), and the ground truth must show that nothing was written
// and the webhook target did not move. The same spelling with the token then reaches the handler,
// so the refusals are the gate's doing, not the router's.

interface Write {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
}

interface VendorCase {
  readonly vendor: string;
  start(): Promise<StartedMock>;
  auth(token: string): Record<string, string>;
  /** With the token: the webhook target (and a subscription) pointing at `url`. */
  setup(mock: StartedMock, url: string): Promise<void>;
  /** Writes of records and of the webhook target, the target moved to `evil`. */
  writes(evil: string): Write[];
  /** Whether a refusal is the vendor's own: its 401, or its 404 for a path it does not route. */
  isOwnRefusal(answer: RawAnswer): boolean;
  /** With the token: no record exists and the target is still `url`. */
  nothingWritten(mock: StartedMock, url: string): Promise<void>;
  /** A record write the test sends with the token on a percent-encoded path. */
  readonly routedWrite: Write;
  readonly ack?: string;
}

async function send(mock: StartedMock, w: Write, headers: Record<string, string> = {}) {
  return rawRequest(mock.url, w.method, w.path, { headers, body: JSON.stringify(w.body) });
}

async function asJson(mock: StartedMock, method: string, path: string, auth: Record<string, string>) {
  const answer = await rawRequest(mock.url, method, path, { headers: auth });
  expect(answer.status, `${method} ${path}`).toBe(200);
  return JSON.parse(answer.text) as Record<string, unknown>;
}

const HUBSPOT_APP = 54321;
const SF = `/services/data/v${SALESFORCE_API_VERSION}`;

const CASES: readonly VendorCase[] = [
  {
    vendor: 'hubspot',
    start: () => startMockHubspot(),
    auth: (token) => ({ authorization: `Bearer ${token}` }),
    async setup(mock, url) {
      const auth = this.auth(mock.token);
      for (const w of [
        { method: 'PUT', path: `/webhooks/v3/${HUBSPOT_APP}/settings`, body: { targetUrl: url } },
        {
          method: 'POST',
          path: `/webhooks/v3/${HUBSPOT_APP}/subscriptions`,
          body: { eventType: 'contact.creation' },
        },
      ]) {
        expect((await send(mock, w, auth)).status).toBeLessThan(300);
      }
    },
    writes: (evil) => [
      {
        method: 'POST',
        path: '/crm/v3/objects/contacts/batch/upsert',
        body: { inputs: [{ id: 'intruder@evil.test', idProperty: 'email', properties: { firstname: 'X' } }] },
      },
      {
        method: 'POST',
        path: '/crm/v3/objects/contacts',
        body: { properties: { email: 'intruder@evil.test' } },
      },
      { method: 'PUT', path: `/webhooks/v3/${HUBSPOT_APP}/settings`, body: { targetUrl: evil } },
      {
        method: 'POST',
        path: `/webhooks/v3/${HUBSPOT_APP}/subscriptions`,
        body: { eventType: 'contact.propertyChange', propertyName: 'email' },
      },
    ],
    isOwnRefusal(answer) {
      const body = bodyOf(answer) as Record<string, unknown> | null;
      const shape =
        body?.status === 'error' &&
        typeof body.message === 'string' &&
        typeof body.correlationId === 'string';
      return shape && (answer.status !== 401 || body.category === 'INVALID_AUTHENTICATION');
    },
    async nothingWritten(mock, url) {
      const auth = this.auth(mock.token);
      expect((await asJson(mock, 'GET', '/crm/v3/objects/contacts', auth)).results).toEqual([]);
      expect(await asJson(mock, 'GET', `/webhooks/v3/${HUBSPOT_APP}/settings`, auth)).toMatchObject({
        targetUrl: url,
      });
      const subscriptions = await asJson(mock, 'GET', `/webhooks/v3/${HUBSPOT_APP}/subscriptions`, auth);
      expect(subscriptions.results).toHaveLength(1);
    },
    routedWrite: {
      method: 'POST',
      path: '/%63rm/v3/objects/contacts/batch/upsert',
      body: { inputs: [{ id: 'ada@example.com', idProperty: 'email', properties: { firstname: 'Ada' } }] },
    },
  },
  {
    vendor: 'salesforce',
    start: () => startMockSalesforce(),
    auth: (token) => ({ authorization: `Bearer ${token}` }),
    async setup(mock, url) {
      const answer = await send(
        mock,
        {
          method: 'POST',
          path: `${SF}/tooling/sobjects/WorkflowOutboundMessage`,
          body: { FullName: 'Contact.poc_contacts', Metadata: { endpointUrl: url, fields: ['Email'] } },
        },
        this.auth(mock.token),
      );
      expect(answer.status).toBe(201);
    },
    writes: (evil) => [
      { method: 'POST', path: `${SF}/sobjects/Contact`, body: { LastName: 'Intruder' } },
      {
        method: 'PATCH',
        path: `${SF}/sobjects/Contact/Poc_Ext_Id__c/intruder-1`,
        body: { LastName: 'Intruder' },
      },
      {
        method: 'POST',
        path: `${SF}/composite/sobjects`,
        body: { records: [{ attributes: { type: 'Contact' }, LastName: 'Intruder' }] },
      },
      {
        method: 'POST',
        path: `${SF}/tooling/sobjects/WorkflowOutboundMessage`,
        body: { FullName: 'Contact.poc_contacts', Metadata: { endpointUrl: evil, fields: ['Email'] } },
      },
    ],
    isOwnRefusal(answer) {
      const code = answer.status === 401 ? 'INVALID_SESSION_ID' : 'NOT_FOUND';
      const body = bodyOf(answer) as { errorCode?: unknown; message?: unknown }[];
      return (
        Array.isArray(body) &&
        body.length === 1 &&
        body[0]?.errorCode === code &&
        typeof body[0].message === 'string'
      );
    },
    async nothingWritten(mock) {
      const count = await asJson(
        mock,
        'GET',
        `${SF}/query?q=${encodeURIComponent('SELECT COUNT() FROM Contact')}`,
        this.auth(mock.token),
      );
      expect(count.totalSize).toBe(0);
      // The Outbound Message has no read API: the delivery after the routed write shows its endpoint.
    },
    routedWrite: {
      method: 'POST',
      path: `/%73ervices/data/v${SALESFORCE_API_VERSION}/sobjects/Contact`,
      body: { LastName: 'Ada' },
    },
    ack: encodeAck(true),
  },
  {
    vendor: 'standard',
    start: () => startMockStandard(),
    auth: (token) => ({ authorization: `Bearer ${token}` }),
    async setup(mock, url) {
      const answer = await send(
        mock,
        { method: 'POST', path: '/v1/webhook-endpoints', body: { url, events: ['contact.created'] } },
        this.auth(mock.token),
      );
      expect(answer.status).toBe(201);
    },
    writes: (evil) => [
      { method: 'POST', path: '/v1/contacts', body: { email: 'intruder@evil.test' } },
      {
        method: 'POST',
        path: '/v1/contacts/batch-upsert',
        body: { contacts: [{ external_id: 'intruder-1', email: 'intruder@evil.test' }] },
      },
      { method: 'POST', path: '/v1/webhook-endpoints', body: { url: evil, events: ['contact.created'] } },
      { method: 'PATCH', path: '/v1/webhook-endpoints/1', body: { url: evil } },
    ],
    isOwnRefusal(answer) {
      const code = answer.status === 401 ? 'unauthorized' : 'not_found';
      const body = bodyOf(answer) as Record<string, unknown>;
      return (
        /^application\/problem\+json/.test(String(answer.headers['content-type'])) &&
        body?.type === 'about:blank' &&
        body.status === answer.status &&
        body.code === code
      );
    },
    async nothingWritten(mock, url) {
      const auth = this.auth(mock.token);
      expect((await asJson(mock, 'GET', '/v1/contacts', auth)).data).toEqual([]);
      const endpoints = (await asJson(mock, 'GET', '/v1/webhook-endpoints', auth)).data as { url: string }[];
      expect(endpoints.map((e) => e.url)).toEqual([url]);
    },
    routedWrite: { method: 'POST', path: '/%761/contacts', body: { email: 'ada@example.com' } },
  },
];

describe.each(CASES)('$vendor mock: no spelling of a path gets past its auth', (c) => {
  const closing: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closing.splice(0).reverse()) await close();
  });

  it('answers every spelling of every write without a token with its own 401 or 404, and writes nothing', async () => {
    const mock = await c.start();
    closing.push(() => mock.close());
    const legit = await captureRequests(c.ack);
    closing.push(legit.close);
    const evil = await captureRequests(c.ack);
    closing.push(evil.close);
    await c.setup(mock, legit.url);

    const admitted: string[] = [];
    const misshapen: string[] = [];
    let sent = 0;
    for (const write of c.writes(evil.url)) {
      for (const { trick, path } of [
        { trick: 'as written', path: write.path },
        ...pathVariants(write.path),
      ]) {
        for (const headers of [{}, { authorization: 'Bearer wrong-token' }]) {
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

    // With the token the same kind of spelling is served: the router decodes it, the gate lets it by.
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
  /** Four spellings of one read the router serves alike. */
  readonly paths: readonly string[];
  /** The vendor's over-limit answer. */
  readonly limited: { readonly status: number; readonly body: unknown };
}

const LIMIT_CASES: readonly LimitCase[] = [
  {
    vendor: 'hubspot',
    start: () => startMockHubspot({ settings: { tenSecondlyLimit: 3 } }),
    paths: [
      '/%63rm/v3/objects/contacts',
      '/crm/%763/objects/contacts',
      '/crm/v3/%6fbjects/contacts',
      '/crm/v3/objects/%63ontacts',
    ],
    limited: { status: 429, body: { policyName: 'TEN_SECONDLY_ROLLING' } },
  },
  {
    vendor: 'salesforce',
    start: () => startMockSalesforce({ settings: { apiAllocation: 3 } }),
    paths: [
      `/%73ervices/data/v${SALESFORCE_API_VERSION}/limits`,
      `/services/%64ata/v${SALESFORCE_API_VERSION}/limits`,
      `/services/data/v${SALESFORCE_API_VERSION}/%6cimits`,
      `/%73%65rvices/data/v${SALESFORCE_API_VERSION}/limits`,
    ],
    limited: { status: 403, body: [{ errorCode: 'REQUEST_LIMIT_EXCEEDED' }] },
  },
  {
    vendor: 'standard',
    start: () =>
      startMockStandard({ settings: { rateLimit: { style: 'fixed', limit: 3, windowMs: 3_600_000 } } }),
    paths: ['/%761/contacts', '/v1/%63ontacts', '/%76%31/contacts', '/v1/contact%73'],
    limited: { status: 429, body: { code: 'rate_limited' } },
  },
];

describe.each(LIMIT_CASES)('$vendor mock: limits count every spelling of a route', (c) => {
  it('answers the fourth of four differently spelled reads with its over-limit answer', async () => {
    const mock = await c.start();
    try {
      const statuses: number[] = [];
      let last: RawAnswer | undefined;
      for (const path of c.paths) {
        last = await rawRequest(mock.url, 'GET', path, {
          headers: { authorization: `Bearer ${mock.token}` },
        });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([200, 200, 200, c.limited.status]);
      expect(bodyOf(last as RawAnswer)).toMatchObject(c.limited.body as object);
    } finally {
      await mock.close();
    }
  });
});

describe('hubspot mock: scopes and the search limit follow the route, not its spelling', () => {
  it('refuses a write to a percent-encoded object type when the token may only read it', async () => {
    const mock = await startMockHubspot({ settings: { scopes: ['crm.objects.contacts.read'] } });
    try {
      const answers: RawAnswer[] = [];
      for (const path of [
        '/crm/v3/objects/%63ontacts',
        '/crm/v3/objects/contact%73',
        '/crm/v3/objects/%63%6F%6E%74%61%63%74%73',
      ]) {
        answers.push(
          await rawRequest(mock.url, 'POST', path, {
            headers: { authorization: `Bearer ${mock.token}` },
            body: JSON.stringify({ properties: { email: 'x@y.z' } }),
          }),
        );
      }
      expect(answers.map((a) => a.status)).toEqual([403, 403, 403]);
      for (const a of answers) {
        expect(bodyOf(a)).toMatchObject({
          category: 'MISSING_SCOPES',
          errors: [{ context: { requiredScopes: ['crm.objects.contacts.write'] } }],
        });
      }
    } finally {
      await mock.close();
    }
  });

  it('counts a percent-encoded search against the search limit, not the general one', async () => {
    const mock = await startMockHubspot({ settings: { searchPerSecond: 1 } });
    try {
      const search = (path: string) =>
        rawRequest(mock.url, 'POST', path, {
          headers: { authorization: `Bearer ${mock.token}` },
          body: '{}',
        });
      expect((await search('/crm/v3/objects/contacts/search')).status).toBe(200);
      const second = await search('/crm/v3/objects/contacts/%73earch');
      expect(second.status).toBe(429);
      expect(bodyOf(second)).toMatchObject({ policyName: 'SECONDLY' });
    } finally {
      await mock.close();
    }
  });
});

describe('the shared server: the admin API is told by its route, not its spelling', () => {
  it('exempts every spelling of an admin route from API faults, and no admin spelling serves the API', async () => {
    const mock = await startMockHubspot({ faults: { outages: [{ startMs: 0, durationMs: 600_000 }] } });
    try {
      const auth = { authorization: `Bearer ${mock.token}` };
      for (const path of [
        '/__admin/health',
        '/%5f_admin/health',
        '/__%61dmin/health',
        '/%5F%5Fadmin/health',
      ]) {
        expect((await rawRequest(mock.url, 'GET', path)).status, path).toBe(200);
      }
      // During the outage the API answers 503; a path through /__admin reaches no API handler.
      expect((await rawRequest(mock.url, 'GET', '/crm/v3/objects/contacts', { headers: auth })).status).toBe(
        503,
      );
      for (const path of ['/__admin/../crm/v3/objects/contacts', '/__admin/%2e%2e/crm/v3/objects/contacts']) {
        const answer = await rawRequest(mock.url, 'GET', path, { headers: auth });
        expect([404, 503], `${path} -> ${answer.status}`).toContain(answer.status);
      }
    } finally {
      await mock.close();
    }
  });
});
