import { encodeAck } from '../../harness/vendors/salesforce/outbound-message.js';
import { SALESFORCE_API_VERSION } from '../../harness/vendors/salesforce/profile.js';
import { getJson, type MockApiTarget, pick } from './mock-api-target.js';
import type { Rng } from './prng.js';

const SF_VERSIONS = [`v${SALESFORCE_API_VERSION}`, 'v31.0', 'v99.0', 'v66', 'latest', 'V66.0'];
const SF_OBJECTS = ['Contact', 'Account', 'contact', 'Widget__c'];
const SF_IDS = ['003000000000001AAA', '003000000000001', '001000000000001AAA', 'abc', '000000000000000AAA'];
const sfFields = (rng: Rng) =>
  pick(rng, [
    { LastName: 'Fuzz', Email: `f${rng.int(0, 99)}@fuzz.test` },
    { LastName: 'Ada', Birthdate: pick(rng, ['1815-12-10', '1815-13-40', '']) },
    { LastName: 'Ada', AccountId: pick(rng, SF_IDS) },
    { Name: 'Acme' },
    { Id: '003000000000001AAA', LastName: 'x' },
    {},
  ]);
const SOQL = [
  'SELECT Id, Email FROM Contact',
  'SELECT COUNT() FROM Contact',
  "SELECT Id FROM Contact WHERE LastName LIKE 'F%' ORDER BY LastName NULLS LAST LIMIT 5 OFFSET 1",
  'SELECT Id FROM Contact LIMIT abc',
  'SELECT Id FROM Contact LIMIT 100000000',
  'SELECT Id FROM Contact OFFSET 5000',
  'SELECT Account.Name FROM Contact WHERE CreatedDate = LAST_N_DAYS:3',
  'SELECT Id FROM Account',
  'SELECT FROM',
  "SELECT Id FROM Contact WHERE Email IN ('a','b') AND (LastName = 'x' OR NOT LastName = 'y')",
];

/** Salesforce's REST API, OAuth endpoints and CometD, as the mock serves them. */
export const SALESFORCE_API: MockApiTarget = {
  vendor: 'salesforce',
  token: '00D5g000004Fuzz!static-session-for-fuzz',
  secret: '00D5g000004FuzzEAA',
  settings: { organizationId: '00D5g000004FuzzEAA', apiAllocation: 1e9, cometdTimeoutMs: 200 },
  auth: (token) => ({ authorization: `Bearer ${token}` }),
  routes: [
    { method: 'GET', path: '/services/data' },
    { method: 'GET', path: '/services/data/{v}', params: { v: SF_VERSIONS } },
    { method: 'GET', path: '/services/data/{v}/limits', params: { v: SF_VERSIONS } },
    { method: 'GET', path: '/services/data/{v}/sobjects', params: { v: SF_VERSIONS } },
    {
      method: 'GET',
      path: '/services/data/{v}/sobjects/{o}/describe',
      params: { v: SF_VERSIONS, o: SF_OBJECTS },
    },
    {
      method: 'POST',
      path: '/services/data/{v}/sobjects/{o}',
      params: { v: SF_VERSIONS, o: SF_OBJECTS },
      body: sfFields,
    },
    {
      method: 'GET',
      path: '/services/data/{v}/sobjects/{o}/{id}',
      params: { v: SF_VERSIONS, o: SF_OBJECTS, id: SF_IDS },
      queries: ['fields=Id,Email', 'fields=Nope', 'fields='],
    },
    {
      method: 'PATCH',
      path: '/services/data/{v}/sobjects/{o}/{id}',
      params: { v: SF_VERSIONS, o: SF_OBJECTS, id: SF_IDS },
      body: sfFields,
    },
    {
      method: 'DELETE',
      path: '/services/data/{v}/sobjects/{o}/{id}',
      params: { v: SF_VERSIONS, o: SF_OBJECTS, id: SF_IDS },
    },
    {
      method: 'PATCH',
      path: '/services/data/{v}/sobjects/Contact/{field}/{value}',
      params: {
        v: SF_VERSIONS,
        field: ['Poc_Ext_Id__c', 'poc_ext_id__c', 'Email', 'Id'],
        value: ['x-1', 'x-2', ''],
      },
      body: sfFields,
    },
    {
      method: 'GET',
      path: '/services/data/{v}/sobjects/Contact/deleted/',
      params: { v: SF_VERSIONS },
      queries: [
        'start=2020-01-01T00:00:00Z&end=2030-01-01T00:00:00Z',
        'start=zz&end=1',
        'start=2030-01-01T00:00:00Z&end=2020-01-01T00:00:00Z',
      ],
    },
    {
      method: 'POST',
      path: '/services/data/{v}/composite/sobjects',
      params: { v: SF_VERSIONS },
      body: (rng) => ({
        allOrNone: pick(rng, [true, false, 'yes']),
        records: Array.from({ length: rng.int(1, 4) }, () => ({
          attributes: { type: pick(rng, SF_OBJECTS) },
          ...sfFields(rng),
        })),
      }),
    },
    {
      method: 'PATCH',
      path: '/services/data/{v}/composite/sobjects/{o}/{field}',
      params: { v: SF_VERSIONS, o: ['Contact', 'Account'], field: ['Poc_Ext_Id__c', 'Email'] },
      body: (rng) => ({
        records: Array.from({ length: rng.int(1, 4) }, (_, i) => ({
          attributes: { type: 'Contact' },
          Poc_Ext_Id__c: `c-${rng.int(0, 20)}-${i}`,
          ...sfFields(rng),
        })),
      }),
    },
    {
      method: 'GET',
      path: '/services/data/{v}/{q}',
      params: { v: SF_VERSIONS, q: ['query', 'queryAll'] },
      queries: SOQL.map((q) => `q=${encodeURIComponent(q)}`),
    },
    {
      method: 'GET',
      path: '/services/data/{v}/query/{locator}',
      params: { v: SF_VERSIONS, locator: ['01gXYZ-2000', 'nope', '-1', '01g-'] },
    },
    {
      method: 'POST',
      path: '/services/data/{v}/tooling/sobjects/WorkflowOutboundMessage',
      params: { v: SF_VERSIONS },
      urlBearing: true,
      body: (rng, ctx) => ({
        FullName: pick(rng, ['Contact.poc_fuzz', 'Account.x', 'nope']),
        Metadata: {
          endpointUrl: pick(rng, [ctx.sink, 'not a url']),
          fields: pick(rng, [['Email'], ['Nope'], 'Email']),
        },
      }),
    },
    { method: 'GET', path: '/services/oauth2/userinfo' },
    {
      method: 'POST',
      path: '/services/oauth2/token',
      form: true,
      body: (rng, ctx) => ({
        grant_type: pick(rng, ['password', 'client_credentials', 'refresh_token']),
        client_id: pick(rng, ['poc-connected-app', 'other']),
        client_secret: ctx.nearMiss,
        username: 'poc@example.com',
        password: ctx.nearMiss,
      }),
    },
    {
      method: 'POST',
      path: '/cometd/{cv}',
      params: { cv: ['66.0', '43.0', 'x'] },
      body: (rng) =>
        pick(rng, [
          [{ channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'] }],
          [
            {
              channel: '/meta/subscribe',
              clientId: 'nope',
              subscription: '/data/ContactChangeEvent',
              ext: { replay: { '/data/ContactChangeEvent': -2 } },
            },
          ],
          [
            {
              channel: '/meta/connect',
              clientId: 'nope',
              connectionType: 'long-polling',
              advice: { timeout: 0 },
            },
          ],
          { channel: '/meta/disconnect', clientId: 'nope' },
          [{ channel: '/data/ContactChangeEvent', data: {} }],
        ]),
    },
  ],
  // The version list is public; Bayeux answers 200 with `successful: false` when it refuses.
  publicAnswer: (route, body) =>
    route === '/services/data' ||
    route === '/services/data/' ||
    (route.startsWith('/cometd/') && !body.includes('"successful":true')),
  sinkReply: encodeAck(true),
  async state(origin, token) {
    const headers = { authorization: `Bearer ${token}` };
    const count = (soql: string) =>
      getJson(
        origin,
        `/services/data/v${SALESFORCE_API_VERSION}/query?q=${encodeURIComponent(soql)}`,
        headers,
      );
    // The mock's SOQL has no FROM Account; Contacts are what the API writes in bulk.
    return { contacts: await count('SELECT COUNT() FROM Contact') };
  },
};
