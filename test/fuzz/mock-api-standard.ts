import { getJson, type MockApiTarget, pick } from './mock-api-target.js';
import type { Rng } from './prng.js';

const ST_IDS = ['1001', '1002', 'abc', '-1', '0', '99999999999999999999'];
const stContact = (rng: Rng) =>
  pick(rng, [
    { email: `f${rng.int(0, 99)}@fuzz.test`, first_name: 'Fuzz' },
    {
      external_id: `e-${rng.int(0, 20)}`,
      last_name: 'Ada',
      custom_fields: { poc_seq: String(rng.int(0, 99)) },
    },
    { email: 'x@y.z', custom_fields: { nested: { a: 1 } } },
    { unknown_field: 'x' },
    {},
  ]);
const ST_ENDPOINTS = ['ep_nope', 'ep_0000000000000000', '1'];

/** The Standard CRM's contacts and webhook-endpoint API, as the mock serves it. */
export const STANDARD_API: MockApiTarget = {
  vendor: 'standard',
  token: 'crm-fuzz-token-0123456789',
  secret: `whsec_${Buffer.from('poc-fuzz-standard-secret-24b').toString('base64')}`,
  settings: { rateLimit: { style: 'fixed', limit: 1e9, windowMs: 10_000 } },
  auth: (token) => ({ authorization: `Bearer ${token}` }),
  routes: [
    {
      method: 'GET',
      path: '/v1/contacts',
      queries: [
        'limit=5',
        'limit=abc',
        'limit=100000000',
        'cursor=bm9wZQ',
        'modified_since=2020-01-01T00:00:00Z',
        'modified_since=zz',
        'updated_since=2020-01-01T00:00:00Z&modified_since=2020-01-01T00:00:00Z',
      ],
    },
    {
      method: 'GET',
      path: '/v1/contacts/deleted',
      queries: ['since=2020-01-01T00:00:00Z', 'since=zz', 'limit=0'],
    },
    { method: 'POST', path: '/v1/contacts', body: stContact },
    { method: 'GET', path: '/v1/contacts/{id}', params: { id: ST_IDS } },
    { method: 'PATCH', path: '/v1/contacts/{id}', params: { id: ST_IDS }, body: stContact },
    { method: 'DELETE', path: '/v1/contacts/{id}', params: { id: ST_IDS } },
    {
      method: 'POST',
      path: '/v1/contacts/batch-upsert',
      body: (rng) => ({
        contacts: Array.from({ length: rng.int(1, 5) }, () => ({
          external_id: `b-${rng.int(0, 30)}`,
          ...stContact(rng),
        })),
      }),
    },
    {
      method: 'POST',
      path: '/v1/webhook-endpoints',
      urlBearing: true,
      body: (rng, ctx) => ({
        url: pick(rng, [ctx.sink, 'not a url']),
        events: pick(rng, [['contact.created'], ['contact.updated', 'contact.deleted'], ['nope'], []]),
        ...(rng.chance(0.3)
          ? { secret: pick(rng, ['whsec_short', `whsec_${Buffer.alloc(32, 1).toString('base64')}`]) }
          : {}),
      }),
    },
    { method: 'GET', path: '/v1/webhook-endpoints' },
    { method: 'GET', path: '/v1/webhook-endpoints/{ep}', params: { ep: ST_ENDPOINTS } },
    {
      method: 'PATCH',
      path: '/v1/webhook-endpoints/{ep}',
      params: { ep: ST_ENDPOINTS },
      urlBearing: true,
      body: (rng, ctx) => ({ url: ctx.sink, disabled: pick(rng, [true, false, 'no']) }),
    },
    { method: 'DELETE', path: '/v1/webhook-endpoints/{ep}', params: { ep: ST_ENDPOINTS } },
    {
      method: 'POST',
      path: '/v1/webhook-endpoints/{ep}/secret/rotate',
      params: { ep: ST_ENDPOINTS },
      body: () => ({}),
    },
  ],
  publicAnswer: () => false,
  async state(origin, token) {
    const headers = { authorization: `Bearer ${token}` };
    return {
      contacts: await getJson(origin, '/v1/contacts?limit=1000', headers),
      endpoints: await getJson(origin, '/v1/webhook-endpoints', headers),
    };
  },
};
