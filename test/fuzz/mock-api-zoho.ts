import type { MockApiTarget } from './mock-api-target.js';
import { pick } from './mock-api-target.js';
import type { Rng } from './prng.js';

const ZO_MODULES = ['Contacts', 'Accounts', 'Deals', 'contacts', 'Leads', 'Widgets'];
const ZO_IDS = ['4876876000000001', '4876876000000002', '4876876100000001', 'abc', '-1', '0'];
const ZO_CHANNELS = ['1000000068001', '1000000068002', 'abc'];
const zoRecord = (rng: Rng) =>
  pick(rng, [
    { Last_Name: 'Fuzz', Email: `f${rng.int(0, 99)}@fuzz.test`, Poc_Seq: String(rng.int(0, 999)) },
    { Account_Name: `Acme ${rng.int(0, 9)}` },
    { Deal_Name: 'Big deal' },
    { First_Name: 'NoLastName' },
    { Last_Name: { nested: true }, Email: ['a@b.c'] },
    { id: pick(rng, ZO_IDS), Last_Name: 'Edited' },
    'zzz',
  ]);
const zoData = (rng: Rng) => ({
  data: Array.from({ length: rng.int(1, 4) }, () => zoRecord(rng)),
  ...(rng.chance(0.3) ? { duplicate_check_fields: pick(rng, [['Email'], ['Last_Name'], 'Email']) } : {}),
  ...(rng.chance(0.2) ? { trigger: ['workflow'] } : {}),
});
const COQL = [
  'select Last_Name, Email from Contacts where Last_Name is not null limit 5',
  "select Email from Contacts where Email like '%fuzz%' order by Email desc limit 2000",
  'select COUNT(id) from Contacts where id is not null',
  'select Last_Name from Contacts where Last_Name is not null limit 5000',
  'select from',
  'select Account_Name from Accounts where Account_Name is not null',
];

/** Who answers 200 with `{"error": ...}` to a bad grant, as accounts.zoho.com does. */
const TOKEN_ROUTE = '/oauth/v2/token';

/** One of Zoho's reads: its JSON, or `null` for the 204 Zoho answers when there is nothing. */
async function read(origin: string, path: string, headers: Record<string, string>): Promise<unknown> {
  const res = await fetch(`${origin}${path}`, { headers });
  if (res.status === 204) return null;
  if (res.status !== 200) throw new Error(`state: GET ${path} answered ${res.status}: ${await res.text()}`);
  return res.json();
}

/** Zoho CRM v8's records, COQL, notification channels, metadata and token endpoint, as the mock serves them. */
export const ZOHO_API: MockApiTarget = {
  vendor: 'zoho',
  token: '1000.fuzztoken0123456789.abcdef0123456789',
  secret: 'poc-zoho-fuzz-channel-token-0123',
  settings: { rateLimit: { style: 'fixed', limit: 1e9, windowMs: 10_000 }, concurrencyCap: 1e6 },
  auth: (token) => ({ authorization: `Zoho-oauthtoken ${token}` }),
  routes: [
    {
      method: 'GET',
      path: '/crm/v8/{module}',
      params: { module: ZO_MODULES },
      queries: [
        'fields=Email,Last_Name',
        'fields=Email&per_page=5',
        'fields=Email&per_page=abc',
        'fields=Email&per_page=100000000',
        'fields=Email&page=11',
        'fields=Email&page=-1',
        'fields=Email&page_token=zzz',
        'fields=Email&sort_by=Modified_Time&sort_order=desc',
        'fields=Email&sort_by=nope',
        'per_page=5',
      ],
    },
    { method: 'POST', path: '/crm/v8/{module}', params: { module: ZO_MODULES }, body: zoData },
    { method: 'POST', path: '/crm/v8/{module}/upsert', params: { module: ZO_MODULES }, body: zoData },
    { method: 'PUT', path: '/crm/v8/{module}', params: { module: ZO_MODULES }, body: zoData },
    {
      method: 'PUT',
      path: '/crm/v8/{module}/{id}',
      params: { module: ZO_MODULES, id: ZO_IDS },
      body: zoData,
    },
    { method: 'GET', path: '/crm/v8/{module}/{id}', params: { module: ZO_MODULES, id: ZO_IDS } },
    { method: 'DELETE', path: '/crm/v8/{module}/{id}', params: { module: ZO_MODULES, id: ZO_IDS } },
    {
      method: 'DELETE',
      path: '/crm/v8/{module}',
      params: { module: ZO_MODULES },
      queries: [`ids=${ZO_IDS.slice(0, 3).join(',')}`, 'ids=', `ids=${Array(101).fill('1').join(',')}`],
    },
    {
      method: 'GET',
      path: '/crm/v8/{module}/deleted',
      params: { module: ZO_MODULES },
      queries: ['type=all', 'type=recycle&per_page=5', 'type=nope', 'per_page=abc', 'page=2'],
    },
    { method: 'POST', path: '/crm/v8/coql', body: (rng) => ({ select_query: pick(rng, COQL) }) },
    ...(['POST', 'PUT', 'PATCH'] as const).map((method) => ({
      method,
      path: '/crm/v8/actions/watch',
      urlBearing: true,
      body: (rng: Rng, ctx: { sink: string; nearMiss: string }) => ({
        watch: [
          {
            channel_id: pick(rng, ZO_CHANNELS),
            events: pick(rng, [['Contacts.all'], ['Contacts.create', 'Deals.edit'], ['Nope.all'], []]),
            notify_url: pick(rng, [ctx.sink, 'not a url']),
            ...(rng.chance(0.3) ? { channel_expiry: pick(rng, ['2099-01-01T00:00:00+00:00', 'soon']) } : {}),
            ...(rng.chance(0.3) ? { token: pick(rng, ['fuzz-token', 'x'.repeat(51)]) } : {}),
          },
        ],
      }),
    })),
    { method: 'GET', path: '/crm/v8/actions/watch' },
    {
      method: 'DELETE',
      path: '/crm/v8/actions/watch',
      queries: ['channel_ids=1000000068001', 'channel_ids=', 'channel_ids=abc,1000000068002'],
    },
    {
      method: 'GET',
      path: '/crm/v8/settings/fields',
      queries: ['module=Contacts', 'module=Deals', 'module=nope'],
    },
    { method: 'GET', path: '/crm/v8/users', queries: ['type=CurrentUser'] },
    { method: 'GET', path: '/crm/v8/org' },
    {
      method: 'POST',
      path: TOKEN_ROUTE,
      form: true,
      // Never the real refresh token: a token this grants would be a 2xx earned without one.
      body: (rng, ctx) => ({
        grant_type: pick(rng, ['refresh_token', 'authorization_code', '']),
        refresh_token: ctx.nearMiss,
        client_id: pick(rng, ['1000.FUZZ', '']),
        client_secret: 'fuzz-client-secret',
      }),
    },
  ],
  publicAnswer: (route, body) => route === TOKEN_ROUTE && /"error"\s*:/.test(body),
  async state(origin, token) {
    const headers = { authorization: `Zoho-oauthtoken ${token}` };
    return {
      contacts: await read(origin, '/crm/v8/Contacts?fields=Email,Last_Name,Poc_Seq', headers),
      accounts: await read(origin, '/crm/v8/Accounts?fields=Account_Name', headers),
      deals: await read(origin, '/crm/v8/Deals?fields=Deal_Name', headers),
      deleted: await read(origin, '/crm/v8/Contacts/deleted', headers),
      watch: await read(origin, '/crm/v8/actions/watch', headers),
    };
  },
};
