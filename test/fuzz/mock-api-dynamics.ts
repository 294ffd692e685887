import { getJson, type MockApiTarget, pick } from './mock-api-target.js';
import type { Rng } from './prng.js';

const API = '/api/data/v9.2';
const GUIDS = ['7d4f6a1c-2b3e-4f50-8a9b-0c1d2e3f4a5b', '00000000-0000-0000-0000-000000000000', 'not-a-guid'];
const DV_KEYS = [
  ...GUIDS,
  "emailaddress1='f1@fuzz.test'",
  "emailaddress1='o''hara%40fuzz.test'",
  "lastname='x'",
  "emailaddress1='a',firstname='b'",
  "emailaddress1='unterminated",
];
const dvContact = (rng: Rng) =>
  pick(rng, [
    { emailaddress1: `f${rng.int(0, 99)}@fuzz.test`, firstname: 'Fuzz', poc_seq: String(rng.int(0, 999)) },
    { lastname: 'Ada', telephone1: '+3725550000' },
    { firstname: 42, lastname: true },
    { fullname: 'Not a column' },
    { firstname: { nested: 1 } },
    { '@odata.type': 'Microsoft.Dynamics.CRM.contact', lastname: 'Typed' },
    {},
  ]);
// Spaces are %20: Node's client refuses a raw space in a request target.
const q = (s: string) => s.replaceAll(' ', '%20');

/** The Dataverse Web API (contacts, webhook registrations, WhoAmI) and the Entra-like token endpoint, as the mock serves them. */
export const DYNAMICS_API: MockApiTarget = {
  vendor: 'dynamics',
  token: 'dataverse-fuzz-client-secret-0123456789',
  secret: 'fuzz-webhook-key-abcdef',
  settings: { requestsLimit: 1e9, executionTimeLimitMs: 1e12, concurrentLimit: 1e6 },
  auth: (token) => ({ authorization: `Bearer ${token}` }),
  routes: [
    {
      method: 'GET',
      path: `${API}/contacts`,
      queries: [
        '$select=firstname,emailaddress1',
        '$select=nope',
        q("$filter=startswith(lastname,'A') and poc_seq ne null"),
        q('$filter=modifiedon gt 2020-01-01T00:00:00Z'),
        q('$filter=lastname eq'),
        '$orderby=lastname%20desc&$top=5',
        '$top=abc',
        '$top=100000000',
        '$count=true',
        '$skiptoken=%3Ccookie%20pagenumber=%222%22%20/%3E',
        '$skiptoken=zz',
        '$expand=parentcustomerid',
        '$skip=5',
      ],
    },
    { method: 'POST', path: `${API}/contacts`, body: dvContact },
    {
      method: 'GET',
      path: `${API}/contacts({key})`,
      params: { key: DV_KEYS },
      queries: ['$select=lastname'],
    },
    { method: 'PATCH', path: `${API}/contacts({key})`, params: { key: DV_KEYS }, body: dvContact },
    { method: 'DELETE', path: `${API}/contacts({key})`, params: { key: DV_KEYS } },
    { method: 'GET', path: `${API}/WhoAmI` },
    {
      method: 'GET',
      path: `${API}/systemusers({uid})/Microsoft.Dynamics.CRM.RetrieveUserPrivileges`,
      params: { uid: GUIDS },
    },
    { method: 'GET', path: `${API}/sdkmessages`, queries: [q("$filter=name eq 'Update'"), '$select=name'] },
    { method: 'GET', path: `${API}/sdkmessagefilters`, queries: ['$select=primaryobjecttypecode'] },
    { method: 'GET', path: `${API}/serviceendpoints` },
    {
      method: 'POST',
      path: `${API}/serviceendpoints`,
      urlBearing: true,
      body: (rng, ctx) => ({
        name: pick(rng, ['fuzz endpoint', '']),
        url: pick(rng, [ctx.sink, 'not a url']),
        contract: pick(rng, [8, 1]),
        authtype: pick(rng, [4, 5, 6, 1]),
        authvalue: pick(rng, ['fuzz-key', '']),
      }),
    },
    {
      method: 'PATCH',
      path: `${API}/serviceendpoints({eid})`,
      params: { eid: GUIDS },
      urlBearing: true,
      body: (_rng, ctx) => ({ url: ctx.sink }),
    },
    { method: 'GET', path: `${API}/sdkmessageprocessingsteps` },
    {
      method: 'POST',
      path: `${API}/sdkmessageprocessingsteps`,
      body: (rng) => ({
        name: 'fuzz step',
        mode: pick(rng, [1, 0]),
        stage: pick(rng, [40, 20]),
        filteringattributes: 'poc_seq',
        'eventhandler_serviceendpoint@odata.bind': `/serviceendpoints(${pick(rng, GUIDS)})`,
        'sdkmessageid@odata.bind': `/sdkmessages(${pick(rng, GUIDS)})`,
        'sdkmessagefilterid@odata.bind': `/sdkmessagefilters(${pick(rng, GUIDS)})`,
      }),
    },
    {
      method: 'POST',
      path: '/{tenant}/oauth2/v2.0/token',
      params: { tenant: ['common', '72f988bf-86f1-41af-91ab-2d7cd011db47'] },
      form: true,
      // Never the real client secret: a token this grants would be a 2xx earned without one.
      body: (rng, ctx) => ({
        grant_type: pick(rng, ['client_credentials', 'password']),
        client_id: pick(rng, ['fuzz-client', '']),
        client_secret: ctx.nearMiss,
        scope: pick(rng, ['https://pocmock.crm.dynamics.com/.default', 'openid']),
      }),
    },
  ],
  publicAnswer: () => false,
  async state(origin, token) {
    const headers = { authorization: `Bearer ${token}` };
    return {
      contacts: await getJson(origin, `${API}/contacts`, headers),
      endpoints: await getJson(origin, `${API}/serviceendpoints`, headers),
      steps: await getJson(origin, `${API}/sdkmessageprocessingsteps`, headers),
    };
  },
};
