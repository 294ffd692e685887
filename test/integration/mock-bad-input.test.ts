import { afterEach, describe, expect, it } from 'vitest';
import { SALESFORCE_API_VERSION } from '../../harness/vendors/salesforce/profile.js';
import { bodyOf, rawRequest } from '../helpers/raw-http.js';
import { startMockSalesforce } from '../helpers/salesforce.js';
import { type StartedMock, startMockHubspot } from '../helpers/servers.js';
import { startMockStandard } from '../helpers/standard.js';

// Bad input gets the vendor's own answer, never Fastify's `{statusCode, error, message}`: a body
// that is not JSON, a path the vendor does not serve, values the vendor's parser refuses, an
// unknown object type, an unusable `limit` (mock-admin-faults.test.ts covers the admin API's own).

const FASTIFY_KEYS = ['statusCode', 'error', 'code'];

function send(
  mock: StartedMock,
  method: string,
  path: string,
  body?: string,
  headers: Record<string, string> = {},
) {
  return rawRequest(mock.url, method, path, {
    headers: { authorization: `Bearer ${mock.token}`, ...headers },
    ...(body === undefined ? {} : { body }),
  });
}

async function seed(mock: StartedMock, count: number): Promise<void> {
  const res = await fetch(`${mock.url}/__admin/seed`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ count }),
  });
  expect(await res.json()).toEqual({ seeded: count });
}

describe('bad input on the mock HubSpot', () => {
  let mock: StartedMock;
  afterEach(async () => {
    await mock.close();
  });

  /** HubSpot's error shape; `category` as given, or absent where HubSpot sends none. */
  const hubspotBody = (category: string | undefined, message: RegExp) => (answer: { text: string }) => {
    const body = bodyOf(answer as never) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'error', correlationId: expect.any(String) });
    expect(body.message).toMatch(message);
    expect(body.category).toBe(category);
    for (const key of FASTIFY_KEYS) expect(body).not.toHaveProperty(key);
  };

  it('answers a body that is not JSON, or is empty, with 400 "Invalid input JSON" and no category', async () => {
    mock = await startMockHubspot();
    const malformed = await send(mock, 'POST', '/crm/v3/objects/contacts', '{"properties": {bad');
    expect(malformed.status).toBe(400);
    hubspotBody(undefined, /^Invalid input JSON: /)(malformed);
    const empty = await send(mock, 'POST', '/crm/v3/objects/contacts', '');
    expect(empty.status).toBe(400);
    hubspotBody(undefined, /^Invalid input JSON: No content to map due to end-of-input$/)(empty);
    const xml = await send(mock, 'POST', '/crm/v3/objects/contacts', '<x/>', {
      'content-type': 'application/xml',
    });
    expect(xml.status).toBe(415);
    hubspotBody(undefined, /Unsupported Media Type/i)(xml);
  });

  it('answers unknown paths, and a URL it cannot decode, in its own shape', async () => {
    mock = await startMockHubspot();
    for (const path of ['/crm/v3/nothing', '/nope', '/crm/v3/objects/contacts/1/2/3']) {
      const answer = await send(mock, 'GET', path);
      expect(answer.status, path).toBe(404);
      hubspotBody('OBJECT_NOT_FOUND', /^No such endpoint: GET /)(answer);
    }
    const undecodable = await send(mock, 'GET', '/crm/v3/objects/cont%ZZacts');
    expect(undecodable.status).toBe(400);
    hubspotBody(undefined, /not a valid url component/)(undecodable);
  });

  it('refuses `properties` that is not an object or holds nested values, and stores nothing', async () => {
    mock = await startMockHubspot();
    const cases: [string, string, unknown, RegExp][] = [
      ['POST', '/crm/v3/objects/contacts', { properties: 'zzz' }, /LinkedHashMap.* from String value/],
      ['POST', '/crm/v3/objects/contacts', { properties: ['a'] }, /LinkedHashMap.* from Array value/],
      [
        'POST',
        '/crm/v3/objects/contacts',
        { properties: { firstname: { a: 1 } } },
        /`java.lang.String` from Object value/,
      ],
      [
        'POST',
        '/crm/v3/objects/contacts',
        { properties: { firstname: ['Ada'] } },
        /`java.lang.String` from Array value/,
      ],
      ['POST', '/crm/v3/objects/contacts', 'zzz', /SimplePublicObjectInputForCreate` from String value/],
      [
        'POST',
        '/crm/v3/objects/contacts/batch/upsert',
        { inputs: [{ id: 'a@b.c', idProperty: 'email', properties: { firstname: { a: 1 } } }] },
        /`java.lang.String` from Object value .*inputs\[0\]/,
      ],
      [
        'POST',
        '/crm/v3/objects/contacts/batch/create',
        { inputs: [{ properties: { email: 'a@b.c' } }, 7] },
        /from Integer value .*inputs\[1\]/,
      ],
    ];
    for (const [method, path, body, message] of cases) {
      const answer = await send(mock, method, path, JSON.stringify(body));
      expect(answer.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      hubspotBody(undefined, message)(answer);
    }
    const listed = bodyOf(await send(mock, 'GET', '/crm/v3/objects/contacts')) as { results: unknown[] };
    expect(listed.results).toEqual([]);
    // Jackson reads numbers and booleans into strings: those are stored as text.
    const created = await send(
      mock,
      'POST',
      '/crm/v3/objects/contacts',
      JSON.stringify({ properties: { email: 'n@x.io', age: 42, vip: true } }),
    );
    expect(created.status).toBe(201);
    expect(bodyOf(created)).toMatchObject({ properties: { email: 'n@x.io', age: '42', vip: 'true' } });
    const patched = await send(
      mock,
      'PATCH',
      `/crm/v3/objects/contacts/${(bodyOf(created) as { id: string }).id}`,
      JSON.stringify({ properties: { age: { years: 43 } } }),
    );
    expect(patched.status).toBe(400);
    hubspotBody(undefined, /`java.lang.String` from Object value/)(patched);
  });

  it('answers an unknown object type with 400 "Unable to infer object type", before scopes', async () => {
    mock = await startMockHubspot({ settings: { scopes: ['crm.objects.contacts.read'] } });
    for (const [method, path] of [
      ['GET', '/crm/v3/objects/widgets'],
      ['POST', '/crm/v3/objects/widgets/search'],
      ['GET', '/crm/v3/objects/0-1/123'],
      ['POST', '/crm/v3/objects/widgets/batch/upsert'],
    ] as const) {
      const answer = await send(mock, method, path, method === 'POST' ? '{}' : undefined);
      expect(answer.status, path).toBe(400);
      const type = path.split('/')[4];
      hubspotBody(undefined, new RegExp(`^Unable to infer object type from: ${type}$`))(answer);
    }
  });

  it('refuses a `limit` that is not a positive integer and serves at most 100 past the maximum', async () => {
    mock = await startMockHubspot();
    await seed(mock, 150);
    for (const limit of ['abc', '0', '-5', '2.5', '']) {
      const answer = await send(mock, 'GET', `/crm/v3/objects/contacts?limit=${limit}`);
      expect(answer.status, `limit=${limit}`).toBe(400);
      hubspotBody('VALIDATION_ERROR', /query parameter limit/)(answer);
    }
    const huge = await send(mock, 'GET', '/crm/v3/objects/contacts?limit=100000000');
    expect(huge.status).toBe(200);
    expect((bodyOf(huge) as { results: unknown[] }).results).toHaveLength(100);
  });

  it('refuses search bodies its parser cannot read with 400, never a 500 (found by the mock-API fuzzer)', async () => {
    mock = await startMockHubspot({ settings: { searchPerSecond: 1000 } });
    const bodies: [unknown, RegExp][] = [
      [{ filterGroups: [{ filters: true }] }, /ArrayList<Filter>` from Boolean value/],
      [{ filterGroups: [{ filters: [null] }] }, /`Filter` from Null value/],
      [{ filterGroups: [7] }, /`FilterGroup` from Integer value/],
      [
        { filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ', value: { a: 1 } }] }] },
        /`java.lang.String` from Object value/,
      ],
      [
        { filterGroups: [{ filters: [{ propertyName: 'email', operator: 'IN', values: 'a' }] }] },
        /ArrayList<java.lang.String>` from String value/,
      ],
      [{ query: { a: 1 } }, /`java.lang.String` from Object value .*\["query"\]/],
      [{ limit: 'abc' }, /`int` from String "abc": not a valid `int` value/],
      [{ sorts: [5] }, /`PublicSort` from Integer value/],
      ['zzz', /`PublicObjectSearchRequest` from String value/],
    ];
    for (const [body, message] of bodies) {
      const answer = await send(mock, 'POST', '/crm/v3/objects/contacts/search', JSON.stringify(body));
      expect(answer.status, JSON.stringify(body)).toBe(400);
      hubspotBody('VALIDATION_ERROR', message)(answer);
    }
    // Scalars are coerced where a string or an integer belongs, as Jackson does.
    const coerced = await send(
      mock,
      'POST',
      '/crm/v3/objects/contacts/search',
      JSON.stringify({
        limit: '5',
        filterGroups: [{ filters: [{ propertyName: 'age', operator: 'EQ', value: 42 }] }],
      }),
    );
    expect(coerced.status).toBe(200);
  });

  it('treats property names like `__proto__` and `constructor` as unknown properties (found by the fuzzer)', async () => {
    mock = await startMockHubspot({ settings: { searchPerSecond: 1000 } });
    for (const idProperty of ['__proto__', 'constructor', 'toString']) {
      const answer = await send(mock, 'GET', `/crm/v3/objects/contacts/x?idProperty=${idProperty}`);
      expect(answer.status, idProperty).toBe(404);
    }
    // Looking one up once indexed it: later writes used to fail on Object.prototype's values.
    const created = await send(
      mock,
      'POST',
      '/crm/v3/objects/contacts',
      JSON.stringify({ properties: { email: 'p@x.io' } }),
    );
    expect(created.status).toBe(201);
    const id = (bodyOf(created) as { id: string }).id;
    const read = await send(mock, 'GET', `/crm/v3/objects/contacts/${id}?properties=constructor,email`);
    expect(bodyOf(read)).toMatchObject({ properties: { constructor: null, email: 'p@x.io' } });
    const found = await send(
      mock,
      'POST',
      '/crm/v3/objects/contacts/search',
      JSON.stringify({
        filterGroups: [{ filters: [{ propertyName: 'constructor', operator: 'HAS_PROPERTY' }] }],
      }),
    );
    expect(bodyOf(found)).toMatchObject({ total: 0 });
    expect((await send(mock, 'DELETE', `/crm/v3/objects/contacts/${id}`)).status).toBe(204);
  });

  it('refuses webhook throttling that is not an integer', async () => {
    mock = await startMockHubspot();
    const answer = await send(
      mock,
      'PUT',
      '/webhooks/v3/54321/settings',
      JSON.stringify({ targetUrl: 'http://127.0.0.1:9/hooks', throttling: { maxConcurrentRequests: 'ten' } }),
    );
    expect(answer.status).toBe(400);
    hubspotBody(undefined, /maxConcurrentRequests must be an integer/)(answer);
  });
});

describe('bad input on the mock Salesforce', () => {
  let mock: StartedMock;
  afterEach(async () => {
    await mock.close();
  });
  const DATA = `/services/data/v${SALESFORCE_API_VERSION}`;
  const errorCodes = (answer: { text: string }) =>
    (bodyOf(answer as never) as { errorCode: string }[]).map((e) => e.errorCode);

  it('answers a body that is not JSON with 400 JSON_PARSER_ERROR in its error array', async () => {
    mock = await startMockSalesforce();
    for (const body of ['{"LastName": bad', '']) {
      const answer = await send(mock, 'POST', `${DATA}/sobjects/Contact`, body);
      expect(answer.status).toBe(400);
      expect(bodyOf(answer)).toEqual([{ errorCode: 'JSON_PARSER_ERROR', message: expect.any(String) }]);
    }
  });

  it('answers unknown resources, and a URL it cannot decode, in its own shape', async () => {
    mock = await startMockSalesforce();
    for (const path of [`${DATA}/nothing`, '/nope', `${DATA}/sobjects/Widget__c/describe`]) {
      const answer = await send(mock, 'GET', path);
      expect(answer.status, path).toBe(404);
      expect(bodyOf(answer)).toEqual([
        { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' },
      ]);
    }
    const undecodable = await send(mock, 'GET', `${DATA}/sobjects/Cont%ZZact`);
    expect(undecodable.status).toBe(400);
    expect(errorCodes(undecodable)).toEqual(['INVALID_REQUEST']);
  });

  it('refuses objects or arrays where a value belongs, and a body that is not an object; stores nothing', async () => {
    mock = await startMockSalesforce();
    const cases: [string, string, unknown, string[]][] = [
      ['POST', `${DATA}/sobjects/Contact`, { LastName: { a: 1 } }, ['LastName']],
      ['POST', `${DATA}/sobjects/Contact`, { LastName: 'Ada', Email: ['a@b.c'] }, ['Email']],
      ['POST', `${DATA}/sobjects/Contact`, 'zzz', []],
      ['POST', `${DATA}/sobjects/Contact`, [{ LastName: 'Ada' }], []],
      ['PATCH', `${DATA}/sobjects/Contact/Poc_Ext_Id__c/x-1`, { LastName: { a: 1 } }, ['LastName']],
      ['PATCH', `${DATA}/sobjects/Contact/Poc_Ext_Id__c/x-1`, 'zzz', []],
      ['POST', `${DATA}/sobjects/Account`, { Name: { a: 1 } }, ['Name']],
    ];
    for (const [method, path, body, fields] of cases) {
      const answer = await send(mock, method, path, JSON.stringify(body));
      expect(answer.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      const [error] = bodyOf(answer) as { errorCode: string; message: string; fields?: string[] }[];
      expect(error?.errorCode).toBe('JSON_PARSER_ERROR');
      expect(error?.message).toMatch(
        /^Cannot deserialize instance of \S+ from (START_OBJECT|START_ARRAY|VALUE_STRING) value/,
      );
      expect(error?.fields ?? []).toEqual(fields);
    }
    const collection = await send(
      mock,
      'POST',
      `${DATA}/composite/sobjects`,
      JSON.stringify({ records: [{ attributes: { type: 'Contact' }, LastName: { a: 1 } }] }),
    );
    expect(collection.status).toBe(200);
    expect(bodyOf(collection)).toEqual([
      {
        success: false,
        errors: [expect.objectContaining({ statusCode: 'JSON_PARSER_ERROR', fields: ['LastName'] })],
      },
    ]);
    const count = await send(
      mock,
      'GET',
      `${DATA}/query?q=${encodeURIComponent('SELECT COUNT() FROM Contact')}`,
    );
    expect(bodyOf(count)).toMatchObject({ totalSize: 0 });
  });

  it('refuses a SOQL LIMIT that is not a number and serves a huge one whole, in batches', async () => {
    mock = await startMockSalesforce();
    const inputs = Array.from({ length: 30 }, (_, i) => ({
      externalId: `c${i}`,
      fields: { lastName: `L${i}` },
    }));
    const made = await fetch(`${mock.url}/__admin/firehose`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ objectType: 'contacts', inputs }),
    });
    expect(await made.json()).toEqual({ applied: 30 });
    const bad = await send(
      mock,
      'GET',
      `${DATA}/query?q=${encodeURIComponent('SELECT Id FROM Contact LIMIT abc')}`,
    );
    expect(bad.status).toBe(400);
    expect(errorCodes(bad)).toEqual(['MALFORMED_QUERY']);
    // The SOQL reference gives LIMIT no maximum; the REST query pages the rows (at most 2,000 a batch).
    const huge = await send(
      mock,
      'GET',
      `${DATA}/query?q=${encodeURIComponent('SELECT Id FROM Contact LIMIT 100000000')}`,
    );
    expect(huge.status).toBe(200);
    expect(bodyOf(huge)).toMatchObject({ totalSize: 30, done: true });
  });
});

describe('bad input on the mock Standard CRM', () => {
  let mock: StartedMock;
  afterEach(async () => {
    await mock.close();
  });
  const problem = (
    answer: { status: number; text: string; headers: Record<string, unknown> },
    code: string,
  ) => {
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = bodyOf(answer as never) as Record<string, unknown>;
    expect(body).toMatchObject({ type: 'about:blank', status: answer.status, code });
    return body;
  };

  it('answers a body that is not JSON with 400 invalid_json, and unknown paths with 404 not_found', async () => {
    mock = await startMockStandard();
    const malformed = await send(mock, 'POST', '/v1/contacts', '{"email": bad');
    expect(malformed.status).toBe(400);
    problem(malformed, 'invalid_json');
    for (const path of ['/v1/nothing', '/nope', '/v1/contacts/1/2']) {
      const answer = await send(mock, 'GET', path);
      expect(answer.status, path).toBe(404);
      problem(answer, 'not_found');
    }
    const undecodable = await send(mock, 'GET', '/v1/cont%ZZacts');
    expect(undecodable.status).toBe(400);
    problem(undecodable, 'bad_request');
  });

  it('refuses nested values and a body that is not an object, naming the field', async () => {
    mock = await startMockStandard();
    const nested = await send(mock, 'POST', '/v1/contacts', JSON.stringify({ email: { a: 1 } }));
    expect(nested.status).toBe(422);
    expect(problem(nested, 'validation_failed').errors).toEqual([
      { field: 'email', message: 'must be a string' },
    ]);
    const notObject = await send(mock, 'POST', '/v1/contacts', JSON.stringify('zzz'));
    expect(notObject.status).toBe(422);
    expect(problem(notObject, 'validation_failed').errors).toEqual([
      { field: '(body)', message: 'must be an object' },
    ]);
  });

  it('refuses a `limit` outside 1..1000, as its API documents', async () => {
    mock = await startMockStandard();
    for (const limit of ['abc', '100000000', '0']) {
      const answer = await send(mock, 'GET', `/v1/contacts?limit=${limit}`);
      expect(answer.status, `limit=${limit}`).toBe(400);
      expect(problem(answer, 'invalid_parameter').errors).toEqual([
        { field: 'limit', message: 'must be an integer from 1 to 1000' },
      ]);
    }
  });
});
