import { getJson, type MockApiTarget, pick } from './mock-api-target.js';
import type { Rng } from './prng.js';

const PD_IDS = ['1', '2', '5', '1000001', 'abc', '-1', '0', '99999999999999999999'];
// A cursor as the mock issues them ([sort key, id] in base64url), and forged ones.
const PD_CURSORS = [
  Buffer.from('[0,3]').toString('base64url'),
  Buffer.from('[0,-5]').toString('base64url'),
  Buffer.from('{"a":1}').toString('base64url'),
  'zzz',
];
const pdPerson = (rng: Rng) =>
  pick(rng, [
    { name: 'Fuzz Person', emails: [{ value: `f${rng.int(0, 99)}@fuzz.test`, primary: true }] },
    { name: 'Ada Lovelace', phones: [{ value: '+3725550000', label: 'work' }], org_id: rng.int(1, 3) },
    { name: 'Custom', custom_fields: { nope: 'x' } },
    { name: '', emails: 'not-a-list' },
    { emails: [{ value: '' }], org_id: 'x' },
    {},
  ]);

/** Pipedrive's persons API v2 and the v1 extras (fields, merge, webhooks, filters, users), as the mock serves them. */
export const PIPEDRIVE_API: MockApiTarget = {
  vendor: 'pipedrive',
  token: 'fuzz0123456789abcdef0123456789abcdef0123',
  secret: 'fuzz-webhook-password-abcdef',
  settings: {
    rateLimit: { style: 'fixed', limit: 1e9, windowMs: 10_000 },
    oauthRateLimit: { style: 'fixed', limit: 1e9, windowMs: 10_000 },
    searchBurstLimit: 1e9,
    dailyTokenBudget: 1e12,
  },
  auth: (token) => ({ 'x-api-token': token }),
  tokenQuery: 'api_token',
  routes: [
    {
      method: 'GET',
      path: '/api/v2/persons',
      queries: [
        'limit=5',
        'limit=abc',
        'limit=501',
        ...PD_CURSORS.map((c) => `cursor=${c}`),
        'sort_by=update_time&sort_direction=desc',
        'sort_by=nope',
        'updated_since=2020-01-01T00:00:00Z',
        'updated_since=zz',
        'ids=1,2,3',
        'ids=a',
        'filter_id=1',
        'owner_id=x',
        'custom_fields=a,b',
      ],
    },
    {
      method: 'GET',
      path: '/api/v2/persons/search',
      queries: [
        'term=fuzz',
        'term=f',
        'term=f&exact_match=true&fields=email',
        'term=ada&fields=name,nope',
        'term=ada&exact_match=maybe',
        'term=ada&organization_id=1',
        ...PD_CURSORS.map((c) => `term=ada&cursor=${c}`),
        'term=ada&limit=abc',
      ],
    },
    { method: 'GET', path: '/api/v2/persons/{id}', params: { id: PD_IDS } },
    { method: 'POST', path: '/api/v2/persons', body: pdPerson },
    { method: 'PATCH', path: '/api/v2/persons/{id}', params: { id: PD_IDS }, body: pdPerson },
    { method: 'DELETE', path: '/api/v2/persons/{id}', params: { id: PD_IDS } },
    { method: 'GET', path: '/api/v2/personFields' },
    {
      method: 'GET',
      path: '/v1/personFields',
      queries: ['start=0&limit=5', 'limit=100000', 'start=-3', 'limit=abc'],
    },
    {
      method: 'POST',
      path: '/v1/personFields',
      body: (rng) => ({
        name: pick(rng, ['Fuzz field', '', 42]),
        field_type: pick(rng, ['varchar', 'double', 'set', 'bogus', undefined]),
      }),
    },
    {
      method: 'PUT',
      path: '/v1/persons/{id}/merge',
      params: { id: PD_IDS },
      body: (rng) => ({ merge_with_id: pick(rng, [1, 2, 3, '2', null, 1.5]) }),
    },
    { method: 'GET', path: '/v1/webhooks' },
    {
      method: 'POST',
      path: '/v1/webhooks',
      urlBearing: true,
      body: (rng, ctx) => ({
        subscription_url: pick(rng, [ctx.sink, 'not a url', '']),
        event_action: pick(rng, ['*', 'create', 'change', 'nope']),
        event_object: pick(rng, ['person', '*', 'deal', 'nope']),
        version: pick(rng, [undefined, '2.0', '1.0']),
        http_auth_user: pick(rng, [undefined, 'poc']),
        http_auth_password: pick(rng, [undefined, ctx.nearMiss]),
      }),
    },
    { method: 'DELETE', path: '/v1/webhooks/{wid}', params: { wid: ['1000001', '1000002', '1', 'x'] } },
    {
      method: 'POST',
      path: '/v1/filters',
      body: (rng) => ({
        name: pick(rng, ['Fuzz filter', '']),
        type: pick(rng, ['people', 'deals', 'nope']),
        conditions: pick(rng, [
          {
            glue: 'and',
            conditions: [
              {
                glue: 'and',
                conditions: [{ object: 'person', field_id: '9004', operator: '=', value: 'a@b.c' }],
              },
              { glue: 'or', conditions: [] },
            ],
          },
          { glue: 'and', conditions: 'x' },
          null,
        ]),
      }),
    },
    { method: 'GET', path: '/v1/filters/{fid}', params: { fid: ['1', '2', 'x'] } },
    { method: 'DELETE', path: '/v1/filters/{fid}', params: { fid: ['1', '2', 'x'] } },
    { method: 'GET', path: '/v1/users/me' },
    { method: 'GET', path: '/v1/users/{uid}/permissions', params: { uid: ['9876543', '1', 'me'] } },
  ],
  publicAnswer: () => false,
  async state(origin, token) {
    const headers = { 'x-api-token': token };
    return {
      persons: await getJson(origin, '/api/v2/persons?limit=500', headers),
      webhooks: await getJson(origin, '/v1/webhooks', headers),
      fields: await getJson(origin, '/v1/personFields?limit=500', headers),
    };
  },
};
