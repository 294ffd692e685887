import { getJson, type MockApiTarget, pick } from './mock-api-target.js';
import type { Rng } from './prng.js';

const HS_TYPES = ['contacts', 'companies', 'deals', 'widgets', '0-1', 'CONTACTS', 'contact'];
const HS_IDS = ['1001', '1002', '1005', '10000001', 'abc', '-1', '0', '99999999999999999999', 'a@b.c'];
const hsProperties = (rng: Rng) =>
  pick(rng, [
    { email: `f${rng.int(0, 99)}@fuzz.test`, firstname: 'Fuzz' },
    { firstname: 'Ada', lastname: 'Lovelace', poc_seq: String(rng.int(0, 999)) },
    { email: 'x@y.z', age: 42, vip: true, nothing: null },
    {},
  ]);
const hsFilter = (rng: Rng) =>
  pick(rng, [
    { propertyName: 'email', operator: 'EQ', value: 'x@y.z' },
    { propertyName: 'lastmodifieddate', operator: 'GTE', value: '0' },
    { propertyName: 'firstname', operator: 'BETWEEN', value: 'a', highValue: 'z' },
    { propertyName: 'firstname', operator: 'IN', values: ['Ada', 'Fuzz'] },
    { propertyName: 'email', operator: 'HAS_PROPERTY' },
  ]);

/** HubSpot's CRM v3 objects, webhooks v3 and token introspection, as the mock serves them. */
export const HUBSPOT_API: MockApiTarget = {
  vendor: 'hubspot',
  token: 'pat-fuzz-token-0123456789',
  secret: 'fuzz-client-secret-abcdef',
  settings: { tenSecondlyLimit: 1e9, dailyLimit: 1e9, searchPerSecond: 1e9 },
  auth: (token) => ({ authorization: `Bearer ${token}` }),
  tokenQuery: 'hapikey',
  routes: [
    {
      method: 'GET',
      path: '/crm/v3/objects/{type}',
      params: { type: HS_TYPES },
      queries: [
        'limit=5',
        'limit=abc',
        'limit=100000000',
        'limit=0',
        'after=1003',
        'after=zz',
        'archived=true',
        'properties=email,firstname&properties=x',
      ],
    },
    {
      method: 'POST',
      path: '/crm/v3/objects/{type}',
      params: { type: HS_TYPES },
      body: (rng) => ({ properties: hsProperties(rng) }),
    },
    {
      method: 'GET',
      path: '/crm/v3/objects/{type}/{id}',
      params: { type: HS_TYPES, id: HS_IDS },
      queries: ['idProperty=email', 'properties=email', 'idProperty=__proto__'],
    },
    {
      method: 'PATCH',
      path: '/crm/v3/objects/{type}/{id}',
      params: { type: HS_TYPES, id: HS_IDS },
      queries: ['idProperty=email'],
      body: (rng) => ({ properties: hsProperties(rng) }),
    },
    { method: 'DELETE', path: '/crm/v3/objects/{type}/{id}', params: { type: HS_TYPES, id: HS_IDS } },
    {
      method: 'POST',
      path: '/crm/v3/objects/{type}/search',
      params: { type: HS_TYPES },
      body: (rng) => ({
        filterGroups: Array.from({ length: rng.int(0, 3) }, () => ({ filters: [hsFilter(rng)] })),
        sorts: pick(rng, [[], ['-createdate'], [{ propertyName: 'email', direction: 'DESCENDING' }]]),
        query: pick(rng, [undefined, 'ada', '']),
        limit: pick(rng, [undefined, 5, 200, 201]),
        after: pick(rng, [undefined, '0', '5', '9999']),
        properties: ['email'],
      }),
    },
    {
      method: 'POST',
      path: '/crm/v3/objects/{type}/batch/upsert',
      params: { type: HS_TYPES },
      body: (rng) => ({
        inputs: Array.from({ length: rng.int(1, 5) }, (_, i) => ({
          id: `u${rng.int(0, 50)}-${i}@fuzz.test`,
          idProperty: 'email',
          properties: hsProperties(rng),
        })),
      }),
    },
    {
      method: 'POST',
      path: '/crm/v3/objects/{type}/batch/create',
      params: { type: HS_TYPES },
      body: (rng) => ({
        inputs: Array.from({ length: rng.int(1, 3) }, () => ({ properties: hsProperties(rng) })),
      }),
    },
    {
      method: 'POST',
      path: '/crm/v3/objects/{type}/merge',
      params: { type: HS_TYPES },
      body: (rng) => ({ primaryObjectId: pick(rng, HS_IDS), objectIdToMerge: pick(rng, HS_IDS) }),
    },
    {
      method: 'PUT',
      path: '/webhooks/v3/{app}/settings',
      params: { app: ['54321', '1', 'x'] },
      urlBearing: true,
      body: (rng, ctx) => ({
        targetUrl: pick(rng, [ctx.sink, 'ftp://fuzz', 'not a url', '']),
        throttling: { maxConcurrentRequests: pick(rng, [10, 6, 5, 'ten', 1e9]), period: 'SECONDLY' },
      }),
    },
    { method: 'GET', path: '/webhooks/v3/{app}/settings', params: { app: ['54321', '1'] } },
    {
      method: 'POST',
      path: '/webhooks/v3/{app}/subscriptions',
      params: { app: ['54321'] },
      body: (rng) => ({
        eventType: pick(rng, ['contact.creation', 'contact.propertyChange', 'deal.deletion', 'contact.nope']),
        propertyName: pick(rng, [undefined, 'email', 'poc_seq']),
        active: pick(rng, [true, false, 'yes']),
      }),
    },
    { method: 'GET', path: '/webhooks/v3/{app}/subscriptions', params: { app: ['54321'] } },
    {
      method: 'POST',
      path: '/oauth/v2/private-apps/get/access-token-info',
      body: (_rng, ctx) => ({ tokenKey: ctx.nearMiss }),
    },
  ],
  publicAnswer: () => false,
  async state(origin, token) {
    const headers = { authorization: `Bearer ${token}` };
    const out: Record<string, unknown> = {};
    for (const type of ['contacts', 'companies', 'deals']) {
      out[type] = await getJson(origin, `/crm/v3/objects/${type}?limit=100`, headers);
    }
    out.settings = await getJson(origin, '/webhooks/v3/54321/settings', headers);
    out.subscriptions = await getJson(origin, '/webhooks/v3/54321/subscriptions', headers);
    return out;
  },
};
