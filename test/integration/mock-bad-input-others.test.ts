import { afterEach, describe, expect, it } from 'vitest';
import { startMockDynamics } from '../helpers/dynamics.js';
import { startMockPipedrive } from '../helpers/pipedrive.js';
import { bodyOf, type RawAnswer, rawRequest } from '../helpers/raw-http.js';
import type { StartedMock } from '../helpers/servers.js';
import { startMockZoho } from '../helpers/zoho.js';

// Bad input on the Pipedrive, Zoho and Dataverse mocks gets the vendor's own answer, never
// Fastify's `{statusCode, error, message}` (mock-bad-input.test.ts does HubSpot, Salesforce and
// Standard): a body that is not JSON, a refused content type, a body over the size limit, a URL
// that cannot be decoded, a path the vendor does not serve, values the vendor refuses, and page
// sizes that are not numbers or too large.

/** Bigger than the mock's body limit (50 MB); declared only, the server refuses it before reading. */
const OVERSIZED = String(60 * 1024 * 1024);

type Send = (
  method: string,
  path: string,
  body?: string,
  headers?: Record<string, string>,
) => Promise<RawAnswer>;

function sender(mock: StartedMock, auth: Record<string, string>): Send {
  return (method, path, body, headers = {}) =>
    rawRequest(mock.url, method, path, {
      headers: { ...auth, ...headers },
      ...(body === undefined ? {} : { body }),
    });
}

async function firehose(mock: StartedMock, count: number): Promise<void> {
  const inputs = Array.from({ length: count }, (_, i) => ({
    externalId: `p${i}@example.com`,
    fields: { email: `p${i}@example.com`, firstname: 'P', lastname: `L${i}` },
  }));
  const res = await fetch(`${mock.url}/__admin/firehose`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ objectType: 'contacts', inputs }),
  });
  expect(await res.json()).toEqual({ applied: count });
}

describe('bad input on the mock Pipedrive', () => {
  let mock: StartedMock;
  let send: Send;
  afterEach(async () => {
    await mock.close();
  });
  const start = async () => {
    mock = await startMockPipedrive();
    send = sender(mock, { 'x-api-token': mock.token });
  };

  /** Pipedrive's documented error envelope, and the ERR_SCHEMA_VALIDATION_FAILED code where given. */
  const envelope = (answer: RawAnswer, message: RegExp, code?: string) => {
    const body = bodyOf(answer) as Record<string, unknown>;
    expect(body).toMatchObject({ success: false, error_info: expect.any(String), data: null });
    expect(body.error).toMatch(message);
    if (code) expect(body.code).toBe(code);
    for (const key of ['statusCode', 'message']) expect(body).not.toHaveProperty(key);
  };

  it('answers a body that is not JSON, a refused content type, an oversized body and an undecodable URL in its envelope', async () => {
    await start();
    const malformed = await send('POST', '/api/v2/persons', '{"name": bad');
    expect(malformed.status).toBe(400);
    envelope(malformed, /not valid JSON/);
    const xml = await send('POST', '/api/v2/persons', '<x/>', { 'content-type': 'application/xml' });
    expect(xml.status).toBe(415);
    envelope(xml, /Unsupported Media Type/i);
    const huge = await send('POST', '/api/v2/persons', '{}', { 'content-length': OVERSIZED });
    expect(huge.status).toBe(413);
    envelope(huge, /too large/i);
    const undecodable = await send('GET', '/api/v2/pers%ZZons');
    expect(undecodable.status).toBe(400);
    envelope(undecodable, /not a valid url component/);
  });

  it('answers paths it does not serve with its own 404, after the token check', async () => {
    await start();
    for (const path of ['/api/v2/nothing', '/v1/nothing', '/nope', '/api/v2/persons/1/2']) {
      const answer = await send('GET', path);
      expect(answer.status, path).toBe(404);
      envelope(answer, /^Unknown method \.$/);
    }
    const anonymous = await rawRequest(mock.url, 'GET', '/api/v2/nothing');
    expect(anonymous.status).toBe(401);
  });

  it('refuses a body that is not an object and custom field values that are not scalars; stores nothing', async () => {
    await start();
    const fields = (
      bodyOf(await send('GET', '/v1/personFields')) as { data: { key: string; name: string }[] }
    ).data;
    const seq = fields.find((f) => f.name === 'poc_seq')?.key ?? '';
    const cases: [string, string, unknown, RegExp][] = [
      ['POST', '/api/v2/persons', 'zzz', /body must be a JSON object/],
      ['POST', '/api/v2/persons', [{ name: 'Ada' }], /body must be a JSON object/],
      ['POST', '/api/v2/persons', { name: 'Ada', custom_fields: { [seq]: { a: 1 } } }, /custom_fields\./],
      ['POST', '/api/v2/persons', { name: 'Ada', custom_fields: { [seq]: ['1'] } }, /custom_fields\./],
      ['POST', '/api/v2/persons', { name: 'Ada', emails: 'ada@example.com' }, /emails must be an array/],
    ];
    for (const [method, path, body, message] of cases) {
      const answer = await send(method, path, JSON.stringify(body));
      expect(answer.status, JSON.stringify(body)).toBe(400);
      envelope(answer, message, 'ERR_SCHEMA_VALIDATION_FAILED');
    }
    expect((bodyOf(await send('GET', '/api/v2/persons')) as { data: unknown[] }).data).toEqual([]);
    const created = await send('POST', '/api/v2/persons', JSON.stringify({ name: 'Ada' }));
    expect(created.status).toBe(200);
    const id = (bodyOf(created) as { data: { id: number } }).data.id;
    for (const body of ['"zzz"', '[1]', '7']) {
      const patched = await send('PATCH', `/api/v2/persons/${id}`, body);
      expect(patched.status, body).toBe(400);
      envelope(patched, /body must be a JSON object/, 'ERR_SCHEMA_VALIDATION_FAILED');
    }
    // Numbers are stored as text, as Pipedrive shows a varchar.
    const numeric = await send(
      'PATCH',
      `/api/v2/persons/${id}`,
      JSON.stringify({ custom_fields: { [seq]: 42 } }),
    );
    expect(bodyOf(numeric)).toMatchObject({ data: { custom_fields: { [seq]: '42' } } });
  });

  it('refuses a custom field of a type Pipedrive does not have', async () => {
    await start();
    const answer = await send(
      'POST',
      '/v1/personFields',
      JSON.stringify({ name: 'Shoe size', field_type: 'bogus' }),
    );
    expect(answer.status).toBe(400);
    envelope(answer, /field_type must be one of address, date, .*varchar_auto, visible_to/);
    const fields = (bodyOf(await send('GET', '/v1/personFields')) as { data: { name: string }[] }).data;
    expect(fields.map((f) => f.name)).not.toContain('Shoe size');
  });

  it('refuses a v2 `limit` that is not an integer from 1 to 500, and a cursor it did not issue', async () => {
    await start();
    for (const path of ['/api/v2/persons', '/api/v2/persons/search?term=ab']) {
      for (const limit of ['abc', '0', '-5', '2.5', '501', '']) {
        const sep = path.includes('?') ? '&' : '?';
        const answer = await send('GET', `${path}${sep}limit=${limit}`);
        expect(answer.status, `${path} limit=${limit}`).toBe(400);
        envelope(answer, /limit must be/, 'ERR_SCHEMA_VALIDATION_FAILED');
      }
    }
    for (const cursor of [
      'zzz',
      Buffer.from('[0,-5]').toString('base64url'),
      Buffer.from('[0,1.5]').toString('base64url'),
    ]) {
      for (const path of ['/api/v2/persons?', '/api/v2/persons/search?term=ab&']) {
        const answer = await send('GET', `${path}cursor=${cursor}`);
        expect(answer.status, `${path}cursor=${cursor}`).toBe(400);
        envelope(answer, /cursor is not valid/, 'ERR_SCHEMA_VALIDATION_FAILED');
      }
    }
  });

  it('pages v1 fields with a `limit` clamped to 500 and a bad one taken as the default', async () => {
    await start();
    const pagination = async (query: string) =>
      (
        bodyOf(await send('GET', `/v1/personFields?${query}`)) as {
          additional_data: { pagination: { start: number; limit: number } };
        }
      ).additional_data.pagination;
    expect(await pagination('limit=100000')).toMatchObject({ start: 0, limit: 500 });
    for (const limit of ['abc', '0', '-5', '2.5']) {
      expect(await pagination(`limit=${limit}`), limit).toMatchObject({ limit: 100 });
    }
    for (const start of ['-3', 'abc', '1.5']) {
      expect(await pagination(`start=${start}`), start).toMatchObject({ start: 0 });
    }
  });
});

describe('bad input on the mock Zoho CRM', () => {
  let mock: StartedMock;
  let send: Send;
  afterEach(async () => {
    await mock.close();
  });
  const start = async () => {
    mock = await startMockZoho();
    send = sender(mock, { authorization: `Zoho-oauthtoken ${mock.token}` });
  };

  /** Zoho's error body: code, details, message, status. */
  const zohoBody = (answer: RawAnswer, code: string, details: Record<string, unknown> = {}) => {
    const body = bodyOf(answer) as Record<string, unknown>;
    expect(body).toMatchObject({ code, status: 'error', message: expect.any(String), details });
    for (const key of ['statusCode', 'error']) expect(body).not.toHaveProperty(key);
  };

  it('answers a body that is not JSON, an oversized body, a refused content type and an undecodable URL in its own body', async () => {
    await start();
    const malformed = await send('POST', '/crm/v8/Contacts', '{"data": [bad');
    expect(malformed.status).toBe(400);
    zohoBody(malformed, 'INVALID_DATA');
    const huge = await send('POST', '/crm/v8/Contacts', '{}', { 'content-length': OVERSIZED });
    expect(huge.status).toBe(413);
    zohoBody(huge, 'LIMIT_EXCEEDED');
    // The accounts endpoint takes form bodies only.
    const xml = await send('POST', '/oauth/v2/token', '<x/>', { 'content-type': 'application/xml' });
    expect(xml.status).toBe(415);
    zohoBody(xml, 'INVALID_DATA');
    const undecodable = await send('GET', '/crm/v8/Cont%ZZacts?fields=Email');
    expect(undecodable.status).toBe(400);
    zohoBody(undecodable, 'INVALID_URL_PATTERN');
  });

  it('answers paths it does not serve with INVALID_URL_PATTERN, and an unknown module with INVALID_MODULE', async () => {
    await start();
    for (const path of ['/crm/v8/Contacts/1/2/3', '/nope', '/crm/v2/Contacts', '/CRM/v8/Contacts']) {
      const answer = await send('GET', path);
      expect(answer.status, path).toBe(404);
      zohoBody(answer, 'INVALID_URL_PATTERN');
    }
    const module = await send('GET', '/crm/v8/Widgets?fields=Email');
    expect(module.status).toBe(400);
    zohoBody(module, 'INVALID_MODULE');
  });

  it('refuses records that are not objects and field values that are not text, record by record', async () => {
    await start();
    const notArray = await send('POST', '/crm/v8/Contacts', JSON.stringify({ data: { Last_Name: 'Ada' } }));
    expect(notArray.status).toBe(400);
    zohoBody(notArray, 'INVALID_DATA', { api_name: 'data', expected_data_type: 'jsonarray' });
    const answer = await send(
      'POST',
      '/crm/v8/Contacts',
      JSON.stringify({
        data: [
          'zzz',
          { Last_Name: { a: 1 } },
          { Last_Name: 'Ada', Email: ['ada@example.com'] },
          { Last_Name: 'Bob', Email: 'bob@example.com' },
        ],
      }),
    );
    expect(answer.status).toBe(207);
    const data = (bodyOf(answer) as { data: Record<string, unknown>[] }).data;
    expect(data.slice(0, 3)).toEqual([
      {
        code: 'INVALID_DATA',
        status: 'error',
        message: 'invalid data',
        details: { expected_data_type: 'jsonobject', json_path: '$.data[0]' },
      },
      {
        code: 'INVALID_DATA',
        status: 'error',
        message: 'invalid data',
        details: { expected_data_type: 'text', api_name: 'Last_Name', json_path: '$.data[1].Last_Name' },
      },
      {
        code: 'INVALID_DATA',
        status: 'error',
        message: 'invalid data',
        details: { expected_data_type: 'email', api_name: 'Email', json_path: '$.data[2].Email' },
      },
    ]);
    expect(data[3]).toMatchObject({ code: 'SUCCESS' });
    const listed = bodyOf(await send('GET', '/crm/v8/Contacts?fields=Last_Name')) as { data: unknown[] };
    expect(listed.data).toHaveLength(1);
    const update = await send(
      'PUT',
      '/crm/v8/Contacts',
      JSON.stringify({ data: [{ id: (data[3]?.details as { id?: string })?.id, Last_Name: { a: 1 } }] }),
    );
    expect(update.status).toBe(400);
    expect((bodyOf(update) as { data: unknown[] }).data).toEqual([
      {
        code: 'INVALID_DATA',
        status: 'error',
        message: 'invalid data',
        details: { expected_data_type: 'text', api_name: 'Last_Name', json_path: '$.data[0].Last_Name' },
      },
    ]);
  });

  it('refuses `page` and `per_page` that are not positive integers, and serves at most 200 a page', async () => {
    await start();
    await firehose(mock, 205);
    for (const path of ['/crm/v8/Contacts?fields=Email&', '/crm/v8/Contacts/deleted?']) {
      for (const param of ['per_page', 'page']) {
        for (const value of ['abc', '0', '-5', '2.5', '']) {
          const answer = await send('GET', `${path}${param}=${value}`);
          expect(answer.status, `${path}${param}=${value}`).toBe(400);
          zohoBody(answer, 'INVALID_DATA', { param, expected_data_type: 'integer' });
        }
      }
    }
    const huge = await send('GET', '/crm/v8/Contacts?fields=Email&per_page=100000000');
    expect(huge.status).toBe(200);
    expect(bodyOf(huge)).toMatchObject({ info: { per_page: 200, count: 200, more_records: true } });
    // A page token carries its page size; one the mock did not issue may not ask for more.
    const issued = (bodyOf(huge) as { info: { next_page_token: string } }).info.next_page_token;
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(issued, 'base64url').toString()), perPage: 100_000 }),
    ).toString('base64url');
    const next = await send('GET', `/crm/v8/Contacts?fields=Email&page_token=${forged}`);
    expect(next.status).toBe(400);
    zohoBody(next, 'INVALID_DATA', { param: 'page_token' });
    const honest = await send('GET', `/crm/v8/Contacts?fields=Email&page_token=${issued}`);
    expect(bodyOf(honest)).toMatchObject({ info: { count: 5, more_records: false } });
  });
});

describe('bad input on the mock Dataverse', () => {
  let mock: StartedMock;
  let send: Send;
  afterEach(async () => {
    await mock.close();
  });
  const API = '/api/data/v9.2';
  const start = async (settings: Record<string, unknown> = {}) => {
    mock = await startMockDynamics({ settings });
    send = sender(mock, { authorization: `Bearer ${mock.token}` });
  };

  /** Dataverse's OData error body: `{error: {code, message}}` and nothing else. */
  const odata = (answer: RawAnswer, code: string, message: RegExp) => {
    const body = bodyOf(answer) as { error: { code: string; message: string } };
    expect(Object.keys(body)).toEqual(['error']);
    expect(body.error.code).toBe(code);
    expect(body.error.message).toMatch(message);
    expect(Object.keys(body.error).sort()).toEqual(['code', 'message']);
  };

  it('answers a body that is not JSON, a refused content type, an oversized body and an undecodable URL in its OData body', async () => {
    await start();
    for (const body of ['{"firstname": bad', '']) {
      const malformed = await send('POST', `${API}/contacts`, body, { 'content-type': 'application/json' });
      expect(malformed.status, body).toBe(400);
      odata(malformed, '0x80060888', /not valid JSON/);
    }
    for (const type of ['application/xml', 'application/x-www-form-urlencoded', 'text/plain']) {
      const refused = await send('POST', `${API}/contacts`, 'firstname=Ada', { 'content-type': type });
      expect(refused.status, type).toBe(415);
      odata(refused, '0x80060888', new RegExp(`media type '${type}' is not supported`));
    }
    const huge = await send('POST', `${API}/contacts`, '{}', { 'content-length': OVERSIZED });
    expect(huge.status).toBe(413);
    odata(huge, '0x80060888', /too large/i);
    const undecodable = await send('GET', `${API}/cont%ZZacts`);
    expect(undecodable.status).toBe(400);
    odata(undecodable, '0x80060888', /not a valid url component/);
    expect((bodyOf(await send('GET', `${API}/contacts`)) as { value: unknown[] }).value).toEqual([]);
  });

  it('answers paths no route takes with "No HTTP resource was found", and an unknown entity set by segment', async () => {
    await start();
    for (const [method, path] of [
      ['GET', '/nope'],
      ['GET', '/api/data/v9.1/contacts'],
      ['PUT', `${API}/contacts`],
      ['POST', `${API}/WhoAmI`],
    ] as const) {
      const answer = await send(method, path, method === 'GET' ? undefined : '{}');
      expect(answer.status, `${method} ${path}`).toBe(404);
      odata(
        answer,
        '',
        /^No HTTP resource was found that matches the request URI 'http:\/\/127\.0\.0\.1:\d+\/.*'\.$/,
      );
    }
    const segment = await send('GET', `${API}/Contact`);
    expect(segment.status).toBe(404);
    odata(segment, '0x8006088a', /^Resource not found for the segment 'Contact'\.$/);
  });

  it('refuses column values that are not strings where a string belongs; stores nothing', async () => {
    await start();
    for (const body of [
      { firstname: 42 },
      { firstname: true },
      { firstname: { a: 1 } },
      { firstname: ['Ada'] },
    ]) {
      const answer = await send('POST', `${API}/contacts`, JSON.stringify(body), {
        'content-type': 'application/json',
      });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      odata(answer, '0x80060888', /'firstname'/);
    }
    expect((bodyOf(await send('GET', `${API}/contacts`)) as { value: unknown[] }).value).toEqual([]);
  });

  it('ignores an odata.maxpagesize above the largest page, as Learn documents, and refuses a $top it cannot read', async () => {
    await start({ maxPageSize: 5 });
    await firehose(mock, 8);
    const page = async (prefer: string) => {
      const answer = await send('GET', `${API}/contacts?$select=lastname`, undefined, { prefer });
      expect(answer.status, prefer).toBe(200);
      return {
        rows: (bodyOf(answer) as { value: unknown[] }).value.length,
        applied: answer.headers['preference-applied'],
      };
    };
    expect(await page('odata.maxpagesize=3')).toEqual({ rows: 3, applied: 'odata.maxpagesize=3' });
    for (const prefer of ['odata.maxpagesize=100000', 'odata.maxpagesize=abc', 'odata.maxpagesize=0']) {
      expect(await page(prefer), prefer).toEqual({ rows: 5, applied: undefined });
    }
    for (const top of ['abc', '-1', '2.5']) {
      const answer = await send('GET', `${API}/contacts?$top=${top}`);
      expect(answer.status, top).toBe(400);
      odata(answer, '0x80060888', /The \$top query option requires a non-negative integer value/);
    }
  });
});
